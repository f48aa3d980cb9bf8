"""torch's errors for bad arguments to the functions that make tensors, raised before NumPy sees them.

Sizes (``zeros(-1)``, ``ones(2.5)``), counts (``eye(-1)``, ``linspace(0, 1, -1)``), ranges (``arange(0, 10, -1)``)
and random bounds (``randint(5, 0, ...)``, ``normal(0, -1, ...)``, ``multinomial``), each worded as torch 2.13 words it.
"""
from __future__ import annotations

import math
import operator

from . import _dtype
from ._backend import np


def _is_int(x) -> bool:
    try:
        operator.index(x)
    except TypeError:
        return False
    return True


def size_arg(size: tuple, function: str, keyword: bool = False) -> tuple:
    """``f(2, 3)`` / ``f((2, 3))`` / ``f([2, 3])`` / ``f(size=...)`` as a tuple of non-negative ints."""
    items = size
    if len(size) == 1 and not _is_int(size[0]):
        items = size[0]
        if not isinstance(items, (tuple, list)):
            where = "" if keyword else " (position 1)"
            raise TypeError(f"{function}(): argument 'size'{where} must be tuple of ints, not {type(items).__name__}")
    for k, item in enumerate(items):
        if not _is_int(item):
            raise TypeError(f"{function}(): argument 'size' failed to unpack the object at pos {k + 1} with error "
                            f"\"type must be tuple of ints,but got {type(item).__name__}\"")
    shape = tuple(operator.index(s) for s in items)
    if shape and min(shape) < 0:
        raise negative_size(shape, function)
    return shape


def sequence_size_arg(size, function: str) -> tuple:
    """``full``'s and ``new_full``'s size: a tuple or list (torch refuses a bare int there)."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"{function}(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    return size_arg((size,), function)


def negative_size(shape: tuple, function: str = "") -> RuntimeError:
    """torch's error for a shape with a negative entry (``zeros`` has its own wording)."""
    if function == "zeros":
        return RuntimeError("zeros: Dimension size must be non-negative.")
    first = next(s for s in shape if s < 0)
    return RuntimeError(f"Trying to create tensor with negative dimension {first}: {list(shape)}")


def count_arg(n, name: str, function: str) -> int:
    """An int argument such as ``eye``'s n and m or ``randperm``'s n; torch refuses floats and negative values."""
    if not _is_int(n):
        raise TypeError(f"{function}(): argument '{name}' (position {1 if name == 'n' else 2}) must be int, "
                        f"not {type(n).__name__}")
    n = operator.index(n)
    if n < 0:
        if function == "randperm":
            raise negative_size((n,))
        raise RuntimeError(f"{name} must be greater or equal to 0, got {n}")
    return n


def steps_arg(steps, function: str) -> int:
    """linspace/logspace's ``steps``: a non-negative int."""
    if not _is_int(steps):
        raise TypeError(f"{function}() received an invalid combination of arguments - got "
                        f"steps={type(steps).__name__}, but expected an int")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return operator.index(steps)


def check_range(start, end, step) -> None:
    """arange's bounds: finite, a nonzero step, and a step whose sign leads from start towards end."""
    for name, value in (("start", start), ("end", end), ("step", step)):
        if isinstance(value, (str, bytes)) or value is None:
            raise TypeError(f"arange(): argument '{name}' must be Number, not {type(value).__name__}")
    if step == 0 or step != step:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")


def check_random_dtype(numpy_dtype, kernel: str) -> None:
    """rand/randn (and their _like forms) have kernels for floating dtypes only."""
    if np.dtype(numpy_dtype).kind != "f":
        raise _dtype.not_implemented_for(kernel, np.empty(0, numpy_dtype))


def check_randint_bounds(low, high) -> None:
    if not low < high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")


def check_uniform_bounds(low, high) -> None:
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}")


def check_std(std) -> None:
    """normal's std: a number or a tensor's values, never negative."""
    if np.ndim(std) == 0:
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    elif (np.asarray(std) < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")


def check_multinomial(probs: np.ndarray, num_samples: int, replacement: bool) -> None:
    """multinomial's input: float rows of non-negative, finite weights with a positive sum; enough categories."""
    if probs.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {_dtype.legacy_name(probs)}")
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > probs.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if not np.isfinite(probs).all() or (probs < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (probs.sum(-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")


def check_bernoulli(probs) -> None:
    if np.ndim(probs) == 0 and not 0 <= probs <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={probs}")
    if np.ndim(probs) and ((np.asarray(probs) < 0) | (np.asarray(probs) > 1)).any():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")


def check_fill_value(value, function: str) -> None:
    """full's fill value: a number (or a one-element tensor), never a string, None or a list."""
    if isinstance(value, (str, bytes, list, tuple, dict)) or value is None:
        raise TypeError(f"{function}(): argument 'fill_value' (position 2) must be Number, not {type(value).__name__}")


def ragged_error(data) -> Exception:
    """torch's error for nested sequences whose lengths differ: 'expected sequence of length 2 at dim 1 (got 1)'."""
    level, dim = [data], -1
    while level:
        seqs = [x for x in level if isinstance(x, (list, tuple))]
        if seqs and len(seqs) != len(level):
            return TypeError("not a sequence")
        if not seqs:
            break
        dim += 1
        for x in seqs[1:]:
            if len(x) != len(seqs[0]):
                return ValueError(f"expected sequence of length {len(seqs[0])} at dim {dim} (got {len(x)})")
        level = [y for x in seqs for y in x]
    return ValueError("expected a rectangular nested sequence of numbers")
