"""Shape and indexing Functions: they move elements around, and backward moves the gradient back."""
from __future__ import annotations

from .._backend import np
from .._layout import contiguous, is_dense, preserved_order, reshaped_view
from ..autograd.function import Function


class Reshape(Function):
    """out = a with a new shape (a view where NumPy can);  ∂: reshape g back."""

    backward_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


class View(Reshape):
    """out = a with a new shape over the same memory; refused where a's strides cannot express it (torch's view:
    see ``reshaped_view``);  ∂: reshape g back."""

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return reshaped_view(a, shape)


class Transpose(Function):
    """out = a with axes dim0 and dim1 swapped;  ∂: swap them back."""

    @staticmethod
    def forward(ctx, a, dim0, dim1):
        ctx.dims = dim0, dim1
        return np.swapaxes(a, dim0, dim1)

    @staticmethod
    def backward(ctx, g):
        return np.swapaxes(g, *ctx.dims), None, None


class Permute(Function):
    """out = a with axes reordered;  ∂: apply the inverse order."""

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return a.transpose(dims)

    @staticmethod
    def backward(ctx, g):
        inverse = [0] * len(ctx.dims)
        for i, d in enumerate(ctx.dims):  # a plain loop: np.argsort of a short tuple costs microseconds
            inverse[d] = i
        return g.transpose(inverse), None


class Expand(Function):
    """out = a broadcast to a larger shape (a read-only view);  ∂: the engine sums g back to a's shape."""

    @staticmethod
    def forward(ctx, a, shape):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, g):
        return g, None


class Repeat(Function):
    """out = a tiled ``repeats`` times per axis;  ∂: sum the tiles of g."""

    @staticmethod
    def forward(ctx, a, repeats):
        ctx.shape = (1,) * (len(repeats) - a.ndim) + a.shape
        ctx.repeats = repeats
        return np.tile(a, repeats)

    @staticmethod
    def backward(ctx, g):
        split = []
        for r, n in zip(ctx.repeats, ctx.shape):
            split += [r, n]
        return g.reshape(split).sum(axis=tuple(range(0, len(split), 2))), None


class Cat(Function):
    """out = the inputs joined along dim;  ∂: cut g into the inputs' sizes."""

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        ctx.bounds = np.cumsum([a.shape[dim] for a in arrays])[:-1]
        return contiguous(np.concatenate(arrays, axis=dim))  # torch's cat is contiguous; NumPy's follows the inputs

    @staticmethod
    def backward(ctx, g):
        return (None, *np.split(g, ctx.bounds, axis=ctx.dim))


class Stack(Function):
    """out = the inputs stacked along a new axis dim;  ∂: take g apart along that axis."""

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        return contiguous(np.stack(arrays, axis=dim))  # torch's stack is contiguous; NumPy's follows the inputs

    @staticmethod
    def backward(ctx, g):
        return (None, *np.moveaxis(g, ctx.dim, 0))


def _is_basic(index) -> bool:
    """True when NumPy indexing returns a view and touches each element at most once (ints, slices, None, ...)."""
    parts = index if type(index) is tuple else (index,)
    return all(p is None or p is Ellipsis or type(p) in (int, slice) for p in parts)


class Index(Function):
    """out = a[index] (ints, slices, None, ..., integer arrays, boolean masks);  ∂: put g back where it came from,
    adding where an integer index repeats an element."""

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.dtype, ctx.index = a.shape, a.dtype, index
        out = a[index]
        # torch lays an advanced-indexing copy out contiguous unless its input is dense in another order (transposed);
        # NumPy may not (x[:, [0, 2]]). Checked only when the result is not contiguous: a batch x[indices] pays ~80 ns
        if not out.flags.c_contiguous and not _is_basic(index) and (a.flags.c_contiguous or not is_dense(a)):
            out = out.copy()
        return out

    @staticmethod
    def backward(ctx, g):
        grad = np.zeros(ctx.shape, dtype=g.dtype)
        if _is_basic(ctx.index):
            grad[ctx.index] = g
        else:
            np.add.at(grad, ctx.index, g)
        return grad, None

    def _kind_name(self) -> str:
        """torch applies ints, slices and None one after another: the node is named after the last one that did
        something (x[0] → SelectBackward0, x[1:] → SliceBackward0, x[None] → UnsqueezeBackward0); arrays and masks
        make an IndexBackward0."""
        parts = self.index if type(self.index) is tuple else (self.index,)
        if not _is_basic(self.index):
            return "IndexBackward0"
        for p in reversed(parts):
            if p is None:
                return "UnsqueezeBackward0"
            if type(p) is int:
                return "SelectBackward0"
            if type(p) is slice and p != slice(None):
                return "SliceBackward0"
        return "SliceBackward0" if parts == (slice(None),) else "AliasBackward0"


class IndexSelect(Index):
    """out = a[..., index, ...] along one dim: torch's index_select, whose result is contiguous whatever a's layout;
    ∂: add g back at the picked places."""

    @staticmethod
    def forward(ctx, a, index):
        return contiguous(Index.forward(ctx, a, index))

    def _kind_name(self) -> str:
        return "IndexSelectBackward0"


class StagedIndex:
    """A key mixing integers with arrays or masks, in torch's two stages: ``select`` (the integers, slices elsewhere)
    takes a view, then ``rest`` (the key without its integers) indexes that view. torch applies integer indices as
    selects before the advanced ones, so they do not count when it decides whether the advanced indices are side by
    side (then their result dimensions stay in place) or apart (then they go first); NumPy counts them:
    ``zeros(2, 3, 4)[0, :, [0, 1]]`` is (3, 2) in torch and (2, 3) in NumPy."""

    __slots__ = ("select", "rest")

    def __init__(self, select: tuple, rest: tuple) -> None:
        # (a trailing ... keeps a 0-d result of the selects a view, not a NumPy scalar)
        self.select = select if any(p is Ellipsis for p in select) else select + (Ellipsis,)
        self.rest = rest

    def view(self, a: np.ndarray) -> np.ndarray:
        """The selected view of ``a`` (writes to it go through to ``a``)."""
        return a[self.select]


def staged(parts: tuple):
    """A ``StagedIndex`` for a tuple key holding an integer (a 0-d integer array counts, as in torch) together with an
    array, a mask or a bool; None when NumPy's one-stage indexing already gives torch's result."""
    ints = advanced = False
    first = last = -1  # where the integers, arrays, masks and bools begin and end in the key
    for i, p in enumerate(parts):
        kind = type(p)
        if kind is int or (kind is not bool and isinstance(p, np.integer)):
            ints = True
        elif kind is np.ndarray:
            if p.ndim == 0 and p.dtype.kind in "iu":
                ints = True
            else:
                advanced = True
        elif kind is bool or isinstance(p, np.bool_):
            advanced = True
        else:
            continue
        first, last = (i if first < 0 else first), i
    if not (ints and advanced):
        return None
    if all(not (p is None or p is Ellipsis or type(p) is slice) for p in parts[first:last + 1]):
        return None  # side by side: NumPy places them where torch does (the integers add no dimension)
    select, rest = [], []
    for p in parts:
        kind = type(p)
        if kind is int or (kind is not bool and isinstance(p, np.integer)) or (
                kind is np.ndarray and p.ndim == 0 and p.dtype.kind in "iu"):
            select.append(int(p))
            continue
        rest.append(p)
        if p is Ellipsis:
            select.append(p)
        elif kind is np.ndarray and p.dtype == bool:
            select.extend([slice(None)] * p.ndim)
        elif p is not None and kind is not bool and not isinstance(p, np.bool_):
            select.append(slice(None))
    return StagedIndex(tuple(select), tuple(rest))


class IndexStaged(Index):
    """``Index`` for a ``StagedIndex`` (torch's placement of the advanced dimensions);  ∂: g added back in place."""

    @staticmethod
    def forward(ctx, a, index):
        ctx.shape, ctx.dtype, ctx.index = a.shape, a.dtype, index
        return contiguous(index.view(a)[index.rest])

    @staticmethod
    def backward(ctx, g):
        grad = np.zeros(ctx.shape, dtype=g.dtype)
        np.add.at(ctx.index.view(grad), ctx.index.rest, g)
        return grad, None

    def _kind_name(self) -> str:
        return "IndexBackward0"


class Flip(Function):
    """out = a with the order of elements reversed along some dims: new memory, laid out like a (torch never
    reverses strides, so a flip is a copy, not a view);  ∂: flip g back."""

    @staticmethod
    def forward(ctx, a, index):
        ctx.index = index
        reversed_view = a[index]
        return reversed_view.copy(order=preserved_order(reversed_view))

    @staticmethod
    def backward(ctx, g):
        return g[ctx.index].copy(), None  # (a copy: a gradient with reversed strides would reach .grad)


class IndexPut(Function):
    """out = a with out[index] = value (the out-of-place form of ``a[index] = value``);
    ∂/∂a = g with the overwritten places zeroed,  ∂/∂value = g[index] (summed back by the engine)."""

    def _kind_name(self) -> str:
        """torch: an assignment through ints and slices is CopySlices, through arrays or masks IndexPutBackward0."""
        return "CopySlices" if _is_basic(self.index) else "IndexPutBackward0"

    @staticmethod
    def forward(ctx, a, value, index):
        ctx.index = index
        out = a.copy()
        out[index] = value
        return out

    @staticmethod
    def backward(ctx, g):
        grad_a = None
        if ctx.inputs[0] is not None:
            grad_a = g.copy()
            grad_a[ctx.index] = 0
        return grad_a, (g[ctx.index] if ctx.inputs[1] is not None else None), None


class IndexPutAccumulate(IndexPut):
    """out = a with value added at a[index] (repeated places add up: torch's index_put with accumulate=True);
    ∂/∂a = g,  ∂/∂value = g[index]."""

    @staticmethod
    def forward(ctx, a, value, index):
        ctx.index = index
        out = a.copy()
        np.add.at(out, index, np.broadcast_to(value, out[index].shape))
        return out

    @staticmethod
    def backward(ctx, g):
        return g, (g[ctx.index] if ctx.inputs[1] is not None else None), None

    def _kind_name(self) -> str:
        return "IndexPutBackward0"


class IndexPutStaged(IndexPut):
    """``IndexPut`` for a ``StagedIndex``."""

    @staticmethod
    def forward(ctx, a, value, index):
        ctx.index = index
        out = a.copy()
        index.view(out)[index.rest] = value
        return out

    @staticmethod
    def backward(ctx, g):
        index, grad_a = ctx.index, None
        if ctx.inputs[0] is not None:
            grad_a = g.copy()
            index.view(grad_a)[index.rest] = 0
        return grad_a, (index.view(g)[index.rest] if ctx.inputs[1] is not None else None), None

    def _kind_name(self) -> str:
        return "IndexPutBackward0"


def _along_axis(index: np.ndarray, dim: int) -> tuple:
    """The full NumPy index that picks ``index`` along ``dim`` and every position on the other axes."""
    grids = list(np.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


class Gather(Function):
    """out[i][j] = a[index[i][j]][j] (for dim 0; likewise for other dims);  ∂: scatter-add g back."""

    @staticmethod
    def forward(ctx, a, dim, index):
        ctx.shape, ctx.dim = a.shape, dim
        ctx.save_for_backward(index)
        return a[_along_axis(index, dim)]

    @staticmethod
    def backward(ctx, g):
        (index,) = ctx.saved_tensors
        grad = np.zeros(ctx.shape, dtype=g.dtype)
        np.add.at(grad, _along_axis(index, ctx.dim), g)
        return grad, None, None


class ScatterReduce(Function):
    """out = a with src added (reduce="add") or multiplied (reduce="multiply") into the places index points at, a
    place named twice taking both (torch's deprecated ``scatter(..., reduce=)``). Not differentiable in torch 2.13."""

    backward_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, dim, index, src, reduce):
        where = _along_axis(index, dim)
        values = src if np.ndim(src) == 0 else src[tuple(slice(0, n) for n in index.shape)]
        out = a.copy()
        (np.add if reduce == "add" else np.multiply).at(out, where, values)  # (.at: repeated places accumulate)
        return out

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for aten::scatter is not implemented")


class Scatter(Function):
    """out = a with out[index[i][j]][j] = src[i][j] (dim 0);  ∂/∂a = g zeroed at the written places,
    ∂/∂src = g gathered at them."""

    @staticmethod
    def forward(ctx, a, dim, index, src):
        where = _along_axis(index, dim)
        ctx.save_for_backward(index)
        ctx.dim, ctx.src_shape = dim, np.shape(src)
        out = a.copy()
        out[where] = src if np.ndim(src) == 0 else src[tuple(slice(0, n) for n in index.shape)]
        return out

    @staticmethod
    def backward(ctx, g):
        (index,) = ctx.saved_tensors
        where = _along_axis(index, ctx.dim)
        grad_a = g.copy()
        grad_a[where] = 0
        grad_src = None
        if ctx.inputs[3] is not None:
            grad_src = np.zeros(ctx.src_shape, dtype=g.dtype)
            grad_src[tuple(slice(0, n) for n in index.shape)] = g[where]
        return grad_a, None, None, grad_src
