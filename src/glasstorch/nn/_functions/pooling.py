"""Pooling over the last two dimensions of (N, C, H, W) or (C, H, W) inputs: max, average, and their adaptive forms
(torch's MaxPool2DWithIndicesBackward0, AvgPool2DBackward0, AdaptiveAvgPool2DBackward0,
AdaptiveMaxPool2DBackward0). The 1-d poolings run these on a height of 1 (``_functional_pool.py``).

Max and average pooling look at the (padded) input through the same window view as convolution (``conv.windows``).
Max pooling finds where each window's maximum is outside the Function (a Function returns one array, and torch's
``indices`` are a second output); its node gathers those positions and scatters the gradient back to them.
Average pooling sends its gradient back through the window view's adjoint (``conv.add_windows``).
"""
from __future__ import annotations

from ..._backend import np
from ...autograd.function import Function
from .conv import add_windows, windows


def pool_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int:
    """torch's output length: ⌊(size + 2p − d·(k − 1) − 1) / s⌋ + 1 (⌈·⌉ with ceil_mode, where the last window must
    still start inside the input or its left padding)."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (span + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _pad_for_windows(x, out_size: tuple, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple, fill):
    """x padded by ``padding`` on both sides, and further on the right/bottom when ceil_mode's last window
    overhangs, so that every window lies inside the array."""
    widths = [(0, 0)] * (x.ndim - 2)
    for axis, (o, k, s, p, d) in enumerate(zip(out_size, kernel, stride, padding, dilation)):
        needed = (o - 1) * s + d * (k - 1) + 1
        widths.append((p, max(needed - x.shape[axis - 2] - p, p)))
    return np.pad(x, widths, constant_values=fill) if any(w != (0, 0) for w in widths) else x


def _as_batch(x):
    """(C, H, W) → (1, C, H, W), so one code path serves both."""
    return x[None] if x.ndim == 3 else x


def max_pool2d_indices(x, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple, ceil_mode: bool):
    """Where each window's maximum is, as a flat position h·W + w in its (H, W) plane (torch's ``indices``).
    The window of output (i, j) reads x_pad[..., i·sh + a·dh, j·sw + b·dw] (a < kh, b < kw), the padding being −∞;
    with ties the first maximum in the window's row-major scan wins (as torch's CPU kernel)."""
    unbatched, x = x.ndim == 3, _as_batch(x)
    height, width = x.shape[2:]
    out_size = tuple(pool_output_size(size, *args, ceil_mode)
                     for size, args in zip((height, width), zip(kernel, stride, padding, dilation)))
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    padded = _pad_for_windows(x, out_size, kernel, stride, padding, dilation, fill)
    patches = windows(padded, kernel, stride, dilation)[:, :, :out_size[0], :out_size[1]]
    if x.dtype.kind == "f" and np.isnan(x).any():
        arg = _window_argmax_nan(patches)
    else:  # (N, C, OH, OW): the offset a·kw + b of the first maximum
        arg = patches.reshape(patches.shape[:4] + (kernel[0] * kernel[1],)).argmax(axis=-1)  # (not -1: empty batches)
    # the window offset (a, b) of each maximum → its row and column in the unpadded input
    rows = np.arange(out_size[0])[:, None] * stride[0] + (arg // kernel[1]) * dilation[0] - padding[0]
    cols = np.arange(out_size[1]) * stride[1] + (arg % kernel[1]) * dilation[1] - padding[1]
    indices = (rows * width + cols).astype(np.int64)
    return indices[0] if unbatched else indices


def _window_argmax_nan(patches):
    """The offset a·kw + b of each window's maximum when NaNs are about, by torch's CPU rule: scanning the window in
    row-major order, a value takes over when larger (ties keep the first) or when it is NaN (the last NaN wins;
    NumPy's argmax would name the first)."""
    kh, kw = patches.shape[-2:]
    best = patches[..., 0, 0]
    arg = np.zeros(best.shape, dtype=np.int64)
    for k in range(1, kh * kw):
        value = patches[..., k // kw, k % kw]
        takes_over = (value > best) | np.isnan(value)
        best = np.where(takes_over, value, best)
        np.copyto(arg, k, where=takes_over)
    return arg


def adaptive_max_pool2d_indices(x, output_size: tuple):
    """Where the maximum of each adaptive window (``adaptive_ranges``) is, as a flat position h·W + w."""
    height, width = x.shape[-2:]
    indices = np.empty(x.shape[:-2] + tuple(output_size), dtype=np.int64)
    for i, (top, bottom) in enumerate(adaptive_ranges(height, output_size[0])):
        for j, (left, right) in enumerate(adaptive_ranges(width, output_size[1])):
            arg = x[..., top:bottom, left:right].reshape(x.shape[:-2] + ((bottom - top) * (right - left),)).argmax(-1)
            indices[..., i, j] = (top + arg // (right - left)) * width + left + arg % (right - left)
    return indices


class MaxPool2DWithIndices(Function):
    """out = x at the positions ``indices`` of each (H, W) plane (the maxima, found by ``max_pool2d_indices``);
    ∂L/∂x[n, c, h, w] = Σ of g over the windows whose maximum was at (h, w)."""

    backward_name = "MaxPool2DWithIndicesBackward0"

    @staticmethod
    def forward(ctx, x, indices):
        rows = int(np.prod(x.shape[:-2]))  # one row per (n, c) (counted: a -1 cannot size an empty batch)
        planes = x.reshape(rows, x.shape[-2] * x.shape[-1])
        flat_indices = indices.reshape(rows, indices.shape[-2] * indices.shape[-1])
        ctx.save_for_backward(flat_indices)
        ctx.shape = x.shape
        return np.take_along_axis(planes, flat_indices, axis=1).reshape(indices.shape)

    @staticmethod
    def backward(ctx, g):
        (flat_indices,) = ctx.saved_tensors
        g = g.reshape(flat_indices.shape)
        plane = ctx.shape[-2] * ctx.shape[-1]
        if _repeats(flat_indices):  # one input element is the maximum of several windows: its gradients add up
            places = (np.arange(flat_indices.shape[0])[:, None] * plane + flat_indices).reshape(-1)
            grad = np.bincount(places, weights=g.reshape(-1), minlength=flat_indices.shape[0] * plane)
            return grad.astype(g.dtype).reshape(ctx.shape), None
        grad = np.zeros((flat_indices.shape[0], plane), dtype=g.dtype)
        np.put_along_axis(grad, flat_indices, g, axis=1)  # each maximum's place gets its one gradient (~3x np.add.at)
        return grad.reshape(ctx.shape), None


def _repeats(flat_indices) -> bool:
    """Whether some row of ``flat_indices`` names one place twice (overlapping windows sharing their maximum)."""
    ordered = np.sort(flat_indices, axis=1)
    return bool((ordered[:, 1:] == ordered[:, :-1]).any())


class AdaptiveMaxPool2D(MaxPool2DWithIndices):
    """The same gather of each window's maximum, over adaptive windows (``adaptive_max_pool2d_indices``)."""

    backward_name = "AdaptiveMaxPool2DBackward0"


def avg_pool_divisor(size: int, out: int, kernel: int, stride: int, padding: int, count_include_pad: bool):
    """How many elements each window of one dimension is divided by: its length up to the padded input's end
    (count_include_pad=True), or only its part inside the input (False)."""
    start = np.arange(out) * stride - padding
    end = np.minimum(start + kernel, size + padding)
    if count_include_pad:
        return end - start
    return np.minimum(end, size) - np.maximum(start, 0)


class AvgPool2D(Function):
    """out[n, c, i, j] = (Σ over the window of x_pad) / divisor, the padding being 0 and the divisor the window's
    size (count_include_pad=True: padding included; False: only input elements), or ``divisor_override``.
    ∂L/∂x[n, c, h, w] = Σ over the windows containing (h, w) of g / divisor."""

    backward_name = "AvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
        unbatched, x = x.ndim == 3, _as_batch(x)
        sizes = x.shape[2:]
        out_size = tuple(pool_output_size(size, k, s, p, 1, ceil_mode)
                         for size, k, s, p in zip(sizes, kernel, stride, padding))
        padded = _pad_for_windows(x, out_size, kernel, stride, padding, (1, 1), 0)
        patches = windows(padded, kernel, stride, (1, 1))[:, :, :out_size[0], :out_size[1]]
        if divisor_override:
            divisor = np.asarray(divisor_override, dtype=x.dtype)
        else:
            rows, cols = (avg_pool_divisor(size, o, k, s, p, count_include_pad)
                          for size, o, k, s, p in zip(sizes, out_size, kernel, stride, padding))
            divisor = (rows[:, None] * cols).astype(x.dtype)
        out = patches.sum(axis=(4, 5)) / divisor
        ctx.divisor, ctx.shapes, ctx.unbatched = divisor, (x.shape, padded.shape), unbatched
        ctx.geometry = (kernel, stride, padding)
        return out[0] if unbatched else out

    @staticmethod
    def backward(ctx, g):
        shape, padded_shape = ctx.shapes
        kernel, stride, padding = ctx.geometry
        per_window = _as_batch(g) / ctx.divisor
        grad_windows = np.broadcast_to(per_window[..., None, None], per_window.shape + kernel)
        grad = add_windows(grad_windows, padded_shape, stride, (1, 1))
        grad = grad[:, :, padding[0]:padding[0] + shape[2], padding[1]:padding[1] + shape[3]]
        return np.ascontiguousarray(grad[0] if ctx.unbatched else grad), None, None, None, None, None, None


def adaptive_ranges(size: int, out: int) -> list:
    """torch's adaptive windows: output i covers [⌊i·size/out⌋, ⌈(i + 1)·size/out⌉) of the input."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


def _averaging_matrix(size: int, out: int, dtype):
    """A (out, size) matrix whose row i averages adaptive window i: A[i, start:end] = 1 / (end − start)."""
    matrix = np.zeros((out, size), dtype=dtype)
    for i, (start, end) in enumerate(adaptive_ranges(size, out)):
        matrix[i, start:end] = 1 / (end - start)
    return matrix


class AdaptiveAvgPool2D(Function):
    """Average over torch's adaptive windows. An average over a rectangle is a row average of column averages, so
    with the averaging matrices A_h (OH, H) and A_w (OW, W):  out = A_h · x · A_wᵀ  per (n, c) plane, and
    ∂L/∂x = A_hᵀ · g · A_w."""

    backward_name = "AdaptiveAvgPool2DBackward0"

    @staticmethod
    def forward(ctx, x, output_size):
        rows = _averaging_matrix(x.shape[-2], output_size[0], x.dtype)
        cols = _averaging_matrix(x.shape[-1], output_size[1], x.dtype)
        ctx.save_for_backward(rows, cols)
        return np.matmul(np.matmul(rows, x), cols.T)

    @staticmethod
    def backward(ctx, g):
        rows, cols = ctx.saved_tensors
        return np.matmul(np.matmul(rows.T, g), cols), None
