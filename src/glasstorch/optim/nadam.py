"""``NAdam``: Adam with Nesterov momentum (the step looks ahead along the momentum it is about to apply)."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import (Optimizer, ParamsT, check_hyperparameters, check_tensor_lr, _direction, _ema_square_, _lerp_,
                        _scalar_state, _count_step)

__all__ = ["NAdam"]


def _momentum_coefficient(beta1: float, step: float, momentum_decay: float) -> float:
    """μ_t = β1·(1 - ½·0.96^(t·ψ)): NAdam's momentum, warming up towards β1 as t grows (ψ = momentum_decay)."""
    return beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))


class NAdam(Optimizer):
    r"""NAdam (Dozat, 2016): Adam whose momentum term is Nesterov's, i.e. it uses next step's momentum now.

    torch's update (what this class computes), for each parameter θ with gradient g at step t::

        if maximize:        g ← -g
        if weight_decay λ:
            θ ← θ·(1 - lr·λ)      if decoupled_weight_decay (NAdamW)
            g ← g + λ·θ           otherwise
        μ_t = β1·(1 - ½·0.96^(t·ψ)),   μ_{t+1} = β1·(1 - ½·0.96^((t+1)·ψ))      ψ = momentum_decay
        Π_t = μ_1·μ_2·…·μ_t                             (state "mu_product", a float32 number)
        m ← m + (1 - β1)·(g - m)                        (= β1·m + (1 - β1)·g)
        v ← β2·v + (1 - β2)·g·g
        d ← √(v / (1 - β2^t)) + ε
        θ ← θ - lr·(1 - μ_t)/(1 - Π_t) · g / d          the gradient's share of the Nesterov step
        θ ← θ - lr·μ_{t+1}/(1 - Π_t·μ_{t+1}) · m / d    the momentum's share, with next step's μ

    Compared with Adam, the bias-corrected momentum m̂ is replaced by μ_{t+1}·m̂_{t+1} + (1 - μ_t)·ĝ_t: the
    momentum is applied as it will be after this step (look-ahead), and the fresh gradient is added on top.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate (default: 2e-3).
        betas: (β1, β2) (default: (0.9, 0.999)).
        eps: ε, added to the denominator for numerical stability (default: 1e-8).
        weight_decay: λ (default: 0).
        momentum_decay: ψ, how fast μ_t approaches β1 (default: 4e-3).
        decoupled_weight_decay: shrink the weights directly, as AdamW does (default: False).
        foreach, maximize, capturable, differentiable: as torch (``maximize`` ascends the objective; the others
            select kernels in torch and change nothing here; ``differentiable=True`` is not supported).

    State per parameter: ``"step"`` and ``"mu_product"`` (float32 0-d tensors), ``"exp_avg"``, ``"exp_avg_sq"``.
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        check_tensor_lr(lr)
        check_hyperparameters(betas, lr=lr, eps=eps)
        check_hyperparameters(weight_decay=weight_decay, momentum_decay=momentum_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"maximize": False, "foreach": None, "capturable": False, "differentiable": False,
                        "decoupled_weight_decay": False}

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for s in self.state.values():  # a product saved as a plain number becomes the 0-d tensor torch keeps
            if "mu_product" in s and not hasattr(s["mu_product"], "_data"):
                s["mu_product"] = _scalar_state(float(s["mu_product"]))

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one NAdam update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            beta1, beta2 = (float(b) for b in group["betas"])
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            momentum_decay = group["momentum_decay"]
            decoupled = group["decoupled_weight_decay"]
            maximize = group["maximize"]
            for _, param, grad, state in self._with_grads(group):
                if not state:
                    state["step"] = _scalar_state()
                    state["mu_product"] = _scalar_state(1.0)
                    state["exp_avg"] = wrap(np.zeros_like(param))
                    state["exp_avg_sq"] = wrap(np.zeros_like(param))
                step = _count_step(state)
                grad = _direction(param, grad, maximize, weight_decay, lr, decoupled)
                bias_correction2 = 1 - beta2 ** step
                mu = _momentum_coefficient(beta1, step, momentum_decay)
                mu_next = _momentum_coefficient(beta1, step + 1, momentum_decay)
                mu_product_t = state["mu_product"]._data
                mu_product_t *= mu  # a float32 product, as torch keeps it
                mu_product = float(mu_product_t)

                exp_avg = state["exp_avg"]._data
                exp_avg_sq = state["exp_avg_sq"]._data
                _lerp_(exp_avg, grad, 1 - beta1)
                scaled = _ema_square_(exp_avg_sq, grad, beta2)

                denom = np.divide(exp_avg_sq, bias_correction2, out=scaled)  # reuses the scratch buffer
                np.sqrt(denom, out=denom)
                np.add(denom, eps, out=denom)
                update = grad * (-lr * (1.0 - mu) / (1.0 - mu_product))
                np.divide(update, denom, out=update)
                np.add(param, update, out=param)
                update = exp_avg * ((-lr * mu_next) / (1.0 - mu_product * mu_next))
                np.divide(update, denom, out=update)
                np.add(param, update, out=param)
        return loss
