"""``Adadelta``: RMSprop whose learning rate is itself an RMS, of the past updates, so units match."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import (Optimizer, ParamsT, check_hyperparameters, check_tensor_lr, _scalar_state, _direction,
                        _ema_square_, _count_step)

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012): each element's step is RMS(past updates) / RMS(past gradients) · g.

    torch's update (what this class computes), for each parameter θ with gradient g (ρ = rho)::

        if maximize:        g ← -g
        if weight_decay λ:  g ← g + λ·θ
        v ← ρ·v + (1 - ρ)·g·g                           (state "square_avg", starts at 0)
        Δ ← √(u + ε) / √(v + ε) · g                     (u: state "acc_delta", starts at 0)
        u ← ρ·u + (1 - ρ)·Δ·Δ
        θ ← θ - lr·Δ

    The numerator √(u + ε) plays the role of a learning rate that adapts to the size of recent updates; the
    paper has no lr at all, which is torch's default lr = 1.0.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: scales Δ before it is applied (default: 1.0).
        rho: ρ, the decay of both running averages (default: 0.9).
        eps: ε, inside both square roots (default: 1e-6).
        weight_decay: L2 penalty λ (default: 0).
        foreach, capturable, maximize, differentiable: as torch (``maximize`` ascends the objective; the others
            select kernels in torch and change nothing here; ``differentiable=True`` is not supported).

    State per parameter: ``"step"`` (a float32 0-d tensor), ``"square_avg"``, ``"acc_delta"``.
    """

    def __init__(self, params: ParamsT, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_hyperparameters(eps=eps, weight_decay=weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one Adadelta update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            rho = group["rho"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            maximize = group["maximize"]
            for _, param, grad, state in self._with_grads(group):
                if not state:
                    state["step"] = _scalar_state()
                    state["square_avg"] = wrap(np.zeros_like(param))
                    state["acc_delta"] = wrap(np.zeros_like(param))
                _count_step(state)
                grad = _direction(param, grad, maximize, weight_decay)
                square_avg = state["square_avg"]._data
                acc_delta = state["acc_delta"]._data
                scaled = _ema_square_(square_avg, grad, rho)
                std = np.add(square_avg, eps, out=scaled)  # reuses the scratch buffer
                np.sqrt(std, out=std)
                delta = acc_delta + eps
                np.sqrt(delta, out=delta)
                np.divide(delta, std, out=delta)
                np.multiply(delta, grad, out=delta)
                np.multiply(acc_delta, rho, out=acc_delta)
                scaled = np.multiply(delta, 1 - rho, out=std)
                np.multiply(scaled, delta, out=scaled)
                np.add(acc_delta, scaled, out=acc_delta)
                np.multiply(delta, -lr, out=delta)
                np.add(param, delta, out=param)
        return loss
