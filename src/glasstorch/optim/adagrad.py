"""``Adagrad``: a per-element learning rate that shrinks with the sum of all past squared gradients."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import (Optimizer, ParamsT, check_hyperparameters, check_tensor_lr, _scalar_state, _direction,
                        _count_step)

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""AdaGrad: each element's step is divided by the root of its accumulated squared gradients.

    The course::

        s_t = s_{t-1} + g_t ⊙ g_t                  (s_0 = 0)
        w_t = w_{t-1} - η / (√s_t + σ) · g_t        (σ = 1e-10)

    torch's update (what this class computes), for each parameter θ with gradient g at step t::

        if maximize:        g ← -g
        if weight_decay λ:  g ← g + λ·θ
        clr ← lr / (1 + (t - 1)·lr_decay)
        s ← s + g·g                                   (s starts at initial_accumulator_value)
        θ ← θ - clr·g / (√s + eps)

    With the defaults (lr_decay=0, initial_accumulator_value=0, eps=1e-10) this is the course's formula exactly;
    torch adds the optional learning-rate decay, weight decay and a non-zero starting sum. The course's printed
    numbers (lr=0.01 on w²/2 from w=1): 0.99, then 0.99 - 0.01·0.99/√(1 + 0.99²) = 0.982965.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate η (default: 1e-2).
        lr_decay: learning-rate decay per step (default: 0).
        weight_decay: L2 penalty λ (default: 0).
        initial_accumulator_value: starting value of the sum s (default: 0).
        eps: σ, added to √s for numerical stability (default: 1e-10).
        foreach, maximize, differentiable, fused: as torch (``maximize`` ascends the objective; the others select
            kernels in torch and change nothing here; ``differentiable=True`` is not supported).

    State per parameter, created at construction as torch does: ``"step"`` (a float32 0-d tensor) and ``"sum"``.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        check_tensor_lr(lr)
        check_hyperparameters(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                              initial_accumulator_value=initial_accumulator_value,
                              eps=eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        self._check_differentiable()
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(self.state[p], p._data, group)

    @staticmethod
    def _init_state(state: dict[str, Any], param: np.ndarray, group: dict[str, Any]) -> None:
        state["step"] = _scalar_state()
        state["sum"] = wrap(np.full_like(param, group["initial_accumulator_value"]))

    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False, "fused": None}

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one Adagrad update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            lr_decay = group["lr_decay"]
            weight_decay = group["weight_decay"]
            eps = group["eps"]
            maximize = group["maximize"]
            # the hot path: plain ndarrays and in-place ufuncs (out=), outside autograd (see Optimizer)
            for p, param, grad, state in self._with_grads(group):
                if not state:  # a parameter added with add_param_group after construction
                    self._init_state(state, param, group)
                step = _count_step(state)
                grad = _direction(param, grad, maximize, weight_decay)
                clr = lr / (1 + (step - 1) * lr_decay)
                state_sum = state["sum"]._data
                square = grad * grad
                np.add(state_sum, square, out=state_sum)
                std = np.sqrt(state_sum, out=square)  # the square is no longer needed: reuse its buffer
                np.add(std, eps, out=std)
                update = grad * -clr
                np.divide(update, std, out=update)
                np.add(param, update, out=param)
        return loss
