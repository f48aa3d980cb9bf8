"""Group normalisation, fused: statistics per (sample, group of channels), normalisation, scale and shift in one node
(torch's NativeGroupNormBackward0). Instance normalisation needs no Function of its own: it is batch normalisation
of a (1, N·C, ...) view (see ``_functional_norm.py``)."""
from __future__ import annotations

from ..._backend import np
from ..._layout import contiguous
from ...autograd.function import Function


class NativeGroupNorm(Function):
    """x (N, C, *) is split into G groups of C/G channels; each (sample, group) is normalised with its own mean and
    biased variance, then each channel is scaled and shifted: y = γ_c·x̂ + β_c, x̂ = (x − μ_ng)/√(σ²_ng + ε).

    Backward, over the m = (C/G)·spatial values of one (sample, group), with ĝ = γ_c·g:
        ∂L/∂x = (1/√(σ² + ε))·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))      (LayerNorm's formula, per group)
        ∂L/∂γ_c = Σ_{n, spatial} g·x̂,   ∂L/∂β_c = Σ_{n, spatial} g.
    """

    backward_name = "NativeGroupNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, groups, eps):
        n, c = x.shape[0], x.shape[1]
        per_group = int(np.prod(x.shape[1:])) // groups  # (counted: a -1 cannot size an empty batch)
        grouped = x.reshape(n, groups, per_group)  # (N, G, C/G · spatial)
        mean = grouped.mean(axis=2, keepdims=True)
        centered = grouped - mean
        var = (centered * centered).mean(axis=2, keepdims=True)
        invstd = (1 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        x_hat = (centered * invstd).reshape(x.shape)
        channel = (1, c) + (1,) * (x.ndim - 2)  # γ and β broadcast along the channel axis
        out = x_hat if weight is None else x_hat * weight.reshape(channel)
        if bias is not None:
            out = out + bias.reshape(channel)
        ctx.save_for_backward(x_hat, invstd, weight)
        ctx.groups, ctx.channel = groups, channel
        return contiguous(out)

    @staticmethod
    def backward(ctx, g):
        x_hat, invstd, weight = ctx.saved_tensors
        n, groups = g.shape[0], ctx.groups
        sums = (0,) + tuple(range(2, g.ndim))  # every axis but the channel one
        grad_x = grad_w = grad_b = None
        if ctx.inputs[0] is not None:
            per_group = int(np.prod(g.shape[1:])) // groups
            g_hat = (g if weight is None else g * weight.reshape(ctx.channel)).reshape(n, groups, per_group)
            x_hat_g = x_hat.reshape(n, groups, per_group)
            grad_x = (invstd * (g_hat - g_hat.mean(axis=2, keepdims=True)
                                - x_hat_g * (g_hat * x_hat_g).mean(axis=2, keepdims=True))).reshape(g.shape)
        if ctx.inputs[1] is not None:
            grad_w = (g * x_hat).sum(axis=sums)
        if ctx.inputs[2] is not None:
            grad_b = g.sum(axis=sums)
        return grad_x, grad_w, grad_b, None, None
