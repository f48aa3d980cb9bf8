"""Module backward hooks (``register_full_backward_hook``, ``register_full_backward_pre_hook``), built as torch builds
them: while a module with such hooks runs, its tensor inputs and outputs pass through identity nodes
(BackwardHookFunctionBackward) whose backward collects the gradients, so that

- pre-hooks ``hook(module, grad_output) -> None or new grad_output`` run once the gradients of the outputs are known,
  before they enter the module;
- hooks ``hook(module, grad_input, grad_output) -> None or new grad_input`` run once the gradients of the tensor
  inputs are known, before they leave the module (or, with torch's warning, at the outputs when no input requires
  grad: grad_input is then all None).

One group of tensors is routed through one collecting node (``_Collect``, made first) and one identity node per tensor
(``_Pass``, made after it). The engine runs nodes newest first, so every ``_Pass`` of a group has handed in its
gradient when the group's ``_Collect`` runs; it calls the hooks and sends the (possibly replaced) gradients on.
"""
from __future__ import annotations

import warnings

from ..._backend import np
from ...autograd import grad_mode
from ...autograd.function import AccumulateGrad, Function
from ...autograd.tensor_base import TensorBase, wrap

_NO_INPUT_GRAD_WARNING = (
    "Full backward hook is firing when gradients are computed with respect to module outputs since no inputs require "
    "gradients. See https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
    "#torch.nn.Module.register_full_backward_hook for more details.")


class _Group:
    """The gradients that one group's identity nodes received, and what to do with them."""

    def __init__(self, size: int, on_grads):
        self.grads, self.on_grads = [None] * size, on_grads


class _Collect(Function):
    """Joins a group: its output is a token the group's identity nodes depend on; its backward hands the gradients
    they collected to ``on_grads`` and passes what that returns to the group's tensors."""

    backward_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, group, *arrays):
        ctx.group = group
        return np.zeros((), np.float32)

    @staticmethod
    def backward(ctx, g):
        return (None, *ctx.group.on_grads(ctx.group.grads))


class _Pass(Function):
    """The identity, for one tensor of a group: records the gradient it receives for the group's ``_Collect``."""

    backward_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx, token, array, group, i):
        ctx.group, ctx.i = group, i
        return array

    @staticmethod
    def backward(ctx, g):
        ctx.group.grads[ctx.i] = g
        return np.zeros((), np.float32), None, None, None

    @property
    def next_functions(self) -> tuple:
        """What made the routed tensor, as torch shows it (the gradient reaches it through the group's _Collect)."""
        collect = self.parents[0]
        return ((collect.parents[self.i + 1] or AccumulateGrad(collect.inputs[self.i + 1]), 0),)


def _route(tensors: list, on_grads) -> list:
    """Stand-ins for ``tensors`` (each requiring grad) whose gradients, once all known, go through ``on_grads``."""
    group = _Group(len(tensors), on_grads)
    token = _Collect.apply(group, *tensors)
    return [_Pass.apply(token, t._data, group, i) for i, t in enumerate(tensors)]


def _replacement(result, expected: int, what: str, originals: list) -> list:
    """The gradients a hook returned in place of ``originals``, checked as torch checks them."""
    if not isinstance(result, (tuple, list)):
        raise RuntimeError(f"Backward hook must return None or a tuple of {what}, but got {type(result).__name__}")
    if len(result) != expected:
        hook_kind = "Backward pre hook" if what == "grad_output" else "Backward hook"
        raise RuntimeError(f"{hook_kind} returned an invalid number of {what}, got {len(result)}, but expected {expected}")
    for new, old in zip(result, originals):
        if new is not None and old is not None and tuple(new.shape) != tuple(old.shape):
            raise RuntimeError(f"Backward hook returned a {what} of shape {list(new.shape)} where the gradient has shape "
                               f"{list(old.shape)}")
    return list(result)


class HookedCall:
    """One call of a module that has backward hooks: routes its inputs and outputs, then runs the hooks in backward."""

    def __init__(self, module, args: tuple):
        self.module = module
        self.inputs = [a for a in args if isinstance(a, TensorBase)]  # grad_input has one entry per tensor input
        self.routed = [i for i, t in enumerate(self.inputs) if t.requires_grad] if grad_mode.state.enabled else []
        self.grad_output: tuple = ()

    def route_inputs(self, args: tuple) -> tuple:
        if not self.routed:
            return args
        stand_ins = iter(_route([self.inputs[i] for i in self.routed], self._input_grads))
        routed = {id(self.inputs[i]) for i in self.routed}
        return tuple(next(stand_ins) if isinstance(a, TensorBase) and id(a) in routed else a for a in args)

    def route_outputs(self, result):
        outputs = [result] if isinstance(result, TensorBase) else list(result) if isinstance(result, (tuple, list)) else []
        tensors = [o for o in outputs if isinstance(o, TensorBase)]
        wanted = [j for j, t in enumerate(tensors) if t.requires_grad] if grad_mode.state.enabled else []
        if not wanted:
            return result
        self.output_count, self.wanted_outputs = len(tensors), wanted
        stand_ins = dict(zip(wanted, _route([tensors[j] for j in wanted], self._output_grads)))
        rebuilt, j = [], 0
        for o in outputs:
            if isinstance(o, TensorBase):
                o, j = stand_ins.get(j, o), j + 1
            rebuilt.append(o)
        if isinstance(result, TensorBase):
            return rebuilt[0]
        return result._make(rebuilt) if hasattr(result, "_make") else type(result)(rebuilt)  # (namedtuples too)

    def _output_grads(self, grads: list) -> list:
        grad_output = [None] * self.output_count
        for j, g in zip(self.wanted_outputs, grads):
            grad_output[j] = None if g is None else wrap(g)
        for hook in list(self.module._backward_pre_hooks.values()):
            result = hook(self.module, tuple(grad_output))
            if result is not None:
                grad_output = _replacement(result, self.output_count, "grad_output", grad_output)
        self.grad_output = tuple(grad_output)
        if not self.routed and self.module._backward_hooks:  # nothing will reach the inputs: the hooks run now
            warnings.warn(_NO_INPUT_GRAD_WARNING, UserWarning, stacklevel=2)
            for hook in list(self.module._backward_hooks.values()):
                hook(self.module, (None,) * len(self.inputs), self.grad_output)
        return [None if grad_output[j] is None else grad_output[j]._data for j in self.wanted_outputs]

    def _input_grads(self, grads: list) -> list:
        grad_input = [wrap(np.zeros_like(t._data)) for t in self.inputs]  # (torch's zeros for inputs without grad)
        for i, g in zip(self.routed, grads):
            grad_input[i] = None if g is None else wrap(g)
        for hook in list(self.module._backward_hooks.values()):
            result = hook(self.module, tuple(grad_input), self.grad_output)
            if result is not None:
                grad_input = _replacement(result, len(self.inputs), "grad_input", grad_input)
        return [None if grad_input[i] is None else grad_input[i]._data for i in self.routed]
