"""Automatic differentiation: Function, grad mode switches, and ``grad``."""
from __future__ import annotations

from collections.abc import Sequence

from .._backend import np
from . import engine
from .function import Function
from .gradcheck import gradcheck
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .tensor_base import TensorBase, wrap
from .variable import Variable
from .. import _names

__all__ = ["Function", "Variable", "grad", "backward", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"]


def _as_tuple(x) -> tuple:
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def grad(outputs, inputs, grad_outputs=None, retain_graph: bool | None = None, create_graph: bool = False,
         allow_unused: bool | None = None, materialize_grads: bool = False) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs``, returned (``.grad`` is left untouched)."""
    if create_graph:
        raise NotImplementedError("glasstorch: autograd.grad(create_graph=True) (higher-order gradients) is not supported")
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    seeds = _seeds(outputs, grad_outputs)
    if not all(t.requires_grad for t in inputs):
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    totals = engine.run_backward(list(zip(outputs, seeds)), bool(retain_graph), inputs)  # one joint backward
    result = []
    for t in inputs:
        g = totals[id(t)]
        if g is None:
            if not (allow_unused or materialize_grads):
                raise RuntimeError("One of the differentiated Tensors appears to not have been used in the graph. "
                                   "Set allow_unused=True if this is the desired behavior.")
            result.append(wrap(np.zeros_like(t._data)) if materialize_grads else None)
        else:
            result.append(wrap(np.array(g, dtype=t._data.dtype)))
    return tuple(result)


def backward(tensors, grad_tensors=None, retain_graph: bool | None = None, create_graph: bool = False,
             inputs=None) -> None:
    """``autograd.backward(outputs)``: one backward pass from all the outputs together (a graph they share is walked
    once), accumulating into the leaves' ``.grad`` (or only into ``inputs``' ``.grad``, as ``Tensor.backward``)."""
    if create_graph:
        raise NotImplementedError("glasstorch: backward(create_graph=True) (higher-order gradients) is not supported")
    tensors = _as_tuple(tensors)
    roots = list(zip(tensors, _seeds(tensors, grad_tensors)))
    if inputs is None:
        engine.run_backward(roots, bool(retain_graph))
    else:
        engine.backward_into(inputs, roots, bool(retain_graph))


def _size(shape: tuple) -> str:
    return f"{_names.prefix}.Size({list(shape)})"


def _seeds(outputs: Sequence[TensorBase], grad_outputs) -> list:
    grads = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    seeds = []
    for output, g in zip(outputs, grads):
        if not output.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if output._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            seeds.append(np.ones_like(output._data))
        else:
            seed = np.array(g._data if isinstance(g, TensorBase) else g, dtype=output._data.dtype)
            if seed.shape != output._data.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[{len(seeds)}] has a shape of "
                                   f"{_size(seed.shape)} and output[{len(seeds)}] has a shape of {_size(output._data.shape)}.")
            seeds.append(seed)
    return seeds
