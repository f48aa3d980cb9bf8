"""Functions for the less common tensor operations: one-sided clamps, triangles and diagonals, cumulative products,
rolls, and the elementwise erf, atan2, hypot, logit and frac; plus the median of all elements.
``a``, ``b`` are the input arrays, ``g`` the gradient of the output (broadcasting is undone by the engine)."""
from __future__ import annotations

import math

from .._backend import np
from .._layout import contiguous  # torch's tril/triu and roll give contiguous results, whatever the input
from ..autograd.function import Function
from ..autograd.function import needs_grad as _needs
from .reduction import _restore


class ClampBound(Function):
    """out = max(a, bound) (``upper`` False: clamp_min) or min(a, bound) (clamp_max); NaN on either side gives NaN.
    ∂/∂a = 1 where a ≥ bound (clamp_min; a ≤ bound for clamp_max), else 0;  ∂/∂bound = 1 where a < bound (a > bound),
    else 0 (a tie goes to a, as torch)."""

    def _kind_name(self) -> str:
        """torch: a number bound gives ClampMinBackward0 / ClampMaxBackward0, a tensor bound ...Backward1."""
        return ("ClampMaxBackward" if self.upper else "ClampMinBackward") + ("1" if self.tensor_bound else "0")

    @staticmethod
    def forward(ctx, a, bound, upper):
        ctx.upper, ctx.tensor_bound = upper, isinstance(bound, np.ndarray)
        ctx.save_for_backward(a, bound)
        out = (np.minimum if upper else np.maximum)(a, bound)
        return out.astype(np.result_type(a, bound) if ctx.tensor_bound else a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        a, bound = ctx.saved_tensors
        keep = a <= bound if ctx.upper else a >= bound
        grad_a = g * keep if _needs(ctx, 0) else None
        grad_bound = None
        if _needs(ctx, 1):
            grad_bound = g * ((a > bound) if ctx.upper else (a < bound))
        return grad_a, grad_bound, None


class TrilTriu(Function):
    """out = a with the elements above (tril) or below (triu) the ``diagonal``-th diagonal of the last two dims
    zeroed;  ∂: the same mask applied to g."""

    def _kind_name(self) -> str:
        return "TriuBackward0" if self.upper else "TrilBackward0"

    @staticmethod
    def forward(ctx, a, diagonal, upper):
        ctx.diagonal, ctx.upper = diagonal, upper
        return contiguous((np.triu if upper else np.tril)(a, diagonal))

    @staticmethod
    def backward(ctx, g):
        return (np.triu if ctx.upper else np.tril)(g, ctx.diagonal), None, None


def diagonal_view(a: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """The ``offset``-th diagonal of the (dim1, dim2) planes as the last axis: a view that is writeable when a is."""
    moved = np.moveaxis(a, (dim1, dim2), (-2, -1))
    moved = moved[..., :, offset:] if offset >= 0 else moved[..., -offset:, :]
    length = max(min(moved.shape[-2], moved.shape[-1]), 0)
    return np.lib.stride_tricks.as_strided(moved, moved.shape[:-2] + (length,),
                                           moved.strides[:-2] + (moved.strides[-2] + moved.strides[-1],))


class Diagonal(Function):
    """out = the ``offset``-th diagonal of the (dim1, dim2) planes, as a new last axis (a view, as torch);
    ∂: g written back onto that diagonal of zeros. ``copy``: a copy instead (torch.diag of a matrix)."""

    def _kind_name(self) -> str:
        return "DiagonalBackward0_copy" if self.copy else "DiagonalBackward0"

    @staticmethod
    def forward(ctx, a, offset, dim1, dim2, copy):
        ctx.shape, ctx.where, ctx.copy = a.shape, (offset, dim1, dim2), copy
        view = diagonal_view(a, offset, dim1, dim2)
        return view.copy() if copy else view

    @staticmethod
    def backward(ctx, g):
        grad = np.zeros(ctx.shape, dtype=g.dtype)
        diagonal_view(grad, *ctx.where)[...] = g
        return grad, None, None, None, None


class DiagEmbed(Function):
    """out = the square matrix with vector a on its ``offset``-th diagonal (torch.diag of a vector);
    ∂: that diagonal of g."""

    @staticmethod
    def forward(ctx, a, offset):
        ctx.offset = offset
        return np.diag(a, offset)

    @staticmethod
    def backward(ctx, g):
        return np.diagonal(g, ctx.offset).copy(), None


class Cumprod(Function):
    """out_i = Π_{j≤i} a_j along dim;  ∂L/∂a_j = Σ_{i≥j} g_i · Π_{k≤i, k≠j} a_k.

    Without zeros that is (Σ_{i≥j} g_i out_i) / a_j (a reversed cumulative sum); with zeros the products are formed
    without dividing, one position at a time (O(n²) along dim)."""

    @staticmethod
    def forward(ctx, a, dim, numpy_dtype):
        out = np.cumprod(a, axis=dim, dtype=numpy_dtype).reshape(a.shape)  # (NumPy makes a 0-dim input 1-dim)
        ctx.save_for_backward(a, out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        dim = ctx.dim
        if a.ndim == 0:
            return g, None, None
        if np.all(a != 0):
            return np.flip(np.cumsum(np.flip(g * out, dim), axis=dim), dim) / a, None, None
        a_last, g_last, out_last = (np.moveaxis(x, dim, -1) for x in (a, g, out))
        grad = np.empty(a_last.shape, dtype=g.dtype)
        n = a_last.shape[-1]
        for j in range(n):
            before = out_last[..., j - 1] if j else np.ones(a_last.shape[:-1], dtype=a.dtype)
            after = np.cumprod(np.concatenate([np.ones_like(a_last[..., :1]), a_last[..., j + 1:]], axis=-1), axis=-1)
            grad[..., j] = before * np.sum(g_last[..., j:] * after, axis=-1)
        return np.moveaxis(grad, -1, dim), None, None


class NanSum(Function):
    """out = Σ a over dim with NaNs counted as 0;  ∂/∂a = g·[a is not NaN] (a product, as torch: an infinite g
    gives NaN at the NaNs)."""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.save_for_backward(a)
        ctx.dim, ctx.keepdim = dim, keepdim
        return np.nansum(a, axis=dim, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with np.errstate(invalid="ignore"):
            return _restore(g, ctx.dim, ctx.keepdim) * (~np.isnan(a)).astype(g.dtype), None, None


class Roll(Function):
    """out = a shifted cyclically by ``shifts`` along ``dims`` (the flattened tensor when dims is None);
    ∂: g rolled back by −shifts."""

    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return contiguous(np.roll(a, shifts, dims))

    @staticmethod
    def backward(ctx, g):
        back = -ctx.shifts if ctx.dims is None else tuple(-s for s in ctx.shifts)
        return np.roll(g, back, ctx.dims), None, None


_erf = np.frompyfunc(math.erf, 1, 1)


class Erf(Function):
    """out = erf a = (2/√π) ∫₀ᵃ e^(−t²) dt;  ∂/∂a = (2/√π) e^(−a²). (NumPy has no erf: math.erf per element.)"""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _erf(a.astype(np.float64)).astype(a.dtype)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (2 / math.sqrt(math.pi)) * np.exp(-a * a)


class Atan2(Function):
    """out = atan2(a, b), the angle of the point (b, a);  ∂/∂a = b/(a² + b²),  ∂/∂b = −a/(a² + b²)
    (both 0 at the origin, as torch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        squared = a * a + b * b
        scale = g / np.where(squared == 0, np.inf, squared)
        return (scale * b if _needs(ctx, 0) else None), (-scale * a if _needs(ctx, 1) else None)


class Hypot(Function):
    """out = √(a² + b²);  ∂/∂a = a/out,  ∂/∂b = b/out."""

    @staticmethod
    def forward(ctx, a, b):
        out = np.hypot(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):  # (0/0 at the origin: NaN, as torch)
            scale = g / out
            return (scale * a if _needs(ctx, 0) else None), (scale * b if _needs(ctx, 1) else None)


class Logit(Function):
    """out = ln(z/(1 − z)) with z = a, or a clamped to [eps, 1 − eps] when ``eps`` is given;
    ∂/∂a = 1/(a(1 − a)) (NaN outside [0, 1] without eps; 0 outside [eps, 1 − eps] with it, as torch)."""

    @staticmethod
    def forward(ctx, a, eps):
        ctx.save_for_backward(a)
        ctx.eps = eps
        z = a if eps is None else np.clip(a, eps, 1 - eps).astype(a.dtype, copy=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(z / (1 - z))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = g / (a * (1 - a))
        if ctx.eps is None:
            return np.where((a < 0) | (a > 1), np.nan, grad).astype(g.dtype, copy=False), None
        return np.where((a < ctx.eps) | (a > 1 - ctx.eps), 0, grad).astype(g.dtype, copy=False), None


class Frac(Function):
    """out = a − trunc(a) (the fractional part, with a's sign);  ∂/∂a = 1."""

    @staticmethod
    def forward(ctx, a):
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx, g):
        return g


class MedianAll(Function):
    """out = the median of all elements: the lower of the two middle values for an even count, NaN when any element
    is NaN (as torch);  ∂: g shared evenly among the elements equal to the median (or among the NaNs)."""

    backward_name = "MedianBackward0"

    @staticmethod
    def forward(ctx, a):
        flat = a.reshape(-1)
        if flat.size == 0:
            out = np.asarray(np.nan if a.dtype.kind == "f" else np.iinfo(a.dtype).min, dtype=a.dtype)
        elif a.dtype.kind == "f" and np.isnan(flat).any():
            out = np.asarray(np.nan, dtype=a.dtype)
        else:
            out = np.partition(flat, (flat.size - 1) // 2)[(flat.size - 1) // 2]
        ctx.save_for_backward(a, out)
        return np.asarray(out, dtype=a.dtype)

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        hit = np.isnan(a) if np.isnan(out) else a == out
        return g * hit / np.count_nonzero(hit)
