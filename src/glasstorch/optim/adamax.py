"""``Adamax``: Adam with the second moment replaced by an exponentially decaying maximum of |g| (the ∞-norm)."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import (Optimizer, ParamsT, check_hyperparameters, check_tensor_lr, _lerp_, _scalar_state, _direction,
                        _count_step)

__all__ = ["Adamax"]


class Adamax(Optimizer):
    r"""Adamax (Kingma & Ba, 2015, section 7): Adam's √v becomes u, a running maximum of |g| that decays by β2.

    torch's update (what this class computes), for each parameter θ with gradient g at step t::

        if maximize:        g ← -g
        if weight_decay λ:  g ← g + λ·θ
        m ← m + (1 - β1)·(g - m)                        (= β1·m + (1 - β1)·g)
        u ← max(β2·u, |g| + ε)                          (state "exp_inf"; needs no bias correction)
        θ ← θ - (lr / (1 - β1^t))·m / u

    Adam's v is an EWA of g², i.e. of the 2-norm; letting the norm's order go to ∞ gives this maximum, which is
    never smaller than the latest |g|, so a step can never be larger than about lr.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate (default: 2e-3).
        betas: (β1, β2) (default: (0.9, 0.999)).
        eps: ε, added to |g| so that u is never 0 (default: 1e-8).
        weight_decay: L2 penalty λ (default: 0).
        foreach, maximize, differentiable, capturable: as torch (``maximize`` ascends the objective; the others
            select kernels in torch and change nothing here; ``differentiable=True`` is not supported).

    State per parameter: ``"step"`` (a float32 0-d tensor), ``"exp_avg"``, ``"exp_inf"``.
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        check_tensor_lr(lr)
        check_hyperparameters(betas, lr=lr, eps=eps)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one Adamax update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = (float(b) for b in group["betas"])
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            maximize = group["maximize"]
            for _, param, grad, state in self._with_grads(group):
                if not state:
                    state["step"] = _scalar_state()
                    state["exp_avg"] = wrap(np.zeros_like(param))
                    state["exp_inf"] = wrap(np.zeros_like(param))
                step = _count_step(state)
                grad = _direction(param, grad, maximize, weight_decay)
                exp_avg = state["exp_avg"]._data
                exp_inf = state["exp_inf"]._data
                _lerp_(exp_avg, grad, 1 - beta1)
                np.multiply(exp_inf, beta2, out=exp_inf)
                norm = np.abs(grad)
                np.add(norm, eps, out=norm)
                np.maximum(exp_inf, norm, out=exp_inf)
                clr = lr / (1 - beta1 ** step)
                update = np.multiply(exp_avg, -clr, out=norm)  # reuses the |g| + ε buffer
                np.divide(update, exp_inf, out=update)
                np.add(param, update, out=param)
        return loss
