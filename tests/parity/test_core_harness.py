"""The parity harness for the core tests: one lambda run through torch and glasstorch, outputs and gradients compared.

Other ``test_core_*`` files import ``check`` from here; the tests at the bottom show the harness itself catches a
wrong value, dtype, shape and gradient (so a green parity test means something).
"""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402

RNG = np.random.default_rng(1234)


def arr(*shape, dtype=np.float32, low=-2.0, high=2.0, positive=False) -> np.ndarray:
    """Random test data; ``positive`` keeps it in [0.5, high] for log/sqrt/division."""
    if np.dtype(dtype).kind == "b":
        return RNG.random(shape) < (2.0 if positive else 0.5)
    if np.dtype(dtype).kind in "iu":
        return RNG.integers(1 if positive else -5, 6, shape).astype(dtype)
    lo = 0.5 if positive else low
    return RNG.uniform(lo, high, shape).astype(dtype)


def _dtype_name(dtype) -> str:
    return str(dtype).split(".")[-1]


def compare(ours, theirs, rtol: float = 1e-5, atol: float = 1e-6, what: str = "output") -> None:
    """Values, shape and dtype of one output (tensor, number, bool, or a (named) tuple / list of them)."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, glasstorch.Tensor), f"{what}: expected a Tensor, got {type(ours).__name__}"
        assert tuple(ours.shape) == tuple(theirs.shape), f"{what}: shape {tuple(ours.shape)} != {tuple(theirs.shape)}"
        assert _dtype_name(ours.dtype) == _dtype_name(theirs.dtype), f"{what}: dtype {ours.dtype} != {theirs.dtype}"
        expected = theirs.detach().numpy()
        np.testing.assert_allclose(np.asarray(ours.detach()._data, dtype=np.float64), expected.astype(np.float64),
                                   rtol=rtol, atol=atol, equal_nan=True, err_msg=what)
    elif isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(theirs), f"{what}: {ours!r} vs {theirs!r}"
        if hasattr(theirs, "_fields"):
            assert ours._fields == theirs._fields, f"{what}: fields {ours._fields} != {theirs._fields}"
        for i, (o, t) in enumerate(zip(ours, theirs)):
            compare(o, t, rtol, atol, f"{what}[{i}]")
    elif isinstance(theirs, torch.dtype):
        assert isinstance(ours, glasstorch.dtype) and str(ours) == str(theirs).replace("torch.", "glasstorch."), what
    elif isinstance(theirs, str):
        assert ours == theirs.replace("torch.", "glasstorch."), f"{what}: {ours!r} != {theirs!r}"
    else:
        assert type(ours) is type(theirs), f"{what}: {type(ours).__name__} != {type(theirs).__name__}"
        if isinstance(theirs, float):
            np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, err_msg=what)
        else:
            assert ours == theirs, f"{what}: {ours!r} != {theirs!r}"


def _make(lib, value, requires_grad: bool):
    if isinstance(value, np.ndarray):
        return lib.tensor(value.copy(), requires_grad=requires_grad and value.dtype.kind == "f")
    return value


def _float_tensors(out) -> list:
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _float_tensors(o)]
    return [out] if hasattr(out, "grad_fn") and out.requires_grad else []


def check(fn, *inputs, grad: bool = True, rtol: float = 1e-5, atol: float = 1e-6, grad_rtol: float | None = None,
          grad_atol: float | None = None) -> None:
    """Runs ``fn(lib, *tensors)`` with lib = torch and lib = glasstorch and compares the outputs; then, when ``grad``
    and an output needs a gradient, backpropagates the same random cotangent through both and compares the gradients
    of every float input (including whether it got one at all).

    ``inputs``: ndarrays become tensors (float ones requiring grad when ``grad``); anything else is passed as is.
    """
    theirs_in = [_make(torch, v, grad) for v in inputs]
    ours_in = [_make(glasstorch, v, grad) for v in inputs]
    theirs = fn(torch, *theirs_in)
    ours = fn(glasstorch, *ours_in)
    compare(ours, theirs, rtol, atol)
    if not grad:
        return
    t_outs, o_outs = _float_tensors(theirs), _float_tensors(ours)
    assert len(t_outs) == len(o_outs), f"outputs needing grad: {len(o_outs)} != {len(t_outs)}"
    if not t_outs:
        return
    for t_out, o_out in zip(t_outs, o_outs):
        assert (o_out.grad_fn is None) == (t_out.grad_fn is None)
    cotangents = [RNG.uniform(-1, 1, tuple(t.shape)).astype(t.detach().numpy().dtype) for t in t_outs]
    torch.autograd.backward(t_outs, [torch.tensor(c) for c in cotangents])
    for o_out, c in zip(o_outs, cotangents):
        o_out.backward(glasstorch.tensor(c), retain_graph=True)
    for i, (t_in, o_in) in enumerate(zip(theirs_in, ours_in)):
        if isinstance(t_in, torch.Tensor) and t_in.requires_grad:
            if t_in.grad is None:
                assert o_in.grad is None, f"input {i}: torch gives no gradient, glasstorch does"
            else:
                assert o_in.grad is not None, f"input {i}: glasstorch gives no gradient"
                compare(o_in.grad, t_in.grad, grad_rtol or rtol, grad_atol or atol, f"grad of input {i}")


def raises_like(fn, *inputs, match: str | None = None) -> tuple:
    """``fn`` raises the same exception class under torch and glasstorch (and, with ``match``, both messages match)."""
    with pytest.raises(Exception) as theirs:
        fn(torch, *[_make(torch, v, False) for v in inputs])
    with pytest.raises(theirs.type, match=match) as ours:
        fn(glasstorch, *[_make(glasstorch, v, False) for v in inputs])
    if match is not None:
        assert theirs.match(match)
    return str(theirs.value), str(ours.value)


# ---- the harness catches what it should ---------------------------------------------------------------------------

def test_harness_catches_a_wrong_value():
    with pytest.raises(AssertionError):
        check(lambda lib, a: a * 2 if lib is torch else a * 2.001, arr(3))


def test_harness_catches_a_wrong_dtype_and_shape():
    with pytest.raises(AssertionError, match="dtype"):
        check(lambda lib, a: a.double() if lib is glasstorch else a, arr(3))
    with pytest.raises(AssertionError, match="shape"):
        check(lambda lib, a: a.reshape(3, 1) if lib is glasstorch else a, arr(3))


def test_harness_catches_a_wrong_gradient():
    with pytest.raises(AssertionError, match="grad"):
        check(lambda lib, a: a * a if lib is torch else a * a.detach(), arr(3))


def test_harness_catches_a_different_error_class():
    with pytest.raises(Exception):
        raises_like(lambda lib, a: a.reshape(4) if lib is torch else a.undefined_method(), arr(3))
