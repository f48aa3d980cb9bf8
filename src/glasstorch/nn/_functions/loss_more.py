"""Functions for the less common losses, where composing existing operations cannot give torch's numbers:
``xlogy`` (0·log 0 = 0, which x·log y gets wrong) and the soft margin loss (a fused node in torch, whose target
takes no gradient). ``g`` is the gradient of the output; broadcasting is undone by the engine.
"""
from __future__ import annotations

from ..._backend import np
from ...autograd.function import Function
from ...autograd.function import needs_grad as _needs


class Xlogy(Function):
    """out = x·log y, with out = 0 where x = 0 (unless y is NaN: NaN), as torch's ``xlogy``.
    ∂/∂x = log y where x ≠ 0, 0 where x = 0;  ∂/∂y = x/y (NaN at x = y = 0, as torch)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = x * np.log(y)
        return np.where((x == 0) & ~np.isnan(y), np.zeros((), dtype=out.dtype), out)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        grad_x = grad_y = None
        with np.errstate(divide="ignore", invalid="ignore"):
            if _needs(ctx, 0):
                log_y = np.log(y)
                grad_x = g * np.where((x != 0) | np.isnan(y), log_y, np.zeros((), dtype=log_y.dtype))
            if _needs(ctx, 1):
                grad_y = g * x / y
        return grad_x, grad_y


class SoftMarginLoss(Function):
    """Per element ℓ = log(1 + e^(−y·x)) (y = ±1), then reduced ("none", "mean", "sum");
    ∂ℓ/∂x = −y·z/(1 + z) with z = e^(−y·x) (divided by the number of elements for "mean"). No gradient for y."""

    @staticmethod
    def forward(ctx, x, y, reduction):
        ctx.reduction = reduction
        ctx.save_for_backward(x, y)
        with np.errstate(over="ignore"):
            per_element = np.log1p(np.exp(-(x * y))).astype(x.dtype, copy=False)
        if reduction == "none":
            return per_element
        total = np.add.reduce(per_element, axis=None)
        if reduction == "sum":
            return np.asarray(total, dtype=x.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(total / per_element.size, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        scale = 1.0 / x.size if ctx.reduction == "mean" and x.size else 1.0
        with np.errstate(over="ignore", invalid="ignore"):
            z = np.exp(-(y * x)).astype(x.dtype, copy=False)
            grad = (-scale * y * z / (1 + z) * g).astype(x.dtype, copy=False)
        return grad, None, None
