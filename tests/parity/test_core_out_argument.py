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
