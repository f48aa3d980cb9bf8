"""Batch normalisation, fused: statistics, normalisation, scale and shift in one node (torch's
NativeBatchNormBackward0), with the running statistics updated in place during training."""
from __future__ import annotations

from ..._backend import np
from ..._layout import contiguous
from ...autograd.function import Function


class NativeBatchNorm(Function):
    """y = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε), per channel (axis 1), over the batch and spatial axes.

    Training: μ and σ² are the batch mean and *biased* variance; the running statistics become
    running ← (1 − momentum)·running + momentum·batch, with the *unbiased* variance n/(n−1)·σ² for running_var.
    Evaluation: μ and σ² are the running statistics (constants).
    Backward (training, n values per channel, ĝ = γ·g):
        ∂L/∂x = (1/√(σ² + ε))·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),   ∂L/∂γ = Σ g·x̂,   ∂L/∂β = Σ g.
    In evaluation ∂L/∂x = γ·g/√(σ² + ε).
    """

    backward_name = "NativeBatchNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, running_mean, running_var, training, momentum, eps):
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        if training:
            mean = x.mean(axis=axes)
            centered = x - mean.reshape(shape)
            var = (centered * centered).mean(axis=axes)
            n = x.size // x.shape[1]
            if running_mean is not None:
                running_mean *= 1 - momentum
                running_mean += momentum * mean
            if running_var is not None:
                running_var *= 1 - momentum
                running_var += (momentum * n / (n - 1)) * var
        else:
            centered = x - running_mean.reshape(shape)
            var = running_var
        invstd = (1 / np.sqrt(var + eps)).astype(x.dtype, copy=False).reshape(shape)
        x_hat = centered * invstd
        out = x_hat if weight is None else x_hat * weight.reshape(shape)
        if bias is not None:
            out = out + bias.reshape(shape)
        ctx.save_for_backward(x_hat, invstd, weight)
        ctx.axes, ctx.shape, ctx.training = axes, shape, training
        return contiguous(out)  # torch's result is contiguous whatever x's layout (~80 ns to check)

    @staticmethod
    def backward(ctx, g):
        x_hat, invstd, weight = ctx.saved_tensors
        axes, shape = ctx.axes, ctx.shape
        grad_x = grad_w = grad_b = None
        if ctx.inputs[0] is not None:
            g_hat = g if weight is None else g * weight.reshape(shape)
            if ctx.training:
                grad_x = invstd * (g_hat - g_hat.mean(axis=axes, keepdims=True)
                                   - x_hat * (g_hat * x_hat).mean(axis=axes, keepdims=True))
            else:
                grad_x = g_hat * invstd
        if ctx.inputs[1] is not None:
            grad_w = (g * x_hat).sum(axis=axes)
        if ctx.inputs[2] is not None:
            grad_b = g.sum(axis=axes)
        return grad_x, grad_w, grad_b, None, None, None, None, None
