"""The ``out=`` argument of torch's functions (the tensors tutorial writes ``torch.matmul(a, b, out=c)``): the
result lands in ``out`` (returned, same object), cast to its dtype when torch allows, resized with torch's warning,
refused with torch's errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import compare  # noqa: E402

A = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
B = np.arange(8, dtype=np.float32).reshape(4, 2) - 3

CASES = [("matmul", (A, B), {}, (3, 2), "float32"), ("mul", (A, A), {}, (3, 4), "float32"),
         ("add", (A, 1.5), {}, (3, 4), "float64"), ("sum", (A,), {"dim": 1}, (3,), "float32"),
         ("exp", (A,), {}, (0,), "float32"), ("mul", (A, A), {}, (2, 2), "float32"),
         ("gt", (A, 0.5), {}, (3, 4), "bool"), ("gt", (A, 0.5), {}, (3, 4), "float32")]


@pytest.mark.parametrize("name,args,kwargs,out_shape,out_dtype", CASES)
def test_out_receives_the_result(name, args, kwargs, out_shape, out_dtype):
    results = []
    for library in (glasstorch, torch):
        out = library.full(out_shape, 9.0, dtype=getattr(library, out_dtype))
        inputs = [library.tensor(a) if isinstance(a, np.ndarray) else a for a in args]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            returned = getattr(library, name)(*inputs, **kwargs, out=out)
        assert returned is out
        results.append((out, [str(w.message).split(" (Triggered")[0] for w in caught]))
    compare(results[0][0], results[1][0])
    assert results[0][1] == results[1][1]


@pytest.mark.parametrize("case", ["cast", "grad"])
def test_out_refuses_as_torch(case):
    messages = []
    for library in (glasstorch, torch):
        x = library.tensor(A, requires_grad=case == "grad")
        out = library.zeros(3, 4, dtype=library.int64 if case == "cast" else library.float32)
        with pytest.raises(RuntimeError) as error:
            library.add(x, 1, out=out)
        messages.append(str(error.value))
    assert messages[0] == messages[1]
    with glasstorch.no_grad():  # no gradient asked for: out= is allowed
        out = glasstorch.zeros(3, 4)
        glasstorch.add(glasstorch.tensor(A, requires_grad=True), 1, out=out)
    np.testing.assert_allclose(out.numpy(), A + 1)


# ---- more functions learners' programs call (found running Chinese course repositories) --------------------------
FUNCTIONS = [
    ("take", lambda L, x: L.take(x, L.tensor([[0, 5], [-1, 2]]))),
    ("take method", lambda L, x: x.take(L.tensor([3]))),
    ("kthvalue", lambda L, x: x.kthvalue(2, dim=1)),
    ("kthvalue keepdim", lambda L, x: L.kthvalue(x, 2, 0, True)),
    ("broadcast_tensors", lambda L, x: L.broadcast_tensors(x, L.ones(4, 1, 1) * 2)),
    ("broadcast_shapes", lambda L, x: L.broadcast_shapes((2, 1), (3,), 3, (1, 1, 1))),
]


@pytest.mark.parametrize("name,call", FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
def test_more_functions_values_and_gradients(name, call):
    data = np.array([[0.5, -1.0, 2.0], [3.0, 0.25, -2.0]], dtype=np.float32)
    ours_x, theirs_x = glasstorch.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    ours, theirs = call(glasstorch, ours_x), call(torch, theirs_x)
    if isinstance(theirs, torch.Size):
        assert tuple(ours) == tuple(theirs) and type(ours) is glasstorch.Size
        return
    compare(ours, theirs)
    outputs = [o for o in (ours if isinstance(ours, tuple) else (ours,)) if o.dtype.is_floating_point]
    references = [o for o in (theirs if isinstance(theirs, tuple) else (theirs,)) if o.dtype.is_floating_point]
    sum((o * (i + 1)).sum() for i, o in enumerate(outputs)).backward()
    sum((o * (i + 1)).sum() for i, o in enumerate(references)).backward()
    compare(ours_x.grad, theirs_x.grad)


@pytest.mark.parametrize("call", [lambda L: L.take(L.ones(2, 3), L.tensor([6])),
                                  lambda L: L.take(L.ones(2, 3), L.tensor([1.0])),
                                  lambda L: L.ones(3).kthvalue(4),
                                  lambda L: L.broadcast_tensors(L.ones(2, 3), L.ones(4, 3)),
                                  lambda L: L.broadcast_shapes((2, 3), (4, 3))])
def test_more_functions_errors(call):
    errors = []
    for library in (glasstorch, torch):
        with pytest.raises(Exception) as error:
            call(library)
        errors.append((type(error.value).__name__, str(error.value)))
    assert errors[0] == errors[1]
