"""A seeded sweep of index keys mixing ints, slices, None, Ellipsis, lists, integer tensors (0-d, 1-d, 2-d), bool
masks and Python bools, against torch: reads (values, shape, dtype, gradient), writes (``t[key] = value`` with a
tensor of the indexed shape and with a number, also through autograd) and the exception class where torch refuses.

torch applies integer indices (and 0-d integer tensors) as selects before the advanced indices, so they do not
separate advanced indices; NumPy counts them (``zeros(2, 3, 4)[0, :, [0, 1]]`` is (3, 2) in torch, (2, 3) in NumPy).
"""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import compare  # noqa: E402

CASES = 400


def _part(rng, shape: tuple, dim: int, left: int):
    """One random index entry for dimension ``dim`` (of ``left`` still unindexed): (kind, spec, dims consumed)."""
    size = shape[dim] if dim < len(shape) else 1
    choice = rng.choice(["int", "slice", "none", "list", "tensor1", "tensor2", "tensor0", "mask", "bool"],
                        p=[0.2, 0.17, 0.1, 0.13, 0.12, 0.06, 0.07, 0.1, 0.05])
    if left == 0 and choice not in ("none", "bool"):
        choice = "none"
    if choice == "int":
        return ("int", int(rng.integers(-size, size)), 1)
    if choice == "slice":
        start = rng.choice([None, int(rng.integers(-size, size + 1))])
        stop = rng.choice([None, int(rng.integers(-size, size + 1))])
        return ("slice", slice(start, stop, rng.choice([None, 1, 2])), 1)
    if choice == "none":
        return ("none", None, 0)
    if choice in ("list", "tensor1"):
        return (choice, [int(v) for v in rng.integers(-size, size, int(rng.integers(1, 4)))], 1)
    if choice == "tensor2":
        return ("tensor2", rng.integers(0, size, (2, 2)).tolist(), 1)
    if choice == "tensor0":
        return ("tensor0", int(rng.integers(0, size)), 1)
    if choice == "mask":
        n = 1 if left == 1 or rng.random() < 0.7 else 2
        return ("mask", (rng.random(shape[dim:dim + n]) < 0.6).tolist(), n)
    return ("bool", bool(rng.random() < 0.85), 0)


def _key(rng, shape: tuple) -> list:
    """Entries for the leading dimensions, then maybe an Ellipsis and entries for some trailing dimensions."""
    ndim = len(shape)
    back = int(rng.integers(0, ndim + 1)) if rng.random() < 0.25 else None
    front_dims = ndim if back is None else ndim - back
    parts, dim = [], 0
    for _ in range(int(rng.integers(1, ndim + 2))):
        kind, spec, n = _part(rng, shape, dim, front_dims - dim)
        parts.append((kind, spec, n))
        dim += n
        if dim >= front_dims:
            break
    if back is None:
        return parts
    parts.append(("ellipsis", Ellipsis, 0))
    dim = ndim - back
    while dim < ndim and rng.random() < 0.8:
        kind, spec, n = _part(rng, shape, dim, ndim - dim)
        parts.append((kind, spec, n))
        dim += n
    return parts


def _build(lib, parts):
    key = []
    for kind, spec, _ in parts:
        if kind in ("tensor1", "tensor2", "tensor0"):
            key.append(lib.tensor(spec))
        elif kind == "mask":
            key.append(lib.tensor(spec, dtype=lib.bool))
        else:
            key.append(spec)
    return tuple(key)


def _outcome(fn):
    try:
        return fn(), None
    except Exception as error:  # noqa: BLE001 - the class is what is compared
        return None, error


def _one_case(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = tuple(int(n) for n in rng.integers(1, 5, int(rng.integers(1, 5))))
    parts = _key(rng, shape)
    data = rng.standard_normal(shape).astype(np.float32)
    desc = f"shape {shape}, key {[p[1] for p in parts]}"

    x_t = torch.tensor(data, requires_grad=True)
    x_o = glasstorch.tensor(data, requires_grad=True)
    theirs, t_err = _outcome(lambda: x_t[_build(torch, parts)])
    ours, o_err = _outcome(lambda: x_o[_build(glasstorch, parts)])
    if t_err is not None:
        assert o_err is not None and type(o_err) is type(t_err), (desc, t_err, o_err)
        return
    assert o_err is None, (desc, o_err)
    compare(ours, theirs, what=desc)
    cotangent = rng.standard_normal(tuple(theirs.shape)).astype(np.float32)
    theirs.backward(torch.tensor(cotangent))
    ours.backward(glasstorch.tensor(cotangent))
    compare(x_o.grad, x_t.grad, what="gradient, " + desc)

    # writes: a tensor of the indexed shape, a number, and a value that needs a gradient
    value = rng.standard_normal(tuple(theirs.shape)).astype(np.float32)
    for v_t, v_o in ((torch.tensor(value), glasstorch.tensor(value)), (2.5, 2.5)):
        y_t, y_o = torch.tensor(data), glasstorch.tensor(data)
        y_t[_build(torch, parts)] = v_t
        y_o[_build(glasstorch, parts)] = v_o
        compare(y_o, y_t, what="write, " + desc)
    v_t, v_o = torch.tensor(value, requires_grad=True), glasstorch.tensor(value, requires_grad=True)
    b_t, b_o = torch.tensor(data, requires_grad=True), glasstorch.tensor(data, requires_grad=True)
    y_t, y_o = b_t * 1, b_o * 1
    y_t[_build(torch, parts)] = v_t
    y_o[_build(glasstorch, parts)] = v_o
    compare(y_o, y_t, what="write with grad, " + desc)
    weights = rng.standard_normal(shape).astype(np.float32)
    (y_t * torch.tensor(weights)).sum().backward()
    (y_o * glasstorch.tensor(weights)).sum().backward()
    compare(v_o.grad, v_t.grad, what="value's gradient, " + desc)
    compare(b_o.grad, b_t.grad, what="base's gradient, " + desc)


@pytest.mark.parametrize("block", range(8))
def test_index_sweep(block):
    for seed in range(block * CASES // 8, (block + 1) * CASES // 8):
        _one_case(seed)


@pytest.mark.parametrize("shape,make_key,expected", [
    ((2, 3, 4), lambda lib: (0, slice(None), [0, 1]), (3, 2)),
    ((1, 4, 3, 2), lambda lib: (0, None, [0, 1], [0, 1]), (1, 2, 2)),
    ((2, 3, 4, 5), lambda lib: (lib.tensor(0), slice(None), [0, 1]), (3, 2, 5)),
    ((2, 3, 4, 5), lambda lib: (0, slice(None), True), (3, 1, 4, 5)),
    ((2, 3, 4, 5), lambda lib: (0, Ellipsis, [0, 1]), (3, 4, 2)),
])
def test_the_issue_cases(shape, make_key, expected):
    """The fuzz's reports: integers do not separate advanced indices (the expected shapes are torch's)."""
    data = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    theirs = torch.tensor(data)[make_key(torch)]
    ours = glasstorch.tensor(data)[make_key(glasstorch)]
    assert tuple(theirs.shape) == expected
    compare(ours, theirs)


INDEX_PUT = {
    "rows": lambda lib: ((lib.tensor([0, 2]),), lib.tensor([1.0, 2.0, 3.0, 4.0])),
    "pairs": lambda lib: ((lib.tensor([0, 2, 0]), lib.tensor([1, 3, 1])), lib.tensor([1.0, 2.0, 3.0])),
    "scalar_value": lambda lib: ((lib.tensor([[0], [1]]), lib.tensor([1, 2])), lib.tensor(5.0)),
    "mask": lambda lib: ((lib.tensor([True, False, True]),), lib.tensor([[1.0, 2.0, 3.0, 4.0]])),
    "zero_dim_index": lambda lib: ((lib.tensor(1), lib.tensor([0, 3])), lib.tensor([7.0, 8.0])),
}


@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("name", INDEX_PUT)
def test_index_put(name, accumulate):
    """index_put / index_put_ (all indices advanced, repeated places add up when accumulating): values, gradients."""
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    results = []
    for lib in (torch, glasstorch):
        base = lib.tensor(data, requires_grad=True)
        indices, values = INDEX_PUT[name](lib)
        values.requires_grad_()
        out = base.index_put(indices, values, accumulate=accumulate)
        (out * lib.arange(12.0).reshape(3, 4)).sum().backward()
        inplace = lib.tensor(data).index_put_(indices, values.detach(), accumulate=accumulate)
        results.append((out, base.grad, values.grad, inplace, lib.index_put(lib.tensor(data), indices, values.detach())))
    for ours, theirs in zip(results[1], results[0]):
        compare(ours, theirs)


@pytest.mark.parametrize("call", [
    lambda lib, x: x.index_put((lib.tensor([0]),), lib.tensor(1.0, dtype=lib.float64)),
    lambda lib, x: x.index_put((lib.tensor([0]),), 1.0),
    lambda lib, x: x.index_put((lib.tensor([5]),), lib.tensor(1.0)),
    lambda lib, x: x.index_put((lib.tensor([0]),) * 3, lib.tensor(1.0)),
    lambda lib, x: x.index_put((lib.tensor([0, 1]),), lib.ones(3)),
    lambda lib, x: x.index_put((None, lib.tensor([0])), lib.tensor(1.0)),
])
def test_index_put_errors(call):
    found = []
    for lib in (torch, glasstorch):
        with pytest.raises(Exception) as error:
            call(lib, lib.zeros(3, 4))
        found.append((error.type, str(error.value)))
    assert found[1] == found[0]
