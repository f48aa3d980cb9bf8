"""Pooling functions (re-exported by ``glasstorch.nn.functional``): max, average and adaptive pooling in 1-d and 2-d,
with torch's checks and messages. The 2-d forms are one node each (``_functions/pooling.py``); the 1-d forms run the
2-d ones on a height of 1 between an unsqueeze and a squeeze, as torch does (their node is SqueezeBackward1)."""
from __future__ import annotations

from .._tensor import Tensor
from ..autograd.tensor_base import wrap
from ._functions import pooling as _pool

__all__ = ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_max_pool1d", "adaptive_max_pool2d"]


def _pair(value, name: str, function: str, omittable: bool = False) -> tuple:
    """An int or a 1- or 2-sequence as a pair, or torch's error naming the argument."""
    if isinstance(value, int):
        return value, value
    values = tuple(value)
    if len(values) == 1:
        return values * 2
    if len(values) != 2:
        either = "either be omitted, a single int" if omittable else "either be a single int"
        raise RuntimeError(f"{function}: {name} must {either}, or a tuple of two ints")
    return values


def _pool_arguments(function: str, kernel_size, stride, padding, dilation=1) -> tuple:
    """kernel, stride (default: the kernel), padding and dilation as pairs, checked as torch checks them."""
    kernel = _pair(kernel_size, "kernel_size", function)
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) else \
        _pair(stride, "stride", function, omittable=True)
    padding, dilation = _pair(padding, "padding", function), _pair(dilation, "dilation", function)
    if any(k <= 0 for k in kernel) and all(s > 0 for s in stride):
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}")
    if any(s == 0 for s in stride):
        raise RuntimeError("stride should not be zero")
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {dilation[0]} "
                           f"dilationW: {dilation[1]}")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"pad must be non-negative, but got pad: {min(padding)}")
    for k, p, d in zip(kernel, padding, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                               f"kernel_size={k} and dilation={d}")
    return kernel, stride, padding, dilation


def _check_output_size(input: Tensor, kernel, stride, padding, dilation, ceil_mode) -> None:  # noqa: A002
    height, width = input.shape[-2:]
    out = [_pool.pool_output_size(size, k, s, p, d, ceil_mode)
           for size, k, s, p, d in zip((height, width), kernel, stride, padding, dilation)]
    if min(out) < 1:
        channels = input.shape[-3]
        raise RuntimeError(f"Given input size: ({channels}x{height}x{width}). Calculated output size: "
                           f"({channels}x{out[0]}x{out[1]}). Output size is too small")


def _check_image(input: Tensor) -> None:  # noqa: A002
    if input.dim() not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if any(size == 0 for size in input.shape[1:]):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{list(input.shape)}")


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,  # noqa: A002
               return_indices: bool = False):
    """out[n, c, i, j] = max of the (dilated) window at (i·sh − ph, j·sw − pw), padding counting as −∞;
    output size ⌊(H + 2p − d·(k − 1) − 1)/s⌋ + 1 (⌈·⌉ with ``ceil_mode``); stride defaults to kernel_size.
    ``return_indices``: also the flat position h·W + w of each maximum in its plane (for MaxUnpool)."""
    _check_image(input)
    kernel, stride, padding, dilation = _pool_arguments("max_pool2d", kernel_size, stride, padding, dilation)
    _check_output_size(input, kernel, stride, padding, dilation, ceil_mode)
    indices = _pool.max_pool2d_indices(input._data, kernel, stride, padding, dilation, bool(ceil_mode))
    out = _pool.MaxPool2DWithIndices.apply(input, indices)
    return (out, wrap(indices)) if return_indices else out


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,  # noqa: A002
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """out[n, c, i, j] = (sum of the window at (i·sh − ph, j·sw − pw)) / divisor: the window's size with its zero
    padding (``count_include_pad``), or only the input elements it covers, or ``divisor_override``."""
    if input.dim() < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.dim(), 1)}, "
                         f"{max(input.dim(), 1) - 1}], but got -3)")
    if input.dim() > 4:
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{list(input.shape)}")
    kernel, stride, padding, _ = _pool_arguments("avg_pool2d", kernel_size, stride, padding)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _check_output_size(input, kernel, stride, padding, (1, 1), ceil_mode)
    return _pool.AvgPool2D.apply(input, kernel, stride, padding, bool(ceil_mode), bool(count_include_pad),
                                 divisor_override)


def _output_size(output_size, input: Tensor, function: str) -> tuple:  # noqa: A002
    """adaptive pooling's output_size as a pair; None keeps that input dimension."""
    sizes = (output_size, output_size) if isinstance(output_size, int) or output_size is None else tuple(output_size)
    if len(sizes) != 2:
        raise RuntimeError(f"{function}: output_size must be 2" if function == "adaptive_avg_pool2d"
                           else f"{function}(): internal error: output_size.size() must be 2")
    sizes = tuple(input.shape[-2 + i] if s is None else s for i, s in enumerate(sizes))
    if any(s < 0 for s in sizes):
        raise RuntimeError(f"{function}: elements of output_size must be greater than or equal to 0 but received "
                           f"{{{sizes[0]}, {sizes[1]}}}")
    return sizes


def _check_adaptive(input: Tensor, function: str) -> None:  # noqa: A002
    if input.dim() not in (3, 4):
        colon = ":" if function == "adaptive_max_pool2d" else ""
        raise RuntimeError(f"{function}(): Expected 3D or 4D tensor, but got{colon} {list(input.shape)}")
    for axis in range(input.dim() - 3, input.dim()):
        if input.shape[axis] == 0 and axis > 0:
            raise RuntimeError(f"{function}(): Expected input to have non-zero size for non-batch dimensions, but "
                               f"input has sizes {list(input.shape)} with dimension {axis} being empty")


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:  # noqa: A002
    """Averages over windows that tile the input into ``output_size`` (an int, a pair, None keeps a dimension):
    output i covers input [⌊i·H/OH⌋, ⌈(i + 1)·H/OH⌉), likewise for columns. Output 1×1 is a plain mean (torch's
    MeanBackward1)."""
    _check_adaptive(input, "adaptive_avg_pool2d")
    sizes = _output_size(output_size, input, "adaptive_avg_pool2d")
    if sizes == (1, 1):
        return input.mean((-1, -2), keepdim=True)
    return _pool.AdaptiveAvgPool2D.apply(input, sizes)


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):  # noqa: A002
    """Maxima over the adaptive windows of ``adaptive_avg_pool2d``; ``return_indices`` as in ``max_pool2d``."""
    _check_adaptive(input, "adaptive_max_pool2d")
    sizes = _output_size(output_size, input, "adaptive_max_pool2d")
    indices = _pool.adaptive_max_pool2d_indices(input._data, sizes)
    out = _pool.AdaptiveMaxPool2D.apply(input, indices)
    return (out, wrap(indices)) if return_indices else out


# ---- 1-d: the 2-d pooling on a height of 1 --------------------------------------------------------------------------

def _check_1d(input: Tensor, function: str) -> None:  # noqa: A002
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional tensor for argument #1 "
                           f"'self' (while checking arguments for {function})")


def _single(value, name: str):
    return value if value is None or isinstance(value, int) else tuple(value)[0]


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,  # noqa: A002
               return_indices: bool = False):
    """``max_pool2d`` along the last dimension of (N, C, L) or (C, L) inputs; indices are positions in L."""
    if input.dim() not in (2, 3) or input.shape[-1] == 0:
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{list(input.shape)}")
    kernel, padding = _single(kernel_size, "kernel_size"), _single(padding, "padding")
    stride, dilation = _single(stride, "stride"), _single(dilation, "dilation")
    if padding > (kernel // 2):
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={padding} "
                           f"and kernel_size={kernel}")
    out_size = _pool.pool_output_size(input.shape[-1], kernel, stride or kernel, padding, dilation, ceil_mode)
    if out_size < 1:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out_size}")
    result = max_pool2d(input.unsqueeze(-2), (1, kernel), (1, stride or kernel), (0, padding), (1, dilation),
                        ceil_mode, return_indices)
    if return_indices:
        return result[0].squeeze(-2), result[1].squeeze(-2)
    return result.squeeze(-2)


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode: bool = False,  # noqa: A002
               count_include_pad: bool = True) -> Tensor:
    """``avg_pool2d`` along the last dimension of (N, C, L) or (C, L) inputs."""
    _check_1d(input, "avg_pool1d")
    kernel, padding, stride = _single(kernel_size, "kernel_size"), _single(padding, "padding"), _single(stride, "s")
    out = avg_pool2d(input.unsqueeze(-2), (1, kernel), (1, stride or kernel), (0, padding), ceil_mode,
                     count_include_pad)
    return out.squeeze(-2)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:  # noqa: A002
    """``adaptive_avg_pool2d`` along the last dimension of (N, C, L) or (C, L) inputs."""
    _check_1d(input, "adaptive_avg_pool1d")
    size = (output_size,) if isinstance(output_size, int) else tuple(output_size)
    if len(size) != 1:
        raise RuntimeError(f"adaptive_avg_pool1d() argument 'output_size' should contain one int (got {len(size)})")
    return _pool.AdaptiveAvgPool2D.apply(input.unsqueeze(-2), (1, size[0])).squeeze(-2)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):  # noqa: A002
    """``adaptive_max_pool2d`` along the last dimension of (N, C, L) or (C, L) inputs."""
    _check_1d(input, "adaptive_max_pool1d")
    size = output_size if isinstance(output_size, int) else tuple(output_size)[0]
    out, indices = adaptive_max_pool2d(input.unsqueeze(-2), (1, size), return_indices=True)
    return (out.squeeze(-2), indices.squeeze(-2)) if return_indices else out.squeeze(-2)
