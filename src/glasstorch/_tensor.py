"""Tensor: an ndarray with torch's API and reverse-mode autograd.

This module holds what a tensor *is* (storage, attributes, autograd, conversion, dtype); what it *does* comes from
mixins, one file each: ``_tensor_math`` (operators, elementwise, matmul), ``_tensor_compare`` (comparisons, logic),
``_tensor_reduce`` (reductions, sorting), ``_tensor_shape`` (shapes, indexing), ``_tensor_inplace`` (``add_``,
``t[i] = v``...), ``_tensor_extra`` (tril, diagonal, roll, median, bmm, cross...). The arithmetic, broadcasting
and dtype rules follow torch 2.13.
"""
from __future__ import annotations

import builtins

from . import _dtype, _warnings
from ._backend import np
from ._device import check_device, device
from ._creation import full, full_like, ones, tensor, zeros  # noqa: F401 - re-exported for glasstorch._tensor users
from ._creation_checks import size_arg
from ._dims import axis as _axis
from ._dims import no_dimensions
from ._functions import pointwise as P
from ._hooks import RemovableHandle
from ._tensor_compare import CompareMixin
from ._tensor_extra import ExtraMixin
from ._tensor_inplace import InplaceMixin
from ._tensor_math import MathMixin, where  # noqa: F401 - where re-exported
from ._tensor_reduce import ReductionMixin, max_result, min_result, sort_result, topk_result  # noqa: F401
from ._tensor_shape import ShapeMixin
from ._tensor_str import format_tensor
from .autograd import engine, grad_mode
from .autograd.tensor_base import TensorBase, wrap

_promoted_dtype = _dtype.promote  # the name other modules used before the split


def _is_tensor(x) -> bool:
    return isinstance(x, TensorBase)


def _check_assigned_grad(tensor: TensorBase, grad) -> None:
    """torch's checks of ``tensor.grad = grad`` (None is always allowed and never comes here)."""
    if not isinstance(grad, TensorBase):
        kind = "numpy.ndarray" if isinstance(grad, np.ndarray) else type(grad).__name__
        raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {kind}")
    if grad is tensor:
        raise RuntimeError("can't assign Variable as its own grad")
    if grad._data.dtype != tensor._data.dtype:
        raise RuntimeError(f"attempting to assign a gradient with dtype '{_scalar_type_name(grad._data.dtype)}' to a "
                           f"tensor with grad_dtype '{_dtype.legacy_name(tensor._data)}'. The gradient must match the "
                           "tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype "
                           "attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. "
                           "Diverging the dtypes of a tensor and its gradient may break downstream systems that assume "
                           "they match.")
    if grad._data.shape != tensor._data.shape:
        raise RuntimeError(f"attempting to assign a gradient of size '{list(grad._data.shape)}' to a tensor of size "
                           f"'{list(tensor._data.shape)}'. Please ensure that the gradient and the tensor are the same "
                           "size")


def _scalar_type_name(numpy_dtype) -> str:
    return _dtype.SCALAR_TYPE_NAMES.get(numpy_dtype.name, numpy_dtype.name)


_LEGACY_TYPES = {"float32": "FloatTensor", "float64": "DoubleTensor", "int64": "LongTensor", "int32": "IntTensor",
                 "bool": "BoolTensor", "float16": "HalfTensor", "int16": "ShortTensor", "int8": "CharTensor",
                 "uint8": "ByteTensor"}


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``glasstorch.Size([5, 3])``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"glasstorch.Size({list(self)})"

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


_CPU = device("cpu")


class Tensor(MathMixin, CompareMixin, ReductionMixin, ShapeMixin, InplaceMixin, ExtraMixin, TensorBase):
    """A multi-dimensional array of one dtype that records operations for autograd when ``requires_grad``."""

    __slots__ = ()
    __array_priority__ = 1000  # ndarray ∘ Tensor defers to Tensor's reflected operators

    def __init__(self, *args) -> None:
        """``Tensor(data)`` copies data as float32; ``Tensor(2, 3)`` makes an uninitialised 2×3 float32 tensor."""
        if len(args) == 1 and not isinstance(args[0], (builtins.int, np.integer)):
            data = args[0]
            if isinstance(data, str):
                raise TypeError("new(): invalid data type 'str'")
            try:
                data = np.array(data._data if isinstance(data, TensorBase) else data, dtype=_dtype.get_default_dtype().numpy)
            except ValueError as error:
                if "string" not in str(error):
                    raise
                raise TypeError("must be real number, not str") from None
        else:
            data = np.zeros(size_arg(args, "Tensor") if args else (0,), dtype=_dtype.get_default_dtype().numpy)
        self._data = data
        self.requires_grad = False
        self._grad = None
        self.grad_fn = None
        self._retains_grad = False
        self._hooks = None

    @staticmethod
    def _make(data: np.ndarray, requires_grad: bool = False) -> "Tensor":
        return wrap(data, requires_grad)

    # ---- attributes --------------------------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        if dim is None:
            return Size(self._data.shape)
        if not self._data.ndim:
            raise IndexError(no_dimensions(dim))
        return self._data.shape[_axis(dim, self._data.ndim)]

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim
    ndim = property(dim)

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> device:
        return _CPU

    is_cuda = False

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
        if not isinstance(value, TensorBase):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._data = value._data

    # ---- autograd ----------------------------------------------------------------------------------------------
    @property
    def grad(self) -> "Tensor | None":
        """d(loss)/d(self) after ``backward()``, accumulated; None before. Only leaves (and tensors that called
        ``retain_grad()``) get one: reading it on another non-leaf warns, as torch does (the classic mistake)."""
        grad = self._grad
        if grad is None and self.grad_fn is not None and not self._retains_grad:
            _warnings.warn(_warnings.NON_LEAF_GRAD)
        return grad

    @grad.setter
    def grad(self, value: "Tensor | None") -> None:
        """Assigns a gradient: None, or a tensor of self's shape and dtype (torch's checks and messages)."""
        if value is not None:
            _check_assigned_grad(self, value)
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use a "
                               "computed variable in a subgraph that doesn't require differentiation use "
                               "var_no_grad = var.detach().")
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor too (leaves always keep theirs)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self.grad_fn._retained = self
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad and self.grad_fn is not None

    def detach(self) -> "Tensor":
        """The same values (shared memory) outside the graph: requires_grad=False, no grad_fn."""
        return wrap(self._data)

    def detach_(self) -> "Tensor":
        self.grad_fn = None
        self.requires_grad = False
        return self

    def backward(self, gradient: "Tensor | None" = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs=None) -> None:
        """Computes d(self)/d(leaf) for every leaf that requires grad and adds it to ``leaf.grad``.

        ``gradient`` is d(loss)/d(self), required unless self has one element; the graph is freed afterwards
        unless ``retain_graph=True``. ``inputs`` (a tensor or a sequence of them): accumulate into these tensors'
        ``.grad`` only (a non-leaf among them keeps its ``.grad``, as after ``retain_grad()``).
        """
        if create_graph:
            raise NotImplementedError("glasstorch: backward(create_graph=True) (higher-order gradients) is not supported")
        if not self.requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            seed = np.array(1, self._data.dtype)  # (np.ones is a Python-level function: ~1 µs more per backward)
            if self._data.ndim:
                seed = seed.reshape(self._data.shape)
        else:
            seed = np.array(gradient._data if isinstance(gradient, TensorBase) else gradient, dtype=self._data.dtype)
            if seed.shape != self._data.shape:
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {Size(seed.shape)} and "
                                   f"output[0] has a shape of {self.shape}.")
        if inputs is None:
            engine.run_backward([(self, seed)], bool(retain_graph))
        else:
            engine.backward_into(inputs, [(self, seed)], bool(retain_graph))

    def register_hook(self, hook) -> RemovableHandle:
        """``hook(grad) -> None or a new grad`` runs during backward with this tensor's gradient (summed over all its
        uses) before it goes on: to the operation that made this tensor, or into ``.grad`` of a leaf. A returned tensor
        replaces the gradient (same shape and dtype). ``handle.remove()`` takes the hook out again."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        owner = self if self.grad_fn is None else self.grad_fn  # a non-leaf's hooks live on the node that made it
        if owner._hooks is None:
            owner._hooks = {}
        handle = RemovableHandle(owner._hooks)
        owner._hooks[handle.id] = hook
        return handle

    # ---- conversion --------------------------------------------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.item()  # (ndarray.item takes any one-element array)

    def tolist(self):
        return self._data.tolist()

    def numpy(self, force: bool = False) -> np.ndarray:
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def __float__(self) -> float:
        if self.requires_grad and grad_mode.state.enabled:
            # (torch warns once per process, in grad mode only, for float() and complex(); before the size check)
            _warnings.warn_once(_warnings.SCALAR_OF_GRAD_TENSOR)
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.float(self._data.item())

    def __int__(self) -> int:
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.int(self._data.item())

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
        return iter(self.unbind(0))

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
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                               "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                               "because of a torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        new = wrap(self._data.copy(), self.requires_grad)
        if self._grad is not None:
            new._grad = wrap(self._grad._data.copy())
        memo[id(self)] = new
        return new

    # ---- dtype and device --------------------------------------------------------------------------------------
    def to(self, *args, **kwargs) -> "Tensor":
        """``to(dtype)``, ``to("cpu")``, ``to(other_tensor)``, ``to(device, dtype)``; self when nothing changes."""
        target = kwargs.get("dtype")
        for a in args:
            if type(a) is _dtype.dtype or isinstance(a, np.dtype):
                target = a
            elif isinstance(a, TensorBase):
                target = a._data.dtype
            elif a not in ("cpu", None) and str(a) != "cpu":
                check_device(a)  # torch's RuntimeError for a string that names no device
                raise NotImplementedError(f"glasstorch runs on the CPU only; cannot move a tensor to {a!r}")
        device = kwargs.get("device")
        if device is not None and str(device) != "cpu":
            check_device(device)
            raise NotImplementedError(f"glasstorch runs on the CPU only; cannot move a tensor to {device!r}")
        if target is None:
            return self
        numpy_dtype = _dtype.to_numpy_dtype(target)
        if numpy_dtype == self._data.dtype:
            return self if not kwargs.get("copy") else self.clone()
        return P.Cast.apply(self, numpy_dtype)

    def type(self, dtype=None):
        if dtype is None:
            return "glasstorch." + _LEGACY_TYPES.get(self.dtype.name, self.dtype.name)
        if isinstance(dtype, str):
            names = {f"{prefix}.{legacy}": name for name, legacy in _LEGACY_TYPES.items()
                     for prefix in ("torch", "glasstorch")}
            if dtype not in names:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = getattr(_dtype, names[dtype])
        return self.to(dtype)

    def type_as(self, other) -> "Tensor":
        return self.to(other._data.dtype)

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

    def clone(self) -> "Tensor":
        """A copy with its own memory;  ∂: the identity."""
        return P.Clone.apply(self)


TensorBase.result_type = Tensor


def _rebuild(data, requires_grad):
    return wrap(data, requires_grad)
