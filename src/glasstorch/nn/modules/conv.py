"""``Conv1d`` and ``Conv2d``: convolution layers (beyond the course's fully connected networks)."""
from __future__ import annotations

import math

from ..._creation import empty
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _tuple(value, dims: int) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * dims


class _ConvNd(Module):
    """What Conv1d and Conv2d share: the checks, the parameters, torch's initialisation and repr.

    weight: (out_channels, in_channels / groups, *kernel_size), bias: (out_channels,). torch's default
    initialisation, as nn.Linear's with fan_in = (in_channels / groups) · kh · kw: weight from kaiming_uniform_ with
    a = √5, i.e. U(−1/√fan_in, 1/√fan_in), and bias from U(−1/√fan_in, 1/√fan_in).
    ``padding_mode`` other than 'zeros' pads the input with ``F.pad`` (reflect, replicate, circular) first."""

    _dims = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__()
        dims = self._dims
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        kernel_size, stride, dilation = _tuple(kernel_size, dims), _tuple(stride, dims), _tuple(dilation, dims)
        if isinstance(padding, str):
            valid_padding_strings = {"same", "valid"}  # (a set, so the message lists them in torch's order)
            if padding not in valid_padding_strings:
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {valid_padding_strings}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        valid_padding_modes = {"zeros", "reflect", "replicate", "circular"}
        if padding_mode not in valid_padding_modes:
            raise ValueError(f"padding_mode must be one of {valid_padding_modes}, but got padding_mode="
                             f"'{padding_mode}'")
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel_size
        self.stride = stride
        self.padding = padding if isinstance(padding, str) else _tuple(padding, dims)
        self.dilation, self.transposed, self.output_padding = dilation, False, (0,) * dims
        self.groups, self.padding_mode = groups, padding_mode
        # F.pad's amounts for the non-zero padding modes: (left, right) per dimension, last dimension first
        if padding == "same":
            reversed_padding = []
            for d, k in zip(reversed(dilation), reversed(kernel_size)):
                total = d * (k - 1)
                reversed_padding += [total // 2, total - total // 2]
        elif padding == "valid":
            reversed_padding = [0, 0] * dims
        else:
            reversed_padding = tuple(p for p in reversed(self.padding) for _ in (0, 1))  # (a tuple, as torch's)
        self._reversed_padding_repeated_twice = reversed_padding
        self.weight = Parameter(empty(out_channels, in_channels // groups, *kernel_size, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def _conv_forward(self, input: Tensor, conv) -> Tensor:  # noqa: A002
        if self.padding_mode != "zeros":
            padded = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return conv(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)
        return conv(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * len(self.padding):
            text += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv1d(_ConvNd):
    """1-d convolution: (N, C_in, L) or (C_in, L) → (N, C_out, L_out), L_out = ⌊(L + 2p − d·(k − 1) − 1)/s⌋ + 1.
    Parameters: C_out · (C_in / groups) · k + C_out (bias)."""

    _dims = 1

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return self._conv_forward(input, F.conv1d)


class Conv2d(_ConvNd):
    """2-d convolution: (N, C_in, H, W) or (C_in, H, W) → (N, C_out, H_out, W_out),
    H_out = ⌊(H + 2ph − dh·(kh − 1) − 1)/sh⌋ + 1 (W_out alike):

        out[n, o] = bias[o] + Σ_{c in o's group} weight[o, c] ⋆ x[n, c]     (⋆: cross-correlation)

    Parameters: C_out · (C_in / groups) · kh · kw + C_out (bias): Conv2d(3, 8, 3) has 8·3·3·3 + 8 = 224."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return self._conv_forward(input, F.conv2d)
