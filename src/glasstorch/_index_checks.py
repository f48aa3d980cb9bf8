"""torch's errors for the index tensors of gather, scatter and index_select, and for split/chunk sizes.

NumPy would accept negative indices (counting from the end) and word its errors in "axis"; torch refuses negative
indices here and names the dimension, so the checks run before NumPy does.
"""
from __future__ import annotations

import re

from . import _dtype
from ._backend import np
from .autograd.tensor_base import TensorBase


def index_tensor(index, op: str, position: int = 2):
    """The ndarray of ``index``, which must be a tensor (torch's TypeError otherwise)."""
    if not isinstance(index, TensorBase):
        raise TypeError(f"{op}(): argument 'index' (position {position}) must be Tensor, not {type(index).__name__}")
    return index._data


def _out_of_bounds(idx, size: int):
    """The first index outside [0, size), or None."""
    if idx.size and (idx.min() < 0 or idx.max() >= size):
        return int(idx[(idx < 0) | (idx >= size)].reshape(-1)[0])
    return None


def check_gather_index(op: str, shape: tuple, axis: int, idx, src_shape: tuple | None = None) -> None:
    """gather/scatter: an int index with self's number of dimensions, no larger than self (and src) apart from
    ``axis``, and every value in [0, shape[axis])."""
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index")
    if max(idx.ndim, 1) != max(len(shape), 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as "
                           f"{'input' if op == 'gather' else 'self'} tensor")
    for d in range(idx.ndim):
        too_big = d != axis and idx.shape[d] > shape[d]
        if too_big or (src_shape is not None and len(src_shape) == idx.ndim and idx.shape[d] > src_shape[d]):
            _size_mismatch(op, shape, axis, idx, src_shape, d)
    bad = _out_of_bounds(idx, shape[axis] if shape else 1)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {axis} with size {shape[axis] if shape else 1}")


def _size_mismatch(op, shape, axis, idx, src_shape, d) -> None:
    if op == "gather":
        raise RuntimeError(f"Size does not match at dimension {d} expected index {list(idx.shape)} to be no larger "
                           f"than self {list(shape)} apart from dimension {axis}")
    src = f" and to be no larger size than src {list(src_shape)}" if src_shape is not None else ""
    raise RuntimeError(f"Expected index {list(idx.shape)} to be no larger than self {list(shape)} apart from "
                       f"dimension {axis}{src}")


def check_index_select(idx, size: int, axis: int = 0, shape: tuple = (1,)) -> None:
    """index_select: an int vector (or scalar) of values in [0, size). torch's CPU kernel checks the bounds in one
    of three places, each with its own error: for 2+ dims, an empty self (RuntimeError, or a refused empty indexing
    dim) and dim 1 (its fast loop) say "INDICES element is out of DATA bounds"; everywhere else IndexError."""
    if idx.dtype.kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if len(shape) > 1 and idx.size and 0 in shape:
        if size == 0:
            raise RuntimeError("index_select(): self indexing axis dim should be positive")
        empty_self = True
    else:
        empty_self = False
    bad = _out_of_bounds(idx, size)
    if bad is not None and (empty_self or (axis == 1 and len(shape) > 1)):
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}")
    if bad is not None:
        raise IndexError("index out of range in self")


def check_split_size(split_size: int, size: int) -> None:
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={split_size}")
    if split_size == 0 and size != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")


def check_chunks(chunks: int) -> None:
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")


def check_masked_fill(mask, value) -> None:
    """masked_fill: a bool mask and a number or a 0-dim value tensor."""
    if not isinstance(mask, TensorBase):
        raise TypeError(f"masked_fill(): argument 'mask' (position 1) must be Tensor, not {type(mask).__name__}")
    if mask._data.dtype != bool:
        name = _dtype.SCALAR_TYPE_NAMES.get(mask._data.dtype.name, mask._data.dtype.name)
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype {name}")
    if isinstance(value, TensorBase) and value._data.ndim:
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                           f"{value._data.ndim} dimension(s).")


# ---- t[key] and t[key] = value: NumPy's failures reworded as torch's -----------------------------------------------

def _first_mask(key):
    for k in (key if type(key) is tuple else (key,)):
        data = k._data if isinstance(k, TensorBase) else k
        if getattr(data, "dtype", None) == bool or (type(k) is list and k and all(type(x) is bool for x in k)):
            return np.asarray(data)
    return None


def _odd_key(key):
    for k in (key if type(key) is tuple else (key,)):
        if not isinstance(k, (int, np.integer, slice, type(None), type(Ellipsis), TensorBase, list, np.ndarray)):
            return k
    return None


def index_error_message(error: Exception, key, shape: tuple) -> str:
    """torch's wording of NumPy's IndexError for ``t[key]``."""
    text = str(error)
    found = re.match(r"too many indices for array: array is (\d+)-dimensional", text)
    if found:
        return f"too many indices for tensor of dimension {found.group(1)}"
    found = re.match(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)", text)
    if found:
        return f"index {found.group(1)} is out of bounds for dimension {found.group(2)} with size {found.group(3)}"
    if text.startswith("arrays used as indices must be of integer"):
        return "tensors used as indices must be long, int, byte or bool tensors"
    found = re.match(r"boolean index did not match indexed array along (?:axis|dimension) (\d+)", text)
    mask = _first_mask(key)
    if found and mask is not None:
        at = found.group(1)
        return (f"The shape of the mask {list(mask.shape)} at index {at} does not match the shape of the indexed "
                f"tensor {list(shape)} at index {at}")
    odd = _odd_key(key)
    if odd is not None:
        return ("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices "
                f"(got {type(odd).__name__})")
    return text


def assign_error(error: Exception, data: np.ndarray, index, key, value) -> Exception:
    """torch's error for ``t[key] = value`` when NumPy refused it: a bad index, a value that does not expand to the
    indexed part's shape, or one that is not a number."""
    if isinstance(error, IndexError):
        return IndexError(index_error_message(error, key, data.shape))
    target = index.view(data)[index.rest] if hasattr(index, "rest") else data[index]  # (a StagedIndex: two stages)
    if isinstance(value, (str, bytes, type(None), dict)):
        legacy = _dtype.LEGACY_NAMES.get(target.dtype.name, target.dtype.name)
        return TypeError(f"can't assign a {type(value).__name__} to a glasstorch.{legacy}Tensor")
    array = np.asarray(value._data if isinstance(value, TensorBase) else value)
    vshape, tshape = array.shape, target.shape
    if len(vshape) > len(tshape):
        legacy = _dtype.LEGACY_NAMES.get(array.dtype.name, array.dtype.name)
        return RuntimeError(f"expand(glasstorch.{legacy}Tensor{{{list(vshape)}}}, size={list(tshape)}): the number of sizes "
                            f"provided ({len(tshape)}) must be greater or equal to the number of dimensions in the tensor "
                            f"({len(vshape)})")
    lead = len(tshape) - len(vshape)
    for d in range(len(vshape) - 1, -1, -1):
        if vshape[d] != 1 and vshape[d] != tshape[d + lead]:
            return RuntimeError(f"The expanded size of the tensor ({tshape[d + lead]}) must match the existing size "
                                f"({vshape[d]}) at non-singleton dimension {d + lead}.  Target sizes: {list(tshape)}.  "
                                f"Tensor sizes: {list(vshape)}")
    return error
