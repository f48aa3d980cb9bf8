"""Tensor: an ndarray with torch's API and reverse-mode autograd.

Operators and methods are one-liners over the Functions in ``glasstorch._functions`` (or compositions of them);
the arithmetic, broadcasting and dtype rules follow torch 2.13.
"""
from __future__ import annotations

import builtins
from collections import namedtuple
from typing import Any

from . import _dtype
from . import random as _random
from ._backend import np
from ._functions import linalg as L
from ._functions import pointwise as P
from ._functions import reduction as R
from ._functions import shape as S
from ._tensor_str import format_tensor
from .autograd import engine, grad_mode
from .autograd.tensor_base import TensorBase, wrap

_PY_SCALARS = (builtins.int, builtins.float, builtins.bool)
_LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."

# torch.return_types: results of reductions that give values and indices
max_result = namedtuple("max", ["values", "indices"])
min_result = namedtuple("min", ["values", "indices"])
sort_result = namedtuple("sort", ["values", "indices"])
topk_result = namedtuple("topk", ["values", "indices"])


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``glasstorch.Size([5, 3])``."""

    def __repr__(self) -> str:
        return f"glasstorch.Size({list(self)})"

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


# ---- helpers shared by the methods ------------------------------------------------------------------------------

def _is_tensor(x) -> bool:
    return isinstance(x, TensorBase)


def _promoted_dtype(a: np.ndarray, b: np.ndarray) -> np.dtype:
    """torch's promotion for two tensors: the highest category (bool < int < float) wins; within it, tensors with
    dimensions decide before 0-dim tensors."""
    ca, cb = _dtype.category(a.dtype), _dtype.category(b.dtype)
    if ca != cb:
        return a.dtype if ca > cb else b.dtype
    if (a.ndim == 0) != (b.ndim == 0):
        return b.dtype if a.ndim == 0 else a.dtype
    return np.promote_types(a.dtype, b.dtype)


def _scalar_dtype(array: np.ndarray, scalar) -> np.dtype | None:
    """The dtype a tensor must take before meeting a Python scalar, or None when it keeps its own."""
    kind = array.dtype.kind
    if type(scalar) is builtins.float and kind != "f":
        return _dtype.get_default_dtype().numpy
    if type(scalar) is builtins.int and kind == "b":
        return np.dtype(np.int64)
    return None


def _as_tensor_operand(value):
    """Non-tensor, non-scalar operands (lists, arrays, NumPy scalars) become tensors, as torch accepts them."""
    if isinstance(value, np.generic):
        return value.item()
    return Tensor._make(np.asarray(value))


def _binary(a: "Tensor", b, function, reverse: bool = False):
    """Applies a two-input Function after torch's type promotion; ``reverse`` computes ``b op a``."""
    if isinstance(b, TensorBase):
        da, db = a._data.dtype, b._data.dtype
        if da != db:
            target = _promoted_dtype(a._data, b._data)
            if da != target:
                a = a.to(target)
            if db != target:
                b = b.to(target)
    elif type(b) in _PY_SCALARS:
        target = _scalar_dtype(a._data, b)
        if target is not None:
            a = a.to(target)
    else:
        return _binary(a, _as_tensor_operand(b), function, reverse)
    return function.apply(b, a) if reverse else function.apply(a, b)


def _float_operands(a, b, reverse=False):
    """For true division and pow of integers: torch computes in the default float dtype."""
    if a._data.dtype.kind in "biu" and (not _is_tensor(b) or b._data.dtype.kind in "biu") and type(b) is not builtins.float:
        a = a.to(_dtype.get_default_dtype())
    return a


def _dims(dim, ndim: int):
    """Normalises ``dim`` (int, tuple or None) to a tuple of non-negative axes, or None for all axes."""
    if dim is None:
        return None
    if type(dim) in (tuple, list):
        return tuple(_axis(d, ndim) for d in dim) or None
    return (_axis(dim, ndim),)


def _axis(dim: int, ndim: int) -> int:
    n = builtins.max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def _shape_arg(shape) -> tuple:
    """Accepts ``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` and ``f(Size)`` alike."""
    if len(shape) == 1 and not isinstance(shape[0], (builtins.int, np.integer)):
        shape = shape[0]
    return tuple(builtins.int(s) for s in shape)


def _index_key(key):
    """Turns tensors inside an index into NumPy arrays (bool tensors become masks, integer tensors indices)."""
    if type(key) in (builtins.int, slice) or key is None or key is Ellipsis:
        return key
    if isinstance(key, TensorBase):
        return key._data
    if type(key) is tuple:
        return tuple(_index_key(k) for k in key)
    if type(key) is list:
        return np.asarray([k.item() if isinstance(k, TensorBase) else k for k in key])
    return key


def _check_inplace(tensor: "Tensor") -> None:
    if tensor.requires_grad and tensor.grad_fn is None and grad_mode.state.enabled:
        raise RuntimeError(_LEAF_INPLACE)


class Tensor(TensorBase):
    """A multi-dimensional array of one dtype that records operations for autograd when ``requires_grad``."""

    __slots__ = ()
    __array_priority__ = 1000  # ndarray ∘ Tensor defers to Tensor's reflected operators

    def __init__(self, *args) -> None:
        """``Tensor(data)`` copies data as float32; ``Tensor(2, 3)`` makes an uninitialised 2×3 float32 tensor."""
        if len(args) == 1 and not isinstance(args[0], (builtins.int, np.integer)):
            data = args[0]
            data = np.array(data._data if _is_tensor(data) else data, dtype=_dtype.get_default_dtype().numpy)
        else:
            data = np.empty(_shape_arg(args) if args else (0,), dtype=_dtype.get_default_dtype().numpy)
        self._data = data
        self.requires_grad = False
        self.grad = None
        self.grad_fn = None
        self._retains_grad = False

    @staticmethod
    def _make(data: np.ndarray, requires_grad: bool = False) -> "Tensor":
        return wrap(data, requires_grad)

    # ---- attributes --------------------------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        return Size(self._data.shape) if dim is None else self._data.shape[_axis(dim, self._data.ndim)]

    def dim(self) -> int:
        return self._data.ndim

    ndim = property(dim)

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> str:
        return "cpu"

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def data(self) -> "Tensor":
        """The same values, detached from autograd (shares memory)."""
        return wrap(self._data)

    @data.setter
    def data(self, value: "Tensor") -> None:
        self._data = value._data

    @property
    def T(self) -> "Tensor":
        return self.permute(*range(self._data.ndim - 1, -1, -1)) if self._data.ndim > 1 else self

    @property
    def mT(self) -> "Tensor":
        return self.transpose(-2, -1)

    # ---- autograd ----------------------------------------------------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use a "
                               "computed variable in a subgraph that doesn't require differentiation use "
                               "var_no_grad = var.detach().")
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self.grad_fn._retained = self
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad and self.grad_fn is not None

    def detach(self) -> "Tensor":
        return wrap(self._data)

    def detach_(self) -> "Tensor":
        self.grad_fn = None
        self.requires_grad = False
        return self

    def backward(self, gradient: "Tensor | None" = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs=None) -> None:
        """Computes d(self)/d(leaf) for every leaf that requires grad and adds it to ``leaf.grad``."""
        if create_graph:
            raise NotImplementedError("glasstorch: backward(create_graph=True) (higher-order gradients) is not supported")
        if inputs is not None:
            raise NotImplementedError("glasstorch: backward(inputs=...) is not supported")
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            seed = np.ones_like(self._data)
        else:
            seed = np.array(gradient._data if _is_tensor(gradient) else gradient, dtype=self._data.dtype)
            if seed.shape != self._data.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {Size(seed.shape)} and "
                                   f"output[0] has a shape of {self.shape}.")
        engine.run_backward(self, seed, bool(retain_graph))

    def register_hook(self, hook):
        raise NotImplementedError("glasstorch: Tensor.register_hook is not supported")

    # ---- conversion --------------------------------------------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self, force: bool = False) -> np.ndarray:
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def __float__(self) -> float:
        return builtins.float(self.item())

    def __int__(self) -> int:
        return builtins.int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self.item())

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        suffixes = []
        if self.grad_fn is not None:
            suffixes.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self.requires_grad:
            suffixes.append("requires_grad=True")
        return format_tensor(self._data, self.dtype.name, suffixes)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 and spec:
            return self.item().__format__(spec)
        return repr(self)

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._data, self.requires_grad))

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.")
        new = type(self).__new__(type(self))
        new._data, new.requires_grad, new.grad, new.grad_fn, new._retains_grad = self._data.copy(), self.requires_grad, None, None, False
        if self.grad is not None:
            new.grad = wrap(self.grad._data.copy())
        memo[id(self)] = new
        return new

    # ---- dtype -------------------------------------------------------------------------------------------------
    def to(self, *args, **kwargs) -> "Tensor":
        """``to(dtype)``, ``to("cpu")``, ``to(other_tensor)``, ``to(device, dtype)``; a no-op when nothing changes."""
        target = kwargs.get("dtype")
        for a in args:
            if type(a) is _dtype.dtype or isinstance(a, np.dtype):
                target = a
            elif _is_tensor(a):
                target = a._data.dtype
            elif a not in ("cpu", None) and not (hasattr(a, "type") and getattr(a, "type", None) == "cpu"):
                raise NotImplementedError(f"glasstorch runs on the CPU only; cannot move a tensor to {a!r}")
        device = kwargs.get("device")
        if device not in (None, "cpu") and str(device) != "cpu":
            raise NotImplementedError(f"glasstorch runs on the CPU only; cannot move a tensor to {device!r}")
        if target is None:
            return self
        numpy_dtype = _dtype.to_numpy_dtype(target)
        if numpy_dtype == self._data.dtype:
            return self
        return P.Cast.apply(self, numpy_dtype)

    def type(self, dtype=None):
        if dtype is None:
            return {"float32": "glasstorch.FloatTensor", "float64": "glasstorch.DoubleTensor",
                    "int64": "glasstorch.LongTensor", "int32": "glasstorch.IntTensor",
                    "bool": "glasstorch.BoolTensor"}.get(self.dtype.name, f"glasstorch.{self.dtype.name}")
        return self.to(dtype)

    def float(self) -> "Tensor":
        return self.to(_dtype.float32)

    def double(self) -> "Tensor":
        return self.to(_dtype.float64)

    def half(self) -> "Tensor":
        return self.to(_dtype.float16)

    def long(self) -> "Tensor":
        return self.to(_dtype.int64)

    def int(self) -> "Tensor":
        return self.to(_dtype.int32)

    def bool(self) -> "Tensor":
        return self.to(_dtype.bool)

    def cpu(self) -> "Tensor":
        return self

    def cuda(self, *args, **kwargs):
        raise NotImplementedError("glasstorch runs on the CPU only: Tensor.cuda() is not available")

    # ---- arithmetic operators ----------------------------------------------------------------------------------
    def __add__(self, other):
        return _binary(self, other, P.Add)

    def __radd__(self, other):
        return _binary(self, other, P.Add, reverse=True)

    def __sub__(self, other):
        return _binary(self, other, P.Sub)

    def __rsub__(self, other):
        return _binary(self, other, P.Sub, reverse=True)

    def __mul__(self, other):
        return _binary(self, other, P.Mul)

    def __rmul__(self, other):
        return _binary(self, other, P.Mul, reverse=True)

    def __truediv__(self, other):
        return _binary(_float_operands(self, other), other, P.Div)

    def __rtruediv__(self, other):
        return _binary(_float_operands(self, other), other, P.Div, reverse=True)

    def __floordiv__(self, other):
        return self._no_grad_binary(other, np.floor_divide)

    def __rfloordiv__(self, other):
        return self._no_grad_binary(other, np.floor_divide, reverse=True)

    def __mod__(self, other):
        return self._no_grad_binary(other, np.mod)

    def __rmod__(self, other):
        return self._no_grad_binary(other, np.mod, reverse=True)

    def __pow__(self, exponent):
        return _binary(_float_operands(self, exponent) if _is_tensor(exponent) and exponent._data.dtype.kind == "f" else self, exponent, P.Pow)

    def __rpow__(self, base):
        return _binary(self, base, P.Pow, reverse=True)

    def __matmul__(self, other):
        return self.matmul(other)

    def __rmatmul__(self, other):
        return _as_tensor_operand(other).matmul(self)

    def __neg__(self):
        if self._data.dtype.kind == "b":
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                               "invert a mask, use the `~` or `logical_not()` operator instead.")
        return P.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return self.abs()

    def __invert__(self):
        if self._data.dtype.kind not in "biu":
            raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
        return wrap(np.invert(self._data))

    def _no_grad_binary(self, other, ufunc, reverse=False):
        """Integer-valued operations (floor division, remainder, comparisons, logic): no gradient flows through."""
        a = self
        if _is_tensor(other):
            if a._data.dtype != other._data.dtype:
                target = _promoted_dtype(a._data, other._data)
                a, other = wrap(a._data.astype(target, copy=False)), wrap(other._data.astype(target, copy=False))
            b = other._data
        elif type(other) in _PY_SCALARS:
            target = _scalar_dtype(a._data, other)
            if target is not None:
                a = wrap(a._data.astype(target))
            b = other
        else:
            return self._no_grad_binary(_as_tensor_operand(other), ufunc, reverse)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = ufunc(b, a._data) if reverse else ufunc(a._data, b)
        return wrap(np.asarray(out))

    # ---- comparisons and logic (bool results) ------------------------------------------------------------------
    def __eq__(self, other):  # type: ignore[override]
        return self._no_grad_binary(other, np.equal)

    def __ne__(self, other):  # type: ignore[override]
        return self._no_grad_binary(other, np.not_equal)

    def __lt__(self, other):
        return self._no_grad_binary(other, np.less)

    def __le__(self, other):
        return self._no_grad_binary(other, np.less_equal)

    def __gt__(self, other):
        return self._no_grad_binary(other, np.greater)

    def __ge__(self, other):
        return self._no_grad_binary(other, np.greater_equal)

    def __and__(self, other):
        return self._no_grad_binary(other, np.bitwise_and)

    def __or__(self, other):
        return self._no_grad_binary(other, np.bitwise_or)

    def __xor__(self, other):
        return self._no_grad_binary(other, np.bitwise_xor)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    greater, less, greater_equal, less_equal, not_equal = gt, lt, ge, le, ne

    def logical_and(self, other):
        return self._no_grad_binary(other, np.logical_and)

    def logical_or(self, other):
        return self._no_grad_binary(other, np.logical_or)

    def logical_xor(self, other):
        return self._no_grad_binary(other, np.logical_xor)

    def logical_not(self):
        return wrap(np.logical_not(self._data))

    def isnan(self):
        return wrap(np.isnan(self._data))

    def isinf(self):
        return wrap(np.isinf(self._data))

    def isfinite(self):
        return wrap(np.isfinite(self._data))

    def equal(self, other) -> bool:
        return self._data.shape == other._data.shape and builtins.bool(np.array_equal(self._data, other._data))

    def isclose(self, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
        return wrap(np.isclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))

    def allclose(self, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        return builtins.bool(np.allclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))

    def any(self, dim=None, keepdim: bool = False):
        return wrap(np.asarray(np.any(self._data, axis=_dims(dim, self._data.ndim), keepdims=keepdim)))

    def all(self, dim=None, keepdim: bool = False):
        return wrap(np.asarray(np.all(self._data, axis=_dims(dim, self._data.ndim), keepdims=keepdim)))

    # ---- elementwise math --------------------------------------------------------------------------------------
    def add(self, other, alpha=1):
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other, alpha=1):
        return self - (other if alpha == 1 else other * alpha)

    subtract = sub

    def mul(self, other):
        return self * other

    multiply = mul

    def div(self, other, rounding_mode: str | None = None):
        if rounding_mode is None:
            return self / other
        if rounding_mode == "floor":
            return self // other
        if rounding_mode == "trunc":
            return self._no_grad_binary(other, lambda a, b: np.trunc(a / b).astype(np.result_type(a, b)))
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")

    divide = true_divide = div

    def remainder(self, other):
        return self % other

    fmod = remainder

    def pow(self, exponent):
        return self ** exponent

    def neg(self):
        return -self

    negative = neg

    def abs(self):
        return P.Abs.apply(self)

    absolute = abs

    def exp(self):
        return P.Exp.apply(self._floating())

    def log(self):
        return P.Log.apply(self._floating())

    def log1p(self):
        return P.Log1p.apply(self._floating())

    def log2(self):
        return self.log() / np.log(2.0)

    def log10(self):
        return self.log() / np.log(10.0)

    def sqrt(self):
        return P.Sqrt.apply(self._floating())

    def rsqrt(self):
        return 1 / self.sqrt()

    def square(self):
        return self * self

    def sin(self):
        return P.Sin.apply(self._floating())

    def cos(self):
        return P.Cos.apply(self._floating())

    def tanh(self):
        return P.Tanh.apply(self._floating())

    def sigmoid(self):
        return P.Sigmoid.apply(self._floating())

    def relu(self):
        return P.Relu.apply(self)

    def reciprocal(self):
        return 1 / self

    def sign(self):
        return wrap(np.sign(self._data))

    def floor(self):
        return wrap(np.floor(self._data))

    def ceil(self):
        return wrap(np.ceil(self._data))

    def round(self, decimals: int = 0):
        return wrap(np.round(self._data, decimals))

    def trunc(self):
        return wrap(np.trunc(self._data))

    def clamp(self, min=None, max=None):  # noqa: A002 - torch's names
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if _is_tensor(min) or _is_tensor(max):
            out = self if min is None else self.maximum(min if _is_tensor(min) else full_like(self, min))
            return out if max is None else out.minimum(max if _is_tensor(max) else full_like(self, max))
        return P.Clamp.apply(self, min, max)

    clip = clamp

    def maximum(self, other):
        return _binary(self, other, P.Maximum)

    def minimum(self, other):
        return _binary(self, other, P.Minimum)

    def where(self, condition, other):
        return where(condition, self, other)

    def lerp(self, end, weight):
        return self + (end - self) * weight

    def _floating(self):
        """torch computes exp, log, sqrt... of integer tensors in the default float dtype."""
        return self if self._data.dtype.kind == "f" else self.to(_dtype.get_default_dtype())

    # ---- reductions --------------------------------------------------------------------------------------------
    def sum(self, dim=None, keepdim: bool = False, dtype=None):
        numpy_dtype = None if dtype is None else _dtype.to_numpy_dtype(dtype)
        if numpy_dtype is None and self._data.dtype.kind in "biu":
            numpy_dtype = np.int64  # torch sums integers and bools as int64
        return R.Sum.apply(self, _dims(dim, self._data.ndim), keepdim, numpy_dtype)

    def mean(self, dim=None, keepdim: bool = False, dtype=None):
        source = self if dtype is None else self.to(dtype)
        if source._data.dtype.kind != "f":
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                               f"complex dtype. Got: {_TORCH_TYPE_NAMES.get(source.dtype.name, source.dtype.name)}")
        return R.Mean.apply(source, _dims(dim, self._data.ndim), keepdim)

    def nansum(self, dim=None, keepdim: bool = False):
        return where(self.isnan(), 0.0, self).sum(dim, keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False, dtype=None):
        source = self if dtype is None else self.to(dtype)
        if source._data.dtype.kind in "biu":
            source = source.long()
        return R.Prod.apply(source, None if dim is None else _axis(dim, self._data.ndim), keepdim)

    def var(self, dim=None, unbiased: bool | None = None, keepdim: bool = False, *, correction=None):
        """Variance: Σ(x − mean)² / (N − correction); correction 1 (unbiased) by default, as torch."""
        if correction is None:
            correction = 0 if unbiased is False else 1
        dims = _dims(dim, self._data.ndim)
        n = self._data.size if dims is None else builtins.int(np.prod([self._data.shape[d] for d in dims]))
        deviation = self - self.mean(dims, keepdim=True)
        return (deviation * deviation).sum(dims, keepdim=keepdim) / builtins.max(n - correction, 0)

    def std(self, dim=None, unbiased: bool | None = None, keepdim: bool = False, *, correction=None):
        return self.var(dim, unbiased, keepdim, correction=correction).sqrt()

    def _extreme(self, dim, keepdim, pick, arg, result):
        if dim is None:
            if self._data.size == 0:
                raise RuntimeError(f"{pick.__name__}(): Expected reduction dim to be specified for input.numel() == 0. "
                                   "Specify the reduction dim with the 'dim' argument.")
            return R.MaxMin.apply(self, pick)
        if _is_tensor(dim):  # torch.max(a, b) written as a.max(b)
            return self.maximum(dim) if pick is np.max else self.minimum(dim)
        axis = _axis(dim, self._data.ndim)
        indices = arg(self._data, axis=axis, keepdims=keepdim) if self._data.ndim else np.asarray(0)
        if self._data.ndim == 0:
            return result(self, wrap(np.asarray(0)))
        return result(R.MaxMinDim.apply(self, indices, axis, keepdim), wrap(indices.astype(np.int64)))

    def max(self, dim=None, keepdim: bool = False):
        return self._extreme(dim, keepdim, np.max, _argmax, max_result)

    def min(self, dim=None, keepdim: bool = False):
        return self._extreme(dim, keepdim, np.min, _argmin, min_result)

    def amax(self, dim=None, keepdim: bool = False):
        return self.max() if dim is None else self.max(dim, keepdim).values

    def amin(self, dim=None, keepdim: bool = False):
        return self.min() if dim is None else self.min(dim, keepdim).values

    def argmax(self, dim=None, keepdim: bool = False):
        if dim is None:
            return wrap(np.asarray(_argmax(self._data.reshape(-1), axis=0), dtype=np.int64))
        return wrap(_argmax(self._data, axis=_axis(dim, self._data.ndim), keepdims=keepdim).astype(np.int64))

    def argmin(self, dim=None, keepdim: bool = False):
        if dim is None:
            return wrap(np.asarray(_argmin(self._data.reshape(-1), axis=0), dtype=np.int64))
        return wrap(_argmin(self._data, axis=_axis(dim, self._data.ndim), keepdims=keepdim).astype(np.int64))

    def logsumexp(self, dim, keepdim: bool = False):
        return R.LogSumExp.apply(self._floating(), _dims(dim, self._data.ndim), keepdim)

    def softmax(self, dim: int, dtype=None):
        source = self._floating() if dtype is None else self.to(dtype)
        return R.Softmax.apply(source, _axis(dim, self._data.ndim))

    def log_softmax(self, dim: int, dtype=None):
        source = self._floating() if dtype is None else self.to(dtype)
        return R.LogSoftmax.apply(source, _axis(dim, self._data.ndim))

    def cumsum(self, dim: int, dtype=None):
        numpy_dtype = None if dtype is None else _dtype.to_numpy_dtype(dtype)
        if numpy_dtype is None and self._data.dtype.kind in "biu":
            numpy_dtype = np.int64
        return R.Cumsum.apply(self, _axis(dim, self._data.ndim), numpy_dtype)

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False):
        axis = _axis(dim, self._data.ndim)
        order = np.argsort(-self._data if descending and self._data.dtype.kind != "b" else self._data, axis=axis, kind="stable")
        if descending and self._data.dtype.kind == "b":
            order = np.flip(np.argsort(self._data, axis=axis, kind="stable"), axis)
        return sort_result(self.gather(axis, wrap(order)), wrap(order.astype(np.int64)))

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False):
        return self.sort(dim, descending, stable).indices

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):  # noqa: A002
        axis = _axis(dim, self._data.ndim)
        if not 0 <= k <= self._data.shape[axis] if self._data.ndim else k > 1:
            raise RuntimeError("selected index k out of range")
        order = np.argsort(-self._data if largest else self._data, axis=axis, kind="stable")
        order = np.take(order, np.arange(k), axis=axis)
        return topk_result(self.gather(axis, wrap(order)), wrap(order.astype(np.int64)))

    def unique(self, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False, dim=None):  # noqa: A002
        if dim is not None:
            raise NotImplementedError("glasstorch: unique(dim=...) is not supported")
        values, inverse, counts = np.unique(self._data, return_inverse=True, return_counts=True)
        out = [wrap(values)]
        if return_inverse:
            out.append(wrap(inverse.reshape(self._data.shape).astype(np.int64)))
        if return_counts:
            out.append(wrap(counts.astype(np.int64)))
        return out[0] if len(out) == 1 else tuple(out)

    # ---- shape -------------------------------------------------------------------------------------------------
    def reshape(self, *shape):
        shape = _shape_arg(shape)
        try:
            return S.Reshape.apply(self, shape)
        except ValueError:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {self._data.size}") from None

    def view(self, *shape):
        if len(shape) == 1 and (type(shape[0]) is _dtype.dtype):
            raise NotImplementedError("glasstorch: Tensor.view(dtype) is not supported")
        return self.reshape(*shape)

    def view_as(self, other):
        return self.reshape(other._data.shape)

    def reshape_as(self, other):
        return self.reshape(other._data.shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        if self._data.ndim == 0:
            return self.reshape(1)
        start, end = _axis(start_dim, self._data.ndim), _axis(end_dim, self._data.ndim)
        shape = self._data.shape
        return self.reshape(shape[:start] + (-1,) + shape[end + 1:]) if start <= end else self

    def unflatten(self, dim: int, sizes):
        axis = _axis(dim, self._data.ndim)
        shape = self._data.shape
        return self.reshape(shape[:axis] + tuple(sizes) + shape[axis + 1:])

    def squeeze(self, dim=None):
        shape = self._data.shape
        if dim is None:
            return self.reshape(tuple(n for n in shape if n != 1))
        dims = _dims(dim, self._data.ndim)
        return self.reshape(tuple(n for i, n in enumerate(shape) if not (i in dims and n == 1)))

    def unsqueeze(self, dim: int):
        axis = dim % (self._data.ndim + 1) if -self._data.ndim - 1 <= dim <= self._data.ndim else None
        if axis is None:
            n = self._data.ndim + 1
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
        shape = self._data.shape
        return self.reshape(shape[:axis] + (1,) + shape[axis:])

    def transpose(self, dim0: int, dim1: int):
        n = self._data.ndim
        return S.Transpose.apply(self, _axis(dim0, n), _axis(dim1, n)) if n > 1 else self

    swapaxes = swapdims = transpose

    def t(self):
        if self._data.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self._data.ndim}D")
        return self.transpose(0, 1)

    def permute(self, *dims):
        dims = tuple(_axis(d, self._data.ndim) for d in _shape_arg(dims))
        if sorted(dims) != list(range(self._data.ndim)):
            raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                               f"length of the desired ordering of dimensions i.e. input.dim() = {self._data.ndim} "
                               f"is not equal to len(dims) = {len(dims)}")
        return S.Permute.apply(self, dims)

    def expand(self, *sizes):
        sizes = _shape_arg(sizes)
        lead = len(sizes) - self._data.ndim
        shape = tuple(self._data.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
        try:
            return S.Expand.apply(self, shape)
        except ValueError:
            raise RuntimeError(f"The expanded size of the tensor must match the existing size at non-singleton "
                               f"dimension: target sizes {list(sizes)}, tensor sizes {list(self._data.shape)}") from None

    def expand_as(self, other):
        return self.expand(other._data.shape)

    def repeat(self, *repeats):
        repeats = _shape_arg(repeats)
        if len(repeats) < self._data.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
        return S.Repeat.apply(self, repeats)

    def split(self, split_size_or_sections, dim: int = 0):
        axis = _axis(dim, self._data.ndim)
        n = self._data.shape[axis]
        if isinstance(split_size_or_sections, (builtins.int, np.integer)):
            step = builtins.int(split_size_or_sections)
            bounds = list(range(0, n, step)) + [n] if n else [0, 0]
        else:
            bounds = [0, *np.cumsum(split_size_or_sections).tolist()]
            if bounds[-1] != n:
                raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                                   f"dimension {dim}), but got split_sizes={list(split_size_or_sections)}")
        lead = (slice(None),) * axis
        return tuple(self[lead + (slice(lo, hi),)] for lo, hi in zip(bounds[:-1], bounds[1:]))

    def chunk(self, chunks: int, dim: int = 0):
        n = self._data.shape[_axis(dim, self._data.ndim)]
        return self.split(builtins.max(-(-n // chunks), 1), dim)

    def unbind(self, dim: int = 0):
        axis = _axis(dim, self._data.ndim)
        lead = (slice(None),) * axis
        return tuple(self[lead + (i,)] for i in range(self._data.shape[axis]))

    def contiguous(self):
        return self

    def is_contiguous(self) -> bool:
        return builtins.bool(self._data.flags.c_contiguous)

    def clone(self):
        return P.Clone.apply(self)

    def flip(self, dims):
        index = [slice(None)] * self._data.ndim
        for d in _dims(dims, self._data.ndim) or ():
            index[d] = slice(None, None, -1)
        return self[tuple(index)]

    def gather(self, dim: int, index: "Tensor"):
        if index._data.dtype != np.int64:
            raise RuntimeError("gather(): Expected dtype int64 for index")
        return S.Gather.apply(self, _axis(dim, self._data.ndim), index._data)

    def scatter(self, dim: int, index: "Tensor", src=None, value=None):
        source = value if src is None else src
        return S.Scatter.apply(self, _axis(dim, self._data.ndim), index._data, source)

    def scatter_(self, dim: int, index: "Tensor", src=None, value=None):
        return self._assign(self.scatter(dim, index, src, value))

    def index_select(self, dim: int, index: "Tensor"):
        lead = (slice(None),) * _axis(dim, self._data.ndim)
        return self[lead + (index._data.reshape(-1),)]

    def masked_fill(self, mask: "Tensor", value):
        return where(mask, full_like(self, value) if not _is_tensor(value) else value, self)

    def masked_fill_(self, mask: "Tensor", value):
        return self._assign(self.masked_fill(mask, value))

    def nonzero(self, as_tuple: bool = False):
        found = np.nonzero(self._data)
        if as_tuple:
            return tuple(wrap(i.astype(np.int64)) for i in found)
        return wrap(np.stack(found, axis=1).astype(np.int64) if found else np.zeros((0, 0), np.int64))

    def matmul(self, other):
        if not _is_tensor(other):
            other = _as_tensor_operand(other)
        a, b = self._data, other._data
        if a.ndim == 0 or b.ndim == 0:
            raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
        if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            left = "x".join(map(str, a.shape if a.ndim > 1 else (1,) + a.shape))
            right = "x".join(map(str, b.shape if b.ndim > 1 else b.shape + (1,)))
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({left} and {right})")
        if a.dtype != b.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_TORCH_TYPE_NAMES.get(self.dtype.name)} "
                               f"!= {_TORCH_TYPE_NAMES.get(other.dtype.name)}")
        return L.MatMul.apply(self, other)

    def mm(self, other):
        if self._data.ndim != 2 or other._data.ndim != 2:
            raise RuntimeError("self must be a matrix" if self._data.ndim != 2 else "mat2 must be a matrix")
        return self.matmul(other)

    def dot(self, other):
        if self._data.ndim != 1 or other._data.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self._data.ndim}D and {other._data.ndim}D tensors")
        return self.matmul(other)

    def outer(self, other):
        return self.unsqueeze(1) * other.unsqueeze(0)

    # ---- indexing ----------------------------------------------------------------------------------------------
    def __getitem__(self, key):
        if type(key) is not builtins.int or key >= 0:
            index = _index_key(key)
        else:
            index = key
        try:
            return S.Index.apply(self, index)
        except IndexError as error:
            raise IndexError(_index_message(error, key, self._data.shape)) from None

    def __setitem__(self, key, value) -> None:
        index = _index_key(key)
        value_is_tensor = _is_tensor(value)
        if grad_mode.state.enabled and (self.requires_grad or (value_is_tensor and value.requires_grad)):
            _check_inplace(self)
            if value_is_tensor and value._data.dtype != self._data.dtype:
                value = value.to(self._data.dtype)
            self._rebind(S.IndexPut.apply(self, value, index))
        else:
            self._data[index] = value._data if value_is_tensor else value

    # ---- in-place operations -----------------------------------------------------------------------------------
    def _rebind(self, result: "Tensor") -> "Tensor":
        """Makes self hold ``result`` (an out-of-place result recorded by autograd): torch's in-place semantics for
        the graph, while arrays saved for backward stay intact."""
        self._data = result._data
        self.grad_fn = result.grad_fn
        self.requires_grad = result.requires_grad
        return self

    def _assign(self, result: "Tensor") -> "Tensor":
        """Completes an in-place operation whose value was computed out of place."""
        if result.grad_fn is not None:
            _check_inplace(self)
            return self._rebind(result)
        self._data[...] = result._data
        return self

    def _inplace(self, other, ufunc, method):
        """``self = ufunc(self, other)`` writing into self's buffer when no graph is recorded (optimizers, init)."""
        if grad_mode.state.enabled and (self.requires_grad or (_is_tensor(other) and other.requires_grad)):
            _check_inplace(self)
            return self._rebind(method(self, other).to(self._data.dtype))
        ufunc(self._data, other._data if _is_tensor(other) else other, out=self._data, casting="same_kind")
        return self

    def add_(self, other, alpha=1):
        return self._inplace(other if alpha == 1 else other * alpha, np.add, Tensor.__add__)

    def sub_(self, other, alpha=1):
        return self._inplace(other if alpha == 1 else other * alpha, np.subtract, Tensor.__sub__)

    def mul_(self, other):
        return self._inplace(other, np.multiply, Tensor.__mul__)

    def div_(self, other):
        return self._inplace(other, np.true_divide, Tensor.__truediv__)

    def pow_(self, exponent):
        return self._inplace(exponent, np.power, Tensor.__pow__)

    def addcmul_(self, tensor1, tensor2, value=1):
        return self.add_(tensor1 * tensor2 * value)

    def addcdiv_(self, tensor1, tensor2, value=1):
        return self.add_(tensor1 / tensor2 * value)

    def lerp_(self, end, weight):
        return self.add_((end - self) * weight)

    def sqrt_(self):
        return self._assign(self.sqrt())

    def exp_(self):
        return self._assign(self.exp())

    def neg_(self):
        return self._assign(-self)

    def abs_(self):
        return self._assign(self.abs())

    def relu_(self):
        return self._assign(self.relu())

    def sigmoid_(self):
        return self._assign(self.sigmoid())

    def tanh_(self):
        return self._assign(self.tanh())

    def clamp_(self, min=None, max=None):  # noqa: A002
        return self._assign(self.clamp(min, max))

    clip_ = clamp_

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        _check_inplace(self)
        self._data[...] = value._data if _is_tensor(value) else value
        return self

    def copy_(self, src):
        if grad_mode.state.enabled and _is_tensor(src) and src.requires_grad:
            _check_inplace(self)
            return self._rebind(src.to(self._data.dtype).expand(self._data.shape).clone())
        _check_inplace(self)
        self._data[...] = src._data if _is_tensor(src) else src
        return self

    def uniform_(self, a: float = 0.0, b: float = 1.0, generator=None):
        _check_inplace(self)
        self._data[...] = _random.numpy_generator(generator).uniform(a, b, self._data.shape)
        return self

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator=None):
        _check_inplace(self)
        self._data[...] = _random.numpy_generator(generator).normal(mean, std, self._data.shape)
        return self

    def bernoulli_(self, p: float = 0.5, generator=None):
        _check_inplace(self)
        self._data[...] = _random.numpy_generator(generator).random(self._data.shape) < p
        return self

    def exponential_(self, lambd: float = 1.0, generator=None):
        _check_inplace(self)
        self._data[...] = _random.numpy_generator(generator).exponential(1 / lambd, self._data.shape)
        return self

    def random_(self, low: int = 0, high: int | None = None, generator=None):
        _check_inplace(self)
        if high is None:
            low, high = 0, low if low else 2 ** 24
        self._data[...] = _random.numpy_generator(generator).integers(low, high, self._data.shape)
        return self

    def new_zeros(self, *size, dtype=None, requires_grad=False):
        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad=False):
        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, requires_grad=False):
        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad=False):
        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)


TensorBase.result_type = Tensor

_TORCH_TYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int", "bool": "Bool",
                     "float16": "Half", "int16": "Short", "int8": "Char", "uint8": "Byte"}


def _argmax(array, axis, keepdims=False):
    """argmax that, like torch, treats NaN as the largest value."""
    if array.dtype.kind == "f" and np.isnan(array).any():
        return np.argmax(np.where(np.isnan(array), np.inf, array), axis=axis, keepdims=keepdims)
    return np.argmax(array, axis=axis, keepdims=keepdims)


def _argmin(array, axis, keepdims=False):
    if array.dtype.kind == "f" and np.isnan(array).any():
        return np.argmax(np.isnan(array), axis=axis, keepdims=keepdims)
    return np.argmin(array, axis=axis, keepdims=keepdims)


def _index_message(error: IndexError, key, shape) -> str:
    if type(key) is builtins.int and shape:
        return f"index {key} is out of bounds for dimension 0 with size {shape[0]}"
    if not shape:
        return "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
    return str(error)


def _rebuild(data, requires_grad):
    return wrap(data, requires_grad)


# ---- creation functions the methods above need (the public ones live in glasstorch._creation) -------------------

def _infer_array(data, dtype) -> np.ndarray:
    """The ndarray torch.tensor() would make from ``data``: float32 for Python floats, int64 for ints, bool for bools."""
    if _is_tensor(data):
        array = data._data.copy()
    elif isinstance(data, (list, tuple)) and data and any(_is_tensor(d) for d in _flatten_first(data)):
        array = np.array(_tensors_to_values(data))
    else:
        array = np.array(data)
    if dtype is not None:
        return array.astype(_dtype.to_numpy_dtype(dtype), copy=False)
    if array.dtype.kind == "f" and not isinstance(data, (np.ndarray, np.generic)) and not _is_tensor(data):
        return array.astype(_dtype.get_default_dtype().numpy, copy=False)
    if array.dtype.kind == "i" and not isinstance(data, (np.ndarray, np.generic)) and not _is_tensor(data):
        return array.astype(np.int64, copy=False)
    if array.dtype.kind in "USO":
        raise TypeError(f"new(): invalid data type '{type(data).__name__}' (could not make a tensor of {array.dtype})")
    if array.dtype == np.float64 and array.size == 0 and not isinstance(data, np.ndarray):
        return array.astype(_dtype.get_default_dtype().numpy)
    _dtype.from_numpy_dtype(array.dtype)
    return array


def _flatten_first(data):
    while isinstance(data, (list, tuple)) and data:
        if any(_is_tensor(d) for d in data):
            return data
        data = data[0]
    return ()


def _tensors_to_values(data):
    if _is_tensor(data):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_tensors_to_values(d) for d in data]
    return data


def tensor(data: Any, dtype=None, device=None, requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Copies ``data`` (nested lists, numbers, arrays, tensors) into a new leaf tensor."""
    t = wrap(_infer_array(data, dtype))
    if requires_grad:
        t.requires_grad_(True)
    return t


def _filled(shape, value, dtype, requires_grad) -> Tensor:
    if dtype is None:
        dtype = (_dtype.bool if type(value) is builtins.bool else
                 _dtype.int64 if isinstance(value, (builtins.int, np.integer)) else _dtype.get_default_dtype())
    t = wrap(np.full(shape, value, dtype=_dtype.to_numpy_dtype(dtype)))
    return t.requires_grad_(True) if requires_grad else t


def zeros(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _filled(_shape_arg(size), 0.0, dtype or _dtype.get_default_dtype(), requires_grad)


def ones(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _filled(_shape_arg(size), 1.0, dtype or _dtype.get_default_dtype(), requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    return _filled(_shape_arg((size,)), fill_value, dtype, requires_grad)


def full_like(input: Tensor, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:  # noqa: A002
    return _filled(input._data.shape, fill_value, dtype or input.dtype, requires_grad)


def where(condition, input=None, other=None) -> Tensor:  # noqa: A002
    """``where(c, a, b)``: a where c is True, else b (tensors or scalars); ``where(c)`` is ``c.nonzero(as_tuple=True)``."""
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    cond = condition._data if _is_tensor(condition) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{_TORCH_TYPE_NAMES.get(_dtype.from_numpy_dtype(cond.dtype).name)}")
    if not _is_tensor(input) and not _is_tensor(other):
        input = tensor(input)
    if not _is_tensor(input):
        input, other = other, input
        swap = True
    else:
        swap = False
    if _is_tensor(other) and other._data.dtype != input._data.dtype:
        target = _promoted_dtype(input._data, other._data)
        input, other = input.to(target), other.to(target)
    elif not _is_tensor(other):
        target = _scalar_dtype(input._data, other)
        if target is not None:
            input = input.to(target)
    if swap:
        return P.Where.apply(cond, other, input)
    return P.Where.apply(cond, input, other)
