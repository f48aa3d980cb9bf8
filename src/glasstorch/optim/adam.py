"""``Adam``: momentum (an EWA of gradients) and RMSProp (an EWA of squared gradients), both bias-corrected."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import TensorBase, wrap
from .optimizer import (Optimizer, ParamsT, check_hyperparameters, check_tensor_lr, _lerp_, _scalar_state, _direction,
                        _ema_square_, _count_step)

__all__ = ["Adam"]


class Adam(Optimizer):
    r"""Adam (adaptive moment estimation): Momentum and RMSProp together.

    The course::

        m_t = β1·m_{t-1} + (1 - β1)·g_t                 first moment (EWA of the gradient)
        s_t = β2·s_{t-1} + (1 - β2)·g_t²                second moment (EWA of the squared gradient)
        m̂_t = m_t / (1 - β1^t),   ŝ_t = s_t / (1 - β2^t)  bias correction (m_0 = s_0 = 0 pull early EWAs to 0)
        w_t = w_{t-1} - η / (√ŝ_t + ε) · m̂_t

    torch's update (what this class computes), for each parameter θ with gradient g at step t::

        if maximize:        g ← -g
        if weight_decay λ:
            θ ← θ·(1 - lr·λ)      if decoupled_weight_decay (AdamW)
            g ← g + λ·θ           otherwise (L2 penalty folded into the gradient)
        m ← m + (1 - β1)·(g - m)                        (= β1·m + (1 - β1)·g, torch's lerp)
        v ← β2·v + (1 - β2)·g·g
        if amsgrad:  v_max ← max(v_max, v);  d ← √v_max / √(1 - β2^t) + ε
        else:        d ← √v / √(1 - β2^t) + ε
        θ ← θ - (lr / (1 - β1^t))·m / d

    This is the course's formula: torch folds the corrections into the step size and the denominator, which is
    the same as √ŝ_t + ε. The course's printed numbers (lr=0.01, betas=(0.9, 0.99) on w²/2 from w=1): the first
    step moves by exactly lr (m̂_1/√ŝ_1 = g/|g|) to 0.99, then 0.980003.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate (default: 1e-3).
        betas: (β1, β2), both floats in [0, 1) (default: (0.9, 0.999)).
        eps: ε, added to the denominator for numerical stability (default: 1e-8).
        weight_decay: λ (default: 0).
        amsgrad: use the maximum of all second moments so far (AMSGrad) (default: False).
        maximize: ascend the objective instead of descending (default: False).
        decoupled_weight_decay: shrink the weights directly instead of adding λ·θ to the gradient; this is AdamW
            (default: False).
        foreach, capturable, differentiable, fused: accepted for torch compatibility; every path computes the same
            update here (``differentiable=True`` is not supported).

    State per parameter: ``"step"`` (a float32 0-d tensor), ``"exp_avg"``, ``"exp_avg_sq"``, and ``"max_exp_avg_sq"``
    with amsgrad.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        check_tensor_lr(lr)
        check_hyperparameters(betas, lr=lr, eps=eps)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], TensorBase) and isinstance(betas[1], TensorBase))):
            raise ValueError("betas must be either both floats or both Tensors")
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                        "differentiable": False, "decoupled_weight_decay": False, "fused": None}

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one Adam update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = (float(b) for b in group["betas"])
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            amsgrad = group["amsgrad"]
            maximize = group["maximize"]
            decoupled = group["decoupled_weight_decay"]
            # the hot path: plain ndarrays and in-place ufuncs (out=), outside autograd (see Optimizer)
            for _, param, grad, state in self._with_grads(group):
                if not state:
                    state["step"] = _scalar_state()
                    state["exp_avg"] = wrap(np.zeros_like(param))
                    state["exp_avg_sq"] = wrap(np.zeros_like(param))
                    if amsgrad:
                        state["max_exp_avg_sq"] = wrap(np.zeros_like(param))
                step = _count_step(state)
                grad = _direction(param, grad, maximize, weight_decay, lr, decoupled)
                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                _lerp_(exp_avg, grad, 1 - beta1)
                scaled = _ema_square_(exp_avg_sq, grad, beta2)

                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                step_size = lr / bias_correction1
                bias_correction2_sqrt = bias_correction2 ** 0.5
                if amsgrad:
                    max_exp_avg_sq = state["max_exp_avg_sq"]._data
                    np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
                    denom = np.sqrt(max_exp_avg_sq, out=scaled)
                else:
                    denom = np.sqrt(exp_avg_sq, out=scaled)  # reuses the scratch buffer of (1 - β2)·g·g
                np.divide(denom, bias_correction2_sqrt, out=denom)
                np.add(denom, eps, out=denom)
                update = exp_avg * -step_size
                np.divide(update, denom, out=update)
                np.add(param, update, out=param)
        return loss
