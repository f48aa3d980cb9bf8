"""Matrix products."""
from __future__ import annotations

from .._backend import np
from ..autograd.function import AccumulateGrad, Function, GraphView
from .bool_kernels import BOOL, refuse_bool_matmul


class _MatMulNames:
    """torch picks a kernel by the operands' dimensions, and names MatMul's node after it (``ctx.ndims``)."""

    def _kind_name(self) -> str:
        return {(1, 1): "DotBackward0", (2, 1): "MvBackward0", (2, 2): "MmBackward0",
                (1, 2): "SqueezeBackward4"}.get(self.ndims, "UnsafeViewBackward0")


class MatMul(_MatMulNames, Function):
    """out = a @ b (1-D, 2-D and batched, as np.matmul);  ∂/∂a = g @ bᵀ,  ∂/∂b = aᵀ @ g.

    1-D operands are lifted to matrices for the backward and dropped again; batch broadcasting is undone by the engine.
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.ndims = a.ndim, b.ndim
        out = a @ b
        if out.dtype is BOOL:  # NumPy multiplies bool matrices; torch has no kernel for them
            refuse_bool_matmul(a, b)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        needs_a, needs_b = ctx.inputs[0] is not None, ctx.inputs[1] is not None
        if a.ndim == 2 and b.ndim == 2:  # the common case, as plain matrix products
            return (g @ b.T if needs_a else None), (a.T @ g if needs_b else None)
        return _vector_or_batched_grads(g, a, b, needs_a, needs_b)


def _vector_or_batched_grads(g, a, b, needs_a: bool, needs_b: bool) -> tuple:
    """MatMul's gradients for 1-D or batched operands: the same g @ bᵀ and aᵀ @ g, on matrices (a 1-D operand lifted
    to one, and dropped again; a dot product's g is a number)."""
    if a.ndim == 1 and b.ndim == 1:
        return (g * b if needs_a else None), (g * a if needs_b else None)
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    if a.ndim == 1:
        g = np.expand_dims(g, -2)
    if b.ndim == 1:
        g = np.expand_dims(g, -1)
    grad_a = grad_b = None
    if needs_a:
        grad_a = g @ b2.swapaxes(-1, -2)
        if a.ndim == 1:
            grad_a = grad_a[..., 0, :]
    if needs_b:
        grad_b = a2.swapaxes(-1, -2) @ g
        if b.ndim == 1:
            grad_b = grad_b[..., :, 0]
    return grad_a, grad_b


class _AddmmNames:
    """torch computes a linear layer as addmm(bias, x, Wᵀ), or mm(x, Wᵀ) without a bias, and its graph shows that."""

    def name(self) -> str:
        return "AddmmBackward0" if self.parents[2] is not False else "MmBackward0"

    @property
    def next_functions(self) -> tuple:
        """As torch lists addmm's inputs: the bias first, then x, then Wᵀ (a TBackward0 in front of the weight)."""
        def entry(i):
            t, p = self.inputs[i], self.parents[i]
            return (None if t is None else (p or AccumulateGrad(t)), 0)
        weight = entry(1)
        transposed = (None if weight[0] is None else GraphView("TBackward0", (weight,)), 0)
        return ((entry(2),) if self.parents[2] is not False else ()) + (entry(0), transposed)


def _times_transposed(x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """x·Wᵀ, as W·xᵀ transposed back for a few rows and a large W: ~2.3x faster there, as OpenBLAS's x·Wᵀ kernel is
    slow for a few rows (8×128→256: 23 → 10 µs; float32 rounding of another summation order)."""
    if x.ndim == 2 and x.shape[0] <= 16 and weight.size >= 16384:
        return np.ascontiguousarray((weight @ np.ascontiguousarray(x.T)).T)
    return x @ weight.T


class Linear(_AddmmNames, Function):
    """out = x Wᵀ + b (the fully connected layer z = Wx + b, batched);  ∂/∂x = g W,  ∂/∂W = gᵀ x,  ∂/∂b = Σ g.

    Fused into one node (rather than matmul, transpose and add) because it is the hot path of every MLP:
    one graph node instead of three, and the weight gradient as one 2-D product.
    """

    backward_name = "AddmmBackward0"
    exact_grads = True  # (bias is None or of shape (out,): checked by nn.functional.linear)

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        out = _times_transposed(x, weight)  # x·Wᵀ
        if bias is not None:
            out += bias
        return out

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        needs_x, needs_w, needs_b = ctx.inputs
        grad_x = g @ weight if needs_x is not None else None
        if g.ndim != 2:  # batched (..., in) inputs: every row of every batch is one sample
            rows = int(np.prod(g.shape[:-1]))  # (counted: a -1 cannot size an empty g)
            g, x = g.reshape(rows, g.shape[-1]), x.reshape(rows, x.shape[-1])
        grad_w = g.T @ x if needs_w is not None else None
        grad_b = np.add.reduce(g, axis=0) if needs_b is not None else None  # (ndarray.sum adds a Python wrapper)
        return grad_x, grad_w, grad_b


class Addmm(Function):
    """out = β·c + α·(m1 @ m2), c broadcast to the product's shape (skipped when β = 0, NaN included, as torch);
    ∂/∂c = β·g,  ∂/∂m1 = α·g m2ᵀ,  ∂/∂m2 = α·m1ᵀ g."""

    backward_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx, c, m1, m2, beta, alpha):
        ctx.save_for_backward(m1, m2)
        ctx.beta, ctx.alpha = beta, alpha
        out = m1 @ m2
        if alpha != 1:
            out *= alpha
        if beta != 0:
            out += c if beta == 1 else c * beta
        return out

    @staticmethod
    def backward(ctx, g):
        m1, m2 = ctx.saved_tensors
        beta, alpha = ctx.beta, ctx.alpha
        grad_c = (g if beta == 1 else g * beta) if ctx.inputs[0] is not None else None
        scaled = g if alpha == 1 else g * alpha
        grad_m1 = scaled @ m2.T if ctx.inputs[1] is not None else None
        grad_m2 = m1.T @ scaled if ctx.inputs[2] is not None else None
        return grad_c, grad_m1, grad_m2, None, None
