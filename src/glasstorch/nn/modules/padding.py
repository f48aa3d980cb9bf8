"""Padding layers around ``F.pad``: zeros or a constant, the reflection or replication of the edge, in 1-d (the last
dimension) and 2-d (the last two). ``padding`` is an int (every side) or (left, right[, top, bottom])."""
from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["ZeroPad1d", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d", "ReflectionPad1d", "ReflectionPad2d",
           "ReplicationPad1d", "ReplicationPad2d", "CircularPad1d", "CircularPad2d"]


class _PadNd(Module):
    _dims = 2
    _mode = "constant"

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = tuple(padding) if isinstance(padding, (tuple, list)) else (padding,) * (2 * self._dims)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dimension with ``value``."""
    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two dimensions with ``value``."""


class ZeroPad1d(ConstantPad1d):
    """Pads the last dimension with zeros."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pads the last two dimensions with zeros."""

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_PadNd):
    """Mirrors the last dimension at its edges (the edge is not repeated): 1 2 3 → 2 | 1 2 3 | 2."""
    _dims, _mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Mirrors the last two dimensions at their edges."""
    _mode = "reflect"


class ReplicationPad1d(_PadNd):
    """Repeats the edge of the last dimension: 1 2 3 → 1 | 1 2 3 | 3."""
    _dims, _mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Repeats the edges of the last two dimensions."""
    _mode = "replicate"


class CircularPad1d(_PadNd):
    """Wraps the last dimension around: 1 2 3 → 3 | 1 2 3 | 1."""
    _dims, _mode = 1, "circular"


class CircularPad2d(_PadNd):
    """Wraps the last two dimensions around."""
    _mode = "circular"
