"""The vector p-norm  ‖a‖_p = (Σ |a|^p)^(1/p)  over some dimensions (``Tensor.norm``, ``linalg.vector_norm``)."""
from __future__ import annotations

import math

from .._backend import np
from ..autograd.function import Function


class VectorNorm(Function):
    """‖a‖_p over ``dim`` (every element when None), one node for every p:

    p = 2: √(Σ a²),  ∂ = a / ‖a‖;        p = 1: Σ |a|,  ∂ = sign(a);
    p = ±∞: max / min |a|,  ∂ = sign(a) shared among the elements that reach it;
    p = 0: the number of non-zeros,  no gradient;   other p: (Σ |a|^p)^(1/p),  ∂ = sign(a)·|a|^(p−1) / ‖a‖^(p−1).
    Where the norm is 0 the gradient is 0, as torch takes it.
    """

    backward_name = "LinalgVectorNormBackward0"

    @staticmethod
    def forward(ctx, a, p, dim, keepdim):
        ctx.p, ctx.dim = p, dim
        magnitude = np.abs(a)
        if p == 2:
            norm = np.sqrt(np.sum(a * a, axis=dim, keepdims=True))
        elif p == 1:
            norm = np.sum(magnitude, axis=dim, keepdims=True)
        elif math.isinf(p):
            norm = (np.max if p > 0 else np.min)(magnitude, axis=dim, keepdims=True)
        elif p == 0:
            norm = np.sum(a != 0, axis=dim, keepdims=True, dtype=a.dtype)
        else:
            norm = np.sum(magnitude ** p, axis=dim, keepdims=True) ** (1 / p)
        ctx.save_for_backward(a, norm)
        if keepdim:
            return norm
        return norm.reshape(()) if dim is None else np.squeeze(norm, axis=dim)

    @staticmethod
    def backward(ctx, g):
        a, norm = ctx.saved_tensors
        p, g = ctx.p, np.reshape(g, norm.shape)  # (norm kept the reduced axes: g broadcasts against a)
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 0:  # (torch hands back no gradient at all: .grad stays None)
                return None, None, None, None
            if p == 1:
                grad = np.sign(a) * g
            elif p == 2:
                grad = a * np.where(norm == 0, 0, g / norm)
            elif math.isinf(p):
                reaches = (np.abs(a) == norm) | np.isnan(a)
                grad = np.sign(a) * (g / np.sum(reaches, axis=ctx.dim, keepdims=True)) * reaches
            elif p < 1:
                grad = np.sign(a) * np.where(a == 0, 0, np.abs(a) ** (p - 1)) * g * norm ** (1 - p)
            else:
                grad = np.sign(a) * np.abs(a) ** (p - 1) * np.where(norm == 0, 0, g / norm ** (p - 1))
        return grad.astype(a.dtype, copy=False), None, None, None
