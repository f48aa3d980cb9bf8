"""Parity with torch of the less common tensor operations: clamp_min/max, tril/triu, diag/diagonal/trace, cumprod,
roll, repeat_interleave, tile, narrow, count_nonzero, erf, atan2, hypot, logit, frac, median, bmm, addmm, mv, inner,
tensordot, kron, dist, cross, nanmean, std_mean/var_mean and einsum: values, dtypes, gradients, node names, errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, check, raises_like  # noqa: E402


def _outputs(out) -> list:
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _outputs(o)]
    return [out] if hasattr(out, "grad_fn") else []


def same_names(fn, *inputs) -> None:
    """The outputs' grad_fn names agree with torch's (inputs that are float ndarrays require grad)."""
    theirs = fn(torch, *[torch.tensor(v.copy(), requires_grad=v.dtype.kind == "f") if isinstance(v, np.ndarray) else v
                         for v in inputs])
    ours = fn(glasstorch, *[glasstorch.tensor(v.copy(), requires_grad=v.dtype.kind == "f")
                            if isinstance(v, np.ndarray) else v for v in inputs])
    t_names = [None if t.grad_fn is None else t.grad_fn.name() for t in _outputs(theirs)]
    o_names = [None if t.grad_fn is None else t.grad_fn.name() for t in _outputs(ours)]
    assert o_names == t_names


def test_grad_fn_name_helper_catches_a_wrong_name():
    with pytest.raises(AssertionError):
        same_names(lambda lib, x: x.tril() if lib is torch else x.triu(), arr(3, 3))


# ---- elementwise ---------------------------------------------------------------------------------------------------

def _ties(*shape, dtype=np.float32):
    """Data in steps of 0.5, so that comparisons with bounds like 0.5 tie."""
    return (np.random.default_rng(7).integers(-4, 5, shape) / 2).astype(dtype)


ELEMENTWISE = {
    "clamp_min": lambda lib, x, y: x.clamp_min(0.5),
    "clamp_min_fn": lambda lib, x, y: lib.clamp_min(x, -0.5),
    "clamp_max": lambda lib, x, y: x.clamp_max(0.5),
    "clamp_max_fn": lambda lib, x, y: lib.clamp_max(x, 0),
    "clamp_min_tensor": lambda lib, x, y: x.clamp_min(y),
    "clamp_max_tensor": lambda lib, x, y: lib.clamp_max(x, y),
    "clamp_min_tensor_row": lambda lib, x, y: x.clamp_min(y[0]),
    "clamp_max_bound_larger": lambda lib, x, y: x[0].clamp_max(y),
    "atan2": lambda lib, x, y: x.atan2(y),
    "atan2_fn_broadcast": lambda lib, x, y: lib.atan2(x, y[:1]),
    "hypot": lambda lib, x, y: x.hypot(y),
    "hypot_fn": lambda lib, x, y: lib.hypot(x[:, :1], y),
    "frac": lambda lib, x, y: (x * 1.7).frac(),
    "frac_fn": lambda lib, x, y: lib.frac(x * 2.3),
    "erf": lambda lib, x, y: (x * 1.3).erf(),
    "erf_fn": lambda lib, x, y: lib.erf(x),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise(name, dtype):
    x, y = _ties(3, 4, dtype=dtype), _ties(3, 4, dtype=dtype)[::-1].copy()
    check(ELEMENTWISE[name], x, y)
    same_names(ELEMENTWISE[name], x, y)


def test_atan2_and_hypot_at_the_origin():
    zeros = np.zeros(3, np.float32)
    check(lambda lib, x, y: x.atan2(y), zeros, np.array([0.0, 1.0, -1.0], np.float32))
    check(lambda lib, x, y: x.hypot(y), np.array([0.0, 3.0, -1.0], np.float32), np.array([0.0, 4.0, 0.0], np.float32))


@pytest.mark.parametrize("eps", [None, 0.25, 1e-6])
def test_logit(eps):
    x = np.array([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.5, -0.1], np.float32)
    check(lambda lib, t: t.logit(eps), x)
    check(lambda lib, t: lib.logit(t, eps=eps), x.astype(np.float64))
    same_names(lambda lib, t: t.logit(eps), x)


def test_elementwise_dtypes():
    ints, floats = arr(3, 4, dtype=np.int64), arr(3, 4)
    check(lambda lib, a: (a.erf(), a.logit(), a.logit(0.1), a.atan2(a)), ints)
    check(lambda lib, a: a.int().erf(), ints)
    check(lambda lib, a, b: (a.atan2(b), b.atan2(a), a.hypot(b.float())), floats, ints)
    check(lambda lib, a, b: (a.double().atan2(b), a.hypot(a.double()), a.atan2(lib.tensor(1.0, dtype=lib.float64))),
          floats, ints)
    check(lambda lib, a: (a.clamp_min(2), a.clamp_max(-1), a.clamp_min(0.5), (a > 0).clamp_min(0),
                          (a > 0).clamp_max(0.5)), ints)
    check(lambda lib, a, b: (a.clamp_min(b), b.clamp_max(a), a.clamp_min(a.double()), b.clamp_min(lib.tensor(0.5))),
          floats, ints)
    check(lambda lib, a: (a.tril(), a.triu(1), (a > 0).tril(), a.roll(1), a.tile(2), a.narrow(0, 1, 1)), ints,
          grad=False)


def test_clamp_bounds_with_nan():
    x = np.array([np.nan, 1.0, -1.0, 2.0], np.float32)
    bound = np.array([0.0, np.nan, 0.0, 2.0], np.float32)
    check(lambda lib, a, b: (a.clamp_min(b), a.clamp_max(b), a.clamp_min(0.0), a.clamp_max(float("nan"))), x, bound)


def test_elementwise_errors():
    floats, ints = arr(3), arr(3, dtype=np.int64)
    raises_like(lambda lib, a: a.atan2(2.0), floats, match="must be Tensor")
    raises_like(lambda lib, a: a.hypot(2.0), floats, match="must be Tensor")
    raises_like(lambda lib, a: a.hypot(a), ints, match="hypot_cpu")
    raises_like(lambda lib, a: a.frac(), ints, match="frac_cpu")
    raises_like(lambda lib, a: (a > 0).frac(), floats, match="'Bool'")
    raises_like(lambda lib, a, b: a.atan2(b), floats, arr(2))
    raises_like(lambda lib, a, b: a.hypot(b), floats, arr(2), match="must match the size")
    raises_like(lambda lib, a, b: a.clamp_min(b), floats, arr(2), match="must match the size")
    raises_like(lambda lib, a: a.clamp_min(None), floats)
    raises_like(lambda lib, a: a.clamp_max(None), floats)


# ---- triangles, diagonals, trace -----------------------------------------------------------------------------------

TRIANGLES = {
    "tril": lambda lib, x: x.tril(),
    "tril_1": lambda lib, x: x.tril(1),
    "tril_neg": lambda lib, x: lib.tril(x, -1),
    "tril_far": lambda lib, x: x.tril(-7),
    "triu": lambda lib, x: x.triu(),
    "triu_2": lambda lib, x: lib.triu(x, diagonal=2),
    "triu_neg": lambda lib, x: x.triu(-2),
    "diagonal": lambda lib, x: x.diagonal(),
    "diagonal_offset": lambda lib, x: x.diagonal(1),
    "diagonal_neg_offset": lambda lib, x: lib.diagonal(x, -1),
    "diagonal_far": lambda lib, x: x.diagonal(9),
    "diag": lambda lib, x: x.diag(),
    "diag_offset": lambda lib, x: lib.diag(x, 2),
    "diag_neg": lambda lib, x: x.diag(-2),
    "diag_vector": lambda lib, x: x[0].diag(),
    "diag_vector_offset": lambda lib, x: lib.diag(x[1], 1),
    "diag_vector_neg": lambda lib, x: x[1].diag(-2),
    "trace": lambda lib, x: x.trace(),
    "trace_fn": lambda lib, x: lib.trace(x.t()),
}


@pytest.mark.parametrize("name", TRIANGLES)
def test_triangles_and_diagonals(name):
    check(TRIANGLES[name], arr(3, 4))
    check(TRIANGLES[name], arr(4, 3, dtype=np.float64))
    same_names(TRIANGLES[name], arr(3, 4))


BATCHED = {
    "tril": lambda lib, x: x.tril(1),
    "triu": lambda lib, x: x.triu(-1),
    "diagonal_dims": lambda lib, x: x.diagonal(0, 0, 2),
    "diagonal_neg_dims": lambda lib, x: lib.diagonal(x, offset=1, dim1=-1, dim2=0),
    "diagonal_last": lambda lib, x: x.diagonal(-1, 1, 2),
}


@pytest.mark.parametrize("name", BATCHED)
def test_batched_triangles_and_diagonals(name):
    check(BATCHED[name], arr(2, 3, 4))
    same_names(BATCHED[name], arr(2, 3, 4))


def test_diagonal_is_a_view_and_integer_dtypes():
    ours, theirs = glasstorch.zeros(3, 3), torch.zeros(3, 3)
    ours.diagonal().fill_(1.0)
    theirs.diagonal().fill_(1.0)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    check(lambda lib, a: (a.diag(), a[0].diag(1), a.diagonal(), a.trace(), a.int().trace()), arr(3, 3, dtype=np.int64))


def test_triangle_and_diagonal_errors():
    raises_like(lambda lib, a: a.tril(), arr(3), match="at least 2 dimensions")
    raises_like(lambda lib, a: a.triu(), arr(3), match="at least 2 dimensions")
    raises_like(lambda lib, a: a.diag(), arr(2, 3, 4), match="Got 3D")
    raises_like(lambda lib: lib.tensor(1.0).diag(), match="Got 0D")
    raises_like(lambda lib, a: a.diagonal(0, 1, 1), arr(3, 3), match="cannot be identical 1, 1")
    raises_like(lambda lib, a: a.diagonal(0, 0, 2), arr(3, 3), match=r"\[-2, 1\], but got 2")
    raises_like(lambda lib, a: a.diagonal(), arr(3), match=r"\[-1, 0\], but got 1")
    raises_like(lambda lib, a: a.trace(), arr(3), match="with dim 1")
    raises_like(lambda lib, a: a.trace(), arr(2, 2, 2), match="with dim 3")
    raises_like(lambda lib, a: (a > 0).trace(), arr(2, 2), match="'Bool'")


# ---- cumprod, roll, repeat_interleave, tile, narrow ---------------------------------------------------------------

MOVES = {
    "cumprod_0": lambda lib, x: x.cumprod(0),
    "cumprod_neg": lambda lib, x: lib.cumprod(x, -1),
    "cumprod_dtype": lambda lib, x: x.cumprod(1, dtype=lib.float64),
    "roll_flat": lambda lib, x: x.roll(2),
    "roll_neg_flat": lambda lib, x: lib.roll(x, -5),
    "roll_dim": lambda lib, x: x.roll(1, 0),
    "roll_dims": lambda lib, x: x.roll((1, -2), (0, 1)),
    "roll_same_dim_twice": lambda lib, x: lib.roll(x, shifts=[1, 1], dims=[1, 1]),
    "roll_list": lambda lib, x: x.roll([7], [-1]),
    "repeat_interleave": lambda lib, x: x.repeat_interleave(2),
    "repeat_interleave_dim": lambda lib, x: x.repeat_interleave(3, dim=1),
    "repeat_interleave_fn": lambda lib, x: lib.repeat_interleave(x, 2, 0),
    "repeat_interleave_tensor": lambda lib, x: x.repeat_interleave(lib.tensor([1, 0, 3]), 0),
    "repeat_interleave_tensor_0d": lambda lib, x: lib.repeat_interleave(x, lib.tensor(2), dim=1),
    "repeat_interleave_tensor_flat": lambda lib, x: x.repeat_interleave(lib.tensor([2])),
    "repeat_interleave_output_size": lambda lib, x: x.repeat_interleave(2, 0, output_size=6),
    "repeat_interleave_zero": lambda lib, x: x.repeat_interleave(0, 1),
    "tile": lambda lib, x: x.tile((2,)),
    "tile_args": lambda lib, x: x.tile(2, 1, 3),
    "tile_fn": lambda lib, x: lib.tile(x, (3, 2)),
    "tile_empty": lambda lib, x: x.tile(()),
    "narrow": lambda lib, x: x.narrow(1, 1, 2),
    "narrow_neg_start": lambda lib, x: lib.narrow(x, -1, -3, 2),
    "narrow_tensor_start": lambda lib, x: x.narrow(0, lib.tensor(1), 2),
    "narrow_empty_end": lambda lib, x: x.narrow(1, 4, 0),
    "narrow_full": lambda lib, x: x.narrow(0, 0, 3),
}


@pytest.mark.parametrize("name", MOVES)
def test_moves_and_cumprod(name):
    check(MOVES[name], arr(3, 4))
    check(MOVES[name], arr(3, 4, dtype=np.float64))
    same_names(MOVES[name], arr(3, 4))


def test_cumprod_with_zeros_gradient():
    x = np.array([[2.0, 0.0, 3.0, 0.0, 5.0], [1.5, -2.0, 0.0, 4.0, 0.5], [1.0, 2.0, 3.0, 4.0, 0.0]], np.float32)
    check(lambda lib, a: a.cumprod(1), x)
    check(lambda lib, a: a.cumprod(0), x.T.copy())
    check(lambda lib, a: a.cumprod(0), np.array(2.5, np.float32))


def test_integer_cumprod_roll_repeat_and_0d():
    ints = arr(3, 4, dtype=np.int64)
    check(lambda lib, a: (a.cumprod(0), a.int().cumprod(1), (a > 0).cumprod(1), a.cumprod(0, dtype=lib.float32)),
          ints)
    check(lambda lib, a: (a.roll(1, 1), a.repeat_interleave(2), a.repeat_interleave(lib.tensor([1, 2, 0, 1]), 1)), ints)
    check(lambda lib, a: (a.roll(1), a.repeat_interleave(3), a.tile(2)), np.array(1.5, np.float32))
    check(lambda lib: (lib.repeat_interleave(lib.tensor([1, 0, 3])), lib.repeat_interleave(lib.tensor([2]))))


def test_move_errors():
    x = arr(3, 4)
    raises_like(lambda lib, a: a.cumprod(2), x, match=r"\[-2, 1\], but got 2")
    raises_like(lambda lib, a: a.roll((1, 2), 0), x, match="shifts: 2, dims:1")
    raises_like(lambda lib, a: a.roll((1, 2)), x, match="shifts: 2, dims:0")
    raises_like(lambda lib, a: a.roll((), ()), x, match="`shifts` required")
    raises_like(lambda lib, a: a.roll(1, 2), x, match="but got 2")
    raises_like(lambda lib, a: a.repeat_interleave(-1), x, match="Repeats must be non-negative")
    raises_like(lambda lib, a: a.repeat_interleave(lib.tensor([1, -1, 2]), 0), x, match="can not be negative")
    raises_like(lambda lib, a: a.repeat_interleave(lib.tensor([1, 2]), 0), x, match=r"repeats.size\(0\) = 2")
    raises_like(lambda lib, a: a.repeat_interleave(lib.ones(3, 1, dtype=lib.int64), 0), x, match="0-dim or 1-dim")
    raises_like(lambda lib, a: a.repeat_interleave(lib.ones(3), 0), x, match="not implemented for 'Float'")
    raises_like(lambda lib, a: a.repeat_interleave(2, 0, output_size=5), x, match="expected 6 but got 5")
    raises_like(lambda lib, a: a.repeat_interleave(lib.tensor([1, 1, 1]), 0, output_size=4), x,
                match="allocated size does not match required size")
    raises_like(lambda lib, a: a.repeat_interleave(2, 2), x)
    raises_like(lambda lib: lib.repeat_interleave(lib.tensor([1, -1])), match="can not be negative")
    raises_like(lambda lib: lib.repeat_interleave(lib.tensor([[1, 2]])), match="only accept 1D")
    raises_like(lambda lib, a: a.tile((-1,)), arr(3), match=r"negative dimension -3: \[-3\]")
    raises_like(lambda lib, a: a.narrow(1, 3, 2), x, match=r"start \(3\) \+ length \(2\) exceeds dimension size \(4\)")
    raises_like(lambda lib, a: a.narrow(1, 5, 0), x, match=r"\[-4, 4\], but got 5")
    raises_like(lambda lib, a: a.narrow(1, -5, 1), x, match="but got -5")
    raises_like(lambda lib, a: a.narrow(1, 1, -1), x, match="length must be non-negative")
    raises_like(lambda lib, a: a.narrow(2, 0, 1), x, match="but got 2")
    raises_like(lambda lib: lib.tensor(1.0).narrow(0, 0, 1), match="0-dim")


# ---- count_nonzero, nanmean, median, std_mean / var_mean -----------------------------------------------------------

def test_count_nonzero():
    x = np.array([[0.0, 1.0, np.nan], [0.0, 0.0, -2.0]], np.float32)
    check(lambda lib, a: (a.count_nonzero(), lib.count_nonzero(a, 0), a.count_nonzero(-1), a.count_nonzero((0, 1)),
                          a.count_nonzero(()), (a > 0).count_nonzero(), (a != 0).long().count_nonzero(1)), x)
    raises_like(lambda lib, a: a.count_nonzero((0, 0)), x, match="dim 0 appears multiple times")
    raises_like(lambda lib, a: a.count_nonzero(2), x)


NANMEAN = {
    "all": lambda lib, x: x.nanmean(),
    "dim": lambda lib, x: x.nanmean(1),
    "dim_keepdim": lambda lib, x: lib.nanmean(x, 0, keepdim=True),
    "dims": lambda lib, x: x.nanmean((0, 1)),
    "dtype": lambda lib, x: x.nanmean(1, dtype=lib.float64),
}


# (an all-NaN slice divides 0 by 0: NumPy warns, torch gives the same NaN silently)
@pytest.mark.parametrize("name", NANMEAN)
@pytest.mark.filterwarnings("ignore:.*encountered in divide:RuntimeWarning")
def test_nanmean(name):
    x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan], [0.5, -2.0, 4.0]], np.float32)
    check(NANMEAN[name], x)
    check(NANMEAN[name], arr(3, 3, dtype=np.float64))
    same_names(NANMEAN[name], x)


def test_nanmean_rejects_integers():
    raises_like(lambda lib, a: a.nanmean(), arr(3, dtype=np.int64), match="got Long")
    raises_like(lambda lib, a: a.nanmean(dtype=lib.float32), arr(3, dtype=np.int64), match="got Long")


MEDIAN = {
    "all": lambda lib, x: x.median(),
    "fn": lambda lib, x: lib.median(x),
    "dim": lambda lib, x: x.median(1),
    "dim0": lambda lib, x: lib.median(x, 0),
    "dim_keepdim": lambda lib, x: x.median(-1, keepdim=True),
    "dim_kw": lambda lib, x: lib.median(x, dim=0, keepdim=True),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", MEDIAN)
def test_median(name, dtype):
    check(MEDIAN[name], arr(4, 5, dtype=dtype))  # distinct values: no tie for the median
    check(MEDIAN[name], arr(3, 6, dtype=dtype))  # an even count: the lower middle value
    same_names(MEDIAN[name], arr(4, 5))


def test_median_ties_nan_and_integers():
    ties = np.array([[1.0, 1.0, 1.0, 1.0], [2.0, 3.0, 2.0, 2.0], [5.0, 5.0, 1.0, 1.0]], np.float32)
    check(lambda lib, a: (a.median(), a.median(1), a.median(0)), ties)  # the even share of a tie's gradient
    nan = np.array([[1.0, np.nan, 1.0], [2.0, 3.0, 2.0], [np.nan, 0.0, np.nan]], np.float32)
    check(lambda lib, a: (a.median(), a.median(1), a.median(0, True)), nan)
    check(lambda lib, a: (a.median(), a.median(1), a.int().median(), a[0].median(0)), arr(3, 5, dtype=np.int64))
    check(lambda lib, a: (a.median(), a.median(0), a.median(-1, True)), np.array(2.5, np.float32))
    check(lambda lib: lib.zeros(0).median())


def test_median_errors():
    raises_like(lambda lib, a: a.median(2), arr(3, 4), match="but got 2")
    raises_like(lambda lib: lib.zeros(0, 3).median(0), match="Expected reduction dim 0 to have non-zero size")
    raises_like(lambda lib, a: (a > 0).median(), arr(3), match="median_cpu")
    raises_like(lambda lib, a: (a > 0).median(0), arr(3), match="'Bool'")


MOMENTS = {
    "std_mean": lambda lib, x: lib.std_mean(x),
    "std_mean_dim": lambda lib, x: lib.std_mean(x, 1),
    "std_mean_dims_keepdim": lambda lib, x: lib.std_mean(x, (0, 1), keepdim=True),
    "std_mean_unbiased": lambda lib, x: lib.std_mean(x, False),
    "std_mean_correction": lambda lib, x: lib.std_mean(x, dim=0, correction=0),
    "var_mean": lambda lib, x: lib.var_mean(x),
    "var_mean_dim_keepdim": lambda lib, x: lib.var_mean(x, -1, keepdim=True),
    "var_mean_old_signature": lambda lib, x: lib.var_mean(x, 0, False, True),
    "var_mean_correction": lambda lib, x: lib.var_mean(x, 1, correction=2),
}


@pytest.mark.parametrize("name", MOMENTS)
def test_std_mean_var_mean(name):
    check(MOMENTS[name], arr(4, 5))
    check(MOMENTS[name], arr(4, 5, dtype=np.float64))
    same_names(MOMENTS[name], arr(4, 5))


def test_std_mean_var_mean_reject_integers():
    raises_like(lambda lib, a: lib.std_mean(a), arr(3, dtype=np.int64), match="std_mean only support floating")
    raises_like(lambda lib, a: lib.var_mean(a, 0), arr(3, dtype=np.int64), match="var_mean only support floating")


# ---- products -------------------------------------------------------------------------------------------------------

PRODUCTS = {
    "bmm": (lambda lib, a, b: a.bmm(b), (2, 3, 4), (2, 4, 5)),
    "bmm_fn": (lambda lib, a, b: lib.bmm(a, b), (3, 1, 2), (3, 2, 4)),
    "mv": (lambda lib, a, b: a.mv(b), (3, 4), (4,)),
    "mv_fn": (lambda lib, a, b: lib.mv(a, b), (1, 4), (4,)),
    "inner_vectors": (lambda lib, a, b: a.inner(b), (4,), (4,)),
    "inner_matrices": (lambda lib, a, b: lib.inner(a, b), (3, 4), (2, 4)),
    "inner_batched": (lambda lib, a, b: a.inner(b), (2, 3, 4), (4,)),
    "inner_scalar": (lambda lib, a, b: a.inner(b), (3, 4), ()),
    "tensordot": (lambda lib, a, b: lib.tensordot(a, b), (2, 3, 4), (3, 4, 5)),
    "tensordot_1": (lambda lib, a, b: lib.tensordot(a, b, 1), (2, 3), (3, 4)),
    "tensordot_0": (lambda lib, a, b: lib.tensordot(a, b, 0), (2, 3), (4,)),
    "tensordot_lists": (lambda lib, a, b: lib.tensordot(a, b, ([0, 2], [2, 0])), (2, 3, 4), (4, 5, 2)),
    "tensordot_int_lists": (lambda lib, a, b: lib.tensordot(a, b, dims=([1], [0])), (2, 3), (3, 4)),
    "tensordot_tensor_dims": (lambda lib, a, b: lib.tensordot(a, b, lib.tensor(1)), (2, 3), (3, 4)),
    "tensordot_size_one": (lambda lib, a, b: lib.tensordot(a, b, ([1], [0])), (2, 1), (3, 2)),
    "kron": (lambda lib, a, b: a.kron(b), (2, 3), (2, 2)),
    "kron_fn_vectors": (lambda lib, a, b: lib.kron(a, b), (3,), (2,)),
    "kron_mixed_dims": (lambda lib, a, b: lib.kron(a, b), (2,), (2, 3)),
    "kron_scalar": (lambda lib, a, b: a.kron(b), (), (3,)),
    "dist": (lambda lib, a, b: a.dist(b), (3, 4), (3, 4)),
    "dist_broadcast": (lambda lib, a, b: lib.dist(a, b), (3, 4), (4,)),
    "dist_p1": (lambda lib, a, b: a.dist(b, 1), (3, 4), (3, 4)),
    "dist_p3": (lambda lib, a, b: lib.dist(a, b, p=3), (5,), (5,)),
    "dist_inf": (lambda lib, a, b: a.dist(b, float("inf")), (5,), (5,)),
    "cross": (lambda lib, a, b: a.cross(b, dim=1), (4, 3), (4, 3)),
    "cross_dim0": (lambda lib, a, b: lib.cross(a, b, 0), (3, 4), (3, 4)),
    "cross_neg_dim_broadcast": (lambda lib, a, b: lib.cross(a, b, dim=-1), (2, 3), (1, 3)),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", PRODUCTS)
def test_products(name, dtype):
    fn, shape_a, shape_b = PRODUCTS[name]
    check(fn, arr(*shape_a, dtype=dtype), arr(*shape_b, dtype=dtype), rtol=1e-5, atol=1e-5)
    same_names(fn, arr(*shape_a), arr(*shape_b))


def test_products_of_integers():
    ints = [arr(2, 3, 4, dtype=np.int64), arr(2, 4, 2, dtype=np.int64)]
    check(lambda lib, a, b: (a.bmm(b), a[0].mv(b[0, :, 0]), a[0].inner(a[1]), lib.tensordot(a, b, ([2], [1])),
                             a[0].kron(b[0]), a[0, :, :3].cross(a[1, :, :3], 1)), *ints)
    check(lambda lib, a, b: lib.addmm(a[0, :, :2], a[1], b[0], beta=2, alpha=3), *ints)
    check(lambda lib, a, b: (a[0].kron(b[0].float()), a[0].float().dist(b[0, :, 0].double())), *ints)


ADDMM = {
    "plain": lambda lib, c, a, b: c.addmm(a, b),
    "fn": lambda lib, c, a, b: lib.addmm(c, a, b),
    "beta_alpha": lambda lib, c, a, b: lib.addmm(c, a, b, beta=0.5, alpha=2.0),
    "beta_zero": lambda lib, c, a, b: c.addmm(a, b, beta=0),
    "alpha_zero": lambda lib, c, a, b: c.addmm(a, b, alpha=0),
    "row_bias": lambda lib, c, a, b: lib.addmm(c[0], a, b, beta=3),
    "column_bias": lambda lib, c, a, b: lib.addmm(c[:, :1], a, b),
}


@pytest.mark.parametrize("name", ADDMM)
def test_addmm(name):
    check(ADDMM[name], arr(3, 5), arr(3, 4), arr(4, 5), atol=1e-5)
    check(ADDMM[name], arr(3, 5, dtype=np.float64), arr(3, 4, dtype=np.float64), arr(4, 5, dtype=np.float64))
    same_names(ADDMM[name], arr(3, 5), arr(3, 4), arr(4, 5))


def test_addmm_beta_zero_ignores_nan():
    c = np.full((3, 5), np.nan, np.float32)
    check(lambda lib, c, a, b: lib.addmm(c, a, b, beta=0), c, arr(3, 4), arr(4, 5), atol=1e-5)


def test_dist_of_equal_tensors_has_a_zero_gradient():
    x = arr(4)
    check(lambda lib, a, b: a.dist(b), x, x.copy())
    check(lambda lib, a, b: a.dist(b, 0), arr(4), arr(4), grad=False)


def test_cross_without_dim_picks_the_first_size_three_dimension():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda lib, a, b: (a.cross(b), lib.cross(a[:, :1], b)), arr(3, 3), arr(3, 3))
        check(lambda lib, a, b: lib.cross(a, b), arr(2, 3, 3), arr(2, 3, 3))
        raises_like(lambda lib, a, b: lib.cross(a, b), arr(2, 4), arr(2, 4), match="no dimension of size 3")
        raises_like(lambda lib, a, b: lib.cross(a, b), arr(3, 4), arr(3, 5), match="must match the size")


def test_product_errors():
    raises_like(lambda lib, a, b: a.bmm(b), arr(2, 3, 4), arr(2, 5, 5), match=r"\[2, 4\] but got: \[2, 5\]")
    raises_like(lambda lib, a, b: a.bmm(b), arr(2, 3, 4), arr(3, 4, 5), match=r"\[2, 4\] but got: \[3, 4\]")
    raises_like(lambda lib, a, b: a.bmm(b), arr(3, 4), arr(2, 4, 5), match="batch1 must be a 3D tensor")
    raises_like(lambda lib, a, b: a.bmm(b), arr(2, 3, 4), arr(4, 5), match="batch2 must be a 3D tensor")
    raises_like(lambda lib, a, b: a.bmm(b), arr(2, 3, 4), arr(2, 4, 5, dtype=np.float64),
                match="expected scalar type Float but found Double")
    raises_like(lambda lib, a, b: a.mv(b), arr(3, 4), arr(3), match=r"got input \(3\), mat \(3x4\), vec \(3\)")
    raises_like(lambda lib, a, b: a.mv(b), arr(4), arr(4), match="got 1, 1, 1")
    raises_like(lambda lib, a, b: a.mv(b), arr(2, 3, 4), arr(4), match="got 1, 3, 1")
    raises_like(lambda lib, a, b: a.mv(b), arr(3, 4), arr(4, dtype=np.float64), match="got Double, Float, and Double")
    raises_like(lambda lib, a, b: a.mv(b), arr(3, 4, dtype=np.float64), arr(4), match="got Float, Double, and Float")
    raises_like(lambda lib, c, a, b: c.addmm(a, b), arr(3, 5), arr(3, 4), arr(3, 5), match=r"\(3x4 and 3x5\)")
    raises_like(lambda lib, c, a, b: c.addmm(a, b), arr(2, 5), arr(3, 4), arr(4, 5),
                match=r"The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton "
                      r"dimension 0.  Target sizes: \[3, 5\].  Tensor sizes: \[2, 5\]")
    raises_like(lambda lib, c, a, b: c.addmm(a, b), arr(5), arr(4), arr(4, 5), match="mat1 must be a matrix, got 1-D")
    raises_like(lambda lib, c, a, b: c.addmm(a, b), arr(5), arr(3, 4), arr(4), match="mat2 must be a matrix, got 1-D")
    raises_like(lambda lib, c, a, b: c.addmm(a, b), arr(5), arr(3, 4), arr(4, 5, dtype=np.float64),
                match="self and mat2 must have the same dtype, but got Float and Double")
    raises_like(lambda lib, c, a, b: c.addmm(a, b), arr(5), arr(3, 4, dtype=np.float64), arr(4, 5),
                match="mat1 and mat2 must have the same dtype, but got Double and Float")
    raises_like(lambda lib, a, b: a.inner(b), arr(3, 4), arr(3), match=r"shapes \[3, 4\] and \[3\]")
    raises_like(lambda lib, a, b: a.inner(b), arr(3), arr(3, dtype=np.float64), match="same dtype")
    raises_like(lambda lib, a, b: lib.tensordot(a, b), arr(3, 4), arr(4, 5), match="size 3 in dim -2 and second has "
                                                                                   "size 4 in dim 0")
    raises_like(lambda lib, a, b: lib.tensordot(a, b, 1), arr(3, 4), arr(3, 5), match="size 4 in dim -1")
    raises_like(lambda lib, a, b: lib.tensordot(a, b, -1), arr(2, 3), arr(3, 2), match="dims >= 0")
    raises_like(lambda lib, a, b: lib.tensordot(a, b, 3), arr(2, 3), arr(3, 2), match="dims < ndim_a or ndim_b")
    raises_like(lambda lib, a, b: lib.tensordot(a, b, ([1], [0, 1])), arr(2, 3), arr(3, 2), match="same length")
    raises_like(lambda lib, a, b: lib.tensordot(a, b, ([1, 1], [0, 1])), arr(2, 3), arr(3, 3),
                match="dim 1 appears multiple times")
    raises_like(lambda lib, a, b: lib.tensordot(a, b, 1), arr(2, 3), arr(3, 2, dtype=np.float64), match="same dtype")
    raises_like(lambda lib, a, b: a.dist(b), arr(2, 3), arr(4, 3), match="must match the size")
    raises_like(lambda lib, a, b: a.dist(b), arr(3, dtype=np.int64), arr(3, dtype=np.int64), match="Got Long instead")
    raises_like(lambda lib, a, b: lib.cross(a, b, dim=1), arr(4, 4), arr(4, 4), match="dimension 1 must have length 3. "
                                                                                     "Got 4 and 4")
    raises_like(lambda lib, a, b: lib.cross(a, b, dim=1), arr(2, 3), arr(2, 4), match="Got 3 and 4")
    raises_like(lambda lib, a, b: lib.cross(a, b, dim=1), arr(2, 3), arr(4, 3), match="must match the size")
    raises_like(lambda lib, a, b: lib.cross(a, b, dim=1), arr(2, 3), arr(3), match="same number of dimensions")
    raises_like(lambda lib, a, b: lib.cross(a, b, dim=1), arr(2, 3), arr(2, 3, dtype=np.float64),
                match="expected scalar type Float but found Double")
    raises_like(lambda lib, a, b: lib.cross(a, b, dim=2), arr(2, 3), arr(2, 3), match="but got 2")


# ---- einsum ---------------------------------------------------------------------------------------------------------

EINSUM = {
    "matmul": ("ij,jk->ik", (3, 4), (4, 5)),
    "matmul_implicit": ("ij,jk", (3, 4), (4, 5)),
    "batched": ("bij,bjk->bik", (2, 3, 4), (2, 4, 5)),
    "outer": ("i,j->ij", (3,), (4,)),
    "dot": ("i,i->", (4,), (4,)),
    "transpose": ("ij->ji", (3, 4)),
    "sum": ("ij->", (3, 4)),
    "row_sums": ("ij->i", (3, 4)),
    "trace": ("ii", (3, 3)),
    "diagonal": ("ii->i", (3, 3)),
    "implicit_sorted": ("ba", (3, 4)),
    "ellipsis": ("...ij,...jk->...ik", (2, 3, 4), (2, 4, 5)),
    "ellipsis_broadcast": ("...ij,jk->...ik", (2, 2, 3, 4), (4, 5)),
    "ellipsis_implicit": ("...i,...i", (2, 4), (2, 4)),
    "broadcast_size_one": ("ij,jk->ik", (3, 1), (4, 5)),
    "three_operands": ("ij,jk,kl->il", (2, 3), (3, 4), (4, 2)),
    "bilinear": ("bn,anm,bm->ba", (2, 3), (4, 3, 5), (2, 5)),
    "spaces": ("i j , j k -> i k", (3, 4), (4, 5)),
}


@pytest.mark.parametrize("name", EINSUM)
def test_einsum(name):
    equation, *shapes = EINSUM[name]
    check(lambda lib, *ops: lib.einsum(equation, *ops), *[arr(*s) for s in shapes], atol=1e-5)
    check(lambda lib, *ops: lib.einsum(equation, list(ops)), *[arr(*s, dtype=np.float64) for s in shapes])


def test_einsum_integers_and_errors():
    check(lambda lib, a, b: (lib.einsum("i,i", a, b), lib.einsum("ij->j", a.reshape(2, 2))), arr(4, dtype=np.int64),
          arr(4, dtype=np.int64))
    raises_like(lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), arr(2, 3), arr(4, 5),
                match="subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3")
    raises_like(lambda lib, a: lib.einsum("ij,jk->ik", a), arr(2, 3), match="fewer operands")
    raises_like(lambda lib, a: lib.einsum("ij->k", a), arr(2, 3), match="output subscript k does not appear")
    raises_like(lambda lib, a, b: lib.einsum("i,i", a, b), arr(2), arr(2, dtype=np.float64),
                match="expected scalar type Float but found Double")
