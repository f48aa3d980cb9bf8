"""TensorBase: the storage and autograd fields of a tensor, below the math methods that ``Tensor`` adds.

The autograd layer creates tensors (``wrap``) without importing ``glasstorch._tensor``: that module registers its
``Tensor`` class here as the type of every operation's result.
"""
from __future__ import annotations

from .._backend import np


class TensorBase:
    """An ndarray (``_data``) plus what autograd needs: requires_grad, grad (``_grad``), grad_fn.

    ``Tensor.grad`` is a property (it warns on a non-leaf and checks what is assigned, as torch does); the library's own
    code (the engine, the optimizers, zero_grad, clip_grad_*) reads and writes the ``_grad`` slot directly."""

    # (_hooks: a leaf's register_hook hooks, {handle id: hook}, or None; a non-leaf's live on its grad_fn)
    __slots__ = ("_data", "requires_grad", "_grad", "grad_fn", "_retains_grad", "_hooks", "__weakref__")

    # The class of tensors that operations return; glasstorch._tensor sets it to Tensor.
    result_type: type = None  # type: ignore[assignment]


def wrap(data: np.ndarray, requires_grad: bool = False, grad_fn=None):
    """Makes a result tensor around ``data`` without copying or checking (the hot path of every operation)."""
    t = object.__new__(TensorBase.result_type)
    t._data = data
    t.requires_grad = requires_grad
    t._grad = None
    t.grad_fn = grad_fn
    t._retains_grad = False
    t._hooks = None
    return t
