"""The ``out=`` argument of torch's functions (``torch.matmul(a, b, out=c)``): the result is written into ``out``,
which is returned, as torch does:

- ``out``'s dtype is kept; the result is cast to it when torch's rule allows (no floating → integer, no number →
  bool), else torch's RuntimeError ``result type Float can't be cast to the desired output type Long``;
- an ``out`` of another shape is resized (with torch's deprecation warning when it held elements);
- no gradient flows through ``out=``: torch's RuntimeError when an argument requires grad (with grad enabled).
"""
from __future__ import annotations

import warnings

from . import _dtype
from .autograd import is_grad_enabled
from .autograd.tensor_base import TensorBase

_RESIZED = ("An output with one or more elements was resized since it had shape {old}, which does not match the "
            "required output shape {new}. This behavior is deprecated, and in a future PyTorch release outputs will "
            "not be resized unless they have zero elements. You can explicitly reuse an out tensor t by resizing it, "
            "inplace, to zero elements with t.resize_(0).")


def _castable(source, target) -> bool:
    if source.kind == "f" and target.kind in "iub":
        return False
    return not (target.kind == "b" and source.kind != "b")


def write_out(name: str, out, result, inputs: tuple):
    """Writes ``result`` (a tensor, or a tuple of them for a tuple ``out``) into ``out``; returns ``out``."""
    if isinstance(result, tuple) and isinstance(out, (tuple, list)):
        for target, value in zip(out, result):
            write_out(name, target, value, inputs)
        return out
    if not isinstance(out, TensorBase):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if is_grad_enabled() and any(isinstance(x, TensorBase) and x.requires_grad for x in inputs):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")
    data = result._data
    if not _castable(data.dtype, out._data.dtype):
        raise RuntimeError(f"result type {_dtype.legacy_name(data)} can't be cast to the desired output type "
                           f"{_dtype.legacy_name(out._data)}")
    if out._data.shape == data.shape:
        out._data[...] = data
    else:
        if out._data.size:
            warnings.warn(_RESIZED.format(old=list(out._data.shape), new=list(data.shape)), UserWarning,
                          stacklevel=3)
        out._data = data.astype(out._data.dtype, copy=True)
    return out
