"""Parity with torch of shape operations, joining and splitting, gather/scatter, and indexing (read and write)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, check, raises_like  # noqa: E402

SHAPE_OPS = {
    "reshape": lambda lib, x: x.reshape(4, 6),
    "reshape_tuple": lambda lib, x: x.reshape((2, -1)),
    "reshape_fn": lambda lib, x: lib.reshape(x, (-1,)),
    "view": lambda lib, x: x.view(6, 4),
    "view_minus_one": lambda lib, x: x.view(-1, 3),
    "view_as": lambda lib, x: x.view_as(lib.zeros(4, 6)),
    "reshape_as": lambda lib, x: x.reshape_as(lib.zeros(24)),
    "flatten": lambda lib, x: x.flatten(),
    "flatten_1": lambda lib, x: x.flatten(1),
    "flatten_0_1": lambda lib, x: lib.flatten(x, 0, 1),
    "flatten_same": lambda lib, x: x.flatten(1, 1),
    "unflatten": lambda lib, x: x.unflatten(2, (2, 2)),
    "squeeze": lambda lib, x: x.reshape(1, 2, 1, 12).squeeze(),
    "squeeze_dim": lambda lib, x: x.reshape(1, 2, 1, 12).squeeze(2),
    "squeeze_dims": lambda lib, x: x.reshape(1, 2, 1, 12).squeeze((0, 2)),
    "squeeze_noop": lambda lib, x: x.squeeze(1),
    "unsqueeze": lambda lib, x: x.unsqueeze(0),
    "unsqueeze_neg": lambda lib, x: lib.unsqueeze(x, -1),
    "transpose": lambda lib, x: x.transpose(0, 2),
    "transpose_fn": lambda lib, x: lib.transpose(x, -1, 1),
    "swapaxes": lambda lib, x: x.swapaxes(0, 1),
    "permute": lambda lib, x: x.permute(2, 0, 1),
    "permute_tuple": lambda lib, x: x.permute((1, 2, 0)),
    "permute_fn": lambda lib, x: lib.permute(x, (2, 1, 0)),
    "T_2d": lambda lib, x: x[0].T,
    "mT": lambda lib, x: x.mT,
    "t": lambda lib, x: x[0].t(),
    "t_1d": lambda lib, x: x[0, 0].t(),
    "expand": lambda lib, x: x[:, :1].expand(2, 5, 4),
    "expand_new_dims": lambda lib, x: x[0, 0].expand(3, 2, 4),
    "expand_minus_one": lambda lib, x: x[:, :1].expand(-1, 3, -1),
    "expand_as": lambda lib, x: x[0, :1].expand_as(x),
    "repeat": lambda lib, x: x.repeat(2, 1, 3),
    "repeat_more_dims": lambda lib, x: x[0].repeat(2, 2, 1),
    "contiguous": lambda lib, x: x.transpose(0, 1).contiguous(),
    "clone": lambda lib, x: x.clone(),
    "flip": lambda lib, x: x.flip(0),
    "flip_dims": lambda lib, x: lib.flip(x, (0, 2)),
    "narrow_like_slice": lambda lib, x: x[:, 1:3],
}


@pytest.mark.parametrize("name", SHAPE_OPS)
def test_shape_op(name):
    check(SHAPE_OPS[name], arr(2, 3, 4))


def test_shape_ops_keep_integer_dtype():
    check(lambda lib, x: (x.reshape(-1), x.T, x.unsqueeze(1), x.expand(2, 3, 4), x.repeat(1, 2)), arr(3, 4, dtype=np.int64),
          grad=False)


SPLITS = {
    "split": lambda lib, x: x.split(2),
    "split_dim": lambda lib, x: x.split(3, dim=1),
    "split_sizes": lambda lib, x: x.split([1, 4], dim=1),
    "split_fn": lambda lib, x: lib.split(x, 3),
    "chunk": lambda lib, x: x.chunk(2),
    "chunk_uneven": lambda lib, x: x.chunk(3, dim=1),
    "chunk_fn": lambda lib, x: lib.chunk(x, 2, 1),
    "unbind": lambda lib, x: x.unbind(),
    "unbind_dim": lambda lib, x: lib.unbind(x, 1),
}


@pytest.mark.parametrize("name", SPLITS)
def test_split_chunk_unbind(name):
    check(SPLITS[name], arr(4, 5))


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat_stack(dim):
    a, b, c = arr(2, 3), arr(2, 3), arr(2, 3)
    check(lambda lib, x, y, z: lib.cat([x, y, z], dim), a, b, c)
    check(lambda lib, x, y, z: lib.stack((x, y, z), dim), a, b, c)
    check(lambda lib, x, y: lib.cat([x, y], dim=dim), arr(2, 3), arr(2, 3, dtype=np.float64))
    check(lambda lib, x, y: lib.stack([x, y], dim=dim), arr(2, 3, dtype=np.int64), arr(2, 3))


def test_cat_of_different_sizes_and_aliases():
    check(lambda lib, x, y: lib.cat([x, y]), arr(2, 3), arr(4, 3))
    check(lambda lib, x, y: lib.concat([x, y], 1), arr(2, 3), arr(2, 1))
    check(lambda lib, x, y: (lib.hstack([x, y]), lib.vstack([x, y])), arr(2, 3), arr(2, 3))
    check(lambda lib, x, y: (lib.hstack([x, y]), lib.vstack([x, y])), arr(3), arr(3))


def test_cat_stack_errors():
    raises_like(lambda lib, x, y: lib.cat([x, y]), arr(2, 3), arr(2, 4))
    raises_like(lambda lib, x, y: lib.stack([x, y]), arr(2, 3), arr(3, 2))
    raises_like(lambda lib: lib.cat([]))
    raises_like(lambda lib: lib.stack([]))


def test_shape_errors():
    raises_like(lambda lib, x: x.reshape(5, 5), arr(2, 3, 4))
    raises_like(lambda lib, x: x.view(7, -1), arr(2, 3, 4))
    raises_like(lambda lib, x: x.expand(3, 3, 4), arr(2, 3, 4))
    raises_like(lambda lib, x: x.permute(0, 1), arr(2, 3, 4))
    raises_like(lambda lib, x: x.transpose(0, 3), arr(2, 3, 4))
    raises_like(lambda lib, x: x.t(), arr(2, 3, 4))
    raises_like(lambda lib, x: x.unsqueeze(4), arr(2, 3, 4))
    raises_like(lambda lib, x: x.repeat(2), arr(2, 3))
    raises_like(lambda lib, x: x.split([1, 1], 0), arr(3, 2))


# ---- gather / scatter / index_select / masked_fill ----------------------------------------------------------------

@pytest.mark.parametrize("dim", [0, 1, -1])
def test_gather(dim):
    index = np.random.default_rng(0).integers(0, 3, (2, 3))
    check(lambda lib, x: x.gather(dim, lib.tensor(index)), arr(3, 3))
    check(lambda lib, x: lib.gather(x, dim, lib.tensor(index)), arr(3, 3))


@pytest.mark.parametrize("dim", [0, 1])
def test_scatter(dim):
    index = np.array([[0, 1, 2], [2, 0, 1]])
    check(lambda lib, x, s: x.scatter(dim, lib.tensor(index), s), arr(3, 3), arr(2, 3))
    check(lambda lib, x: x.scatter(dim, lib.tensor(index), 0.5), arr(3, 3))
    check(lambda lib, x: lib.scatter(x, dim, lib.tensor(index), 0.5), arr(3, 3))



@pytest.mark.parametrize("reduce", ["add", "multiply"])
@pytest.mark.parametrize("dim", [0, 1])
def test_scatter_with_reduce(dim, reduce):
    index = np.array([[0, 1, 2], [0, 2, 1], [0, 0, 1]])  # places named twice combine both values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's deprecation of reduce= with a tensor src
        check(lambda lib, x, s: x.scatter(dim, lib.tensor(index), s, reduce=reduce), arr(3, 3), arr(3, 3), grad=False)
        check(lambda lib, x: x.scatter(dim, lib.tensor(index), 1.5, reduce=reduce), arr(3, 3), grad=False)
        check(lambda lib, x, s: lib.scatter(x, dim, lib.tensor(index), s, reduce=reduce), arr(3, 3), arr(3, 3),
              grad=False)
        check(lambda lib, x, s: x.clone().scatter_(dim, lib.tensor(index), s, reduce=reduce), arr(3, 3), arr(3, 3),
              grad=False)


def test_scatter_with_reduce_errors():
    index = np.array([[0, 1, 2]])
    raises_like(lambda lib, x: x.scatter(0, lib.tensor(index), 1.0, reduce="mean"), arr(3, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theirs, ours = raises_like(lambda lib, x, s: x.requires_grad_().scatter(0, lib.tensor(index), s, reduce="add")
                                   .sum().backward(), arr(3, 3), arr(1, 3))
    assert ours == theirs == "derivative for aten::scatter is not implemented"

@pytest.mark.parametrize("dim", [0, 1])
def test_index_select_masked_fill(dim):
    check(lambda lib, x: x.index_select(dim, lib.tensor([2, 0, 2])), arr(3, 4))
    check(lambda lib, x: lib.index_select(x, dim, lib.tensor([1])), arr(3, 4))
    mask = arr(3, 4, dtype=bool)
    check(lambda lib, x: x.masked_fill(lib.tensor(mask), -1.5), arr(3, 4))
    check(lambda lib, x: x.masked_fill(lib.tensor(mask[0]), float("-inf")), arr(3, 4))
    check(lambda lib, x, v: x.masked_fill(lib.tensor(mask), v), arr(3, 4), np.array(2.0, np.float32))


def test_nonzero():
    a = np.array([[0.0, 1.0], [2.0, 0.0]], np.float32)
    check(lambda lib, x: (x.nonzero(), lib.nonzero(x), x.nonzero(as_tuple=True)), a, grad=False)
    check(lambda lib, x: lib.where(x > 0), a, grad=False)


# ---- reading with an index ----------------------------------------------------------------------------------------

INDICES = {
    "int": lambda lib: 1,
    "negative_int": lambda lib: -1,
    "slice": lambda lib: slice(1, None),
    "step": lambda lib: slice(None, None, 2),
    "negative_slice": lambda lib: slice(-2, None),
    "tuple": lambda lib: (0, slice(1, 3)),
    "int_int": lambda lib: (1, 2),
    "int_int_int": lambda lib: (1, 2, 3),
    "none": lambda lib: None,
    "none_middle": lambda lib: (slice(None), None, 0),
    "ellipsis": lambda lib: (Ellipsis, 1),
    "ellipsis_none": lambda lib: (None, Ellipsis, None),
    "full": lambda lib: slice(None),
    "list": lambda lib: [0, 2, 0],
    "list_nested_dims": lambda lib: ([0, 1], [1, 2]),
    "int_tensor": lambda lib: lib.tensor([2, 0, 2]),
    "int_tensor_2d": lambda lib: lib.tensor([[0, 1], [2, 2]]),
    "tensor_and_slice": lambda lib: (slice(None), lib.tensor([3, 0, 3])),
    "two_tensors": lambda lib: (lib.tensor([0, 2]), lib.tensor([1, 1])),
    "bool_mask": lambda lib: lib.tensor([True, False, True]),
    "bool_mask_2d": lambda lib: lib.tensor(np.random.default_rng(1).random((3, 4)) > 0.5),
    "bool_mask_dim1": lambda lib: (slice(None), lib.tensor([True, False, True, False])),
    "scalar_int_tensor": lambda lib: lib.tensor(1),
    "list_of_bools": lambda lib: [True, False, True],
}


@pytest.mark.parametrize("name", INDICES)
def test_getitem(name):
    check(lambda lib, x: x[INDICES[name](lib)], arr(3, 4, 5))


def test_getitem_comparison_mask_and_repeated_indices_accumulate():
    check(lambda lib, x: x[x > 0], arr(4, 5))
    check(lambda lib, x: x[[1, 1, 1]], arr(3, 2))  # the gradient adds up where an index repeats
    check(lambda lib, x: x[lib.tensor([0, 0]), lib.tensor([1, 1])], arr(3, 2))


def test_getitem_of_integer_tensor_and_zero_dim():
    check(lambda lib, x: (x[1], x[:, 0], x[x > 0]), arr(3, 4, dtype=np.int64), grad=False)
    check(lambda lib, x: (x[None], x[...]), np.array(2.0, np.float32))


def test_getitem_errors():
    raises_like(lambda lib, x: x[5], arr(3, 4), match="index 5 is out of bounds for dimension 0 with size 3")
    raises_like(lambda lib, x: x[0, 0, 0], arr(3, 4))
    raises_like(lambda lib, x: x[0], np.array(1.0, np.float32))
    raises_like(lambda lib, x: x[lib.tensor([5])], arr(3, 4))


# ---- writing with an index ----------------------------------------------------------------------------------------

def _assign(index, value):
    def fn(lib, x):
        y = x.clone()
        y[index(lib)] = value(lib) if callable(value) else value
        return y
    return fn


SET_CASES = {
    "int_scalar": (lambda lib: 1, 5.0),
    "slice_scalar": (lambda lib: slice(0, 2), -1.0),
    "tuple_int_scalar": (lambda lib: (1, 2), 3),
    "mask_scalar": (lambda lib: lib.tensor([[True, False, True, False]] * 3), 0.0),
    "list": (lambda lib: [0, 2], 7.0),
    "int_tensor": (lambda lib: lib.tensor([2, 0]), 1.5),
    "column": (lambda lib: (slice(None), 1), lambda lib: lib.tensor([1.0, 2.0, 3.0])),
    "row_broadcast": (lambda lib: 0, lambda lib: lib.tensor([9.0, 8.0, 7.0, 6.0])),
    "ellipsis": (lambda lib: Ellipsis, 0.25),
}


@pytest.mark.parametrize("name", SET_CASES)
def test_setitem_without_grad(name):
    index, value = SET_CASES[name]
    check(_assign(index, value), arr(3, 4), grad=False)
    check(_assign(index, value), arr(3, 4, dtype=np.int64), grad=False)


@pytest.mark.parametrize("name", ["int_scalar", "slice_scalar", "mask_scalar", "int_tensor", "column", "row_broadcast"])
def test_setitem_records_the_graph(name):
    index, value = SET_CASES[name]
    check(_assign(index, value), arr(3, 4))


def test_setitem_of_a_tensor_requiring_grad_into_a_plain_tensor():
    def fn(lib, v):
        y = lib.zeros(3, 4)
        y[1] = v * 2
        y[:, 0] = v[:3]
        return y
    check(fn, arr(4))


def test_setitem_value_dtype_is_cast():
    def fn(lib, v):
        y = lib.zeros(2, 3, dtype=lib.float64)
        y[0] = v
        return y
    check(fn, arr(3))
    check(_assign(lambda lib: 0, lambda lib: lib.tensor([1.7, 2.2, -0.5, 3.9])), arr(3, 4, dtype=np.int64), grad=False)


def test_setitem_on_a_leaf_requiring_grad_is_an_error():
    raises_like(lambda lib, x: x.requires_grad_().__setitem__(0, 1.0), arr(3))


MASKED_SELECT = {
    "same shape": lambda lib, x: x.masked_select(x > 0.5),
    "mask broadcast over rows": lambda lib, x: x[0].masked_select(lib.tensor([True, False, True, True])),
    "input broadcast over the mask": lambda lib, x: x[0, 0].masked_select(lib.tensor([[True, False, True, False]] * 3)),
    "function form": lambda lib, x: lib.masked_select(x, x < 0.2),
    "nothing selected": lambda lib, x: x.masked_select(lib.zeros(2, 3, 4, dtype=lib.bool)),
}


@pytest.mark.parametrize("name", MASKED_SELECT)
def test_masked_select(name):
    check(MASKED_SELECT[name], arr(2, 3, 4))


@pytest.mark.parametrize("make", [
    lambda lib: lib.ones(2, 3).masked_select(lib.ones(2, 3)),
    lambda lib: lib.masked_select(lib.ones(2, 3), lib.ones(4, dtype=lib.bool)),
    lambda lib: lib.ones(2, 3).masked_select([True, False, True]),
], ids=["float mask", "shapes that do not broadcast", "a list"])
def test_masked_select_errors(make):
    raises_like(make)
