"""Tensor's shape operations (reshape, squeeze, transpose, expand, split...) and indexing for reading.
A mixin of ``glasstorch.Tensor``.
"""
from __future__ import annotations

import builtins
import math
import warnings

from . import _dtype, _warnings
from ._backend import np
from ._creation import full_like
from ._dims import axis as _axis
from ._dims import broadcast_error, no_dimensions
from ._dims import dims as _dims
from ._dims import shape_arg as _shape_arg
from ._functions import pointwise as P
from ._functions import shape as S
from ._index_checks import (check_chunks, check_gather_index, check_index_select, check_masked_fill, check_split_size,
                            index_error_message, index_tensor)
from ._tensor_math import where
from ._tensor_reduce import _label
from .autograd.tensor_base import TensorBase, wrap

_warned = {"scatter_reduce": False}  # deprecation warnings torch gives once per process


def _index_key(key):
    """Turns tensors inside an index into NumPy arrays (bool tensors become masks, integer tensors indices); a slice
    stepping backwards or by 0 is refused as torch refuses it (NumPy would reverse: torch has no negative strides)."""
    if type(key) is slice:
        if key.step is not None and key.step <= 0:
            raise ValueError("slice step cannot be zero" if key.step == 0 else "step must be greater than zero")
        return key
    if isinstance(key, TensorBase):
        if key._data.dtype == np.uint8:  # torch's old byte masks: still a mask (NumPy would read indices), and a warning
            _warnings.warn(_warnings.UINT8_INDEX, stacklevel=4)
            return key._data.astype(bool)
        return key._data
    if type(key) is tuple:
        parts, plain = [], True
        for k in key:
            part = _index_key(k)
            parts.append(part)
            if plain and type(part) is not int and type(part) is not slice and part is not None and part is not ...:
                plain = False
        parts = tuple(parts)
        return parts if plain else S.staged(parts) or parts  # (torch's placement where integers mix with arrays)
    if type(key) is list:
        if not key:  # (an empty list selects nothing: integer indices, not NumPy's float64 default)
            return np.zeros(0, dtype=np.int64)
        return np.asarray([k.item() if isinstance(k, TensorBase) else k for k in key])
    return key


def _index_put_key(indices, values, data: np.ndarray) -> tuple:
    """index_put's key: a tuple of tensors (bool ones are masks) as NumPy arrays; torch's errors otherwise."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"index_put(): argument 'indices' (position 1) must be tuple of Tensors, not "
                        f"{type(indices).__name__}")
    if not isinstance(values, TensorBase):
        raise TypeError(f"index_put(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    for i, index in enumerate(indices):
        if not isinstance(index, TensorBase):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(index).__name__}")
    if values._data.dtype != data.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{_dtype.LEGACY_NAMES.get(data.dtype.name, data.dtype.name)} for the destination and "
                           f"{_dtype.LEGACY_NAMES.get(values._data.dtype.name, values._data.dtype.name)} for the source.")
    return tuple([i._data.astype(bool) if i._data.dtype == np.uint8 else i._data for i in indices])


def _index_error(error: IndexError, key, shape) -> str:
    if not shape:
        return ("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
                "convert a 0-dim tensor to a number")
    if type(key) is builtins.int:
        return f"index {key} is out of bounds for dimension 0 with size {shape[0]}"
    return index_error_message(error, key, shape)


def _shape_error(shape: tuple, size: int) -> RuntimeError:
    """torch's error for a new shape that does not fit ``size`` elements; a -1 beside a 0 fits any size, so torch
    refuses to guess it."""
    if shape.count(-1) > 1:
        return RuntimeError("only one dimension can be inferred")
    if size == 0 and -1 in shape:
        return RuntimeError(f"cannot reshape tensor of 0 elements into shape {list(shape)} because the unspecified "
                            f"dimension size -1 can be any value and is ambiguous")
    return RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")


class ShapeMixin:
    """Operations that move elements without changing them; each backward moves the gradient back."""

    __slots__ = ()

    # ---- reshaping ---------------------------------------------------------------------------------------------
    def reshape(self, *shape):
        shape = _shape_arg(shape)
        try:
            return S.Reshape.apply(self, shape)
        except ValueError:
            raise _shape_error(shape, self._data.size) from None

    def view(self, *shape):
        """The same memory seen with a new shape (writes show through both). torch's rule: only where each group of
        dimensions merged into one lies at equal steps in memory, so ``x.t().view(-1)`` raises; reshape copies."""
        if len(shape) == 1 and type(shape[0]) is _dtype.dtype:
            raise NotImplementedError("glasstorch: Tensor.view(dtype) is not supported")
        shape = _shape_arg(shape)
        try:
            return S.View.apply(self, shape)
        except ValueError:
            raise _shape_error(shape, self._data.size) from None

    def view_as(self, other):
        return self.view(other._data.shape)

    def reshape_as(self, other):
        return self.reshape(other._data.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        if self._data.ndim == 0:
            _axis(start_dim, 0), _axis(end_dim, 0)
            return self.reshape(1)
        start, end = _axis(start_dim, self._data.ndim), _axis(end_dim, self._data.ndim)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        shape = self._data.shape
        joined = math.prod(shape[start:end + 1])  # (counted: a -1 cannot size an empty tensor's dims)
        return self.reshape(shape[:start] + (joined,) + shape[end + 1:]) if start < end else self

    def unflatten(self, dim: int, sizes):
        axis = _axis(dim, self._data.ndim)
        shape = self._data.shape
        return self.reshape(shape[:axis] + tuple(sizes) + shape[axis + 1:])

    def squeeze(self, dim=None):
        shape = self._data.shape
        if dim is None:
            return _label(self.reshape(tuple(n for n in shape if n != 1)), "SqueezeBackward0")
        dims = _dims(dim, self._data.ndim) or ()
        squeezed = self.reshape(tuple(n for i, n in enumerate(shape) if not (i in dims and n == 1)))
        return _label(squeezed, "SqueezeBackward1" if type(dim) is builtins.int else "SqueezeBackward2")

    def unsqueeze(self, dim: int):
        n = self._data.ndim + 1
        if not -n <= dim < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
        axis = dim % n
        shape = self._data.shape
        return _label(self.reshape(shape[:axis] + (1,) + shape[axis:]), "UnsqueezeBackward0")

    def transpose(self, dim0: int, dim1: int):
        n = self._data.ndim
        if n < 2:  # nothing to swap: a view, as torch returns
            _axis(dim0, n), _axis(dim1, n)
            return _label(S.Index.apply(self, ...), "TransposeBackward0")
        return S.Transpose.apply(self, _axis(dim0, n), _axis(dim1, n))

    swapaxes = swapdims = transpose

    def t(self):
        if self._data.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self._data.ndim}D")
        return _label(S.Transpose.apply(self, 0, 1) if self._data.ndim == 2 else S.Index.apply(self, ...),
                      "TBackward0")

    @property
    def T(self):
        """All dimensions reversed (the transpose of a matrix); torch warns (once) when self is not 2-D."""
        if self._data.ndim != 2:
            _warnings.warn_once(_warnings.T_0D if self._data.ndim == 0 else _warnings.T_NOT_2D)
        return S.Permute.apply(self, tuple(range(self._data.ndim - 1, -1, -1)))  # no argument checks: always valid

    @property
    def mT(self):
        """The last two dimensions swapped (a batch of matrices transposed)."""
        if self._data.ndim < 2:
            if self._data.ndim == 0:  # (torch: the identity, with a warning once)
                _warnings.warn_once(_warnings.MT_0D)
                return self
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.")
        return self.transpose(-2, -1)

    def permute(self, *dims):
        dims = tuple(_axis(d, self._data.ndim) for d in _shape_arg(dims))
        if len(dims) != self._data.ndim:
            raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                               f"length of the desired ordering of dimensions i.e. input.dim() = {self._data.ndim} "
                               f"is not equal to len(dims) = {len(dims)}")
        if len(set(dims)) != len(dims):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        return S.Permute.apply(self, dims)

    def expand(self, *sizes):
        sizes = _shape_arg(sizes)
        lead = len(sizes) - self._data.ndim
        if lead < 0:
            raise RuntimeError(f"expand(torch.FloatTensor{{{list(self._data.shape)}}}, size={list(sizes)}): the number "
                               f"of sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions "
                               f"in the tensor ({self._data.ndim})")
        if lead and -1 in sizes[:lead]:
            raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing "
                               f"dimension {sizes.index(-1)}")
        shape = tuple(self._data.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
        try:
            return S.Expand.apply(self, shape)
        except ValueError:
            raise RuntimeError(f"The expanded size of the tensor ({shape[-1]}) must match the existing size "
                               f"({self._data.shape[-1]}) at non-singleton dimension {len(shape) - 1}.  Target sizes: "
                               f"{list(sizes)}.  Tensor sizes: {list(self._data.shape)}") from None

    def expand_as(self, other):
        return self.expand(other._data.shape)

    def repeat(self, *repeats):
        repeats = _shape_arg(repeats)
        if len(repeats) < self._data.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
        try:
            return S.Repeat.apply(self, repeats)
        except ValueError:  # NumPy refused a negative count; torch names the size it would have made
            shape = (1,) * (len(repeats) - self._data.ndim) + self._data.shape
            sizes = [n * r for n, r in zip(shape, repeats)]
            raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: {sizes}") from None

    def contiguous(self):
        """self when its elements already lie row after row in memory, else such a copy (recorded as a clone)."""
        return self if self._data.flags.c_contiguous else P.Contiguous.apply(self)

    def is_contiguous(self) -> bool:
        return builtins.bool(self._data.flags.c_contiguous)

    def stride(self, dim: int | None = None):
        """The step in elements between neighbours along each dimension (a tuple), or along ``dim``."""
        itemsize = self._data.itemsize
        strides = tuple([s // itemsize for s in self._data.strides])
        if dim is None:
            return strides
        if not strides:
            raise IndexError(no_dimensions(dim))
        return strides[_dims(dim, self._data.ndim)[0]]

    def flip(self, *dims, **kwargs):
        """A copy with the order of elements reversed along ``dims`` (a tuple, or several ints as torch accepts)."""
        if not dims and "dims" not in kwargs:
            raise TypeError('flip() missing 1 required positional arguments: "dims"')
        dims = kwargs["dims"] if not dims else dims[0] if len(dims) == 1 else dims
        index = [slice(None)] * self._data.ndim
        for d in _dims(dims, self._data.ndim) or ():
            if index:  # (a 0-d tensor accepts dim 0 or -1, and has nothing to reverse)
                index[d] = slice(None, None, -1)
        return S.Flip.apply(self, tuple(index))

    # ---- taking apart ------------------------------------------------------------------------------------------
    def split(self, split_size_or_sections, dim: int = 0):
        if not self._data.ndim:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        axis = _axis(dim, self._data.ndim)
        n = self._data.shape[axis]
        if isinstance(split_size_or_sections, (builtins.int, np.integer)):
            step = builtins.int(split_size_or_sections)
            check_split_size(step, n)
            bounds = list(range(0, n, step)) + [n] if n else [0, 0]
            name = "SplitBackward0"
        else:
            bounds = [0, *np.cumsum(split_size_or_sections).tolist()]
            if bounds[-1] != n:
                raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                                   f"dimension {axis}), but got split_sizes={list(split_size_or_sections)}")
            name = "SplitWithSizesBackward0"
        lead = (slice(None),) * axis
        return tuple(_label(S.Index.apply(self, lead + (slice(lo, hi),)), name) for lo, hi in zip(bounds[:-1], bounds[1:]))

    def chunk(self, chunks: int, dim: int = 0):
        check_chunks(chunks)
        if not self._data.ndim:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        n = self._data.shape[_axis(dim, self._data.ndim)]
        if n == 0:  # torch hands back ``chunks`` empty pieces
            return tuple(_label(S.Index.apply(self, (slice(None),) * _axis(dim, self._data.ndim) + (slice(0, 0),)),
                                "SplitBackward0") for _ in range(chunks))
        return self.split(builtins.max(-(-n // chunks), 1), dim)

    def unbind(self, dim: int = 0):
        axis = _axis(dim, self._data.ndim)
        if not self._data.ndim:
            raise IndexError(no_dimensions(axis))
        lead = (slice(None),) * axis
        return tuple(_label(S.Index.apply(self, lead + (i,)), "UnbindBackward0") for i in range(self._data.shape[axis]))

    # ---- gathering and indexing --------------------------------------------------------------------------------
    def gather(self, dim: int, index):
        axis, idx = _axis(dim, self._data.ndim), index_tensor(index, "gather")
        check_gather_index("gather", self._data.shape, axis, idx)
        if not self._data.ndim:  # (a 0-dim tensor: its element, in the index's shape)
            return _label(S.Index.apply(self.reshape(1), idx), "GatherBackward0")
        return S.Gather.apply(self, axis, idx)

    def scatter(self, dim: int, index, src=None, value=None, reduce: str | None = None):
        """out[index[i][j]][j] = src[i][j] along ``dim`` (here 0); ``reduce="add"``/``"multiply"`` combines instead
        (torch's deprecated form: not differentiable; ``scatter_reduce`` is torch's newer API)."""
        source = value if src is None else src
        axis = _axis(dim, self._data.ndim)
        check_gather_index("scatter", self._data.shape, axis, index_tensor(index, "scatter"),
                           source._data.shape if isinstance(source, TensorBase) else None)
        if reduce is not None:
            if reduce not in ("add", "multiply"):
                raise RuntimeError("reduce argument must be either add or multiply.")
            if isinstance(source, TensorBase) and not _warned["scatter_reduce"]:  # once per process, as torch
                _warned["scatter_reduce"] = True
                warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in "
                              "a future PyTorch release. Use torch.scatter_reduce instead for more reduction options.",
                              UserWarning, stacklevel=2)
            return S.ScatterReduce.apply(self, axis, index._data, source, reduce)
        out = S.Scatter.apply(self, axis, index._data, source)
        return _label(out, "ScatterBackward0" if isinstance(source, TensorBase) else "ScatterBackward1")

    def index_select(self, dim: int, index):
        axis, ndim = _axis(dim, self._data.ndim), self._data.ndim
        if not ndim and isinstance(index, TensorBase) and index._data.size > 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {index._data.size} value(s)")
        check_index_select(index_tensor(index, "index_select"), self._data.shape[axis] if ndim else 1, axis,
                           self._data.shape)
        if not ndim:  # (a 0-dim tensor: its one element, kept 0-dim)
            return _label(S.Index.apply(self, ()), "IndexSelectBackward0")
        lead = (slice(None),) * axis
        return S.IndexSelect.apply(self, lead + (index._data.reshape(-1),))

    def masked_fill(self, mask, value):
        check_masked_fill(mask, value)
        filled = where(mask, value if isinstance(value, TensorBase) else full_like(self, value), self)
        return _label(filled, "MaskedFillBackward0")

    def index_put(self, indices, values, accumulate: bool = False):
        """A copy of self with ``copy[indices] = values`` (``+=`` where ``accumulate``, adding at repeated places);
        ``indices`` is a tuple of integer or bool tensors, one per leading dimension, all advanced (a 0-d tensor too);
        ∂self: g (zeroed at the overwritten places unless accumulating), ∂values: g[indices]."""
        key = _index_put_key(indices, values, self._data)
        try:
            target_shape = self._data[key].shape
        except IndexError as error:
            raise IndexError(f"{_index_error(error, key, self._data.shape)} (got {len(key)})"
                             if "too many" in str(error) else _index_error(error, key, self._data.shape)) from None
        if broadcast_error(values._data.shape, target_shape) or len(np.broadcast_shapes(
                values._data.shape, target_shape)) != len(target_shape):
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(values._data.shape)} cannot be broadcast "
                               f"to indexing result of shape {list(target_shape)}")
        return (S.IndexPutAccumulate if accumulate else S.IndexPut).apply(self, values, key)

    def masked_select(self, mask):
        """The elements of self where ``mask`` (bool, broadcast with self) is True, as a 1-D tensor in row order;
        ∂: g put back at those places (summed over broadcast copies)."""
        if not isinstance(mask, TensorBase):
            raise TypeError(f"masked_select(): argument 'mask' (position 1) must be Tensor, not {type(mask).__name__}")
        if mask._data.dtype != bool:
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        mismatch = broadcast_error(mask._data.shape, self._data.shape)  # (torch names the mask tensor a)
        if mismatch:
            raise RuntimeError(mismatch)
        shape = np.broadcast_shapes(self._data.shape, mask._data.shape)
        source = self if self._data.shape == shape else self.expand(shape)
        return _label(S.Index.apply(source, np.broadcast_to(mask._data, shape)), "MaskedSelectBackward0")

    def nonzero(self, as_tuple: bool = False):
        found = np.nonzero(self._data) if self._data.ndim else np.nonzero(self._data.reshape(1))
        if as_tuple:
            return tuple(wrap(i.astype(np.int64)) for i in found)
        if not self._data.ndim:  # a 0-dim tensor: one row (or none) with no coordinates
            return wrap(np.zeros((found[0].size, 0), dtype=np.int64))
        return wrap(np.stack(found, axis=1).astype(np.int64))

    def argwhere(self):
        """The coordinates of the non-zero elements, one row each (``nonzero()``)."""
        return self.nonzero()

    def __getitem__(self, key):
        """``t[key]`` with ints, slices, None, ..., integer tensors/lists and bool masks;  ∂: g put back in place."""
        try:
            if type(key) is builtins.int:
                return S.Index.apply(self, key)
            index = _index_key(key)
            return (S.IndexStaged if type(index) is S.StagedIndex else S.Index).apply(self, index)
        except IndexError as error:
            raise IndexError(_index_error(error, key, self._data.shape)) from None
