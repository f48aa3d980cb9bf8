"""Common operations on empty tensors (a dimension of size 0), against torch: values, shapes, dtypes and gradients.

torch returns empty results (or a reduction's identity: 0 for sum, −∞ for logsumexp over an empty dim) where NumPy
refuses a maximum of nothing or cannot size a -1 in a reshape of nothing.
"""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import check  # noqa: E402

INF = float("inf")


def _F(lib):
    return lib.nn.functional


def _long(lib, *shape):
    return lib.zeros(*shape, dtype=lib.int64)


CASES = {
    "softmax_empty_dim": (lambda lib, x: _F(lib).softmax(x, -1), [(2, 0)]),
    "softmax_empty_batch": (lambda lib, x: _F(lib).softmax(x, 0), [(0, 3)]),
    "log_softmax": (lambda lib, x: _F(lib).log_softmax(x, -1), [(2, 0)]),
    "softmin": (lambda lib, x: _F(lib).softmin(x, 1), [(2, 0)]),
    "logsumexp_empty_dim": (lambda lib, x: x.logsumexp(0), [(0, 3)]),
    "logsumexp_other_dim": (lambda lib, x: x.logsumexp(1), [(0, 3)]),
    "einsum_empty_output": (lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), [(1, 3), (3, 0)]),
    "einsum_empty_contraction": (lambda lib, a, b: lib.einsum("ij,jk->ik", a, b), [(1, 0), (0, 2)]),
    "einsum_sum": (lambda lib, a: lib.einsum("ij->", a), [(0, 3)]),
    "norm_inf_kept_dim": (lambda lib, x: lib.norm(x, p=INF, dim=1), [(0, 3)]),
    "norm_minus_inf": (lambda lib, x: lib.norm(x, p=-INF, dim=1), [(0, 3)]),
    "norm_2": (lambda lib, x: lib.norm(x, dim=0), [(0, 3)]),
    "norm_all": (lambda lib, x: lib.norm(x), [(0, 3)]),
    "linear_empty_out": (lambda lib, x, w, b: _F(lib).linear(x, w, b), [(2, 3), (0, 3), (0,)]),
    "linear_empty_out_no_bias": (lambda lib, x, w: _F(lib).linear(x, w), [(2, 3), (0, 3)]),
    "linear_1d_input_empty_weight": (lambda lib, x, w: _F(lib).linear(x, w), [(3,), (0, 3)]),
    "linear_3d_input_empty_weight": (lambda lib, x, w, b: _F(lib).linear(x, w, b), [(2, 4, 3), (0, 3), (0,)]),
    "linear_empty_features": (lambda lib, x, w, b: _F(lib).linear(x, w, b), [(2, 0), (4, 0), (4,)]),
    "linear_empty_batch": (lambda lib, x, w, b: _F(lib).linear(x, w, b), [(0, 3), (4, 3), (4,)]),
    "matmul_empty_inner": (lambda lib, a, b: a @ b, [(2, 0), (0, 3)]),
    "bmm": (lambda lib, a, b: lib.bmm(a, b), [(0, 2, 3), (0, 3, 4)]),
    "addmm": (lambda lib, c, a, b: lib.addmm(c, a, b), [(2, 3), (2, 0), (0, 3)]),
    "sum": (lambda lib, x: x.sum(), [(0, 3)]),
    "sum_dim": (lambda lib, x: x.sum(1), [(0, 3)]),
    "mean_dim": (lambda lib, x: x.mean(0), [(0, 3)]),
    "prod_dim": (lambda lib, x: x.prod(0), [(0, 3)]),
    "amax_other_dim": (lambda lib, x: x.amax(1), [(0, 3)]),
    "cumsum": (lambda lib, x: x.cumsum(0), [(0, 3)]),
    "cumprod": (lambda lib, x: x.cumprod(1), [(2, 0)]),
    "layer_norm": (lambda lib, x: _F(lib).layer_norm(x, (3,)), [(0, 3)]),
    "mse_sum": (lambda lib, a, b: _F(lib).mse_loss(a, b, reduction="sum"), [(0, 3), (0, 3)]),
    "cross_entropy_sum": (lambda lib, x: _F(lib).cross_entropy(x, _long(lib, 0), reduction="sum"), [(0, 3)]),
    "nll_none": (lambda lib, x: _F(lib).nll_loss(x, _long(lib, 0), reduction="none"), [(0, 3)]),
    "cat": (lambda lib, a, b: lib.cat([a, b]), [(0, 3), (2, 3)]),
    "cat_empty_dim": (lambda lib, a, b: lib.cat([a, b], 1), [(2, 0), (2, 0)]),
    "stack": (lambda lib, a, b: lib.stack([a, b]), [(0, 3), (0, 3)]),
    "reshape_minus_one": (lambda lib, x: x.reshape(-1, 3), [(0, 3)]),
    "index_empty_list": (lambda lib, x: x[[]], [(3, 3)]),
    "index_empty_tensor": (lambda lib, x: x[_long(lib, 0)], [(3, 3)]),
    "index_all_false_mask": (lambda lib, x: x[lib.zeros(3, 3, dtype=lib.bool)], [(3, 3)]),
    "sort": (lambda lib, x: x.sort(1), [(0, 3)]),
    "topk_zero": (lambda lib, x: x.topk(0, 1), [(3, 0)]),
    "gather_empty_index": (lambda lib, x: x.gather(1, _long(lib, 3, 0)), [(3, 3)]),
    "index_select_empty": (lambda lib, x: x.index_select(0, _long(lib, 0)), [(3, 3)]),
    "chunk_empty_dim": (lambda lib, x: x.chunk(2, 0), [(0, 3)]),
    "split_empty_dim": (lambda lib, x: x.split(1, 1), [(0, 3)]),
    "conv1d_empty_batch": (lambda lib, x, w: _F(lib).conv1d(x, w), [(0, 1, 5), (2, 1, 3)]),
    "conv2d_empty_batch": (lambda lib, x, w, b: _F(lib).conv2d(x, w, b, padding=1), [(0, 2, 4, 4), (3, 2, 3, 3), (3,)]),
    "max_pool1d_empty_batch": (lambda lib, x: _F(lib).max_pool1d(x, 2), [(0, 1, 4)]),
    "max_pool2d_empty_batch": (lambda lib, x: _F(lib).max_pool2d(x, 2), [(0, 2, 4, 4)]),
    "avg_pool1d_empty_batch": (lambda lib, x: _F(lib).avg_pool1d(x, 2), [(0, 1, 4)]),
    "embedding_no_indices": (lambda lib, w: _F(lib).embedding(_long(lib, 0), w), [(4, 3)]),
    "normalize": (lambda lib, x: _F(lib).normalize(x), [(0, 3)]),
    "pad": (lambda lib, x: _F(lib).pad(x, (1, 1)), [(0, 3)]),
    "nonzero": (lambda lib, x: x.nonzero(), [(0, 3)]),
}


@pytest.mark.parametrize("name", CASES)
def test_empty(name):
    fn, shapes = CASES[name]
    check(fn, *[np.zeros(shape, dtype=np.float32) for shape in shapes])


@pytest.mark.parametrize("p,dim", [(INF, 0), (-INF, 0), (INF, None), (INF, (0, 1)), (INF, -2)])
def test_inf_norm_over_an_empty_dim_is_refused_as_torch(p, dim):
    found = []
    for lib in (torch, glasstorch):
        with pytest.raises(RuntimeError) as error:
            lib.zeros(2, 0, 3).norm(p=p, dim=dim) if dim == -2 else lib.zeros(0, 3).norm(p=p, dim=dim)
        found.append(str(error.value))
    assert found[1] == found[0]


@pytest.mark.parametrize("shape,dim,index", [((0, 3), 0, [0]), ((3, 0), 0, [5]), ((3, 0), 0, [1]), ((0, 3), 1, [5]),
                                             ((0, 3), 1, [1]), ((3, 0), 1, [0]), ((0,), 0, [0]), ((2, 0, 3), 2, [4]),
                                             ((2, 0, 3), 1, [0]), ((0, 3), 0, [])])
def test_index_select_of_an_empty_tensor(shape, dim, index):
    """torch checks an empty self's bounds in a loop of its own (RuntimeError), and refuses an empty indexing dim."""
    found = []
    for lib in (torch, glasstorch):
        try:
            found.append(tuple(lib.zeros(shape).index_select(dim, lib.tensor(index, dtype=lib.int64)).shape))
        except Exception as error:  # noqa: BLE001 - the class and message are what is compared
            found.append((type(error), str(error)))
    assert found[1] == found[0]
