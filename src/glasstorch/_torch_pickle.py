"""What PyTorch's pickles refer to, in glasstorch: storages, the tensor rebuild functions, dtypes, Size, device.

``torch.save`` pickles a tensor as a call ``torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride,
requires_grad, backward_hooks)`` whose ``storage`` is a *persistent id* ``("storage", torch.FloatStorage, key,
location, numel)``: the bytes live beside the pickle (the zip entry ``<archive>/data/<key>``), and every tensor that
views the same memory names the same key. A Parameter is ``torch._utils._rebuild_parameter(tensor, requires_grad,
backward_hooks)``. This module holds glasstorch's equivalents of those names (``TORCH_GLOBALS``), used by both the
weights-only unpickler (as its allowlist) and the full one (as its torch → glasstorch mapping), and the user's extra
safe globals (``add_safe_globals``...).

The rebuild: element ``index`` of a tensor of ``size``/``stride`` is ``storage[storage_offset + Σ index_i·stride_i]``,
so a NumPy view with byte strides ``stride_i · itemsize`` over the storage shares memory exactly as torch's views do.
"""
from __future__ import annotations

from collections import Counter, OrderedDict
from typing import Any

from . import _dtype
from ._backend import np
from ._device import device
from ._tensor import Size, Tensor
from .autograd.tensor_base import wrap

STORAGE_DTYPES = {"FloatStorage": _dtype.float32, "DoubleStorage": _dtype.float64, "HalfStorage": _dtype.float16,
                  "ByteStorage": _dtype.uint8, "CharStorage": _dtype.int8, "ShortStorage": _dtype.int16,
                  "IntStorage": _dtype.int32, "LongStorage": _dtype.int64, "BoolStorage": _dtype.bool}
_UNREPRESENTABLE_STORAGES = {"BFloat16Storage": "bfloat16", "ComplexFloatStorage": "complex64",
                             "ComplexDoubleStorage": "complex128", "QInt8Storage": "qint8", "QUInt8Storage": "quint8",
                             "QInt32Storage": "qint32", "QUInt4x2Storage": "quint4x2", "QUInt2x4Storage": "quint2x4"}
STORAGE_NAMES = {d: name for name, d in STORAGE_DTYPES.items()}
UNREPRESENTABLE_DTYPES = {"bfloat16", "complex32", "complex64", "complex128", "cfloat", "cdouble", "chalf", "uint16",
                          "uint32", "uint64", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
                          "qint8", "quint8", "qint32", "quint4x2", "quint2x4", "bits8", "bits16"}


class StorageType:
    """A storage class named in a pickle (``torch.FloatStorage``): stands for its element dtype."""

    __slots__ = ("name", "dtype", "dtype_name")

    def __init__(self, name: str, dtype: _dtype.dtype | None, dtype_name: str) -> None:
        self.name, self.dtype, self.dtype_name = name, dtype, dtype_name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


STORAGE_TYPES = {name: StorageType(name, d, d.name) for name, d in STORAGE_DTYPES.items()}
STORAGE_TYPES.update({name: StorageType(name, None, what) for name, what in _UNREPRESENTABLE_STORAGES.items()})


class Storage:
    """A loaded storage: a flat array of ``numel`` elements that the tensors of a file view (``storage.array``)."""

    __slots__ = ("array", "location")

    def __init__(self, array: np.ndarray, location: str) -> None:
        self.array, self.location = array, location

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype._BY_NUMPY[self.array.dtype]

    def nbytes(self) -> int:
        return self.array.nbytes

    def size(self) -> int:
        return self.array.size

    def cpu(self) -> "Storage":
        return self

    def __len__(self) -> int:
        return self.array.size

    def __repr__(self) -> str:
        return f"Storage(dtype={self.dtype}, size={self.array.size}, location={self.location!r})"


class RebuildError(ValueError):
    """A tensor in a pickle does not fit its storage (or has a bad size/stride): the file is corrupt or hostile."""


def _ints(values, what: str) -> tuple[int, ...]:
    if not isinstance(values, (tuple, list)) or not all(type(v) is int and v >= 0 for v in values):
        raise RebuildError(f"a tensor's {what} must be non-negative integers, got {values!r}"[:200])
    return tuple(values)


def rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None,
                      metadata=None) -> Tensor:
    """``torch._utils._rebuild_tensor_v2``: the view ``(size, stride, storage_offset)`` of ``storage``."""
    if not isinstance(storage, Storage):
        raise RebuildError(f"a tensor's storage must come from the file, got {type(storage).__name__}")
    size, stride = _ints(size, "size"), _ints(stride, "stride")
    if type(storage_offset) is not int or storage_offset < 0 or len(size) != len(stride) or len(size) > 64:
        raise RebuildError(f"a tensor has a bad storage_offset {storage_offset!r} or size {size} / stride {stride}")
    flat = storage.array
    if 0 in size:
        array = np.empty(size, dtype=flat.dtype)
    else:
        last = storage_offset + sum((n - 1) * s for n, s in zip(size, stride))
        if last >= flat.size:
            raise RebuildError(f"a tensor of size {list(size)}, stride {list(stride)} and offset {storage_offset} "
                               f"needs {last + 1} elements but its storage holds {flat.size}")
        array = np.lib.stride_tricks.as_strided(flat[storage_offset:], shape=size,
                                                strides=tuple(s * flat.itemsize for s in stride))
    tensor = wrap(array)
    if requires_grad is True:
        if flat.dtype.kind != "f":
            raise RebuildError(f"a tensor of dtype {flat.dtype} cannot require grad")
        tensor.requires_grad_(True)
    return tensor


def rebuild_tensor(storage, storage_offset, size, stride) -> Tensor:
    """``torch._utils._rebuild_tensor`` (the oldest form, without requires_grad)."""
    return rebuild_tensor_v2(storage, storage_offset, size, stride)


_parameter: dict[str, Any] = {}


def register_parameter(cls: type) -> None:
    """Called by ``glasstorch.nn.parameter``: the class saved as, and rebuilt from, torch's ``_rebuild_parameter``
    (the core never imports nn)."""
    _parameter["class"] = cls


def parameter_class() -> type | None:
    return _parameter.get("class")


def rebuild_parameter(data, requires_grad, backward_hooks=None, state=None):
    """``torch._utils._rebuild_parameter`` (and ``_with_state``): a Parameter sharing ``data``'s memory."""
    if not isinstance(data, Tensor) or type(requires_grad) is not bool:
        raise RebuildError("a Parameter must be rebuilt from a tensor and a bool")
    if requires_grad and data._data.dtype.kind != "f":
        raise RebuildError(f"a Parameter of dtype {data._data.dtype} cannot require grad")
    return _parameter["class"](data, requires_grad)


def rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    if state:
        raise RebuildError("glasstorch cannot restore extra attributes of a Parameter (a Parameter subclass?)")
    return rebuild_parameter(data, requires_grad)


def _size(values) -> Size:
    return Size(_ints(values, "Size"))


def _device(*args) -> device:
    return device(*args)


def _torch_globals() -> dict[str, Any]:
    names: dict[str, Any] = {
        "collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
        "builtins.set": set, "builtins.frozenset": frozenset, "builtins.complex": complex,
        "builtins.bytearray": bytearray, "torch.Size": _size, "torch.device": _device,
        "torch._utils._rebuild_tensor": rebuild_tensor, "torch._utils._rebuild_tensor_v2": rebuild_tensor_v2,
        "torch._utils._rebuild_parameter": rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": rebuild_parameter_with_state,
        "torch.nn.parameter.Parameter": rebuild_parameter_class,
    }
    names.update({f"torch.{name}": kind for name, kind in STORAGE_TYPES.items()})
    names.update({f"torch.{d.name}": d for d in _dtype._ALL})
    return names


def rebuild_parameter_class(*args):  # NEWOBJ/REDUCE on torch.nn.parameter.Parameter: Parameter(data, requires_grad)
    cls = parameter_class()
    if cls is None or not all(isinstance(a, (Tensor, bool)) for a in args[:2]) or len(args) > 2:
        raise RebuildError("a Parameter must be built from a tensor and a bool")
    return cls(*args)


TORCH_GLOBALS = _torch_globals()
CONSTRUCTIBLE = {OrderedDict, Counter, set, frozenset, complex, bytearray}  # classes NEWOBJ may build


def encode_bytes(text, encoding="latin1"):
    """``_codecs.encode``, as Python 2-compatible pickles spell ``bytes``: only the latin-1 codec is accepted."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise RebuildError("_codecs.encode is allowed only as encode(str, 'latin1')")
    return text.encode("latin1")


TORCH_GLOBALS["_codecs.encode"] = encode_bytes


# ---- the user's safe globals (torch.serialization.add_safe_globals and friends) ----------------------------------

_user_globals: list = []


def add_safe_globals(safe_globals: list) -> None:
    """Marks the given classes/functions (or ``(object, "module.name")`` pairs) as loadable with weights_only=True."""
    _user_globals.extend(safe_globals)


def get_safe_globals() -> list:
    return list(_user_globals)


def clear_safe_globals() -> None:
    _user_globals.clear()


class safe_globals:
    """``with safe_globals([MyClass]): load(...)``: ``add_safe_globals`` for the block only."""

    def __init__(self, safe_globals: list) -> None:
        self.safe_globals = list(safe_globals)
        self._before: list = []

    def __enter__(self) -> None:
        self._before = list(_user_globals)
        _user_globals.extend(self.safe_globals)

    def __exit__(self, *exc_info) -> None:
        _user_globals[:] = self._before


def user_globals() -> dict[str, Any]:
    """``"module.qualname"`` → object for the user's safe globals (torch's ``_get_user_allowed_globals``)."""
    found: dict[str, Any] = {}
    for item in _user_globals:
        if isinstance(item, tuple):
            if len(item) != 2:
                raise ValueError(f"Expected tuple of length 2 (global, str of callable full path), but got tuple of "
                                 f"length: {len(item)}")
            if not isinstance(item[1], str):
                raise TypeError(f"Expected second item in tuple to be str of callable full path, but got: "
                                f"{type(item[1])}")
            found[item[1]] = item[0]
        else:
            name = f"{getattr(item, '__module__', '')}.{getattr(item, '__qualname__', getattr(item, '__name__', ''))}"
            found[name] = item
            if name.startswith("glasstorch."):  # a torch-written pickle names glasstorch's class by torch's name
                found["torch." + name[len("glasstorch."):]] = item
    return found

