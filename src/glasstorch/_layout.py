"""torch's memory-layout rules, on NumPy arrays: when a reshape can be a view, and how copies are laid out.

A tensor is *contiguous* when its elements lie in memory row after row (NumPy's C order). Views (``t()``,
``permute``, slices, ``expand``) share memory and keep the strides they get, so they may not be; copies follow one of
torch's two rules: *contiguous_format* (reductions, ``cat``, ``contiguous()``) or *preserve_format* (``clone``, ``to``).
"""
from __future__ import annotations

from ._backend import np

VIEW_ERROR = ("view size is not compatible with input tensor's size and stride (at least one dimension spans across "
              "two contiguous subspaces). Use .reshape(...) instead.")


def reshaped_view(a: np.ndarray, shape) -> np.ndarray:
    """``a`` with a new shape over the same memory, as torch's ``view``: refused (RuntimeError) when a group of
    dimensions merged into one does not lie at equal steps in memory (``a.t().view(-1)``); ValueError when the sizes
    do not match. NumPy's rule for a reshape without a copy is the same stride rule, so NumPy decides."""
    out = a.reshape(shape)
    # a contiguous array always reshapes to a view: the check (a bounds comparison, ~0.3 µs) is saved there
    if a.flags.c_contiguous or a.size == 0 or np.may_share_memory(out, a):
        return out
    raise RuntimeError(VIEW_ERROR)


def is_dense(a: np.ndarray) -> bool:
    """torch's "non-overlapping and dense": the elements fill one block of memory without gaps or overlaps, in some
    order of the dimensions (a transposed matrix is dense; a slice with a step or an expanded tensor is not)."""
    expected = a.itemsize
    for stride, n in sorted((abs(s), n) for s, n in zip(a.strides, a.shape) if n != 1):
        if stride != expected:
            return False
        expected *= n
    return True


def preserved_order(a: np.ndarray) -> str:
    """NumPy's ``order`` for a copy of ``a`` in torch's preserve_format (the default of ``clone`` and ``to``): a dense
    array keeps its order of dimensions in memory ("K": a transposed matrix stays transposed), anything else becomes
    contiguous ("C")."""
    return "K" if a.flags.c_contiguous or is_dense(a) else "C"


def contiguous(a: np.ndarray) -> np.ndarray:
    """``a`` itself when contiguous (~75 ns to check), else a contiguous copy: the layout torch gives the results of
    reductions, softmax, cat/stack and advanced indexing, whatever their input's layout. (Not np.ascontiguousarray:
    before NumPy 2 it turns a 0-d array into a 1-d one.)"""
    return a if a.flags.c_contiguous else a.copy()
