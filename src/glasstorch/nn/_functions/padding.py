"""Padding (``F.pad``): a constant border (ConstantPadNdBackward0), or a border copied from the input itself
(reflect, replicate, circular) written as one gather per padded dimension.

``pads`` is one (before, after) pair per dimension of the input, from the first dimension on (``F.pad``'s flat
tuple, which starts from the last dimension, is turned into this form by the caller); a negative amount crops.
"""
from __future__ import annotations

from ..._backend import np
from ...autograd.function import Function


def _kept(pads, shape) -> tuple:
    """The slices of the input that survive (a negative pad crops) and of the output they land in."""
    source, target = [], []
    for (before, after), size in zip(pads, shape):
        start, stop = max(-before, 0), size - max(-after, 0)
        source.append(slice(start, stop))
        target.append(slice(max(before, 0), max(before, 0) + max(stop - start, 0)))
    return tuple(source), tuple(target)


class ConstantPadNd(Function):
    """out = x surrounded by ``value`` (cropped where a pad is negative);  ∂L/∂x = g with the border cut off
    (and zeros where x was cropped away)."""

    backward_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, pads, value):
        shape = tuple(size + before + after for size, (before, after) in zip(x.shape, pads))
        out = np.full(shape, value, dtype=x.dtype)
        source, target = _kept(pads, x.shape)
        out[target] = x[source]
        ctx.pads, ctx.shape = pads, x.shape
        return out

    @staticmethod
    def backward(ctx, g):
        source, target = _kept(ctx.pads, ctx.shape)
        grad = np.zeros(ctx.shape, dtype=g.dtype)
        grad[source] = g[target]
        return grad, None, None


def source_index(size: int, before: int, after: int, mode: str):
    """For each position of a padded dimension, the input position it copies:
    reflect mirrors without repeating the edge (… 2 1 | 0 1 2 … n−1 | n−2 …), replicate repeats the edge
    (0 0 | 0 1 … n−1 | n−1 n−1), circular wraps around (n−2 n−1 | 0 1 … n−1 | 0 1)."""
    position = np.arange(-before, size + after)
    if mode == "reflect":
        position = np.abs(position)
        return (size - 1) - np.abs((size - 1) - position)
    if mode == "replicate":
        return np.clip(position, 0, size - 1)
    return position % size  # circular


class GatherPad(Function):
    """out = x[index_1][index_2]… with one index array per padded dimension (``source_index``);
    ∂L/∂x = the gradient scattered back through the same indices, adding up where one input element was copied
    several times (np.add.at), one dimension at a time in reverse order.

    torch names the node by mode and number of padded dimensions (ReflectionPad2DBackward0,
    ReplicationPad1DBackward0...); its circular padding is a sequence of in-place copies (CopySlices)."""

    @staticmethod
    def forward(ctx, x, indices, mode):
        out = x
        for axis, index in indices:
            out = np.take(out, index, axis=axis)
        ctx.indices, ctx.shape, ctx.mode = indices, x.shape, mode
        return out

    @staticmethod
    def backward(ctx, g):
        for axis, index in reversed(ctx.indices):
            shape = list(g.shape)
            shape[axis] = ctx.shape[axis]
            grad = np.zeros(shape, dtype=g.dtype)
            np.add.at(grad, (slice(None),) * axis + (index,), g)
            g = grad
        return g, None, None

    def _kind_name(self) -> str:
        if self.mode == "circular":
            return "torch::autograd::CopySlices"
        name = "Reflection" if self.mode == "reflect" else "Replication"
        return f"{name}Pad{len(self.indices)}DBackward0"
