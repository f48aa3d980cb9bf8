"""Integer division by zero and integers to negative powers, against torch.

torch raises ``RuntimeError: ZeroDivisionError`` for an integer ``//``, ``%``, fmod or rounded div by zero (NumPy
gives 0); an integer base to a negative integer tensor exponent is 1 for 1, ±1 for −1 and 0 otherwise (NumPy
refuses), while a negative Python exponent is refused with torch's message. div with a rounding mode has zero
gradients (DivBackward2); ``//`` records a node without a derivative.
"""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import check, compare  # noqa: E402

RAISING = {
    "floordiv": lambda lib: lib.tensor([5, -3]) // lib.tensor([0, 2]),
    "floordiv_scalar": lambda lib: lib.tensor([5]) // 0,
    "rfloordiv": lambda lib: 5 // lib.tensor([0]),
    "mod": lambda lib: lib.tensor([5, 3]) % lib.tensor([2, 0]),
    "mod_scalar": lambda lib: lib.tensor([5]) % 0,
    "rmod": lambda lib: 5 % lib.tensor([0]),
    "fmod": lambda lib: lib.fmod(lib.tensor([5]), lib.tensor([0])),
    "remainder": lambda lib: lib.remainder(lib.tensor([5]), 0),
    "div_floor": lambda lib: lib.div(lib.tensor([5]), lib.tensor([0]), rounding_mode="floor"),
    "div_trunc": lambda lib: lib.div(lib.tensor([5]), lib.tensor([0]), rounding_mode="trunc"),
    "uint8": lambda lib: lib.tensor([5], dtype=lib.uint8) // lib.tensor([0], dtype=lib.uint8),
    "bool_divisor": lambda lib: lib.tensor([5]) // lib.tensor([False]),
    "ifloordiv": lambda lib: lib.tensor([5]).__ifloordiv__(0),
    "imod": lambda lib: lib.tensor([5]).__imod__(lib.tensor([0])),
    "floor_divide_": lambda lib: lib.tensor([5, 1]).floor_divide_(lib.tensor([1, 0])),
    "pow_negative_python_exponent": lambda lib: lib.tensor([2, 1, -1]) ** -1,
    "pow_negative_python_exponent_zero": lambda lib: lib.tensor([0, 3]) ** -2,
}


@pytest.mark.parametrize("name", RAISING)
def test_refused_as_torch(name):
    found = []
    for lib in (torch, glasstorch):
        with pytest.raises(Exception) as error:
            RAISING[name](lib)
        found.append((error.type, str(error.value)))
    assert found[1] == found[0]


VALUES = {
    "rpow": lambda lib: 2 ** lib.tensor([-1]),
    "pow_tensors": lambda lib: lib.tensor([2, 1, -1, 0, -1, 3]) ** lib.tensor([-1, -2, -3, 1, -4, 2]),
    "pow_zero_base": lambda lib: lib.tensor([0]) ** lib.tensor([-1]),
    "rpow_one": lambda lib: 1 ** lib.tensor([-1, -2]),
    "rpow_minus_one": lambda lib: (-1) ** lib.tensor([-1, -2, -3]),
    "rpow_zero": lambda lib: 0 ** lib.tensor([-1]),
    "pow_fn": lambda lib: lib.pow(lib.tensor([3]), lib.tensor([-1])),
    "pow_fn_scalar_base": lambda lib: lib.pow(2, lib.tensor([-1, 2])),
    "pow_int32": lambda lib: lib.tensor([2, -1], dtype=lib.int32) ** lib.tensor([-2, -5], dtype=lib.int32),
    "pow_broadcast": lambda lib: lib.tensor([[1], [2], [-1]]) ** lib.tensor([-1, 0, 3]),
    "pow_": lambda lib: lib.tensor([2, -1]).pow_(lib.tensor([-1, -1])),
    "int_float_negative": lambda lib: lib.tensor([2]) ** -1.0,
    "float_floordiv_zero": lambda lib: lib.tensor([5.0, -1.0, 0.0]) // 0,
    "float_mod_zero": lambda lib: lib.tensor([5.0, -1.0]) % 0,
    "div_trunc_ints": lambda lib: lib.div(lib.tensor([7, -7, 7, -7, 0]), lib.tensor([2, 2, -2, -2, 3]),
                                          rounding_mode="trunc"),
    "div_trunc_scalar": lambda lib: lib.div(lib.tensor([7, -7]), 2, rounding_mode="trunc"),
    "div_floor_ints": lambda lib: lib.div(lib.tensor([7, -7, 7, -7]), lib.tensor([2, 2, -2, -2]), rounding_mode="floor"),
    "div_trunc_float_by_int": lambda lib: lib.div(lib.tensor([7.5, -7.5]), 2, rounding_mode="trunc"),
    "div_trunc_int_by_float": lambda lib: lib.div(lib.tensor([7, -7]), 2.0, rounding_mode="trunc"),
}


@pytest.mark.parametrize("name", VALUES)
def test_values_as_torch(name):
    compare(VALUES[name](glasstorch), VALUES[name](torch))


@pytest.mark.parametrize("mode", ["floor", "trunc"])
def test_div_with_rounding_mode_has_zero_gradients(mode):
    a = np.array([1.5, -2.5, 3.0], dtype=np.float32)
    b = np.array([2.0, 3.0, -0.5], dtype=np.float32)
    check(lambda lib, x, y: lib.div(x, y, rounding_mode=mode), a, b)
    check(lambda lib, x: lib.div(x, 2.0, rounding_mode=mode), a)
    check(lambda lib, x: x.div(lib.tensor(2.0), rounding_mode=mode), a)
    for lib in (torch, glasstorch):
        assert lib.div(lib.tensor(a, requires_grad=True), 2.0, rounding_mode=mode).grad_fn.name() == "DivBackward2"


def test_floor_divide_operator_has_no_derivative():
    found = []
    for lib in (torch, glasstorch):
        x = lib.tensor([1.5, -2.5], requires_grad=True)
        y = x // 2
        with pytest.raises(RuntimeError) as error:
            y.sum().backward()
        found.append((type(y.grad_fn).__name__ if lib is torch else y.grad_fn.name(), str(error.value)))
    assert found[1] == found[0]


@pytest.mark.parametrize("make", [
    lambda lib: lib.tensor([[1, 2], [3, 4]]).nansum(),
    lambda lib: lib.tensor([[1, 2], [3, 4]]).nansum(1),
    lambda lib: lib.nansum(lib.tensor([True, False, True])),
    lambda lib: lib.tensor([1, 2], dtype=lib.int32).nansum(0, keepdim=True),
    lambda lib: lib.tensor([1.0, float("nan")]).nansum(),
    lambda lib: lib.tensor([1, 2]).nansum(dtype=lib.float64),
])
def test_nansum_keeps_integers_int64(make):
    """nansum of integers and bools sums as int64, as sum does (it returned float32)."""
    compare(make(glasstorch), make(torch))
