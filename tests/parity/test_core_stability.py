"""Numerical stability: sigmoid, softmax, log_softmax and logsumexp on inputs of ±1e4 give torch's finite answers
(values and gradients) without a single NumPy warning."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import check  # noqa: E402

EXTREME = {
    "large_positive": np.array([[1e4, 1e4 - 1.0, 0.0], [2e4, -3.0, 5.0]]),
    "large_negative": np.array([[-1e4, -1e4 + 2.0, -1e4], [-5e3, -2e4, -1.0]]),
    "mixed": np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]]),
    "all_equal_large": np.array([[1e4, 1e4, 1e4], [-1e4, -1e4, -1e4]]),
}
OPS = {
    "sigmoid": lambda lib, x: x.sigmoid(),
    "sigmoid_fn": lambda lib, x: lib.sigmoid(x),
    "softmax": lambda lib, x: x.softmax(-1),
    "softmax_dim0": lambda lib, x: lib.softmax(x, 0),
    "log_softmax": lambda lib, x: x.log_softmax(-1),
    "log_softmax_dim0": lambda lib, x: lib.log_softmax(x, 0),
    "logsumexp": lambda lib, x: x.logsumexp(-1),
    "logsumexp_all": lambda lib, x: lib.logsumexp(x, (0, 1)),
    "tanh": lambda lib, x: x.tanh(),
}


@pytest.fixture
def strict_numpy():
    """Any NumPy floating-point warning or error fails the test."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("data", EXTREME)
@pytest.mark.parametrize("name", OPS)
def test_extreme_inputs_give_torchs_finite_answers(name, data, dtype, strict_numpy):
    a = EXTREME[data].astype(dtype)
    check(OPS[name], a)
    out = OPS[name](glasstorch, glasstorch.tensor(a))
    assert bool(out.isfinite().all())


def test_gradients_at_extremes_are_finite(strict_numpy):
    x = glasstorch.tensor(EXTREME["mixed"].astype(np.float32), requires_grad=True)
    (x.sigmoid().sum() + x.softmax(-1)[:, 0].sum() + x.log_softmax(-1).sum() + x.logsumexp(-1).sum()).backward()
    assert bool(x.grad.isfinite().all())


def test_softmax_of_minus_infinity_masked_entries(strict_numpy):
    a = np.array([[0.0, -np.inf, 1.0], [-np.inf, 2.0, -np.inf]], np.float32)
    check(lambda lib, x: (x.softmax(-1), x.log_softmax(-1), x.logsumexp(-1)), a, grad=False)
