"""dtypes: glasstorch.float32 and friends, each a thin name over a NumPy dtype.

torch's defaults: floating data is float32, integer data is int64, comparisons give bool.
"""
from __future__ import annotations

import builtins

from . import _names
from ._backend import np


class dtype:
    """A tensor element type; ``str(glasstorch.float32) == 'glasstorch.float32'`` as torch prints ``torch.float32``."""

    __slots__ = ("name", "numpy", "is_floating_point", "is_signed", "itemsize")

    def __init__(self, name: str, numpy_dtype) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"
        self.is_signed = self.numpy.kind in "fi"
        self.itemsize = self.numpy.itemsize

    def __repr__(self) -> str:
        return f"{_names.prefix}.{self.name}"

    def __reduce__(self):
        return self.name

    def to_real(self) -> "dtype":
        return self


_names.public(dtype, "glasstorch")

float16 = half = dtype("float16", np.float16)
float32 = float = dtype("float32", np.float32)
float64 = double = dtype("float64", np.float64)
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = short = dtype("int16", np.int16)
int32 = int = dtype("int32", np.int32)
int64 = long = dtype("int64", np.int64)
bool = dtype("bool", np.bool_)  # noqa: A001 - torch's name



class _NamedOnly(dtype):
    """A torch dtype glasstorch can name but not store (NumPy has no bfloat16): scripts that only mention it
    (nanoGPT's ``{'bfloat16': torch.bfloat16, ...}[dtype]``) run; making a tensor of it raises NotImplementedError."""

    __slots__ = ()

    def __init__(self, name: str, itemsize: builtins.int) -> None:
        self.name, self.numpy, self.itemsize = name, None, itemsize
        self.is_floating_point = self.is_signed = True


bfloat16 = _NamedOnly("bfloat16", 2)

_ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool)
_BY_NUMPY = {d.numpy: d for d in _ALL}

_default_float = float32


def get_default_dtype() -> dtype:
    """The dtype of tensors made from Python floats (float32 unless changed)."""
    return _default_float


def set_default_dtype(d: dtype) -> None:
    """Make ``d`` (float32 or float64) the dtype of new floating tensors."""
    global _default_float
    if d not in (float32, float64, float16):
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def from_numpy_dtype(numpy_dtype) -> dtype:
    """The glasstorch dtype of a NumPy dtype; TypeError for types torch does not have (strings, objects...)."""
    try:
        return _BY_NUMPY[numpy_dtype]
    except KeyError:
        pass
    try:
        return _BY_NUMPY[np.dtype(numpy_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(numpy_dtype)}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def to_numpy_dtype(d) -> np.dtype:
    """Accepts a glasstorch dtype (or a NumPy dtype / Python type) and returns the NumPy dtype to store."""
    if type(d) is dtype:
        return d.numpy
    if d is builtins.float:  # torch reads Python's float as double (tensor(x, dtype=float) is float64)
        return float64.numpy
    if d is builtins.int:
        return int64.numpy
    if d is builtins.bool:
        return bool.numpy
    if isinstance(d, _NamedOnly):
        raise NotImplementedError(f"glasstorch does not implement tensors of dtype {d!r} (NumPy has no {d.name})")
    return from_numpy_dtype(np.dtype(d)).numpy


def category(numpy_dtype: np.dtype) -> builtins.int:
    """0 for bool, 1 for integers, 2 for floating point: torch promotes to the highest category present."""
    kind = numpy_dtype.kind
    return 2 if kind == "f" else (0 if kind == "b" else 1)


# ---- type promotion (torch's rules for the mixes users write) ----------------------------------------------------

def promote(a: np.ndarray, b: np.ndarray) -> np.dtype:
    """The result dtype of an operation on two tensors: the highest category (bool < int < float) wins; within it,
    tensors with dimensions decide before 0-dim tensors (float32 vector + float64 scalar tensor is float32)."""
    ca, cb = category(a.dtype), category(b.dtype)
    if ca != cb:
        return a.dtype if ca > cb else b.dtype
    if (a.ndim == 0) != (b.ndim == 0):
        return b.dtype if a.ndim == 0 else a.dtype
    return np.promote_types(a.dtype, b.dtype)


def scalar_promotion(array: np.ndarray, scalar) -> np.dtype | None:
    """The dtype a tensor must take before meeting a Python scalar, or None when it keeps its own
    (int tensor with a float gives the default float dtype; bool tensor with an int gives int64)."""
    kind = array.dtype.kind
    if type(scalar) is builtins.float and kind != "f":
        return _default_float.numpy
    if type(scalar) is builtins.int and kind == "b":
        return int64.numpy
    return None


# torch's C++ scalar-type names, which its error messages use ("expected m1 and m2 to have the same dtype, but got:
# float != double")
SCALAR_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
                     "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}
LEGACY_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int", "bool": "Bool",
                "float16": "Half", "int16": "Short", "int8": "Char", "uint8": "Byte"}


def legacy_name(x) -> str:
    """torch's short name of a tensor's or an array's dtype, as its messages use it (Float, Long, Bool...)."""
    return LEGACY_NAMES.get(x.dtype.name, x.dtype.name)


def not_implemented_for(kernel: str, x) -> NotImplementedError:
    """torch's error for an operation without a kernel for x's dtype: '"exp_vml_cpu" not implemented for 'Long''."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{legacy_name(x)}\'')
