"""Layer normalisation and embedding lookups, each one fused node (torch's NativeLayerNormBackward0 and
EmbeddingBackward0)."""
from __future__ import annotations

from ..._backend import np
from ..._layout import contiguous
from ...autograd.function import Function


class NativeLayerNorm(Function):
    """y = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε), μ and the biased σ² taken over the last ``k`` dimensions of each sample
    (``normalized_shape``); γ and β have that shape.
    Backward (over those dimensions, ĝ = γ·g):  ∂L/∂x = (1/√(σ² + ε))·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),
    ∂L/∂γ = Σ g·x̂ and ∂L/∂β = Σ g over the leading dimensions."""

    backward_name = "NativeLayerNormBackward0"

    @staticmethod
    def forward(ctx, x, weight, bias, k, eps):
        axes = tuple(range(x.ndim - k, x.ndim))
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        invstd = (1 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        x_hat = centered * invstd
        out = x_hat if weight is None else x_hat * weight
        if bias is not None:
            out = out + bias
        ctx.save_for_backward(x_hat, invstd, weight)
        ctx.axes, ctx.lead = axes, tuple(range(x.ndim - k))
        return contiguous(out)  # torch's result is contiguous whatever x's layout (~80 ns to check)

    @staticmethod
    def backward(ctx, g):
        x_hat, invstd, weight = ctx.saved_tensors
        grad_x = grad_w = grad_b = None
        if ctx.inputs[0] is not None:
            g_hat = g if weight is None else g * weight
            grad_x = invstd * (g_hat - g_hat.mean(axis=ctx.axes, keepdims=True)
                               - x_hat * (g_hat * x_hat).mean(axis=ctx.axes, keepdims=True))
        if ctx.inputs[1] is not None:
            grad_w = (g * x_hat).sum(axis=ctx.lead)
        if ctx.inputs[2] is not None:
            grad_b = g.sum(axis=ctx.lead)
        return grad_x, grad_w, grad_b, None, None


class Embedding(Function):
    """out[..., :] = weight[index[...], :] (row lookup);  ∂L/∂weight[r] = Σ of g over the places that picked row r,
    except the ``padding_idx`` row, which gets none."""

    backward_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx, weight, index, padding_idx):
        ctx.index, ctx.rows, ctx.padding_idx = index, weight.shape[0], padding_idx
        return weight[index]

    @staticmethod
    def backward(ctx, g):
        grad = np.zeros((ctx.rows,) + g.shape[ctx.index.ndim:], dtype=g.dtype)
        np.add.at(grad, ctx.index, g)  # (rows picked several times add up)
        if ctx.padding_idx is not None:
            grad[ctx.padding_idx] = 0
        return grad, None, None
