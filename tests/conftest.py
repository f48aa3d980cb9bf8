"""Shared test set-up: torch is the parity oracle, and CI (GLASSTORCH_REQUIRE_TORCH=1) must not skip without it."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# CI (GLASSTORCH_REQUIRE_TORCH=1) draws the same property-test examples every run, so that a red run means a change
# broke something; elsewhere each run explores new examples.
settings.register_profile("ci", derandomize=True)
if os.environ.get("GLASSTORCH_REQUIRE_TORCH") == "1":
    settings.load_profile("ci")


def pytest_sessionstart(session) -> None:
    if os.environ.get("GLASSTORCH_REQUIRE_TORCH") == "1":
        try:
            import torch  # noqa: F401
        except ImportError:
            pytest.exit("GLASSTORCH_REQUIRE_TORCH=1 but torch is not installed: parity tests would be skipped", returncode=1)


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Tests read English messages whatever the machine's locale; a test of another language asks for it (and the
    language chosen by one test never leaks into the next)."""
    monkeypatch.setenv("GLASSTORCH_LANG", "en")
    from glasstorch import i18n

    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture
def phone_csv() -> Path:
    """The course's phone-price CSV (from $GLASSTORCH_DATA, or ../shared/data beside the checkout)."""
    candidates = [os.environ.get("GLASSTORCH_DATA"),
                  str(Path(__file__).resolve().parents[2] / "shared" / "data" / "mobile_price_train.csv")]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    if os.environ.get("CI"):
        pytest.fail("the phone-price CSV is missing: set GLASSTORCH_DATA")
    pytest.skip("the phone-price CSV is not available (set GLASSTORCH_DATA)")


def assert_matches_torch(ours, theirs, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Values, shape and dtype of a glasstorch tensor against a torch tensor (dtype compared by name)."""
    assert tuple(ours.shape) == tuple(theirs.shape), (ours.shape, theirs.shape)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1], (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(np.asarray(ours.detach()._data, dtype=np.float64),
                               theirs.detach().double().numpy() if theirs.dtype.is_floating_point else theirs.detach().numpy(),
                               rtol=rtol, atol=atol, equal_nan=True)


@pytest.fixture
def matches_torch():
    return assert_matches_torch
