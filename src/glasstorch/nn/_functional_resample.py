"""``F.interpolate``, ``F.pixel_shuffle`` / ``F.pixel_unshuffle`` and ``F.unfold`` / ``F.fold`` (re-exported by
``glasstorch.nn.functional``): torch's argument handling and checks, then one node from ``_functions/resample.py``."""
from __future__ import annotations

import math

from .._tensor import Tensor
from ._functional_pool import adaptive_avg_pool1d, adaptive_avg_pool2d
from ._functions import resample as _resample

_LINEAR_MODES = {"linear": 3, "bilinear": 4}  # the input rank each interpolating mode needs
_NODE = {"nearest": "UpsampleNearest{}DBackward0", "nearest-exact": "UpsampleNearestExact{}DBackward0",
         "linear": "UpsampleLinear1DBackward0", "bilinear": "UpsampleBilinear2DBackward0"}


def _spatial_list(value, dim: int, input_shape: list, what: str, wanted: str) -> list:
    letter = "o" if what == "output" else "s"
    if isinstance(value, (list, tuple)):
        if len(value) != dim:
            raise ValueError(f"Input and {what} must have the same number of spatial dimensions, but got input with "
                             f"spatial dimensions of {input_shape} and {wanted}{value}. Please provide input tensor in "
                             f"(N, C, d1, d2, ...,dK) format and {'output size' if what == 'output' else what} in ({letter}1, {letter}2, ...,{letter}K) "
                             "format.")
        return list(value)
    return [value] * dim


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",  # noqa: A002
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resizes (N, C, L) or (N, C, H, W) input to ``size`` or by ``scale_factor`` (out = ⌊in·scale⌋).

    mode 'nearest' copies input ⌊i·in/out⌋ (torch's long-standing rule), 'nearest-exact' the nearest pixel centre
    ⌊(i + ½)·in/out⌋, 'linear' (3-D) and 'bilinear' (4-D) interpolate between the two nearest inputs (half-pixel
    centres; ``align_corners=True`` lines up the corner pixels instead), 'area' averages (adaptive average pooling).
    With a scale factor (and no ``recompute_scale_factor``) the source positions use 1/scale_factor, not in/out."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear | "
                             "bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        output_size, scales = _spatial_list(size, dim, spatial, "output", "output size of "), None
    elif scale_factor is not None:
        output_size = None
        scales = _spatial_list(scale_factor, dim, spatial, "scale_factor", "scale_factor of shape ")
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor:  # the output size from the scale, then positions from in/out as if size were given
        output_size, scales = [math.floor(float(n) * s) for n, s in zip(spatial, scales)], None
    if antialias:
        raise NotImplementedError("glasstorch: interpolate(antialias=True) is not supported")
    if output_size is None:
        output_size = [int(float(n) * s) for n, s in zip(spatial, scales)]
    if mode in _LINEAR_MODES and input.dim() != _LINEAR_MODES[mode]:
        if input.dim() in (3, 4, 5):
            raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {_LINEAR_MODES[mode]}D input")
    if mode in ("nearest", "nearest-exact", "area", "linear", "bilinear") and input.dim() in (3, 4) \
            and (mode not in _LINEAR_MODES or input.dim() == _LINEAR_MODES[mode]):
        if min(output_size) <= 0:
            raise RuntimeError(f"Input and output sizes should be greater than 0, but got input size {spatial} and "
                               f"output size {list(output_size)}")
        if mode == "area":
            pool = adaptive_avg_pool1d if dim == 1 else adaptive_avg_pool2d
            return pool(input, output_size[0] if dim == 1 else output_size)
        plans = []
        for axis in reversed(range(2, input.dim())):  # last axis first, as torch's kernels nest their loops
            n_in, n_out = spatial[axis - 2], int(output_size[axis - 2])
            scale = None if scales is None else scales[axis - 2]
            if mode in _LINEAR_MODES:
                plan = ("linear", _resample.linear_weights(n_in, n_out, scale, align_corners, input._data.dtype))
            else:
                plan = ("nearest", _resample.nearest_index(n_in, n_out, scale, mode == "nearest-exact"))
            plans.append((axis,) + plan)
        return _resample.Upsample.apply(input, plans, _NODE[mode].format(dim))
    if mode in ("bicubic", "trilinear") or input.dim() == 5:
        raise NotImplementedError(f"glasstorch: interpolate(mode={mode!r}) on {input.dim()}-D input is not supported")
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for the "
                              "modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got "
                              f"{mode})")


def _shuffle(input: Tensor, factor: int, shuffle: bool) -> Tensor:  # noqa: A002
    name = "pixel_shuffle" if shuffle else "pixel_unshuffle"
    if input.dim() < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    if factor <= 0:
        word = "upscale_factor" if shuffle else "downscale_factor"
        raise RuntimeError(f"{name} expects a positive {word}, but got {factor}")
    c, h, w = input.shape[-3:]
    if shuffle and c % (factor * factor):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {factor * factor}")
    if not shuffle:
        for axis, n in (("height", h), ("width", w)):
            if n % factor:
                raise RuntimeError(f"pixel_unshuffle expects {axis} to be divisible by downscale_factor, but input."
                                   f"size({-2 if axis == 'height' else -1})={n} is not divisible by {factor}")
    return _resample.PixelShuffle.apply(input, int(factor), shuffle)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:  # noqa: A002
    """(*, C·r², H, W) → (*, C, H·r, W·r): sub-pixel convolution's rearrangement (r = ``upscale_factor``)."""
    return _shuffle(input, upscale_factor, True)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:  # noqa: A002
    """(*, C, H·r, W·r) → (*, C·r², H, W): the inverse of ``pixel_shuffle``."""
    return _shuffle(input, downscale_factor, False)


def _pair(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _blocks(size: tuple, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple) -> tuple:
    return tuple((n + 2 * p - d * (k - 1) - 1) // s + 1 for n, k, d, p, s in zip(size, kernel, dilation, padding, stride))


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:  # noqa: A002
    """im2col: (N, C, H, W) → (N, C·kh·kw, L), one column per sliding block (L blocks), as ``nn.Unfold``."""
    args = tuple(_pair(v) for v in (kernel_size, dilation, padding, stride))
    if input.dim() < 3:  # (torch reads input.size(2) first)
        raise IndexError(f"Dimension out of range (expected to be in range of [{-input.dim()}, {input.dim() - 1}], "
                         "but got 2)")
    if input.dim() != 4 and input.dim() != 3:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got: "
                           f"{list(input.shape)}")
    blocks = _blocks(tuple(input.shape[-2:]), *args)
    if min(blocks) < 1:
        raise RuntimeError(f"Given input with spatial size {tuple(input.shape[-2:])}, kernel_size={args[0]}, "
                           f"dilation={args[1]}, padding={args[2]}, calculated shape of the array of sliding blocks as "
                           f"{blocks}, but its components must be at least one.")
    return _resample.Im2Col.apply(input, *args, blocks)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:  # noqa: A002
    """col2im: (N, C·kh·kw, L) → (N, C, *output_size), adding overlapping blocks up (the adjoint of ``unfold``)."""
    out_size = _pair(output_size)
    kernel, dilation, padding, stride = (_pair(v) for v in (kernel_size, dilation, padding, stride))
    if input.dim() not in (2, 3):
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    rows, columns = input.shape[-2], input.shape[-1]
    if rows % (kernel[0] * kernel[1]):
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={rows} and kernel_size=({kernel[0]}, {kernel[1]}).")
    blocks = _blocks(out_size, kernel, dilation, padding, stride)
    if blocks[0] * blocks[1] != columns:
        raise RuntimeError(f"Given output_size=({out_size[0]}, {out_size[1]}), kernel_size=({kernel[0]}, {kernel[1]}), "
                           f"dilation=({dilation[0]}, {dilation[1]}), padding=({padding[0]}, {padding[1]}), "
                           f"stride=({stride[0]}, {stride[1]}), expected size of input's dimension 2 to match the "
                           f"calculated number of sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, "
                           f"but got input.size(2)={columns}.")
    return _resample.Col2Im.apply(input, out_size, kernel, dilation, padding, stride, blocks)
