"""The ``glasstorch.fn(tensor, ...)`` forms of tensor methods, and the functions that take several tensors."""
from __future__ import annotations

import builtins  # this module defines any, all, max, min... (torch's functional names)
from collections.abc import Sequence

from . import _dtype
from ._creation import tensor
from ._dims import axis as _axis
from ._functions import shape as S
from ._tensor import Tensor, _is_tensor
from ._tensor_math import where  # noqa: F401 - re-exported
from .autograd.tensor_base import TensorBase


def _as_tensor(x) -> Tensor:
    return x if _is_tensor(x) else tensor(x)


def _same_dtype(tensors: Sequence[Tensor]) -> list:
    target = tensors[0]._data
    for t in tensors[1:]:
        if t._data.dtype != target.dtype:
            target = target.astype(_dtype.promote(target, t._data), copy=False)
    return [t if t._data.dtype == target.dtype else t.to(target.dtype) for t in tensors]


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Joins tensors along an existing dimension."""
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    tensors = _same_dtype([_as_tensor(t) for t in tensors])
    shapes = [t._data.shape for t in tensors]
    axis = _axis(dim, len(shapes[0]))
    for s in shapes[1:]:
        if len(s) != len(shapes[0]) or builtins.any(a != b for i, (a, b) in enumerate(zip(s, shapes[0])) if i != axis):
            raise RuntimeError(f"Sizes of tensors must match except in dimension {axis}. Expected size "
                               f"{[n for i, n in enumerate(shapes[0]) if i != axis]} but got size {[n for i, n in enumerate(s) if i != axis]}")
    return S.Cat.apply(axis, *tensors)


concat = concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Joins tensors of equal shape along a new dimension."""
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    tensors = _same_dtype([_as_tensor(t) for t in tensors])
    first = tensors[0]._data.shape
    for i, t in enumerate(tensors[1:], 1):
        if t._data.shape != first:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 and "
                               f"{list(t._data.shape)} at entry {i}")
    return S.Stack.apply(dim % (len(first) + 1), *tensors)


def hstack(tensors):
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1)


def vstack(tensors):
    return cat([t.reshape(1, -1) if t.dim() == 1 else t for t in tensors], 0)


def maximum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return input.maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return input.minimum(other)


def max(input: Tensor, dim=None, keepdim: bool = False):  # noqa: A001, A002
    return input.max(dim, keepdim)


def min(input: Tensor, dim=None, keepdim: bool = False):  # noqa: A001, A002
    return input.min(dim, keepdim)


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    return input.equal(other)


def _method(name: str):
    """``glasstorch.name(t, *args)`` calling ``t.name(*args)``: the functional spelling torch also offers."""

    def function(input, *args, **kwargs):  # noqa: A002
        if not isinstance(input, TensorBase):  # (inline, not _as_tensor: torch.relu(x) is on every forward)
            input = tensor(input)  # noqa: A001
        return getattr(input, name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``glasstorch.{name}(input, ...)`` is ``input.{name}(...)``; see Tensor.{name}."
    return function


METHOD_FUNCTIONS = (
    "add sub subtract mul multiply div divide true_divide remainder fmod pow neg negative abs absolute exp log log1p "
    "log2 log10 sqrt rsqrt square sin cos tanh sigmoid relu reciprocal sign floor ceil round trunc clamp clip lerp "
    "sum mean nansum prod var std amax amin argmax argmin logsumexp softmax log_softmax cumsum sort argsort topk "
    "unique reshape flatten unflatten squeeze unsqueeze transpose swapaxes swapdims t permute split chunk unbind "
    "clone flip gather scatter index_select masked_fill nonzero matmul mm dot outer isnan isinf isfinite isclose "
    "allclose any all eq ne lt le gt ge greater less greater_equal less_equal not_equal logical_and logical_or "
    "logical_xor logical_not numel is_floating_point detach norm"
).split()

for _name in METHOD_FUNCTIONS:
    globals()[_name] = _method(_name)
del _name
