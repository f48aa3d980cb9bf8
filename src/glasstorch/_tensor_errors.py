"""torch's messages for arguments its parser or its kernels refuse, built only once an operation has failed (or
for the few checks torch makes before computing): clamp, where, matmul, lerp."""
from __future__ import annotations

import builtins

from . import _dtype
from ._backend import np
from .autograd.tensor_base import TensorBase


def _is_tensor(x) -> bool:
    return isinstance(x, TensorBase)


CLAMP_KERNELS = {(False, True): "clamp_min_scalar_cpu", (True, False): "clamp_max_scalar_cpu",
                  (False, False): "clamp_scalar_cpu"}


def clamp_arguments_error(low, high) -> str:
    got = "".join(f"{name}={type(v).__name__}, " for name, v in (("max", high), ("min", low)) if v is not None)
    return (f"clamp() received an invalid combination of arguments - got ({got}), but expected one of:\n"
            f" * (Tensor min = None, Tensor max = None)\n * (Number min = None, Number max = None)")


def where_arguments_error(*arguments) -> str:
    got = ", ".join("Tensor" if _is_tensor(x) else type(x).__name__ for x in arguments if x is not None)
    return (f"where() received an invalid combination of arguments - got ({got}), but expected one of:\n"
            f" * (Tensor condition)\n * (Tensor condition, Tensor input, Tensor other, *, Tensor out = None)\n"
            f" * (Tensor condition, Number self, Tensor other)\n * (Tensor condition, Tensor input, Number other)\n"
            f" * (Tensor condition, Number self, Number other)")


def matmul_error(a: tuple, b: tuple) -> str:
    """torch's message for operands that cannot be multiplied (it depends on which kernel the shapes select)."""
    if len(a) == 1 and len(b) == 1:
        return (f"inconsistent tensor size, expected tensor [{a[0]}] and src [{b[0]}] to have the same number of "
                f"elements, but got {a[0]} and {b[0]} elements respectively")
    if len(b) == 1:
        rows = builtins.int(np.prod(a[:-1]))
        return f"size mismatch, got input ({rows}), mat ({rows}x{a[-1]}), vec ({b[0]})"
    if len(b) == 2:
        rows = builtins.int(np.prod(a[:-1]))
        return f"mat1 and mat2 shapes cannot be multiplied ({rows}x{a[-1]} and {b[0]}x{b[1]})"
    batch_a, batch_b = a[:-2], b[:-2]
    for i in range(1, builtins.min(len(batch_a), len(batch_b)) + 1):
        if batch_a[-i] != batch_b[-i] and 1 not in (batch_a[-i], batch_b[-i]):
            n = builtins.max(len(batch_a), len(batch_b))
            return (f"The size of tensor a ({batch_a[-i]}) must match the size of tensor b ({batch_b[-i]}) at "
                    f"non-singleton dimension {n - i}")
    batch = builtins.int(np.prod(np.broadcast_shapes(batch_a, batch_b)))
    return (f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {a[-1]}] but got: "
            f"[{batch}, {b[-2]}].")


def check_lerp(self, end, weight) -> None:  # self: the tensor lerp is called on
    """torch's lerp needs end (and a weight tensor with dimensions) in self's dtype, and a floating self."""
    if not _is_tensor(end):
        raise TypeError(f"lerp(): argument 'end' (position 1) must be Tensor, not {type(end).__name__}")
    for name, other in (("end", end), ("weight", weight)):
        if _is_tensor(other) and (name == "end" or other._data.ndim) and other._data.dtype != self._data.dtype:
            raise RuntimeError(f"expected dtype {_dtype.SCALAR_TYPE_NAMES[self._data.dtype.name]} for `{name}` "
                               f"but got dtype {_dtype.SCALAR_TYPE_NAMES[other._data.dtype.name]}")
    if self._data.dtype.kind != "f":
        kernel = "lerp_kernel_tensor" if _is_tensor(weight) else "lerp_kernel_scalar"
        raise _dtype.not_implemented_for(kernel, self._data)
