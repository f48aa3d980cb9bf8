"""Tensor's elementwise math: operators, unary functions, comparisons and logic, and matmul, with torch's broadcasting
and type promotion (``_binary``). A mixin of ``glasstorch.Tensor``.
"""
from __future__ import annotations

import builtins

from . import _dtype, _warnings
from ._backend import np
from ._creation import tensor
from . import _tensor_errors as E
from ._dims import broadcast_error
from ._functions import linalg as L
from ._functions import piecewise as PW
from ._functions import pointwise as P
from .autograd.tensor_base import TensorBase, wrap

_PY_SCALARS = (builtins.int, builtins.float, builtins.bool)
_BOOL_SUB = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, "
             "use the `~` or `logical_not()` operator instead.")


def _is_tensor(x) -> bool:
    return isinstance(x, TensorBase)


def _operand(value):
    """A non-tensor operand as torch accepts it: NumPy scalars become Python numbers, ndarrays tensors; anything else
    (lists, None, strings) is not an operand (None, so the operator returns NotImplemented as torch's does)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return wrap(value)
    return None


def _binary(a, b, function, reverse: bool = False):
    """Applies a two-input Function after torch's type promotion; ``reverse`` computes ``b op a``."""
    if isinstance(b, TensorBase):
        da, db = a._data.dtype, b._data.dtype
        if da is not db and da != db:  # rare: tensors of one dtype share one dtype object, so `is` settles it
            target = _dtype.promote(a._data, b._data)
            if da != target:
                a = a.to(target)
            if db != target:
                b = b.to(target)
    elif type(b) in _PY_SCALARS:
        if a._data.dtype.kind != "f":  # a float tensor keeps its dtype with any Python number
            target = _dtype.scalar_promotion(a._data, b)
            if target is not None:
                a = a.to(target)
    else:
        b = _operand(b)
        if b is None:
            return NotImplemented
        return _binary(a, b, function, reverse)
    try:
        return function.apply(b, a) if reverse else function.apply(a, b)
    except ValueError:  # NumPy found shapes that do not broadcast; say it as torch does
        _raise_broadcast_error(a, b)
        raise


def _raise_broadcast_error(*operands) -> None:
    shapes = [np.shape(x._data if _is_tensor(x) else x) for x in operands]
    for i, first in enumerate(shapes):
        for second in shapes[i + 1:]:
            message = broadcast_error(first, second)
            if message:
                raise RuntimeError(message) from None


def _true_division_operand(a, b):
    """True division (and the functions of floats) of integers and bools computes in the default float dtype."""
    if a._data.dtype.kind in "biu" and (type(b) is not builtins.float) and (not _is_tensor(b) or b._data.dtype.kind in "biu"):
        return a.to(_dtype.get_default_dtype())
    return a


def _refuse_bool_subtraction(a, b) -> None:
    if a._data.dtype.kind == "b" or b is True or b is False or (_is_tensor(b) and b._data.dtype.kind == "b"):
        raise RuntimeError(_BOOL_SUB)


def where(condition, input=None, other=None):  # noqa: A002 - torch's names
    """``where(c, a, b)``: a where c is True, else b (tensors or scalars, broadcast and promoted);
    ``where(c)`` is ``c.nonzero(as_tuple=True)``.  ∂/∂a = c,  ∂/∂b = not c."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    if input is None or other is None or isinstance(input, str) or isinstance(other, str):
        raise TypeError(E.where_arguments_error(condition, input, other))
    cond = condition._data if _is_tensor(condition) else np.asarray(condition)
    if cond.dtype == np.uint8:  # torch still takes a byte condition as a mask, with a deprecation warning
        _warnings.warn(_warnings.UINT8_WHERE)
        cond = cond.astype(bool)
    if cond.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_dtype.LEGACY_NAMES.get(_dtype.from_numpy_dtype(cond.dtype).name)}")
    if not _is_tensor(input) and not _is_tensor(other):
        input, other = tensor(input), tensor(other)
    swap = not _is_tensor(input)
    if swap:
        input, other = other, input
    if _is_tensor(other):
        if other._data.dtype != input._data.dtype:
            target = _dtype.promote(input._data, other._data)
            input, other = input.to(target), other.to(target)
    else:
        target = _dtype.scalar_promotion(input._data, other)
        if target is not None:
            input = input.to(target)
    try:
        return PW.Where.apply(cond, other, input) if swap else PW.Where.apply(cond, input, other)
    except ValueError:
        _raise_broadcast_error(cond, other, input) if swap else _raise_broadcast_error(cond, input, other)
        raise


class MathMixin:
    """Operators and elementwise functions of Tensor; each is a line over a Function or a composition of them."""

    __slots__ = ()

    # ---- arithmetic operators ----------------------------------------------------------------------------------
    def __add__(self, other):
        return _binary(self, other, P.Add)

    def __radd__(self, other):
        return _binary(self, other, P.Add, reverse=True)

    def __sub__(self, other):
        _refuse_bool_subtraction(self, other)
        return _binary(self, other, P.Sub)

    def __rsub__(self, other):
        _refuse_bool_subtraction(self, other)
        return _binary(self, other, P.Rsub if type(other) in _PY_SCALARS else P.Sub, reverse=True)

    def __mul__(self, other):
        return _binary(self, other, P.Mul)

    def __rmul__(self, other):
        return _binary(self, other, P.Mul, reverse=True)

    def __truediv__(self, other):
        return _binary(_true_division_operand(self, other), other, P.Div)

    def __rtruediv__(self, other):
        return _binary(_true_division_operand(self, other), other, P.Div, reverse=True)

    def __floordiv__(self, other):
        return _binary(self, other, PW.FloorDivide)

    def __rfloordiv__(self, other):
        return _binary(self, other, PW.FloorDivide, reverse=True)

    def __mod__(self, other):
        return _binary(self, other, PW.Remainder)

    def __rmod__(self, other):
        return _binary(self, other, PW.Remainder, reverse=True)

    def __pow__(self, exponent):
        return _binary(self, exponent, P.Pow)

    def __rpow__(self, base):
        return _binary(self, base, P.Pow, reverse=True)

    def __rmatmul__(self, other):
        other = _operand(other)
        return NotImplemented if other is None else other.matmul(self)

    def __neg__(self):
        if self._data.dtype.kind == "b":
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                               "invert a mask, use the `~` or `logical_not()` operator instead.")
        return P.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    def __invert__(self):
        if self._data.dtype.kind not in "biu":
            raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
        return wrap(np.invert(self._data))

    # ---- elementwise math --------------------------------------------------------------------------------------
    def add(self, other, alpha=1):
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other, alpha=1):
        return self - (other if alpha == 1 else other * alpha)

    subtract = sub

    def mul(self, other):
        return self * other

    multiply = mul

    def div(self, other, rounding_mode: str | None = None):
        if rounding_mode is None:
            return self / other
        if rounding_mode == "floor":
            return _binary(self, other, PW.DivFloor)
        if rounding_mode == "trunc":
            return _binary(self, other, PW.DivTrunc)
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")

    divide = true_divide = div

    def remainder(self, other):
        return self % other

    def fmod(self, other):
        return _binary(self, other, PW.Fmod)

    def pow(self, exponent):
        return self ** exponent

    def neg(self):
        return -self

    negative = neg

    def abs(self):
        if self._data.dtype.kind == "b":
            raise _dtype.not_implemented_for("abs_cpu", self._data)
        return P.Abs.apply(self)

    absolute = abs

    def exp(self):
        return P.Exp.apply(self._floating())

    def log(self):
        return P.Log.apply(self._floating())

    def log1p(self):
        return P.Log1p.apply(self._floating())

    def log2(self):
        return self.log() / np.log(2.0)

    def log10(self):
        return self.log() / np.log(10.0)

    def sqrt(self):
        return P.Sqrt.apply(self._floating())

    def rsqrt(self):
        return 1 / self.sqrt()

    def square(self):
        """x²; torch computes it as pow(x, 2), so a bool tensor squares to int64."""
        return self * self if self._data.dtype.kind != "b" else self ** 2

    def sin(self):
        return P.Sin.apply(self._floating())

    def cos(self):
        return P.Cos.apply(self._floating())

    def tanh(self):
        return P.Tanh.apply(self._floating())

    def sigmoid(self):
        return P.Sigmoid.apply(self._floating())

    def relu(self):
        return P.Relu.apply(self)

    def reciprocal(self):
        return 1 / self

    def sign(self):
        return PW.Rounding.apply(self, np.sign)

    def floor(self):
        return PW.Rounding.apply(self, np.floor)

    def ceil(self):
        return PW.Rounding.apply(self, np.ceil)

    def round(self, decimals: int = 0):
        return PW.Rounding.apply(self, np.round, decimals)

    def trunc(self):
        return PW.Rounding.apply(self, np.trunc)

    def clamp(self, min=None, max=None):  # noqa: A002 - torch's names
        """min(max(x, min), max);  ∂/∂x = 1 where min ≤ x ≤ max, else 0. Tensor bounds get gradients too."""
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if _is_tensor(min) or _is_tensor(max):
            out = self if min is None else where(self < min, min, self)
            out = out if max is None else where(out > max, max, out)
            if out.grad_fn is not None:
                out.grad_fn.label = "ClampBackward0"
            return out
        source = self
        for bound in (min, max):
            target = None if bound is None else _dtype.scalar_promotion(source._data, bound)
            if target is not None:
                source = source.to(target)
        if source._data.dtype.kind == "b":  # a bool tensor with bool bounds (ints and floats promoted it above)
            raise _dtype.not_implemented_for(E.CLAMP_KERNELS[min is None, max is None], source._data)
        try:
            return PW.Clamp.apply(source, min, max)
        except TypeError:  # NumPy met a bound that is not a number (torch's argument parser refuses it)
            raise TypeError(E.clamp_arguments_error(min, max)) from None

    clip = clamp

    def maximum(self, other):
        return _binary(self, other, PW.Maximum)

    def minimum(self, other):
        return _binary(self, other, PW.Minimum)

    def where(self, condition, other):
        return where(condition, self, other)

    def lerp(self, end, weight):
        """self + weight·(end − self);  ∂/∂self = 1 − weight,  ∂/∂end = weight,  ∂/∂weight = end − self."""
        E.check_lerp(self, end, weight)
        return self + (end - self) * weight

    def _floating(self):
        """torch computes exp, log, sqrt... of integer tensors in the default float dtype."""
        return self if self._data.dtype.kind == "f" else self.to(_dtype.get_default_dtype())

    # ---- matrix products ---------------------------------------------------------------------------------------
    def matmul(self, other):
        """self @ other: dot (1-D·1-D), matrix-vector, matrix-matrix and batched products, as torch.matmul."""
        if not isinstance(other, TensorBase):
            other = wrap(np.asarray(other))
        a, b = self._data, other._data
        if a.dtype is not b.dtype and a.dtype != b.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                               f"{_dtype.SCALAR_TYPE_NAMES[self.dtype.name]} != {_dtype.SCALAR_TYPE_NAMES[other.dtype.name]}")
        try:
            return L.MatMul.apply(self, other)
        except ValueError:  # shapes are checked by NumPy, and only explained when they fail
            if a.ndim == 0 or b.ndim == 0:
                raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and "
                                   f"{b.ndim}D") from None
            raise RuntimeError(E.matmul_error(a.shape, b.shape)) from None

    __matmul__ = matmul

    def mm(self, other):
        if self._data.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if other._data.ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        return self.matmul(other)

    def dot(self, other):
        if self._data.ndim != 1 or other._data.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self._data.ndim}D and {other._data.ndim}D tensors")
        return self.matmul(other)

    def outer(self, other):
        for name, t in (("self", self), ("vec2", other)):
            if t._data.ndim != 1:
                raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t._data.ndim}-D")
        return self.unsqueeze(1) * other.unsqueeze(0)

