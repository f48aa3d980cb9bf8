"""Tensor's reductions (sum, mean, var, max with indices, logsumexp, softmax...) and orderings (sort, topk, unique).
A mixin of ``glasstorch.Tensor``.
"""
from __future__ import annotations

import builtins
import math
import warnings
from collections import namedtuple

from . import _dtype, _warnings
from ._backend import np
from ._dims import axis as _axis
from ._dims import dims as _dims
from ._functions import norm as N
from ._functions import reduction as R
from ._functions import shape as S
from ._tensor_math import where
from .autograd.tensor_base import wrap


def _return_type(name: str) -> type:
    """torch.return_types.<name>: a (values, indices) named tuple that prints as torch's does."""

    def __repr__(self) -> str:
        return f"glasstorch.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"

    cls = namedtuple(name, ["values", "indices"])
    return type(name, (cls,), {"__slots__": (), "__repr__": __repr__, "__str__": __repr__,
                               "__module__": "glasstorch.return_types"})


max_result, min_result, sort_result, topk_result = (_return_type(n) for n in ("max", "min", "sort", "topk"))


def _label(result, name: str):
    """Gives a composed result's node torch's name for the operation (``amax`` → AmaxBackward0)."""
    if result.grad_fn is not None:
        result.grad_fn.label = name
    return result


def _nan_aware(array: np.ndarray, nan_fill: float) -> np.ndarray:
    """torch's argmax/argmin/max/min pick NaN first: replace NaN by the value that always wins."""
    if array.dtype.kind == "f" and np.isnan(array).any():
        return np.where(np.isnan(array), nan_fill, array)
    return array


def _argmax(array, axis, keepdims=False):
    """argmax that, like torch, treats NaN as the largest value."""
    return np.argmax(_nan_aware(array, np.inf), axis=axis, keepdims=keepdims)


def _argmin(array, axis, keepdims=False):
    """argmin that, like torch, treats NaN as the smallest value."""
    return np.argmin(_nan_aware(array, -np.inf), axis=axis, keepdims=keepdims)


def _empty_reduction(name: str, shape: tuple, axes, index_error: bool = False) -> Exception:
    """torch's error for max-like reductions NumPy could not take of an empty tensor (``axes`` None: over all)."""
    if axes is None:
        kind = IndexError if index_error else RuntimeError
        tail = "" if index_error else " Specify the reduction dim with the 'dim' argument."
        return kind(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.{tail}")
    axis = next(a for a in axes if shape[a] == 0)
    return IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")


def _refuse_empty_inf_norm(p: float, dim, dims, shape: tuple) -> None:
    """torch's error for an ±inf norm that reduces over an empty dimension (or over all of an empty tensor)."""
    order = "inf" if p > 0 else "-inf"
    if dims is None:
        raise RuntimeError(f"linalg.vector_norm cannot compute the {order} norm on an empty tensor because the "
                           "operation does not have an identity")
    for given, axis in zip(dim if type(dim) in (tuple, list) else (dim,), dims):
        if shape[axis] == 0:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {order} norm on the dimension {given}because "
                               "this dimension is empty and the operation does not have an identity")


def _softmax_kernel(name: str, axis: int, ndim: int) -> str:
    """The kernel torch names when it refuses an integer softmax: a separate one for the last dimension."""
    return f"{name}_lastdim_kernel_impl" if axis >= ndim - 1 else f"{name}_kernel_impl"


class ReductionMixin:
    """Reductions over all elements or along ``dim`` (with ``keepdim``), and sorting."""

    __slots__ = ()

    def sum(self, dim=None, keepdim: bool = False, dtype=None):
        numpy_dtype = None if dtype is None else _dtype.to_numpy_dtype(dtype)
        if numpy_dtype is None and self._data.dtype.kind in "biu":
            numpy_dtype = np.int64  # torch sums integers and bools as int64
        return R.Sum.apply(self, None if dim is None else _dims(dim, self._data.ndim), keepdim, numpy_dtype)

    def mean(self, dim=None, keepdim: bool = False, dtype=None):
        source = self if dtype is None else self.to(dtype)
        if source._data.dtype.kind != "f":
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                               f"complex dtype. Got: {_dtype.LEGACY_NAMES.get(source.dtype.name, source.dtype.name)}")
        return R.Mean.apply(source, None if dim is None else _dims(dim, self._data.ndim), keepdim)

    def nansum(self, dim=None, keepdim: bool = False, *, dtype=None):
        """Σ of the elements that are not NaN (integers and bools, which hold no NaN, sum as int64 like ``sum``)."""
        if self._data.dtype.kind != "f":
            return self.sum(dim, keepdim, dtype=dtype)
        source = self if dtype is None else self.to(dtype)
        return where(source.isnan(), 0.0, source).sum(dim, keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False, dtype=None):
        source = self if dtype is None else self.to(dtype)
        if source._data.dtype.kind in "biu":
            source = source.long()
        axis = None if dim is None else _axis(dim, self._data.ndim)
        return R.Prod.apply(source, axis if self._data.ndim else None, keepdim)  # (0-dim: its one element)

    def var(self, dim=None, unbiased: bool | None = None, keepdim: bool = False, *, correction=None):
        """Variance: Σ(x − mean)² / (N − correction); correction 1 (unbiased, Bessel) by default, as torch.
        With N − correction ≤ 0 (one value, correction 1) torch warns and divides by 0: nan (or inf)."""
        return self._variance(dim, unbiased, keepdim, correction, "var")

    def std(self, dim=None, unbiased: bool | None = None, keepdim: bool = False, *, correction=None):
        """Standard deviation: √var (same ``correction``)."""
        return R.StdFromVar.apply(self._variance(dim, unbiased, keepdim, correction, "std"))

    def _variance(self, dim, unbiased, keepdim, correction, name: str, stacklevel: int = 4):
        if correction is None:
            correction = 0 if unbiased is False else 1
        if self._data.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        dims = _dims(dim, self._data.ndim)
        shape = self._data.shape
        n = self._data.size if dims is None else builtins.int(np.prod([shape[d] for d in dims]))
        kept = 1 if dims is None else builtins.int(np.prod([shape[d] for d in range(len(shape)) if d not in dims]))

        def variance():
            deviation = self - self.mean(dims, keepdim=True)
            return _label((deviation * deviation).sum(dims, keepdim=keepdim) / builtins.max(n - correction, 0),
                          "VarBackward0")

        if (n if kept else 0) - correction > 0:
            return variance()
        # no degrees of freedom: torch's warning (named after the function the user called), not NumPy's about 0/0
        _warnings.warn(_warnings.degrees_of_freedom(name), stacklevel=stacklevel)
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # (NumPy's "Mean of empty slice")
            return variance()

    def _extreme(self, dim, keepdim, largest: bool):
        name = "max" if largest else "min"
        if dim is None:
            if self._data.size == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                                   "Specify the reduction dim with the 'dim' argument.")
            return R.MaxMin.apply(self, None, False, largest)
        if isinstance(dim, type(self)):  # torch.max(a, b) written as a.max(b)
            return self.maximum(dim) if largest else self.minimum(dim)
        result = max_result if largest else min_result
        if self._data.ndim == 0:
            _axis(dim, 0)
            return result(_label(S.Index.apply(self, ()), name.title() + "Backward0"), wrap(np.asarray(0)))
        axis = _axis(dim, self._data.ndim)
        if self._data.shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
        indices = (_argmax if largest else _argmin)(self._data, axis=axis, keepdims=keepdim)
        return result(R.MaxMinDim.apply(self, indices, axis, keepdim, largest), wrap(indices.astype(np.int64)))

    def max(self, dim=None, keepdim: bool = False):
        """The largest element, or (values, indices) along ``dim``; NaN wins, as in torch."""
        return self._extreme(dim, keepdim, True)

    def min(self, dim=None, keepdim: bool = False):
        """The smallest element, or (values, indices) along ``dim``; NaN wins, as in torch."""
        return self._extreme(dim, keepdim, False)

    def amax(self, dim=(), keepdim: bool = False):
        """The largest values over ``dim`` (all dims by default); the gradient is shared evenly among ties."""
        return self._amax_amin(dim, keepdim, True)

    def amin(self, dim=(), keepdim: bool = False):
        return self._amax_amin(dim, keepdim, False)

    def _amax_amin(self, dim, keepdim: bool, largest: bool):
        axes = _dims(dim, self._data.ndim)
        try:
            out = R.MaxMin.apply(self, axes, keepdim, largest)
        except ValueError:  # NumPy has no maximum of nothing
            raise _empty_reduction("amax" if largest else "amin", self._data.shape, axes) from None
        return _label(out, "AmaxBackward0" if largest else "AminBackward0")

    def argmax(self, dim=None, keepdim: bool = False):
        return self._arg_extreme(dim, keepdim, "argmax", _argmax)

    def argmin(self, dim=None, keepdim: bool = False):
        return self._arg_extreme(dim, keepdim, "argmin", _argmin)

    def _arg_extreme(self, dim, keepdim: bool, name: str, find):
        if self._data.dtype.kind == "b":
            raise RuntimeError(f"{name}(): does not support bool input")
        axis = None if dim is None else _axis(dim, self._data.ndim)
        try:
            if axis is None:
                out = np.asarray(find(self._data.reshape(-1), axis=0), dtype=np.int64)
                return wrap(out.reshape((1,) * self._data.ndim) if keepdim else out)
            return wrap(find(self._data, axis=axis, keepdims=keepdim).astype(np.int64))
        except ValueError:  # NumPy has no position of the largest of nothing
            raise _empty_reduction(name, self._data.shape, None if axis is None else (axis,), True) from None

    def norm(self, p="fro", dim=None, keepdim: bool = False, dtype=None):
        """The vector p-norm over ``dim`` (every element when None): ``"fro"`` and 2 give √(Σ x²), 1 gives Σ |x|,
        ``float("inf")`` max |x|, any p (Σ |x|^p)^(1/p). ``dtype``: computed in that dtype."""
        if p == "fro":
            p = 2
        elif isinstance(p, str):
            raise NotImplementedError(f"glasstorch: Tensor.norm(p={p!r}) (a matrix norm) is not supported")
        source = self if dtype is None else self.to(dtype)
        if source._data.dtype.kind != "f":
            raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                               + _dtype.LEGACY_NAMES[source._data.dtype.name])
        dims = None if dim is None else _dims(dim, source._data.ndim)
        if source._data.size == 0 and math.isinf(p):  # max |x| of nothing has no value (torch names the dim given)
            _refuse_empty_inf_norm(float(p), dim, dims, source._data.shape)
        return N.VectorNorm.apply(source, float(p), dims, keepdim)

    def logsumexp(self, dim, keepdim: bool = False):
        return R.LogSumExp.apply(self._floating(), _dims(dim, self._data.ndim), keepdim)

    def softmax(self, dim: int, dtype=None):
        axis = _axis(dim, self._data.ndim)
        source = self if dtype is None else self.to(dtype)
        if source._data.dtype.kind != "f":
            raise _dtype.not_implemented_for(_softmax_kernel("softmax", axis, self._data.ndim), source._data)
        return R.Softmax.apply(source, axis)

    def log_softmax(self, dim: int, dtype=None):
        axis = _axis(dim, self._data.ndim)
        source = self if dtype is None else self.to(dtype)
        if source._data.dtype.kind != "f":
            raise _dtype.not_implemented_for(_softmax_kernel("log_softmax", axis, self._data.ndim), source._data)
        return R.LogSoftmax.apply(source, axis)

    def cumsum(self, dim: int, dtype=None):
        numpy_dtype = None if dtype is None else _dtype.to_numpy_dtype(dtype)
        if numpy_dtype is None and self._data.dtype.kind in "biu":
            numpy_dtype = np.int64
        return R.Cumsum.apply(self, _axis(dim, self._data.ndim), numpy_dtype)

    # ---- ordering ----------------------------------------------------------------------------------------------
    def _order(self, axis: int, descending: bool) -> np.ndarray:
        """Stable sorting indices along ``axis`` (NaN last ascending, first descending, as torch)."""
        data = self._data
        if not descending:
            return np.argsort(data, axis=axis, kind="stable")
        if data.dtype.kind == "b":
            data = data.astype(np.int8)
        elif data.dtype.kind == "u":
            data = data.astype(np.int64)
        if data.dtype.kind == "f":
            data = np.where(np.isnan(data), np.inf, data)
        return np.argsort(-data, axis=axis, kind="stable")

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False):
        if self._data.ndim == 0:
            _axis(dim, 0)
            return sort_result(_label(S.Index.apply(self, ()), "SortBackward0"), wrap(np.asarray(0)))
        axis = _axis(dim, self._data.ndim)
        order = self._order(axis, descending)
        return sort_result(_label(S.Gather.apply(self, axis, order), "SortBackward0"), wrap(order.astype(np.int64)))

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False):
        return self.sort(dim, descending, stable).indices

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
        """The k largest (or smallest) elements along ``dim`` and their indices, largest first."""
        axis = _axis(dim, self._data.ndim)
        n = self._data.shape[axis] if self._data.ndim else 1
        if self._data.dtype.kind == "b":
            raise RuntimeError("topk does not support bool dtypes on CPU")
        if not 0 <= k <= n:
            raise RuntimeError("selected index k out of range")
        if self._data.ndim == 0:
            return topk_result(_label(S.Index.apply(self, ()), "TopkBackward0"), wrap(np.asarray(0)))
        axis = _axis(dim, self._data.ndim)
        order = np.take(self._order(axis, largest), np.arange(k), axis=axis)
        return topk_result(_label(S.Gather.apply(self, axis, order), "TopkBackward0"), wrap(order.astype(np.int64)))

    def unique(self, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False, dim=None):  # noqa: A002
        """The distinct values (sorted), with the inverse indices and the counts on request; with ``dim``, the
        distinct slices along that dimension (sorted lexicographically), the inverse indexing that dimension."""
        data = self._data
        if dim is None:
            values, inverse, counts = np.unique(data, return_inverse=True, return_counts=True)
            inverse = inverse.reshape(data.shape)
        else:
            axis = _axis(dim, data.ndim)
            if 0 in data.shape and data.shape[axis] != 0:
                raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")
            if data.shape[axis] == 0:  # nothing to compare: no slices, no indices
                values, inverse, counts = data, np.zeros(0, np.int64), np.zeros(0, np.int64)
            else:
                values, inverse, counts = np.unique(data, axis=axis, return_inverse=True, return_counts=True)
                inverse = inverse.reshape(-1)
        out = [wrap(values)]
        if return_inverse:
            out.append(wrap(inverse.astype(np.int64)))
        if return_counts:
            out.append(wrap(counts.astype(np.int64)))
        return out[0] if len(out) == 1 else tuple(out)
