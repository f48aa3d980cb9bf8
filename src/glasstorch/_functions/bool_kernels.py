"""torch's answers for bool tensors where NumPy quietly computes something else.

NumPy runs ``//``, ``%``, ``fmod`` and ``**`` of two bools in int8; torch has no bool kernel for them and raises
(``"div_floor_cpu" not implemented for 'Bool'``), except ``bool_tensor ** True/False``, which stays bool. The checks
here run only once NumPy has produced an int8 (or, for a matrix product, a bool) result, so float tensors pay at
most one identity check of the result's dtype.
"""
from __future__ import annotations

from .._backend import np
from .._dtype import not_implemented_for

INT8 = np.dtype(np.int8)
BOOL = np.dtype(bool)
_BOOL = np.zeros(0, dtype=bool)  # stands for "a bool tensor" in torch's message


def both_bool(a, b) -> bool:
    """Whether ``a`` and ``b`` (arrays or Python scalars) are both bools, so that torch computes in bool."""
    return np.result_type(a, b) == np.bool_


def refuse_bool_pair(kernel: str, a, b) -> None:
    """Raises torch's NotImplementedError when both operands of ``kernel`` are bool."""
    if both_bool(a, b):
        raise not_implemented_for(kernel, _BOOL)


def bool_power(a, b, out: np.ndarray) -> np.ndarray:
    """``a ** b`` when NumPy answered in int8: a bool tensor to a Python bool stays bool (x**True = x, x**False = True),
    any other pair of bools has no kernel in torch."""
    if not both_bool(a, b):
        return out
    if isinstance(a, np.ndarray) and type(b) is bool:
        return out.astype(bool)
    raise not_implemented_for("pow", _BOOL)


def refuse_bool_matmul(a: np.ndarray, b: np.ndarray) -> None:
    """torch has no bool matrix product; its message names the kernel the operands' dimensions select."""
    if b.ndim == 1:
        kernel = "dot" if a.ndim == 1 else "addmv_impl_cpu"
    else:
        kernel = "addmm_impl_cpu_" if b.ndim == 2 else "bmm"
    raise not_implemented_for(kernel, _BOOL)
