"""Resampling primitives: upsampling by nearest neighbour or linear interpolation (torch's UpsampleNearest2DBackward0,
UpsampleBilinear2DBackward0...), pixel (un)shuffle, and im2col / col2im (``F.unfold`` / ``F.fold``).

Interpolation is separable: an image is resized along its last axis, then along the one before, and each output
position along an axis reads one input position (nearest) or two (linear) at indices this module computes exactly as
torch does, in the input's precision for linear modes and in float32 for nearest ones.
"""
from __future__ import annotations

from ..._backend import np
from ...autograd.function import Function
from .conv import add_windows, windows


def nearest_index(in_size: int, out_size: int, scale: float | None, exact: bool):
    """For each output position i, the input position it copies:
    nearest: ⌊i·s⌋, nearest-exact: ⌊(i + ½)·s⌋ (clamped to in_size − 1), with s = 1/scale_factor when a scale factor
    is used, else in_size/out_size (computed in float32, as torch)."""
    if not exact and out_size in (in_size, 2 * in_size):  # torch's shortcuts: the identity, and i // 2
        return np.arange(out_size) * in_size // out_size
    s = np.float32(1.0 / scale) if scale is not None and scale > 0 else np.float32(in_size) / np.float32(out_size)
    position = np.arange(out_size, dtype=np.float32)
    if exact:
        position = position + np.float32(0.5)
    return np.minimum(np.floor(position * s).astype(np.int64), in_size - 1)


def linear_weights(in_size: int, out_size: int, scale: float | None, align_corners: bool, dtype):
    """For each output position i, the two input positions it mixes and their weights (i0, i1, λ0, λ1):
        align_corners=True:  src = i·(in − 1)/(out − 1)  (the corner pixels' centres line up)
        align_corners=False: src = max(s·(i + ½) − ½, 0)  (half-pixel centres), s = 1/scale_factor or in/out
    i0 = ⌊src⌋, i1 = i0 + 1 (i0 at the last position), λ1 = src − i0, λ0 = 1 − λ1."""
    position = np.arange(out_size, dtype=dtype)
    if align_corners:
        s = dtype.type((in_size - 1) / (out_size - 1) if out_size > 1 else 0)
        src = s * position
    else:
        s = dtype.type(1.0 / scale) if scale is not None and scale > 0 else dtype.type(in_size) / dtype.type(out_size)
        src = np.maximum(s * (position + dtype.type(0.5)) - dtype.type(0.5), 0)
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    lambda1 = np.clip(src - i0.astype(dtype), 0, 1).astype(dtype)
    i1 = i0 + (i0 < in_size - 1)
    return i0, i1, (1 - lambda1).astype(dtype), lambda1


def _along(weights, axis: int, ndim: int):
    """Per-position weights shaped to broadcast along ``axis``."""
    return weights.reshape((-1,) + (1,) * (ndim - 1 - axis))


class Upsample(Function):
    """Resizes the trailing spatial axes. ``plans``: per axis (last first), ("nearest", index) or
    ("linear", (i0, i1, λ0, λ1)):
        nearest: out[..., i] = x[..., index[i]]               ∂L/∂x[j] = Σ_{i: index[i] = j} g[i]
        linear:  out[..., i] = λ0[i]·x[..., i0[i]] + λ1[i]·x[..., i1[i]]
                 ∂L/∂x[j] = Σ_{i: i0[i] = j} λ0[i]·g[i] + Σ_{i: i1[i] = j} λ1[i]·g[i]
    (one axis at a time; the backward undoes the axes in the reverse order)."""

    @staticmethod
    def forward(ctx, x, plans, name):
        ctx.plans, ctx.node, ctx.sizes = plans, name, []
        out = x
        for axis, kind, plan in plans:
            ctx.sizes.append(out.shape[axis])
            if kind == "nearest":
                out = np.take(out, plan, axis=axis)
            else:
                i0, i1, lambda0, lambda1 = plan
                out = (np.take(out, i0, axis=axis) * _along(lambda0, axis, out.ndim)
                       + np.take(out, i1, axis=axis) * _along(lambda1, axis, out.ndim))
        return np.ascontiguousarray(out)

    @staticmethod
    def backward(ctx, g):
        for (axis, kind, plan), size in zip(reversed(ctx.plans), reversed(ctx.sizes)):
            shape = list(g.shape)
            shape[axis] = size
            grad = np.zeros(shape, dtype=g.dtype)
            where = (slice(None),) * axis
            if kind == "nearest":
                np.add.at(grad, where + (plan,), g)
            else:
                i0, i1, lambda0, lambda1 = plan
                np.add.at(grad, where + (i0,), g * _along(lambda0, axis, g.ndim))
                np.add.at(grad, where + (i1,), g * _along(lambda1, axis, g.ndim))
            g = grad
        return g, None, None

    def _kind_name(self) -> str:
        return self.node


class PixelShuffle(Function):
    """(*, C·r², H, W) → (*, C, H·r, W·r): out[..., c, h·r + i, w·r + j] = x[..., c·r² + i·r + j, h, w]
    (``shuffle=False``: the inverse, pixel_unshuffle). A permutation of the elements, so the gradient is the
    inverse permutation of g."""

    @staticmethod
    def forward(ctx, x, factor, shuffle):
        ctx.factor, ctx.shuffle = factor, shuffle
        return PixelShuffle.permute(x, factor, shuffle)

    @staticmethod
    def permute(x, r: int, shuffle: bool):
        *lead, c, h, w = x.shape
        k = len(lead)
        if shuffle:
            blocks = x.reshape(*lead, c // (r * r), r, r, h, w)  # (*, C, i, j, H, W) → (*, C, H, i, W, j)
            order = (k, k + 3, k + 1, k + 4, k + 2)
            return np.ascontiguousarray(blocks.transpose(*range(k), *order)).reshape(*lead, c // (r * r), h * r, w * r)
        blocks = x.reshape(*lead, c, h // r, r, w // r, r)  # (*, C, H, i, W, j) → (*, C, i, j, H, W)
        order = (k, k + 2, k + 4, k + 1, k + 3)
        return np.ascontiguousarray(blocks.transpose(*range(k), *order)).reshape(*lead, c * r * r, h // r, w // r)

    @staticmethod
    def backward(ctx, g):
        return PixelShuffle.permute(g, ctx.factor, not ctx.shuffle), None, None

    def _kind_name(self) -> str:
        return "PixelShuffleBackward0" if self.shuffle else "PixelUnshuffleBackward0"


def im2col(x, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple):
    """(N, C, H, W) → (N, C·kh·kw, L): column l holds the l-th sliding block (row-major over block positions),
    rows ordered (channel, kernel row, kernel column)."""
    (ph, pw) = padding
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else x
    view = windows(padded, kernel, stride, dilation)  # (N, C, OH, OW, kh, kw)
    n, c, oh, ow, kh, kw = view.shape
    return np.ascontiguousarray(view.transpose(0, 1, 4, 5, 2, 3)).reshape(n, c * kh * kw, oh * ow)


def col2im(cols, out_size: tuple, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple, blocks: tuple):
    """The adjoint of im2col: every column's values are added back where its block lies; overlaps add up."""
    (kh, kw), (ph, pw), (oh, ow) = kernel, padding, blocks
    n = cols.shape[0]
    c = cols.shape[1] // (kh * kw)
    per_window = cols.reshape(n, c, kh, kw, oh, ow).transpose(0, 1, 4, 5, 2, 3)
    shape = (n, c, out_size[0] + 2 * ph, out_size[1] + 2 * pw)
    grad = add_windows(per_window, shape, stride, dilation)
    return np.ascontiguousarray(grad[:, :, ph:ph + out_size[0], pw:pw + out_size[1]])


class Im2Col(Function):
    """F.unfold: out = im2col(x);  ∂L/∂x = col2im(g) (each input element gets the gradients of every block that
    read it). Unbatched input (C, H, W) is a batch of one."""

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride, blocks):
        ctx.args, ctx.size, ctx.batched = (kernel, dilation, padding, stride, blocks), x.shape[-2:], x.ndim == 4
        out = im2col(x if ctx.batched else x[None], kernel, dilation, padding, stride)
        return out if ctx.batched else out[0]

    @staticmethod
    def backward(ctx, g):
        grad = col2im(g if ctx.batched else g[None], ctx.size, *ctx.args)
        return (grad if ctx.batched else grad[0]), None, None, None, None, None


class Col2Im(Function):
    """F.fold: out = col2im(x) (overlapping blocks add up);  ∂L/∂x = im2col(g). Unbatched input is a batch of one."""

    @staticmethod
    def forward(ctx, x, out_size, kernel, dilation, padding, stride, blocks):
        ctx.args, ctx.batched = (kernel, dilation, padding, stride), x.ndim == 3
        out = col2im(x if ctx.batched else x[None], out_size, kernel, dilation, padding, stride, blocks)
        return out if ctx.batched else out[0]

    @staticmethod
    def backward(ctx, g):
        grad = im2col(g if ctx.batched else g[None], *ctx.args)
        return (grad if ctx.batched else grad[0]), None, None, None, None, None, None
