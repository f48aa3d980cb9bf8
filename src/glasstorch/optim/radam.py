"""``RAdam``: Adam whose adaptive step is switched on only once the second-moment estimate can be trusted."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import (Optimizer, ParamsT, check_hyperparameters, check_tensor_lr, _lerp_, _scalar_state, _direction,
                        _ema_square_, _count_step)

__all__ = ["RAdam"]


def _rectification(rho_t: float, rho_inf: float) -> float:
    """r_t = √((ρ_t - 4)(ρ_t - 2)ρ_∞ / ((ρ_∞ - 4)(ρ_∞ - 2)ρ_t)): shrinks the adaptive step while the variance
    of the adaptive learning rate (which ρ_t, the length of the EWA so far, measures) is still large."""
    return ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5


class RAdam(Optimizer):
    r"""RAdam (Liu et al., 2019, "rectified Adam"): plain momentum SGD for the first steps, then Adam scaled by a
    rectification factor, instead of a hand-tuned learning-rate warm-up.

    torch's update (what this class computes), for each parameter θ with gradient g at step t::

        if maximize:        g ← -g
        if weight_decay λ:
            θ ← θ·(1 - lr·λ)      if decoupled_weight_decay (RAdamW)
            g ← g + λ·θ           otherwise
        m ← m + (1 - β1)·(g - m)                        (= β1·m + (1 - β1)·g)
        v ← β2·v + (1 - β2)·g·g
        m̂ = m / (1 - β1^t)
        ρ_∞ = 2/(1 - β2) - 1,   ρ_t = ρ_∞ - 2t·β2^t/(1 - β2^t)
        if ρ_t > 5:   θ ← θ - m̂·lr · √(1 - β2^t)/(√v + ε) · r_t     (r_t: see ``_rectification``)
        else:         θ ← θ - m̂·lr                                  (early steps: momentum SGD)

    With the default β2 = 0.999, ρ_t passes 5 at step 6: the first five steps are bias-corrected momentum SGD.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate (default: 1e-3).
        betas: (β1, β2) (default: (0.9, 0.999)).
        eps: ε, added to the denominator for numerical stability (default: 1e-8).
        weight_decay: λ (default: 0).
        decoupled_weight_decay: shrink the weights directly, as AdamW does (default: False).
        foreach, maximize, capturable, differentiable: as torch (``maximize`` ascends the objective; the others
            select kernels in torch and change nothing here; ``differentiable=True`` is not supported).

    State per parameter: ``"step"`` (a float32 0-d tensor), ``"exp_avg"``, ``"exp_avg_sq"``.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        check_tensor_lr(lr)
        check_hyperparameters(betas, lr=lr, eps=eps)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False, "decoupled_weight_decay": False,
                        "capturable": False}

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one RAdam update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = (float(b) for b in group["betas"])
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            decoupled = group["decoupled_weight_decay"]
            maximize = group["maximize"]
            for _, param, grad, state in self._with_grads(group):
                if not state:
                    state["step"] = _scalar_state()
                    state["exp_avg"] = wrap(np.zeros_like(param))
                    state["exp_avg_sq"] = wrap(np.zeros_like(param))
                step = _count_step(state)
                grad = _direction(param, grad, maximize, weight_decay, lr, decoupled)
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                _lerp_(exp_avg, grad, 1 - beta1)
                scaled = _ema_square_(exp_avg_sq, grad, beta2)

                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                update = exp_avg / bias_correction1
                np.multiply(update, lr, out=update)
                rho_inf = 2 / (1 - beta2) - 1
                rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
                if rho_t > 5.0:
                    adaptive_lr = np.sqrt(exp_avg_sq, out=scaled)  # reuses the scratch buffer
                    np.add(adaptive_lr, eps, out=adaptive_lr)
                    np.reciprocal(adaptive_lr, out=adaptive_lr)  # torch computes number / tensor this way
                    np.multiply(adaptive_lr, bias_correction2 ** 0.5, out=adaptive_lr)
                    np.multiply(update, adaptive_lr, out=update)
                    np.multiply(update, _rectification(rho_t, rho_inf), out=update)
                np.subtract(param, update, out=param)
        return loss
