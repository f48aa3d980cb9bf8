"""``ASGD``: SGD with a decaying step size that also keeps a running average of the iterates (Polyak averaging)."""
from __future__ import annotations

from typing import Any, Callable

from .._backend import np
from ..autograd.tensor_base import wrap
from .optimizer import (Optimizer, ParamsT, check_hyperparameters, check_tensor_lr, _scalar_state, _direction,
                        _count_step)

__all__ = ["ASGD"]


def _step_size(lr: float, lambd: float, alpha: float, step: float) -> float:
    """η_t = lr / (1 + λ·lr·t)^α: the step size for the next update, decaying polynomially with the step count t."""
    return lr / ((1 + lambd * lr * step) ** alpha)


def _averaging_weight(step: float, t0: float) -> float:
    """μ_t = 1 / max(1, t - t0): 1 (no averaging, ax just copies θ) until step t0, then the weight of a plain
    running mean of the iterates since t0."""
    return 1 / max(1, step - t0)


class ASGD(Optimizer):
    r"""Averaged SGD (Polyak & Juditsky, 1992): plain SGD steps with a decaying step size; the average of the
    iterates (``state["ax"]``), not the last one, is the estimate with the good convergence guarantees.

    torch's update (what this class computes), for each parameter θ with gradient g at step t (λ = lambd)::

        if maximize:        g ← -g
        if weight_decay:    g ← g + weight_decay·θ
        θ ← θ·(1 - λ·η)                                 (η: state "eta", starts at lr)
        θ ← θ - η·g
        if μ ≠ 1:  ax ← ax + μ·(θ - ax)                 (μ: state "mu", starts at 1)
        else:      ax ← θ
        η ← lr / (1 + λ·lr·t)^α,   μ ← 1 / max(1, t - t0)   (for the next step)

    ``step`` only moves θ; reading the average means reading ``optimizer.state[p]["ax"]`` (e.g. copying it into
    the model for evaluation), as in torch.

    Args:
        params: tensors or param-group dicts to optimize.
        lr: learning rate (default: 1e-2).
        lambd: decay term λ (default: 1e-4).
        alpha: power α of the step-size decay (default: 0.75).
        t0: step at which averaging starts (default: 1e6).
        weight_decay: L2 penalty (default: 0).
        foreach, maximize, differentiable, capturable: as torch (``maximize`` ascends the objective; the others
            select kernels in torch and change nothing here; ``differentiable=True`` is not supported).

    State per parameter: ``"step"``, ``"eta"``, ``"mu"`` (float32 0-d tensors) and ``"ax"``.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        check_tensor_lr(lr)
        check_hyperparameters(lr=lr, weight_decay=weight_decay)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)
        self._check_differentiable()

    _group_fallbacks = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for s in self.state.values():  # numbers saved as plain floats become the 0-d tensors torch keeps
            for key in ("eta", "mu"):
                if key in s and not hasattr(s[key], "_data"):
                    s[key] = _scalar_state(float(s[key]))

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one ASGD update of every parameter that has a gradient; returns the closure's loss if given."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            lr = float(group["lr"])
            lambd = group["lambd"]
            alpha = group["alpha"]
            t0 = group["t0"]
            weight_decay = group["weight_decay"]
            maximize = group["maximize"]
            for _, param, grad, state in self._with_grads(group):
                if not state:
                    state["step"] = _scalar_state()
                    state["eta"] = _scalar_state(lr)
                    state["mu"] = _scalar_state(1.0)
                    state["ax"] = wrap(np.zeros_like(param))
                step = _count_step(state)
                grad = _direction(param, grad, maximize, weight_decay)
                eta = float(state["eta"]._data)
                np.multiply(param, 1 - lambd * eta, out=param)
                np.add(param, grad * -eta, out=param)
                ax = state["ax"]._data
                mu = state["mu"]._data
                if float(mu) != 1:
                    diff = param - ax
                    np.multiply(diff, mu, out=diff)
                    np.add(ax, diff, out=ax)
                else:
                    np.copyto(ax, param)
                state["eta"]._data[...] = _step_size(lr, lambd, alpha, step)
                mu[...] = _averaging_weight(step, t0)
        return loss
