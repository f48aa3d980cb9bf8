"""``RMSprop``: a per-element learning rate from an exponentially weighted average of squared gradients."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import (Optimizer, ParamsT, check_hyperparameters, check_tensor_lr, _lerp_, _scalar_state, _direction,
                        _ema_square_, _count_step)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSProp: AdaGrad with the sum of squared gradients replaced by their exponentially weighted average.

    The course::

        s_t = β·s_{t-1} + (1 - β)·g_t ⊙ g_t          (s_0 = 0)
        w_t = w_{t-1} - η / (√s_t + σ) · g_t

    torch's update (what this class computes), for each parameter θ with gradient g; α (``alpha``) is the course's β::

        if maximize:        g ← -g
        if weight_decay λ:  g ← g + λ·θ
        v ← α·v + (1 - α)·g·g                          (v starts at 0)
        if centered:
            ḡ ← ḡ + (1 - α)·(g - ḡ)                   (EWA of the gradient, ḡ starts at 0)
            d ← √(v - ḡ·ḡ) + eps
        else:
            d ← √v + eps
        if momentum μ > 0:
            b ← μ·b + g / d                            (b starts at 0)
            θ ← θ - lr·b
        else:
            θ ← θ - lr·g / d

    With the defaults this is the course's formula; torch's eps default is 1e-8 (the course's σ is 1e-10), and
    ``centered`` (divide by an estimate of the variance instead of the second moment) and ``momentum`` are torch's
    additions. The course's printed numbers (lr=0.01, alpha=0.9 on w²/2 from w=1): 1 - 0.01/√0.1 = 0.968377, then
    0.945788.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate (default: 1e-2).
        alpha: smoothing constant α (default: 0.99).
        eps: added to the denominator for numerical stability (default: 1e-8).
        weight_decay: L2 penalty λ (default: 0).
        momentum: momentum factor μ (default: 0).
        centered: normalise by the estimated variance of the gradient (default: False).
        capturable, foreach, maximize, differentiable: as torch (``maximize`` ascends the objective; the others
            select kernels in torch and change nothing here; ``differentiable=True`` is not supported).

    State per parameter: ``"step"`` (a float32 0-d tensor), ``"square_avg"``, and ``"momentum_buffer"`` (momentum > 0)
    and ``"grad_avg"`` (centered).
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        check_tensor_lr(lr)
        check_hyperparameters(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"momentum": 0, "centered": False, "foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one RMSprop update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            alpha = group["alpha"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            momentum = group["momentum"]
            centered = group["centered"]
            maximize = group["maximize"]
            # the hot path: plain ndarrays and in-place ufuncs (out=), outside autograd (see Optimizer)
            for _, param, grad, state in self._with_grads(group):
                if not state:
                    state["step"] = _scalar_state()
                    state["square_avg"] = wrap(np.zeros_like(param))
                    if momentum > 0:
                        state["momentum_buffer"] = wrap(np.zeros_like(param))
                    if centered:
                        state["grad_avg"] = wrap(np.zeros_like(param))
                _count_step(state)
                grad = _direction(param, grad, maximize, weight_decay)
                square_avg = state["square_avg"]._data
                _ema_square_(square_avg, grad, alpha)
                if centered:
                    grad_avg = state["grad_avg"]._data
                    _lerp_(grad_avg, grad, 1 - alpha)
                    avg = np.negative(grad_avg)
                    np.multiply(avg, grad_avg, out=avg)
                    np.add(square_avg, avg, out=avg)
                    np.sqrt(avg, out=avg)
                else:
                    avg = np.sqrt(square_avg)
                np.add(avg, eps, out=avg)
                if momentum > 0:
                    buf = state["momentum_buffer"]._data
                    np.multiply(buf, momentum, out=buf)
                    np.divide(grad, avg, out=avg)
                    np.add(buf, avg, out=buf)
                    np.subtract(param, buf * lr, out=param)
                else:
                    update = grad * -lr
                    np.divide(update, avg, out=update)
                    np.add(param, update, out=param)
        return loss

