"""``Rprop``: each element moves by its own step size, grown or shrunk by whether its gradient's sign changed."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import Optimizer, ParamsT, check_tensor_lr, _scalar_state, _count_step

__all__ = ["Rprop"]


class Rprop(Optimizer):
    r"""Rprop (resilient backpropagation, Riedmiller & Braun, 1993): only the sign of the gradient is used; the
    size of each element's step adapts on its own.

    torch's update (what this class computes), for each parameter θ with gradient g (η⁻, η⁺ = etas)::

        if maximize:        g ← -g
        s = sign(g·g_prev)                               (g_prev: state "prev", starts at 0)
        factor = η⁺ where s > 0 (same sign again: speed up),
                 η⁻ where s < 0 (sign flipped: we jumped over a minimum, slow down),
                 1  where s = 0
        Δ ← clamp(Δ·factor, step_size_min, step_size_max)     (Δ: state "step_size", starts at lr)
        g ← 0 where s < 0                                (after a flip, wait one step before moving again)
        θ ← θ - sign(g)·Δ
        g_prev ← g

    Rprop ignores the gradient's magnitude, so it suits full-batch training; with mini-batches the sign flips
    from batch noise shrink the steps.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: the initial step size Δ of every element (default: 1e-2).
        etas: (η⁻, η⁺), 0 < η⁻ < 1 < η⁺ (default: (0.5, 1.2)).
        step_sizes: (minimum, maximum) step size (default: (1e-6, 50)).
        capturable, foreach, maximize, differentiable: as torch (``maximize`` ascends the objective; the others
            select kernels in torch and change nothing here; ``differentiable=True`` is not supported).

    State per parameter: ``"step"`` (a float32 0-d tensor), ``"prev"``, ``"step_size"``.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        check_tensor_lr(lr)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one Rprop update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            maximize = group["maximize"]
            for _, param, grad, state in self._with_grads(group):
                if not state:
                    state["step"] = _scalar_state()
                    state["prev"] = wrap(np.zeros_like(param))
                    state["step_size"] = wrap(np.full_like(param, float(group["lr"])))
                _count_step(state)
                grad = np.negative(grad) if maximize else grad.copy()  # a copy: its flipped elements are zeroed
                prev = state["prev"]._data
                step_size = state["step_size"]._data
                factor = np.sign(grad * prev)  # becomes η⁺, η⁻ or 1 element by element
                flipped = factor < 0
                factor[factor > 0] = etaplus
                factor[flipped] = etaminus
                factor[factor == 0] = 1
                np.multiply(step_size, factor, out=step_size)
                np.clip(step_size, step_size_min, step_size_max, out=step_size)
                grad[flipped] = 0
                np.subtract(param, np.sign(grad) * step_size, out=param)
                np.copyto(prev, grad)
        return loss
