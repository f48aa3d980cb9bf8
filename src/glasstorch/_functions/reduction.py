"""Reductions over all elements or along ``dim``; each backward spreads ``g`` back over the reduced axes."""
from __future__ import annotations

from .._backend import np
from .._layout import contiguous  # torch's reductions, softmax and cumsum give contiguous results, whatever the input
from ..autograd.function import Function


def _restore(g: np.ndarray, dim, keepdim: bool) -> np.ndarray:
    """Puts back the axes a reduction removed, so that ``g`` broadcasts against the input."""
    if dim is None or keepdim:
        return g
    return np.expand_dims(g, dim)


def _expand(g, shape: tuple) -> np.ndarray:
    """``g`` broadcast to ``shape`` as a read-only view. A single number (the gradient of a full reduction such as
    ``loss.sum()``) takes a zero-stride view directly: ~0.3 µs instead of np.broadcast_to's ~2.5 µs."""
    if not isinstance(g, np.ndarray) or g.ndim == 0:
        view = np.ndarray(shape, g.dtype, g, 0, (0,) * len(shape))
        view.flags.writeable = False
        return view
    return np.broadcast_to(g, shape)


class Sum(Function):
    """out = Σ a over dim;  ∂/∂a = 1 for every summed element."""

    def _kind_name(self) -> str:
        return "SumBackward0" if self.dim is None else "SumBackward1"

    @staticmethod
    def forward(ctx, a, dim, keepdim, numpy_dtype):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        out = a.sum(dim, numpy_dtype, None, keepdim)  # the ndarray method: np.sum's dispatch costs ~1 µs
        return out if dim is None else contiguous(out)  # (a sum of everything is 0-d: no layout check)

    @staticmethod
    def backward(ctx, g):
        return _expand(_restore(g, ctx.dim, ctx.keepdim), ctx.shape), None, None, None


class Mean(Function):
    """out = (1/n) Σ a over dim;  ∂/∂a = 1/n."""

    def _kind_name(self) -> str:
        return "MeanBackward0" if self.dim is None else "MeanBackward1"

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        count = a.size
        if dim is not None:
            count = 1
            for d in dim:
                count *= a.shape[d]
        ctx.count = count
        if count:
            out = a.sum(dim, None, None, keepdim) / count  # what np.mean computes, without its Python-level overhead
        else:  # the mean of nothing is NaN, silently as in torch
            with np.errstate(invalid="ignore"):
                out = a.sum(dim, None, None, keepdim) / a.dtype.type(0)
        return out if dim is None else contiguous(out)  # (a mean of everything is 0-d: no layout check)

    @staticmethod
    def backward(ctx, g):
        if not ctx.count:  # (an empty input: nothing to hand the gradient to)
            return np.zeros(ctx.shape, g.dtype), None, None
        return _expand(_restore(g, ctx.dim, ctx.keepdim) / ctx.count, ctx.shape), None, None


class Prod(Function):
    """out = Π a over dim;  ∂/∂aᵢ = product of all the other elements (computed without dividing, so zeros work)."""

    def _kind_name(self) -> str:
        return "ProdBackward0" if self.dim is None else "ProdBackward1"

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.save_for_backward(a)
        ctx.dim, ctx.keepdim = dim, keepdim
        return contiguous(np.prod(a, axis=dim, keepdims=keepdim))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        axis = ctx.dim
        flat = a.reshape(-1) if axis is None else np.moveaxis(a, axis, -1)
        ones = np.ones_like(flat[..., :1])
        left = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
        right = np.flip(np.cumprod(np.concatenate([ones, np.flip(flat, -1)[..., :-1]], axis=-1), axis=-1), -1)
        others = left * right
        others = others.reshape(a.shape) if axis is None else np.moveaxis(others, -1, axis)
        return _restore(g, None if axis is None else (axis,), ctx.keepdim) * others, None, None


class MaxMin(Function):
    """The largest (``largest``) or smallest values over ``dim`` (all axes when None);  the gradient is shared evenly
    among the elements that tie for the extreme (torch's rule for max(), min(), amax() and amin())."""

    def _kind_name(self) -> str:
        return "MaxBackward1" if self.largest else "MinBackward1"

    @staticmethod
    def forward(ctx, a, dim, keepdim, largest):
        ctx.dim, ctx.keepdim, ctx.largest = dim, keepdim, largest
        out = contiguous((np.max if largest else np.min)(a, axis=dim, keepdims=keepdim))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        hit = a == _restore(out, ctx.dim, ctx.keepdim)
        count = np.sum(hit, axis=ctx.dim, keepdims=True)
        return _restore(g, ctx.dim, ctx.keepdim) * hit / count, None, None, None


class MaxMinDim(Function):
    """Max or min along ``dim`` (values; the indices are computed outside):  the gradient goes to the chosen index."""

    def _kind_name(self) -> str:
        return "MaxBackward0" if self.largest else "MinBackward0"

    @staticmethod
    def forward(ctx, a, indices, dim, keepdim, largest):
        ctx.save_for_backward(indices)
        ctx.shape, ctx.dim, ctx.keepdim, ctx.largest = a.shape, dim, keepdim, largest
        values = np.take_along_axis(a, np.expand_dims(indices, dim) if not keepdim else indices, axis=dim)
        return values if keepdim else np.squeeze(values, axis=dim)

    @staticmethod
    def backward(ctx, g):
        (indices,) = ctx.saved_tensors
        grad = np.zeros(ctx.shape, dtype=g.dtype)
        index = indices if ctx.keepdim else np.expand_dims(indices, ctx.dim)
        np.put_along_axis(grad, index, g if ctx.keepdim else np.expand_dims(g, ctx.dim), axis=ctx.dim)
        return grad, None, None, None, None


def _max_kept(a: np.ndarray, axis) -> np.ndarray:
    """The maximum along ``axis``, kept as size-1 axes; −∞ for an empty tensor's slices (NumPy refuses a maximum
    of nothing; softmax and logsumexp of an empty tensor are empty, or −∞ where a reduced slice is empty)."""
    return np.max(a, axis=axis, keepdims=True) if a.size else np.max(a, axis=axis, keepdims=True, initial=-np.inf)


def _shifted_log_sum_exp(a: np.ndarray, axis) -> tuple:
    """(m, log Σ e^(a−m)) with m the maximum along ``axis`` (kept as size-1 axes): no exponent overflows, and terms
    that round to 0 are meant to (underflow is not reported). An all −∞ slice gets m = 0, so its result is −∞."""
    m = _max_kept(a, axis)
    if not np.isfinite(m).all():
        m = np.where(np.isfinite(m), m, 0)
    with np.errstate(under="ignore", divide="ignore"):
        return m, np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True))


def logsumexp_array(a: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    """log Σ eᵃ computed as m + log Σ e^(a−m) with m the maximum, so large inputs do not overflow."""
    m, log_sum = _shifted_log_sum_exp(a, axis)
    out = log_sum + m
    return out if keepdims else np.squeeze(out, axis=axis)


class LogSumExp(Function):
    """out = log Σ eᵃ over dim;  ∂/∂a = eᵃ⁻ᵒᵘᵗ = softmax(a)."""

    backward_name = "LogsumexpBackward0"

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        out = contiguous(logsumexp_array(a, dim, keepdim))
        ctx.save_for_backward(a, out)
        ctx.dim, ctx.keepdim = dim, keepdim
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        with np.errstate(under="ignore"):
            return _restore(g, ctx.dim, ctx.keepdim) * np.exp(a - _restore(out, ctx.dim, ctx.keepdim)), None, None


class Softmax(Function):
    """softmax(zᵢ) = e^zᵢ / Σⱼ e^zⱼ along dim;  ∂L/∂z = out·(g − Σ g·out)."""

    @staticmethod
    def forward(ctx, a, dim):
        with np.errstate(under="ignore"):  # e^(z − max) rounding to 0 is the right answer
            e = np.exp(a - _max_kept(a, dim))
        out = contiguous(e / np.sum(e, axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return out * (g - np.sum(g * out, axis=ctx.dim, keepdims=True)), None


class LogSoftmax(Function):
    """log_softmax(z) = z − log Σ e^z along dim (fused: stable and one node);  ∂L/∂z = g − softmax·Σ g."""

    @staticmethod
    def forward(ctx, a, dim):
        m, log_sum = _shifted_log_sum_exp(a, dim)
        out = contiguous((a - m) - log_sum)  # (z − max) first: exact for large z, as torch computes it
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        with np.errstate(under="ignore"):
            return g - np.exp(out) * np.sum(g, axis=ctx.dim, keepdims=True), None


class Cumsum(Function):
    """out_i = Σ_{j≤i} a_j along dim;  ∂L/∂a_j = Σ_{i≥j} g_i (a reversed cumulative sum)."""

    @staticmethod
    def forward(ctx, a, dim, numpy_dtype):
        ctx.dim = dim
        out = np.cumsum(a, axis=dim, dtype=numpy_dtype)
        return contiguous(out) if a.ndim else out.reshape(())  # (NumPy makes a 0-dim input 1-dim)

    @staticmethod
    def backward(ctx, g):
        if not g.ndim:  # (a 0-dim input: the sum of one element)
            return g, None, None
        return np.flip(np.cumsum(np.flip(g, ctx.dim), axis=ctx.dim), ctx.dim), None, None


class StdFromVar(Function):
    """std = √var;  ∂/∂var = 1/(2·std), and 0 where std = 0 (torch's std_backward masks those places: a constant
    input has a zero gradient, not 0/0)."""

    backward_name = "StdBackward0"

    @staticmethod
    def forward(ctx, var):
        with np.errstate(invalid="ignore"):
            out = np.sqrt(var)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(out == 0, 0, g / (2 * out)).astype(g.dtype, copy=False)
