"""Tensor's comparisons and logic (``==``, ``<``, ``&``, ``logical_*``, ``isnan``, ``any``, ``allclose``...): bool
results that record no graph. A mixin of ``glasstorch.Tensor``.
"""
from __future__ import annotations

import builtins

from . import _dtype
from ._backend import np
from ._dims import dims as _dims
from ._tensor_math import _PY_SCALARS, _is_tensor, _operand, _raise_broadcast_error, where
from ._tensor_reduce import _label
from .autograd.tensor_base import wrap


def _truth(found, dtype):
    """any/all's result: bool, except that torch keeps a uint8 input's dtype (its old byte masks)."""
    out = np.asarray(found)
    return wrap(out.astype(np.uint8) if dtype == np.uint8 else out)


class CompareMixin:
    """Elementwise comparisons (broadcasting, Python numbers on either side), logic and predicates."""

    __slots__ = ()

    def _compare(self, other, ufunc):
        """``ufunc(self, other)`` after type promotion; the result records no graph (comparisons, logic)."""
        if _is_tensor(other):
            b = other._data
        elif type(other) in _PY_SCALARS:
            b = other
        else:
            other = _operand(other)
            return NotImplemented if other is None else self._compare(other, ufunc)
        try:
            return wrap(np.asarray(ufunc(self._data, b)))
        except ValueError:
            _raise_broadcast_error(self, b)
            raise

    def __eq__(self, other):  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other):  # type: ignore[override]
        return self._compare(other, np.not_equal)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def _bitwise(self, other, ufunc, kernel: str):
        """``&``, ``|``, ``^``: for bool and integer tensors only (torch's NotImplementedError for floats)."""
        try:
            return self._compare(other, ufunc)
        except TypeError:
            floating = self if self._data.dtype.kind == "f" or not _is_tensor(other) else other
            if floating._data.dtype.kind != "f":
                raise
            raise _dtype.not_implemented_for(kernel, floating._data) from None

    def __and__(self, other):
        return self._bitwise(other, np.bitwise_and, "bitwise_and_cpu")

    def __or__(self, other):
        return self._bitwise(other, np.bitwise_or, "bitwise_or_cpu")

    def __xor__(self, other):
        return self._bitwise(other, np.bitwise_xor, "bitwise_xor_cpu")

    __hash__ = object.__hash__  # defining __eq__ would otherwise make tensors unhashable (torch hashes by identity)
    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    greater, less, greater_equal, less_equal, not_equal = gt, lt, ge, le, ne

    def logical_and(self, other):
        return self._compare(other, np.logical_and)

    def logical_or(self, other):
        return self._compare(other, np.logical_or)

    def logical_xor(self, other):
        return self._compare(other, np.logical_xor)

    def logical_not(self):
        return wrap(np.logical_not(self._data))

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None):
        """NaN → ``nan``, +∞ → ``posinf``, −∞ → ``neginf`` (default: the dtype's largest and lowest finite values);
        integers and bools are returned unchanged (a copy);  ∂: g where the element was finite, 0 elsewhere."""
        data = self._data
        if data.dtype.kind != "f":
            return wrap(data.copy())
        info = np.finfo(data.dtype)
        replaced = np.where(np.isnan(data), nan, np.where(data > 0, info.max if posinf is None else posinf,
                                                          info.min if neginf is None else neginf)).astype(data.dtype)
        out = where(wrap(np.isfinite(data)), self, wrap(replaced))
        return _label(out, "NanToNumBackward0")

    def isnan(self):
        return wrap(np.isnan(self._data))

    def isinf(self):
        return wrap(np.isinf(self._data))

    def isfinite(self):
        return wrap(np.isfinite(self._data))

    def equal(self, other) -> bool:
        if not _is_tensor(other):
            raise TypeError(f"equal(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
        return self._data.shape == other._data.shape and builtins.bool(np.array_equal(self._data, other._data))

    def isclose(self, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
        if _is_tensor(other) and other._data.dtype != self._data.dtype:  # (torch compares one dtype only)
            raise RuntimeError(f"{_dtype.legacy_name(self._data)} did not match {_dtype.legacy_name(other._data)}")
        try:
            return wrap(np.isclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))
        except ValueError:
            _raise_broadcast_error(self, other)
            raise

    def allclose(self, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        return builtins.bool(self.isclose(other, rtol, atol, equal_nan).all())

    def any(self, dim=None, keepdim: bool = False):
        return _truth(np.any(self._data, axis=_dims(dim, self._data.ndim), keepdims=keepdim), self._data.dtype)

    def all(self, dim=None, keepdim: bool = False):
        return _truth(np.all(self._data, axis=_dims(dim, self._data.ndim), keepdims=keepdim), self._data.dtype)
