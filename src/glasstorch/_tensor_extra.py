"""Tensor's less common operations: one-sided clamps, triangles and diagonals, rolls and repeats, cumulative
products, erf/atan2/hypot/logit/frac, median, and the matrix products bmm, mv, addmm, inner, kron, cross.
A mixin of ``glasstorch.Tensor``; each method calls a Function of ``_functions.extra`` or composes existing ones.
"""
from __future__ import annotations

import builtins
import warnings

from . import _dtype
from ._backend import np
from ._dims import axis as _axis
from ._dims import broadcast_error, no_dimensions
from ._dims import dims as _dims
from ._dims import shape_arg as _shape_arg
from ._functions import extra as X
from ._functions import linalg as L
from ._functions import reduction as R
from ._functions import shape as S
from ._tensor_math import _raise_broadcast_error, where
from ._tensor_reduce import _label, _return_type
from .autograd.tensor_base import TensorBase, wrap

median_result = _return_type("median")
_warned = {"cross": False}  # torch warns once per process


def _promote_pair(a, b, name: str):
    """Both operands (``b`` must be a tensor, as torch's signature says) in their promoted dtype."""
    if not isinstance(b, TensorBase):
        raise TypeError(f"{name}(): argument 'other' (position 1) must be Tensor, not {type(b).__name__}")
    target = _dtype.promote(a._data, b._data)
    return (a if a._data.dtype == target else a.to(target)), (b if b._data.dtype == target else b.to(target))


def _apply_broadcasting(function, *args):
    """function.apply(*args), with NumPy's broadcast failure said as torch says it."""
    try:
        return function.apply(*args)
    except ValueError:
        _raise_broadcast_error(*[a for a in args if isinstance(a, TensorBase)])
        raise


def _check_diagonal(diagonal, function: str) -> None:
    if type(diagonal) is builtins.bool or not isinstance(diagonal, (builtins.int, np.integer)):
        raise TypeError(f"{function}(): argument 'diagonal' (position 1) must be int, not {type(diagonal).__name__}")


class ExtraMixin:
    """The operations listed in the module docstring."""

    __slots__ = ()

    # ---- elementwise -------------------------------------------------------------------------------------------
    def _clamp_bound(self, bound, upper: bool):
        if isinstance(bound, TensorBase):
            a, bound = _promote_pair(self, bound, "clamp")
            return _apply_broadcasting(X.ClampBound, a, bound, upper)
        if type(bound) not in (builtins.int, builtins.float, builtins.bool):
            name = "clamp_max" if upper else "clamp_min"
            raise TypeError(f"{name}() received an invalid combination of arguments - got ({type(bound).__name__}), "
                            f"but expected one of:\n * (Tensor {'max' if upper else 'min'})\n * (Number "
                            f"{'max' if upper else 'min'})")
        target = _dtype.scalar_promotion(self._data, bound)
        if target is None and type(bound) is builtins.bool and self._data.dtype.kind == "b":
            raise _dtype.not_implemented_for("clamp_max_scalar_cpu" if upper else "clamp_min_scalar_cpu", self._data)
        return X.ClampBound.apply(self if target is None else self.to(target), bound, upper)

    def clamp_min(self, min):  # noqa: A002 - torch's name
        """max(x, min);  ∂/∂x = 1 where x ≥ min; a tensor ``min`` gets the gradient where x < min."""
        return self._clamp_bound(min, False)

    def clamp_max(self, max):  # noqa: A002 - torch's name
        """min(x, max);  ∂/∂x = 1 where x ≤ max; a tensor ``max`` gets the gradient where x > max."""
        return self._clamp_bound(max, True)

    def erf(self):
        """erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt;  erf'(x) = (2/√π) e^(−x²). Integers compute in the default float dtype."""
        return X.Erf.apply(self._floating())

    def atan2(self, other):
        """atan2(self, other): the angle of (other, self) in (−π, π];  ∂/∂self = other/r²,  ∂/∂other = −self/r²."""
        a, b = _promote_pair(self, other, "atan2")
        return _apply_broadcasting(X.Atan2, a._floating(), b._floating())

    def hypot(self, other):
        """√(self² + other²);  ∂/∂self = self/out,  ∂/∂other = other/out. Floating point only, as torch."""
        a, b = _promote_pair(self, other, "hypot")
        if a._data.dtype.kind != "f":
            raise _dtype.not_implemented_for("hypot_cpu", a._data)
        return _apply_broadcasting(X.Hypot, a, b)

    def logit(self, eps: float | None = None):
        """ln(p/(1 − p)), the inverse of sigmoid; ``eps`` clamps p to [eps, 1 − eps] first;  ∂ = 1/(p(1 − p))."""
        return X.Logit.apply(self._floating(), eps)

    def frac(self):
        """x − trunc(x);  ∂ = 1. Floating point only, as torch."""
        if self._data.dtype.kind != "f":
            raise _dtype.not_implemented_for("frac_cpu", self._data)
        return X.Frac.apply(self)

    # ---- triangles and diagonals -------------------------------------------------------------------------------
    def tril(self, diagonal: int = 0):
        """The lower triangle of the last two dims (elements with column − row ≤ diagonal), the rest zero."""
        _check_diagonal(diagonal, "tril")
        if self._data.ndim < 2:
            raise RuntimeError("tril: input tensor must have at least 2 dimensions")
        return X.TrilTriu.apply(self, diagonal, False)

    def triu(self, diagonal: int = 0):
        """The upper triangle of the last two dims (elements with column − row ≥ diagonal), the rest zero."""
        _check_diagonal(diagonal, "triu")
        if self._data.ndim < 2:
            raise RuntimeError("triu: input tensor must have at least 2 dimensions")
        return X.TrilTriu.apply(self, diagonal, True)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1):
        """The ``offset``-th diagonal of the (dim1, dim2) planes, as the last dimension (a view, as torch)."""
        d1, d2 = _axis(dim1, self._data.ndim), _axis(dim2, self._data.ndim)
        if d1 == d2:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        return X.Diagonal.apply(self, offset, d1, d2, False)

    def diag(self, diagonal: int = 0):
        """A vector's square diagonal matrix (on the ``diagonal``-th diagonal), or a matrix's diagonal as a vector."""
        if self._data.ndim == 1:
            return X.DiagEmbed.apply(self, diagonal)
        if self._data.ndim == 2:
            return X.Diagonal.apply(self, diagonal, 0, 1, True)
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self._data.ndim}D")

    def trace(self):
        """The sum of a matrix's main diagonal (integers sum as int64);  ∂ = 1 on the diagonal."""
        if self._data.ndim != 2:
            raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {self._data.ndim}")
        if self._data.dtype.kind == "b":
            raise _dtype.not_implemented_for("trace", self._data)
        return _label(self.diagonal().sum(), "TraceBackward0")

    # ---- moving and repeating ----------------------------------------------------------------------------------
    def roll(self, shifts, dims=None):
        """Shifts elements cyclically by ``shifts`` along ``dims`` (of the flattened tensor when dims is None)."""
        shifts = (shifts,) if isinstance(shifts, (builtins.int, np.integer)) else tuple(builtins.int(s) for s in shifts)
        dims = () if dims is None else ((dims,) if isinstance(dims, (builtins.int, np.integer)) else tuple(dims))
        if not shifts:
            raise RuntimeError("`shifts` required")
        if not dims and len(shifts) == 1:
            return X.Roll.apply(self, shifts[0], None)
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        if not self._data.ndim:
            raise IndexError(no_dimensions(dims[0]))
        return X.Roll.apply(self, shifts, tuple(_axis(d, self._data.ndim) for d in dims))

    def repeat_interleave(self, repeats, dim=None, *, output_size=None):
        """Repeats each element (each slice along ``dim``; of the flattened tensor when dim is None) ``repeats``
        times, or repeats[i] times for a tensor of counts."""
        source = self.reshape(-1) if dim is None else self
        axis = _axis(0 if dim is None else dim, source._data.ndim)
        n = source._data.shape[axis] if source._data.ndim else 1
        if isinstance(repeats, TensorBase):
            if repeats._data.ndim > 1:
                raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
            counts = repeats._data.reshape(-1)
            if counts.dtype.kind not in "iu":
                raise _dtype.not_implemented_for("repeat_interleave_cpu", counts)
            if counts.size == 1:
                counts = np.full(n, counts[0])
            elif counts.size != n:
                raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = "
                                   f"{counts.size} and input.size({axis}) = {n}")
            if (counts < 0).any():
                raise RuntimeError("repeats can not be negative")
            name = "IndexSelectBackward0"
            if output_size is not None and output_size != builtins.int(counts.sum()):
                raise RuntimeError("allocated size does not match required size")
        else:
            if repeats < 0:
                raise RuntimeError("Repeats must be non-negative")
            counts, name = np.full(n, builtins.int(repeats)), "ViewBackward0"
            if output_size is not None and output_size != n * repeats:
                raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {n * repeats} but got "
                                   f"{output_size}")
        index = np.repeat(np.arange(n), counts)
        if source._data.ndim == 0:
            source = source.reshape(1)
        return _label(S.IndexSelect.apply(source, (slice(None),) * axis + (index,)), name)

    def tile(self, *dims):
        """Repeats the whole tensor ``dims`` times per dimension (leading 1s added when dims is shorter)."""
        dims = _shape_arg(dims)
        dims = (1,) * (self._data.ndim - len(dims)) + dims
        shape = (1,) * (len(dims) - self._data.ndim) + self._data.shape
        sizes = [n * r for n, r in zip(shape, dims)]
        if builtins.min(sizes, default=0) < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {builtins.min(sizes)}: {sizes}")
        return S.Repeat.apply(self, dims)

    def narrow(self, dim: int, start, length: int):
        """The ``length`` elements from ``start`` along ``dim`` (a slice view)."""
        if self._data.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        axis = _axis(dim, self._data.ndim)
        start, n = builtins.int(start), self._data.shape[axis]
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        if not -n <= start <= n:
            raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
        start = start + n if start < 0 else start
        if start + length > n:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
        return _label(S.Index.apply(self, (slice(None),) * axis + (slice(start, start + length),)), "SliceBackward0")

    # ---- reductions --------------------------------------------------------------------------------------------
    def cumprod(self, dim: int, dtype=None):
        """out_i = x_0 · x_1 ⋯ x_i along ``dim`` (integers and bools as int64)."""
        source = self if dtype is None else self.to(dtype)
        numpy_dtype = np.int64 if source._data.dtype.kind in "biu" else None
        return X.Cumprod.apply(source, _axis(dim, self._data.ndim), numpy_dtype)

    def count_nonzero(self, dim=None):
        """The number of non-zero elements (over ``dim``: an int or a tuple of ints), as int64; no gradient."""
        axes = _dims(dim, self._data.ndim)
        if axes is not None and len(set(axes)) != len(axes):
            duplicate = next(d for d in axes if axes.count(d) > 1)
            raise RuntimeError(f"dim {duplicate} appears multiple times in the list of dims")
        return wrap(np.asarray(np.count_nonzero(self._data, axis=axes), dtype=np.int64))

    def nanmean(self, dim=None, keepdim: bool = False, *, dtype=None):
        """The mean of the non-NaN elements: nansum / (number of non-NaN elements)."""
        if self._data.dtype.kind != "f":
            raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                               + _dtype.legacy_name(self._data))
        source = self if dtype is None else self.to(dtype)
        dims = _dims(dim, self._data.ndim)
        return X.NanSum.apply(source, dims, keepdim) / source.isnan().logical_not().sum(dims, keepdim)

    def median(self, dim=None, keepdim: bool = False):
        """The median of all elements (the lower middle value; NaN if any), or (values, indices) along ``dim``."""
        if dim is not None:
            _axis(dim, self._data.ndim)
        if self._data.dtype.kind == "b":
            raise _dtype.not_implemented_for("median_cpu" if dim is None else "median_out", self._data)
        if dim is None:
            return X.MedianAll.apply(self)
        axis = _axis(dim, self._data.ndim)
        if self._data.ndim == 0:
            return median_result(_label(S.Index.apply(self, ()), "MedianBackward1"), wrap(np.asarray(0)))
        n = self._data.shape[axis]
        if n == 0:
            raise IndexError(f"median(): Expected reduction dim {axis} to have non-zero size.")
        order = np.argsort(self._data, axis=axis, kind="stable")
        index = np.take(order, [(n - 1) // 2], axis=axis)
        if self._data.dtype.kind == "f":
            nan = np.isnan(self._data)
            index = np.where(nan.any(axis=axis, keepdims=True), np.argmax(nan, axis=axis, keepdims=True), index)
        index = index if keepdim else np.squeeze(index, axis)
        values = R.MaxMinDim.apply(self, index, axis, keepdim, True)
        return median_result(_label(values, "MedianBackward1"), wrap(index.astype(np.int64)))

    def dist(self, other, p: float = 2):
        """‖self − other‖_p (broadcast);  the gradient of the p-norm of the difference."""
        difference = self - other
        if difference._data.dtype.kind != "f":
            raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                               f"{_dtype.legacy_name(difference._data)} instead.")
        return _label(difference.norm(p), "DistBackward0")

    # ---- products ----------------------------------------------------------------------------------------------
    def bmm(self, mat2):
        """Batched matrix product: (b, n, m) @ (b, m, p) → (b, n, p), without broadcasting."""
        if self._data.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if mat2._data.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if self._data.dtype != mat2._data.dtype:
            raise RuntimeError(f"expected scalar type {_dtype.legacy_name(self._data)} but found {_dtype.legacy_name(mat2._data)}")
        (b, _, m), got = self._data.shape, mat2._data.shape[:2]
        if got != (b, m):
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {m}] but got: "
                               f"[{got[0]}, {got[1]}].")
        return _label(self.matmul(mat2), "BmmBackward0")

    def mv(self, vec):
        """Matrix-vector product: (n, m) @ (m,) → (n,)."""
        if self._data.ndim != 2 or vec._data.ndim != 1:
            raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self._data.ndim}, {vec._data.ndim}")
        if self._data.dtype != vec._data.dtype:
            raise RuntimeError(f"addmv input tensors must have the same dtype, but got {_dtype.legacy_name(vec._data)}, "
                               f"{_dtype.legacy_name(self._data)}, and {_dtype.legacy_name(vec._data)}")
        return self.matmul(vec)

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        """beta·self + alpha·(mat1 @ mat2), self broadcast to the product's shape (ignored when beta = 0)."""
        for name, m in (("mat1", mat1), ("mat2", mat2)):
            if m._data.ndim != 2:
                raise RuntimeError(f"{name} must be a matrix, got {m._data.ndim}-D tensor")
        if self._data.dtype != mat2._data.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got {_dtype.legacy_name(self._data)} and "
                               f"{_dtype.legacy_name(mat2._data)}")
        if mat1._data.dtype != mat2._data.dtype:
            raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_dtype.legacy_name(mat1._data)} and "
                               f"{_dtype.legacy_name(mat2._data)}")
        shape = (mat1._data.shape[0], mat2._data.shape[1])
        if mat1._data.shape[1] != mat2._data.shape[0] or mat1._data.dtype.kind == "b":
            mat1.mm(mat2)  # (torch's error for the shapes or the dtype)
        _check_expand(self._data.shape, shape)
        if self._data.dtype.kind in "iu":  # integer tensors take integer factors (torch truncates 0.5 to 0)
            beta, alpha = builtins.int(beta), builtins.int(alpha)
        return L.Addmm.apply(self, mat1, mat2, beta, alpha)

    def inner(self, other):
        """The sum of products over the last dimension of both (a number times a tensor for 0-dim operands)."""
        if self._data.ndim == 0 or other._data.ndim == 0:
            return self * other
        if self._data.dtype != other._data.dtype:
            raise RuntimeError("both inputs should have same dtype")
        if self._data.shape[-1] != other._data.shape[-1]:
            raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                               f"{list(self._data.shape)} and {list(other._data.shape)}")
        k = self._data.shape[-1]
        product = self.reshape(-1, k).mm(other.reshape(-1, k).t())
        return _label(product.reshape(self._data.shape[:-1] + other._data.shape[:-1]), "ViewBackward0")

    def kron(self, other):
        """The Kronecker product: every element of self times the whole of other, laid out block by block."""
        n = builtins.max(self._data.ndim, other._data.ndim)
        a_shape = (1,) * (n - self._data.ndim) + self._data.shape
        b_shape = (1,) * (n - other._data.ndim) + other._data.shape
        a = self.reshape(tuple(x for s in a_shape for x in (s, 1)))
        b = other.reshape(tuple(x for s in b_shape for x in (1, s)))
        return _label((a * b).reshape(tuple(x * y for x, y in zip(a_shape, b_shape))), "UnsafeViewBackward0")

    def cross(self, other, dim=None):
        """The cross product of 3-vectors along ``dim`` (by default, deprecated in torch: the first dimension of
        size 3): (a₁b₂ − a₂b₁, a₂b₀ − a₀b₂, a₀b₁ − a₁b₀)."""
        if self._data.ndim != other._data.ndim:
            raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
        if self._data.dtype != other._data.dtype:
            raise RuntimeError(f"expected scalar type {_dtype.legacy_name(self._data)} but found {_dtype.legacy_name(other._data)}")
        message = broadcast_error(self._data.shape, other._data.shape)
        if dim is None:
            if not _warned["cross"]:
                _warned["cross"] = True
                warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the "
                              "dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change "
                              "to agree with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
            if message:
                raise RuntimeError(message)
            shape = np.broadcast_shapes(self._data.shape, other._data.shape)
            if 3 not in shape:
                raise RuntimeError("no dimension of size 3 in input")
            dim = shape.index(3)
        axis = _axis(dim, self._data.ndim)
        n1, n2 = self._data.shape[axis], other._data.shape[axis]
        if n1 != 3 or n2 != 3:
            raise RuntimeError(f"linalg.cross: inputs dimension {axis} must have length 3. Got {n1} and {n2}")
        if message:
            raise RuntimeError(message)
        a1, a2, b1, b2 = self.roll(-1, axis), self.roll(-2, axis), other.roll(-1, axis), other.roll(-2, axis)
        return _label(a1 * b2 - a2 * b1, "LinalgCrossBackward0")


def _check_expand(shape: tuple, target: tuple) -> None:
    """torch's error when ``shape`` cannot be expanded to ``target``."""
    lead = len(target) - len(shape)
    for i, n in enumerate(shape):
        if lead < 0 or (n != 1 and n != target[i + lead]):
            raise RuntimeError(f"The expanded size of the tensor ({target[i + lead] if lead >= 0 else '?'}) must match "
                               f"the existing size ({n}) at non-singleton dimension {i + builtins.max(lead, 0)}.  "
                               f"Target sizes: {list(target)}.  Tensor sizes: {list(shape)}")
