"""``F.conv1d``, ``F.conv2d`` and ``F.pad`` (re-exported by ``glasstorch.nn.functional``): torch's argument checks
and error messages, then one node each (``_functions/conv.py``, ``_functions/padding.py``)."""
from __future__ import annotations

import warnings

from .._dtype import legacy_name
from .._tensor import Tensor
from ._functions import conv as _conv
from ._functions import padding as _padding

__all__ = ["conv1d", "conv2d", "pad"]


def expand_argument(value, name: str, dims: int) -> tuple:
    """A sequence of 1 or ``dims`` ints as a tuple of ``dims`` ints (torch's expand_param_if_needed)."""
    values = tuple(value)
    if len(values) == 1:
        return values * dims
    if len(values) != dims:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {dims} values to match the "
                           f"convolution dimensions, but got {name}={list(values)}")
    return values


def _invalid_arguments(name: str, input, weight, kwargs: dict) -> TypeError:  # noqa: A002
    """torch's TypeError when an argument has the wrong type (a float stride, a NumPy input...)."""
    got = ", ".join([type(input).__name__ if not isinstance(input, Tensor) else "Tensor",
                     type(weight).__name__ if not isinstance(weight, Tensor) else "Tensor"]
                    + [f"{k}={type(v).__name__}" for k, v in kwargs.items()])
    got = got.replace("ndarray", "numpy.ndarray")
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     f" * (Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, tuple of ints "
                     f"padding = 0, tuple of ints dilation = 1, int groups = 1)\n"
                     f" * (Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, str padding = "
                     f"\"valid\", tuple of ints dilation = 1, int groups = 1)\n")


def bias_name(tensor: Tensor) -> str:
    """The scalar type name torch's bias check prints: float, double, ..."""
    return str(tensor.dtype).split(".")[-1].replace("float32", "float").replace("float64", "double")


def _is_ints(value) -> bool:
    return isinstance(value, int) or (isinstance(value, (tuple, list)) and all(isinstance(v, int) for v in value))


def _convolution(name: str, dims: int, input, weight, bias, stride, padding, dilation, groups) -> Tensor:  # noqa: A002
    """The checks common to conv1d and conv2d (in torch's order), then one ConvolutionBackward0 node."""
    arguments = {"stride": stride, "dilation": dilation, "groups": groups}
    bad = {k: v for k, v in arguments.items() if not (_is_ints(v) if k != "groups" else isinstance(v, int))}
    if not isinstance(padding, str) and not _is_ints(padding):
        bad["padding"] = padding
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor) or bad:
        raise _invalid_arguments(name, input, weight, bad)
    if input.dim() not in (dims + 1, dims + 2):
        raise RuntimeError(f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {name}, but got "
                           f"input of size: {list(input.shape)}")
    if input.dim() == dims + 1:  # unbatched: a batch of one, squeezed afterwards (torch's SqueezeBackward1)
        return _convolution(name, dims, input.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    stride, dilation = [(v,) * dims if isinstance(v, int) else v for v in (stride, dilation)]  # as torch's binding
    padding = (padding,) * dims if isinstance(padding, int) else padding
    spatial = weight.dim() - 2
    stride, dilation = expand_argument(stride, "stride", spatial), expand_argument(dilation, "dilation", spatial)
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * spatial
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            return _same_convolution(name, dims, input, weight, bias, stride, dilation, groups)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    padding = expand_argument(padding, "padding", spatial)
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if weight.dim() != input.dim():
        raise RuntimeError(f"Expected {weight.dim()}-dimensional input for {weight.dim()}-dimensional weight "
                           f"{list(weight.shape)}, but got {input.dim()}-dimensional input of size "
                           f"{list(input.shape)} instead")
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but "
                           f"got weight of size [{list(weight.shape)}] instead")
    if input.shape[1] != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
                           f"{list(input.shape)} to have {weight.shape[1] * groups} channels, but got "
                           f"{input.shape[1]} channels instead")
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != weight.shape[0]):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional with "
                           f"{weight.shape[0]} elements, but got bias of size {list(bias.shape)} instead")
    padded = [size + 2 * p for size, p in zip(input.shape[2:], padding)]
    dilated = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(size < k for size, k in zip(padded, dilated)):
        raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(map(str, dilated))}). Kernel size can't be greater than actual input size")
    x_type, w_type = input._data.dtype, weight._data.dtype
    if x_type != w_type:
        if x_type.kind == w_type.kind == "f" and x_type.itemsize > w_type.itemsize:
            raise RuntimeError(f"expected scalar type {legacy_name(input)} but found {legacy_name(weight)}")
        raise RuntimeError(f"Input type (torch.{legacy_name(input)}Tensor) and weight type "
                           f"(torch.{legacy_name(weight)}Tensor) should be the same or input should be a MKLDNN "
                           "tensor and weight is a dense tensor")
    if bias is not None and bias._data.dtype != x_type:
        raise RuntimeError(f"Input type ({bias_name(input)}) and bias type ({bias_name(bias)}) should be the same")
    return _conv.Convolution.apply(input, weight, bias, stride, padding, dilation, groups)


def _same_convolution(name, dims, input, weight, bias, stride, dilation, groups) -> Tensor:  # noqa: A002
    """padding='same': a total of d·(k − 1) zeros per dimension, split evenly; when it is odd (an even kernel with
    an odd dilation) the extra zero goes on the right/bottom through an explicit ``pad`` first, as torch does."""
    total = [d * (k - 1) for k, d in zip(weight.shape[2:], dilation)]
    left = [t // 2 for t in total]
    extra = [t - 2 * half for t, half in zip(total, left)]
    if any(extra):
        warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy "
                      "of the input be created", UserWarning, stacklevel=4)
        pads = []
        for e in reversed(extra):  # F.pad's order: last dimension first
            pads += [0, e]
        input = pad(input, pads)  # noqa: A001
    return _convolution(name, dims, input, weight, bias, stride, tuple(left), dilation, groups)


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,  # noqa: A002
           groups: int = 1) -> Tensor:
    """1-d cross-correlation over (N, C_in, L) or (C_in, L) inputs with a (C_out, C_in/groups, k) weight:
    out[n, o, i] = b[o] + Σ_{c, a} w[o, c, a] · x_pad[n, c, i·s + a·d];  L_out = ⌊(L + 2p − d·(k − 1) − 1)/s⌋ + 1.
    ``padding``: an int, a 1-tuple, 'valid' (0) or 'same' (L_out = L, stride 1 only)."""
    return _convolution("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride=1, padding=0, dilation=1,  # noqa: A002
           groups: int = 1) -> Tensor:
    """2-d cross-correlation over (N, C_in, H, W) or (C_in, H, W) inputs with a (C_out, C_in/groups, kh, kw) weight:
    out[n, o, i, j] = b[o] + Σ_{c, a, b'} w[o, c, a, b'] · x_pad[n, c, i·sh + a·dh, j·sw + b'·dw],
    H_out = ⌊(H + 2ph − dh·(kh − 1) − 1)/sh⌋ + 1 (W_out alike). ``groups`` splits the channels into independent
    convolutions (groups = C_in: depthwise). ``padding``: int, pair, 'valid' (0) or 'same' (output size = input
    size, stride 1 only). Derivatives: see ``_functions/conv.py``."""
    return _convolution("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


_NON_CONSTANT = ("Padding size {size} is not supported for {dims}D input tensor.\n"
                 "Supported combinations for non-constant padding:\n"
                 "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                 "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                 "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:  # noqa: A002
    """Pads (or, with negative amounts, crops) the last len(pad)/2 dimensions: ``pad`` = (left, right) for the last
    dimension, then (top, bottom) for the one before, and so on. ``mode``: 'constant' (``value``, default 0),
    'reflect' (mirror without repeating the edge), 'replicate' (repeat the edge), 'circular' (wrap around)."""
    pad = list(pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {input.dim()}")
    padded_dims = len(pad) // 2
    pairs = [(0, 0)] * (input.dim() - padded_dims)
    pairs += [(pad[2 * i], pad[2 * i + 1]) for i in reversed(range(padded_dims))]  # first dimension first
    if mode == "constant":
        for size, (before, after) in zip(input.shape, pairs):
            if size + before + after < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        return _padding.ConstantPadNd.apply(input, tuple(pairs), 0.0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if padded_dims not in (1, 2, 3) or input.dim() not in (padded_dims + 1, padded_dims + 2):
        raise NotImplementedError(_NON_CONSTANT.format(size=len(pad), dims=input.dim()))
    indices = []
    for axis in range(input.dim() - padded_dims, input.dim()):
        size, (before, after) = input.shape[axis], pairs[axis]
        if mode == "reflect" and (before >= size or after >= size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, but "
                               f"got: padding ({before}, {after}) at dimension {axis} of input {list(input.shape)}")
        if mode == "circular" and (before > size or after > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        indices.append((axis, _padding.source_index(size, before, after, mode)))
    return _padding.GatherPad.apply(input, tuple(indices), mode)
