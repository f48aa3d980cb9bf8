"""Functions that make tensors: from data, filled with a value, and ranges (random ones: ``_creation_random``).

Only ``wrap`` is needed to make a tensor, so this module does not import ``glasstorch._tensor`` (whose methods use
these functions: ``new_zeros``, ``masked_fill``...).
"""
from __future__ import annotations

import builtins
from typing import Any

from . import _creation_checks as _checks
from . import _dtype, _warnings
from ._backend import np
from ._device import check_device
from .autograd.tensor_base import TensorBase, wrap

Tensor = TensorBase  # for annotations: every tensor made here is a glasstorch.Tensor


def _is_tensor(x) -> bool:
    return isinstance(x, TensorBase)


# ---- from data ----------------------------------------------------------------------------------------------------

def _infer_array(data, dtype) -> np.ndarray:
    """The ndarray torch.tensor() would make from ``data``: float32 for Python floats, int64 for ints, bool for bools."""
    if _is_tensor(data):
        array = data._data.copy()
    elif isinstance(data, (list, tuple)) and data and any(_is_tensor(d) for d in _flatten_first(data)):
        array = np.array(_tensors_to_values(data))
    else:
        try:
            array = np.array(data)
        except ValueError:
            raise _checks.ragged_error(data) from None
    if array.dtype.kind in "USO":
        _refuse(data, array)
    if dtype is not None:
        return array.astype(_dtype.to_numpy_dtype(dtype), copy=False)
    if isinstance(data, (list, tuple)) and data and all(isinstance(d, np.ndarray) for d in data):
        _warnings.warn_once(_warnings.NDARRAY_LIST, stacklevel=4)  # (once, as torch; the arrays' dtype is kept)
        _dtype.from_numpy_dtype(array.dtype)
        return array
    if array.dtype.kind == "f" and not isinstance(data, (np.ndarray, np.generic)) and not _is_tensor(data):
        return array.astype(_dtype.get_default_dtype().numpy, copy=False)
    if array.dtype.kind == "i" and not isinstance(data, (np.ndarray, np.generic)) and not _is_tensor(data):
        return array.astype(np.int64, copy=False)
    if array.dtype == np.float64 and array.size == 0 and not isinstance(data, np.ndarray):
        return array.astype(_dtype.get_default_dtype().numpy)
    _dtype.from_numpy_dtype(array.dtype)
    return array


def _refuse(data, array: np.ndarray) -> None:
    """torch's errors for data that holds no numbers (strings, None, objects)."""
    if isinstance(data, np.ndarray):
        _dtype.from_numpy_dtype(array.dtype)  # raises TypeError naming the NumPy type
    if array.ndim == 0 and not isinstance(data, str):
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
    if array.dtype.kind == "U" and isinstance(data, (list, tuple)) and all(isinstance(d, str) for d in data):
        raise ValueError("too many dimensions 'str'")
    odd = data if array.ndim == 0 else next((x for x in array.reshape(-1) if not isinstance(x, (int, float, bool))), data)
    raise TypeError(f"new(): invalid data type '{'str' if isinstance(odd, str) else type(odd).__name__}'")


def _flatten_first(data):
    while isinstance(data, (list, tuple)) and data:
        if any(_is_tensor(d) for d in data):
            return data
        data = data[0]
    return ()


def _tensors_to_values(data):
    if _is_tensor(data):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_tensors_to_values(d) for d in data]
    return data


def tensor(data: Any, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Copies ``data`` (nested lists, numbers, arrays, tensors) into a new leaf tensor."""
    if device is not None:
        check_device(device)
    if _is_tensor(data):
        _warnings.warn(_warnings.COPY_CONSTRUCT.format("glasstorch.tensor"))
    t = wrap(_infer_array(data, dtype))
    return _requiring_grad(t) if requires_grad else t


def _filled(shape, value, dtype, requires_grad) -> Tensor:
    if dtype is None:
        dtype = (_dtype.bool if type(value) is builtins.bool else
                 _dtype.int64 if isinstance(value, (builtins.int, np.integer)) else _dtype.get_default_dtype())
    numpy_dtype = _dtype.to_numpy_dtype(dtype)
    if numpy_dtype.kind in "iu" and isinstance(value, (builtins.int, builtins.float, np.number)):
        value = _checked_fill(value, numpy_dtype)
    t = wrap(np.full(shape, value, dtype=numpy_dtype))
    return _requiring_grad(t) if requires_grad else t


_C_NAMES = {"int64": "int64_t", "int32": "int", "int16": "int16_t", "int8": "int8_t", "uint8": "uint8_t"}


def _checked_fill(value, numpy_dtype):
    """torch's checked conversion of a fill value to an integer type: NaN, ±inf and values past the type's range are
    refused; an unsigned type also takes negative integers (not floats) down to -max, which wrap around (-1 → 255)."""
    info = np.iinfo(numpy_dtype)
    low = -info.max if info.min == 0 and isinstance(value, (builtins.int, np.integer)) else info.min
    if not (np.isfinite(value) and low <= value <= info.max):
        raise RuntimeError(f"value cannot be converted to type {_C_NAMES.get(numpy_dtype.name, numpy_dtype.name)} "
                           "without overflow")
    return int(value) % (info.max + 1) if value < 0 and info.min == 0 else value


def _size(size: tuple, function: str, keyword=None) -> tuple:
    """The shape from ``f(2, 3)`` / ``f((2, 3))`` / ``f(size=[2, 3])``; torch refuses ``f()``."""
    if keyword is not None:
        if size:
            raise TypeError(f"{function}() received an invalid combination of arguments: size given twice")
        return _checks.size_arg((keyword,), function, keyword=True)
    if not size:
        raise TypeError(f'{function}() missing 1 required positional arguments: "size"')
    return _checks.size_arg(size, function)


def zeros(*shape, size=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    if device is not None:
        check_device(device)
    return _filled(_size(shape, "zeros", size), 0.0, dtype or _dtype.get_default_dtype(), requires_grad)


def ones(*shape, size=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    if device is not None:
        check_device(device)
    return _filled(_size(shape, "ones", size), 1.0, dtype or _dtype.get_default_dtype(), requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    if device is not None:
        check_device(device)
    _checks.check_fill_value(fill_value, "full")
    return _filled(_checks.sequence_size_arg(size, "full"), fill_value, dtype, requires_grad)


def _like_shape(input, function: str) -> tuple:  # noqa: A002
    if not _is_tensor(input):
        raise TypeError(f"{function}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return input._data.shape


def full_like(input: Tensor, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    _checks.check_fill_value(fill_value, "full_like")
    return _filled(_like_shape(input, "full_like"), fill_value, dtype or input.dtype, requires_grad)


def _requiring_grad(t: Tensor) -> Tensor:
    if t._data.dtype.kind != "f":  # (the factories word it differently from requires_grad_)
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    t.requires_grad = True
    return t


def _leaf(array: np.ndarray, requires_grad: bool) -> Tensor:
    t = wrap(array)
    return _requiring_grad(t) if requires_grad else t


def _float_dtype(dtype) -> np.dtype:
    return _dtype.to_numpy_dtype(dtype) if dtype is not None else _dtype.get_default_dtype().numpy


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """Like ``tensor`` but shares memory with an ndarray or tensor when no conversion is needed."""
    if device is not None:
        check_device(device)
    if _is_tensor(data) and (dtype is None or data.dtype is dtype):
        return data
    if isinstance(data, np.ndarray) and dtype is None:
        _dtype.from_numpy_dtype(data.dtype)
        return wrap(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing ``array``'s memory (float64 stays float64, as torch.from_numpy does)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    _dtype.from_numpy_dtype(array.dtype)
    return wrap(array)


def empty(*shape, size=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """An "uninitialised" tensor: glasstorch fills it with zeros (deterministic, and as cheap with NumPy)."""
    if device is not None:
        check_device(device)
    return _filled(_size(shape, "empty", size), 0.0, dtype or _dtype.get_default_dtype(), requires_grad)


def zeros_like(input: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return _filled(_like_shape(input, "zeros_like"), 0, dtype or input.dtype, requires_grad)


def ones_like(input: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return _filled(_like_shape(input, "ones_like"), 1, dtype or input.dtype, requires_grad)


def empty_like(input: Tensor, dtype=None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return _filled(_like_shape(input, "empty_like"), 0, dtype or input.dtype, requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Values from start (inclusive) to end (exclusive): int64 when all arguments are integers, else float32."""
    if device is not None:
        check_device(device)
    if end is None:
        start, end = 0, start
    values = [v.item() if _is_tensor(v) else v for v in (start, end, step)]
    if dtype is None:
        dtype = _dtype.int64 if all(isinstance(v, (builtins.int, np.integer)) for v in values) else _dtype.get_default_dtype()
    start, end, step = values
    _checks.check_range(start, end, step)
    if dtype is _dtype.bool:
        raise NotImplementedError('"arange_cpu" not implemented for \'Bool\'')
    count = builtins.max(0, int(np.ceil((end - start) / step)))
    array = (start + step * np.arange(count, dtype=np.float64)) if _dtype.to_numpy_dtype(dtype).kind == "f" else np.arange(start, end, step)
    return _leaf(array.astype(_dtype.to_numpy_dtype(dtype)), requires_grad)


def range(start, end, step=1, dtype=None, device=None, requires_grad: bool = False) -> Tensor:  # noqa: A001
    """Deprecated in torch (it warns): values from start to end *inclusive*, float32 unless ``dtype``; use arange."""
    _warnings.warn(_warnings.RANGE)
    if device is not None:
        check_device(device)
    values = [v.item() if _is_tensor(v) else v for v in (start, end, step)]
    start, end, step = values
    _checks.check_range(start, end, step)
    count = builtins.max(0, int(np.floor((end - start) / step)) + 1)
    numpy_dtype = _dtype.to_numpy_dtype(dtype or _dtype.get_default_dtype())
    return _leaf((start + step * np.arange(count, dtype=np.float64)).astype(numpy_dtype), requires_grad)


def linspace(start, end, steps: int, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from start to end, both included."""
    if device is not None:
        check_device(device)
    steps = _checks.steps_arg(steps, "linspace")
    return _leaf(np.linspace(start, end, steps).astype(_float_dtype(dtype)), requires_grad)


def logspace(start, end, steps: int, base: float = 10.0, dtype=None, requires_grad: bool = False) -> Tensor:
    steps = _checks.steps_arg(steps, "logspace")
    return _leaf(np.logspace(start, end, steps, base=base).astype(_float_dtype(dtype)), requires_grad)


def eye(n: int, m: int | None = None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    if device is not None:
        check_device(device)
    n = _checks.count_arg(n, "n", "eye")
    m = None if m is None else _checks.count_arg(m, "m", "eye")
    return _leaf(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad)
