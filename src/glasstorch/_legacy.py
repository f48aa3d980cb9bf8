"""The legacy typed tensor classes of older tutorials: ``torch.FloatTensor``, ``DoubleTensor``, ``LongTensor``,
``IntTensor``, ``ShortTensor``, ``CharTensor``, ``ByteTensor``, ``BoolTensor``, ``HalfTensor``.

As in torch, each is a constructor and a type test, not a subclass of Tensor:

- ``FloatTensor(2, 3)`` or ``FloatTensor(Size([2, 3]))``: an uninitialised tensor of that shape (glasstorch fills it
  with zeros); ``FloatTensor([1, 2])`` / ``FloatTensor(array)``: the data as float32 (a tuple is data, as in torch);
  ``FloatTensor()``: ``tensor([])``; ``FloatTensor(t)``: ``t`` itself when its dtype matches (torch's alias);
- ``isinstance(x, FloatTensor)``: x is a float32 tensor (parameters included);
- ``x.type(FloatTensor)`` casts (Tensor.type reads the class's ``dtype``); ``set_default_tensor_type(DoubleTensor)``
  sets the default dtype.
"""
from __future__ import annotations

import builtins
import warnings

from . import _dtype, _names
from ._backend import np
from ._creation import empty, tensor
from ._device import parse_device
from ._tensor import Size, Tensor

_DTYPES = {"FloatTensor": _dtype.float32, "DoubleTensor": _dtype.float64, "HalfTensor": _dtype.float16,
           "LongTensor": _dtype.int64, "IntTensor": _dtype.int32, "ShortTensor": _dtype.int16,
           "CharTensor": _dtype.int8, "ByteTensor": _dtype.uint8, "BoolTensor": _dtype.bool}


class tensortype(type):
    """The class of the legacy tensor types: ``isinstance`` compares dtypes, the repr names the package."""

    def __instancecheck__(cls, obj) -> builtins.bool:
        return isinstance(obj, Tensor) and obj._data.dtype == cls.dtype.numpy

    def __repr__(cls) -> str:
        return f"<class '{_names.prefix}.{cls.__name__}'>"

    def __call__(cls, *args, device=None, size=None) -> Tensor:
        if device is not None:
            kind = parse_device(device)[0] if isinstance(device, str) else device.type
            if kind != "cpu":
                raise RuntimeError(f"legacy constructor expects device type: cpu but device type: {kind} was passed")
        return _new(cls, args, size)


def _new(cls: tensortype, args: tuple, size) -> Tensor:
    dtype = cls.dtype
    if size is not None:
        args = (Size(size),)
    if not args:
        return tensor([], dtype=dtype)
    if all(isinstance(a, (builtins.int, np.integer)) and not isinstance(a, builtins.bool) for a in args):
        return empty(*args, dtype=dtype)
    if len(args) > 1:
        raise TypeError(f"new(): invalid combination of arguments: expected sizes (ints) or one sequence of data, "
                        f"got {tuple(type(a).__name__ for a in args)}")
    data = args[0]
    if isinstance(data, Size):
        return empty(data, dtype=dtype)
    if isinstance(data, Tensor):
        if data.dtype is not dtype:
            raise TypeError(f"expected {dtype} (got {data.dtype})")
        return data
    if isinstance(data, (builtins.float, builtins.int, builtins.bool, str)):
        raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
    if isinstance(data, np.ndarray):
        return tensor(data.astype(dtype.numpy))
    return tensor(data, dtype=dtype)


_TYPES = {name: tensortype(name, (), {"dtype": dtype, "is_cuda": False, "is_sparse": False,
                                      "__module__": "glasstorch", "__doc__": f"The legacy {dtype} tensor type."})
          for name, dtype in _DTYPES.items()}
FloatTensor, DoubleTensor, HalfTensor = _TYPES["FloatTensor"], _TYPES["DoubleTensor"], _TYPES["HalfTensor"]
LongTensor, IntTensor, ShortTensor = _TYPES["LongTensor"], _TYPES["IntTensor"], _TYPES["ShortTensor"]
CharTensor, ByteTensor, BoolTensor = _TYPES["CharTensor"], _TYPES["ByteTensor"], _TYPES["BoolTensor"]

_DEPRECATED = ("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use torch.set_default_dtype() "
               "and torch.set_default_device() as alternatives.")


def set_default_tensor_type(t) -> None:
    """The default dtype from a legacy type or its name (``DoubleTensor``, ``"torch.DoubleTensor"``), with torch's
    deprecation warning; only floating types, as torch."""
    if isinstance(t, str):
        prefix, _, name = t.rpartition(".")
        t = _TYPES.get(name) if prefix in ("torch", "glasstorch") else None
        if t is None:
            raise TypeError("invalid type object: only floating-point types are supported as the default type")
    elif not isinstance(t, tensortype):
        raise TypeError("invalid type object: only floating-point types are supported as the default type")
    warnings.warn(_DEPRECATED, UserWarning, stacklevel=2)
    if not t.dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _dtype.set_default_dtype(t.dtype)
