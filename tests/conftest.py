"""Shared test set-up: torch is the parity oracle, and CI (GLASSTORCH_REQUIRE_TORCH=1) must not skip without it."""
from __future__ import annotations

import os
import random
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# CI (GLASSTORCH_REQUIRE_TORCH=1) draws the same property-test examples every run, so that a red run means a change
# broke something; elsewhere each run explores new examples.
settings.register_profile("ci", derandomize=True)
if os.environ.get("GLASSTORCH_REQUIRE_TORCH") == "1":
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _streams_seeded_from_the_test_id(request):
    """Every shared random stream starts each test from a seed made of the test's own id, so that a test draws the
    same numbers whichever tests ran before it (alone, in a subset, in random order): Python's and NumPy's global
    streams, glasstorch's and torch's default generators, and the module-level ``RNG`` generators of test helpers."""
    seed = zlib.crc32(request.node.nodeid.encode())
    random.seed(seed)
    np.random.seed(seed)
    for name, module in list(sys.modules.items()):
        if name.startswith("test_") and isinstance(getattr(module, "RNG", None), np.random.Generator):
            module.RNG = np.random.default_rng([seed, zlib.crc32(name.encode())])
    for library in ("glasstorch", "torch"):
        if library in sys.modules:
            sys.modules[library].manual_seed(seed)


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
