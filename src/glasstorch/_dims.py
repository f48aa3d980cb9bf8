"""The ``dim`` and ``size`` arguments torch accepts, normalised: negative dims, tuples of dims, ``f(2, 3)`` vs ``f((2, 3))``."""
from __future__ import annotations

from ._backend import np


def axis(dim: int, ndim: int) -> int:
    """``dim`` as a non-negative axis of an ``ndim``-dimensional tensor (a 0-dim tensor accepts 0 and -1, as torch)."""
    n = ndim if ndim > 1 else 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def no_dimensions(dim: int) -> str:
    """torch's message where a 0-dim tensor has no ``dim`` to give (size, stride, roll, unbind)."""
    return f"Dimension specified as {dim} but tensor has no dimensions"


def dims(dim, ndim: int):
    """``dim`` (int, tuple/list or None) as a tuple of non-negative axes, or None for all axes (also for ``()``, and
    for a 0-dim tensor, whose dim 0 or -1 torch accepts and NumPy does not)."""
    if dim is None:
        return None
    if type(dim) in (tuple, list):
        axes = tuple(axis(d, ndim) for d in dim)
        if len(set(axes)) != len(axes):
            repeated = next(a for a in axes if axes.count(a) > 1)
            raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
        return axes if axes and ndim else None
    found = axis(dim, ndim)
    return (found,) if ndim else None


def shape_arg(shape: tuple) -> tuple:
    """Accepts ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` and ``f(Size)`` alike; returns a tuple of ints."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = shape[0]
    return tuple(int(s) for s in shape)


def broadcast_error(a: tuple, b: tuple) -> str | None:
    """torch's message for two shapes that do not broadcast (None when they do)."""
    n = max(len(a), len(b))
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and a[-i] != 1 and b[-i] != 1:
            return f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) at non-singleton dimension {n - i}"
    return None
