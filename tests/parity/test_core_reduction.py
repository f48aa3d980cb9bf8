"""Parity with torch of reductions (with dim/keepdim), max/min with indices, softmax family, sort/topk/unique."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, check, raises_like  # noqa: E402

DIMS = [None, 0, 1, -1, (0, 2), (-1, 0), ()]


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", DIMS, ids=str)
@pytest.mark.parametrize("name", ["sum", "mean"])
def test_sum_mean(name, dim, keepdim):
    a = arr(2, 3, 4)
    if dim is None:
        check(lambda lib, x: getattr(x, name)(), a)
        check(lambda lib, x: getattr(lib, name)(x), a)
    else:
        check(lambda lib, x: getattr(x, name)(dim, keepdim=keepdim), a)
        check(lambda lib, x: getattr(lib, name)(x, dim=dim, keepdim=keepdim), a)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.float64])
def test_sum_dtypes(dtype):
    a = arr(3, 4, dtype=dtype)
    check(lambda lib, x: (x.sum(), x.sum(0), x.sum(1, keepdim=True)), a)
    check(lambda lib, x: x.sum(dtype=lib.float64), a)
    check(lambda lib, x: x.cumsum(0), a)


def test_mean_of_integers_is_an_error_unless_a_dtype_is_given():
    raises_like(lambda lib, x: x.mean(), arr(3, dtype=np.int64))
    check(lambda lib, x: x.mean(dtype=lib.float32), arr(3, dtype=np.int64), grad=False)
    check(lambda lib, x: x.mean(0, dtype=lib.float64), arr(3, 2), grad=True)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1, -1], ids=str)
def test_prod(dim, keepdim):
    a = arr(3, 4)
    a[1, 2] = 0.0  # a zero: the gradient must not divide by it
    check(lambda lib, x: x.prod() if dim is None else x.prod(dim, keepdim=keepdim), a)
    check(lambda lib, x: x.prod() if dim is None else lib.prod(x, dim, keepdim=keepdim), arr(3, 4, dtype=np.int64), grad=False)
    b = a.copy()
    b[2, 1] = 0.0  # two zeros
    check(lambda lib, x: x.prod() if dim is None else x.prod(dim), b)


@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"dim": 1, "keepdim": True}, {"dim": (0, 1)}, {"unbiased": False},
                                    {"dim": 1, "correction": 0}, {"dim": 0, "correction": 2}, {"dim": -1, "unbiased": True}],
                         ids=str)
@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std(name, kwargs):
    check(lambda lib, x: getattr(x, name)(**kwargs), arr(4, 5), atol=1e-5)
    check(lambda lib, x: getattr(lib, name)(x, **kwargs), arr(4, 5), atol=1e-5)


def test_var_of_one_element_is_nan_as_torch():
    with np.errstate(all="ignore"):
        check(lambda lib, x: x.var(), arr(1), grad=False)
        check(lambda lib, x: x.var(0, correction=0), arr(1, 3))


# ---- max / min ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_over_all_with_ties(name):
    a = np.array([[1.0, 5.0, 5.0], [-2.0, 0.0, -2.0]], np.float32)  # ties share the gradient evenly
    check(lambda lib, x: getattr(x, name)(), a)
    check(lambda lib, x: getattr(lib, name)(x), a)
    check(lambda lib, x: getattr(x, name)(), arr(3, 4, dtype=np.int64), grad=False)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_with_dim_give_values_and_indices(name, dim, keepdim):
    a = arr(3, 4)
    check(lambda lib, x: getattr(x, name)(dim, keepdim), a)
    check(lambda lib, x: getattr(lib, name)(x, dim=dim, keepdim=keepdim), a)
    check(lambda lib, x: getattr(x, name)(dim=dim).values, a)
    check(lambda lib, x: getattr(x, name)(dim).indices, arr(3, 4, dtype=np.int64), grad=False)


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_of_two_tensors(name):
    check(lambda lib, x, y: getattr(lib, name)(x, y), arr(3, 4), arr(4))
    check(lambda lib, x, y: getattr(x, name)(y), arr(3, 4), arr(3, 4))


@pytest.mark.parametrize("name", ["max", "min", "argmax", "argmin"])
def test_max_min_pick_the_first_tie_and_nan(name):
    ties = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, -1.0]], np.float32)
    nan = np.array([[1.0, np.nan, 3.0], [0.0, 2.0, np.nan]], np.float32)
    check(lambda lib, x: getattr(x, name)(1), ties, grad=name in ("max", "min"))
    check(lambda lib, x: getattr(x, name)(1), nan, grad=False)
    check(lambda lib, x: getattr(x, name)(), nan, grad=False)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1], ids=str)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(name, dim, keepdim):
    check(lambda lib, x: getattr(x, name)(dim, keepdim=keepdim), arr(3, 4), grad=False)
    check(lambda lib, x: getattr(lib, name)(x, dim=dim, keepdim=keepdim), arr(3, 4, dtype=np.int64), grad=False)


@pytest.mark.parametrize("dim", [(), 0, 1, (0, 1), -1], ids=str)
@pytest.mark.parametrize("name", ["amax", "amin"])
def test_amax_amin_share_ties(name, dim):
    a = np.array([[1.0, 5.0, 5.0], [5.0, 0.0, -2.0]], np.float32)
    check(lambda lib, x: getattr(x, name)(dim), a)
    check(lambda lib, x: getattr(lib, name)(x, dim, keepdim=True), a)


def test_max_min_errors_and_zero_dim():
    raises_like(lambda lib, x: x.max(), np.zeros((0, 3), np.float32))
    raises_like(lambda lib, x: x.max(2), arr(3, 4))
    check(lambda lib, x: (x.max(), x.max(0), x.min(-1)), np.array(2.0, np.float32))


# ---- softmax family -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_log_softmax(name, dim):
    check(lambda lib, x: getattr(x, name)(dim), arr(3, 4) * 3)
    check(lambda lib, x: getattr(lib, name)(x, dim), arr(2, 3, 4) * 3)
    check(lambda lib, x: getattr(x, name)(dim, dtype=lib.float64), arr(3, 4))


def test_softmax_of_integers_and_float64():
    check(lambda lib, x: x.softmax(0), arr(4, dtype=np.float64))
    check(lambda lib, x: x.float().softmax(0), arr(4, dtype=np.int64), grad=False)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1, (0, 1)], ids=str)
def test_logsumexp(dim, keepdim):
    check(lambda lib, x: x.logsumexp(dim, keepdim=keepdim), arr(3, 4) * 3)
    check(lambda lib, x: lib.logsumexp(x, dim, keepdim), arr(3, 4, dtype=np.float64) * 3)


def test_logsumexp_of_minus_infinity_rows():
    a = np.array([[-np.inf, -np.inf], [0.0, -np.inf]], np.float32)
    check(lambda lib, x: x.logsumexp(1), a, grad=False)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumsum(dim):
    check(lambda lib, x: x.cumsum(dim), arr(3, 4))
    check(lambda lib, x: lib.cumsum(x, dim=dim), arr(3, 4, dtype=np.int32), grad=False)
    check(lambda lib, x: x.cumsum(dim, dtype=lib.float64), arr(3, 4))


def test_nansum():
    check(lambda lib, x: (x.nansum(), lib.nansum(x, 1)), np.array([[1.0, np.nan], [2.0, 3.0]], np.float32))


# ---- sort, topk, unique -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_sort(dim, descending):
    a = np.round(arr(4, 5) * 2) / 2  # ties: torch's stable sort keeps their order
    check(lambda lib, x: x.sort(dim=dim, descending=descending, stable=True), a)
    check(lambda lib, x: lib.sort(x, dim, descending), a)
    check(lambda lib, x: x.argsort(dim=dim, descending=descending, stable=True), a, grad=False)
    check(lambda lib, x: x.sort(dim=dim, descending=descending, stable=True), arr(4, 5, dtype=np.int64), grad=False)


def test_sort_bool_and_nan():
    check(lambda lib, x: x.sort(stable=True), arr(6, dtype=bool), grad=False)
    check(lambda lib, x: x.sort(descending=True, stable=True), arr(6, dtype=bool), grad=False)
    check(lambda lib, x: x.sort(), np.array([2.0, np.nan, -1.0, np.nan, 0.0], np.float32), grad=False)
    check(lambda lib, x: x.sort(descending=True), np.array([2.0, np.nan, -1.0, 0.0], np.float32), grad=False)


@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("k, dim", [(1, -1), (3, -1), (2, 0), (5, 1), (0, 1)])
def test_topk(k, dim, largest):
    a = arr(4, 5)
    check(lambda lib, x: x.topk(k, dim, largest=largest), a)
    check(lambda lib, x: lib.topk(x, k, dim=dim, largest=largest), a)


def test_topk_errors():
    raises_like(lambda lib, x: x.topk(6), arr(4, 5))


@pytest.mark.parametrize("kwargs", [{}, {"return_inverse": True}, {"return_counts": True},
                                    {"return_inverse": True, "return_counts": True}, {"sorted": True}], ids=str)
@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.bool_])
def test_unique(dtype, kwargs):
    a = arr(3, 5, dtype=dtype)
    check(lambda lib, x: x.unique(**kwargs), a, grad=False)
    check(lambda lib, x: lib.unique(x, **kwargs), a, grad=False)



@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("dtype", [np.int64, np.float32])
def test_unique_along_a_dim(dtype, dim):
    base = arr(3, 4, dtype=dtype)
    a = base[[0, 1, 0, 2, 1]] if dim == 0 else base[:, [0, 1, 0, 2, 1]]  # repeated slices along dim
    for kwargs in ({}, {"return_inverse": True}, {"return_counts": True}, {"return_inverse": True, "return_counts": True}):
        check(lambda lib, x: x.unique(dim=dim, **kwargs), a, grad=False)
        check(lambda lib, x: lib.unique(x, dim=dim, **kwargs), a, grad=False)


def test_unique_along_a_dim_of_3d_and_empty_tensors():
    block = arr(2, 3, 2, dtype=np.int64)
    check(lambda lib, x: x.unique(dim=0, return_inverse=True, return_counts=True), block[[0, 1, 0]], grad=False)
    check(lambda lib, x: x.unique(dim=2, return_counts=True), block[:, :, [1, 0, 1]], grad=False)
    check(lambda lib, x: x.unique(dim=0, return_inverse=True, return_counts=True), np.zeros((0, 3), np.float32),
          grad=False)
    raises_like(lambda lib, x: x.unique(dim=0), np.zeros((2, 0), np.float32))
    raises_like(lambda lib, x: x.unique(dim=2), arr(3, 4))


@pytest.mark.parametrize("p", [2, 1, 3, 1.5, 0.5, 0, float("inf"), -float("inf"), "fro"], ids=str)
@pytest.mark.parametrize("dim,keepdim", [(None, False), (1, False), (0, True), ((0, 1), False), (-1, True)], ids=str)
def test_norm(p, dim, keepdim):
    x = arr(3, 4)
    x[1] = 0.0  # a zero row: where the norm is 0 its gradient is 0
    x[2, :2] = 1.5  # a tie for the max and min norms
    if p != "fro":
        check(lambda lib, t: lib.linalg.vector_norm(t, ord=p, dim=dim, keepdim=keepdim), x, rtol=1e-5, atol=1e-5)
    check(lambda lib, t: t.norm(p=p, dim=dim, keepdim=keepdim), x, rtol=1e-5, atol=1e-5)
    check(lambda lib, t: lib.norm(t, p, dim, keepdim), x, rtol=1e-5, atol=1e-5)


def test_norm_forms_and_errors():
    check(lambda lib, t: lib.linalg.norm(t), arr(3, 4))
    check(lambda lib, t: lib.linalg.norm(t, dim=1, keepdim=True), arr(3, 4))
    check(lambda lib, t: lib.linalg.norm(t, ord="fro"), arr(3, 4))
    check(lambda lib, t: lib.linalg.norm(t, ord=1), arr(5))
    check(lambda lib, t: t.norm(dtype=lib.float64), arr(3, 4))
    raises_like(lambda lib, t: t.norm(), arr(3, dtype=np.int64))
    raises_like(lambda lib, t: lib.linalg.norm(t, ord="fro", dim=1), arr(3, 4))
    raises_like(lambda lib, t: lib.linalg.vector_norm(t, ord="fro"), arr(3, 4))
    raises_like(lambda lib, t: t.norm(p=float("inf")), arr(0))
    raises_like(lambda lib, t: t.norm(dim=2), arr(3, 4))

# ---- reductions of bools and predicates of reductions --------------------------------------------------------------

def test_reductions_of_bool_tensors():
    b = arr(3, 4, dtype=bool)
    check(lambda lib, x: (x.sum(), x.sum(1), x.any(), x.all(0), x.max(), x.min(0), x.amax()), b, grad=False)
    for name in ("argmax", "argmin", "topk"):
        raises_like(lambda lib, x: getattr(x, name)(1), b)
    check(lambda lib, x: x.float().mean(), b, grad=False)


def test_dim_out_of_range():
    raises_like(lambda lib, x: x.sum(3), arr(3, 4))
    raises_like(lambda lib, x: x.softmax(2), arr(3, 4))
    raises_like(lambda lib, x: x.mean(-3), arr(3, 4))
