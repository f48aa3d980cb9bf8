"""``SGD``: stochastic gradient descent, optionally with momentum (heavy ball or Nesterov)."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import Optimizer, ParamsT, check_tensor_lr

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent (optionally with momentum).

    The course: plain gradient descent ``w_t = w_{t-1} - η·g_t``; Momentum replaces the gradient by its
    exponentially weighted average (EWA)::

        s_t = β·s_{t-1} + (1 - β)·g_t          (s_1 = g_1)
        w_t = w_{t-1} - η·s_t

    torch's update (what this class computes), for each parameter θ with gradient g at step t::

        if maximize:        g ← -g
        if weight_decay λ:  g ← g + λ·θ                       (L2 penalty folded into the gradient)
        if momentum μ ≠ 0:
            b ← g                          at t = 1
            b ← μ·b + (1 - τ)·g            at t > 1            (τ = dampening)
            g ← g + μ·b   if nesterov  else   g ← b
        θ ← θ - lr·g

    Where they differ: torch's buffer is not an average. With the default ``dampening=0`` the new gradient is added
    with weight 1, not (1 - β), so the buffer settles at g/(1 - μ), ten times the course's s_t for μ = 0.9 (the
    course's EWA is ``dampening = momentum``, except at t = 1). The course's own printed numbers follow torch:
    lr=0.01, momentum=0.9 on w²/2 from w=1 give 0.99, then 0.99 - 0.01·(0.9·1 + 0.99) = 0.9711.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate (default: 1e-3).
        momentum: momentum factor μ (default: 0).
        dampening: dampening τ of the gradient added to the momentum buffer (default: 0).
        weight_decay: L2 penalty λ (default: 0).
        nesterov: use Nesterov momentum; needs momentum > 0 and dampening = 0 (default: False).
        maximize: ascend the objective instead of descending (default: False).
        foreach, differentiable, fused: accepted for torch compatibility; every path computes the same update here
            (``differentiable=True`` is not supported).

    State per parameter: ``"momentum_buffer"`` (only when momentum ≠ 0).
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        check_tensor_lr(lr)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach, "differentiable": differentiable,
                    "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"nesterov": False, "maximize": False, "foreach": None, "differentiable": False, "fused": False}

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one SGD update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            momentum = group["momentum"]
            dampening = group["dampening"]
            weight_decay = group["weight_decay"]
            nesterov = group["nesterov"]
            maximize = group["maximize"]
            # the hot path: plain ndarrays and in-place ufuncs (out=), outside autograd (see Optimizer)
            for p in group["params"]:
                if p._grad is None:
                    continue
                param = p._data
                d_p = p._grad._data  # read only: the gradient itself is never written
                if maximize:
                    d_p = np.negative(d_p)
                if weight_decay != 0:
                    d_p = d_p + param * weight_decay
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = np.array(d_p)  # a copy, and an array even where 0-d arithmetic gave a NumPy scalar
                        state["momentum_buffer"] = wrap(buf)
                    else:
                        buf = buf._data
                        np.multiply(buf, momentum, out=buf)
                        np.add(buf, d_p if dampening == 0 else d_p * (1 - dampening), out=buf)
                    d_p = d_p + buf * momentum if nesterov else buf
                np.subtract(param, d_p * lr, out=param)
        return loss
