"""The ``glasstorch.fn(tensor, ...)`` forms of tensor methods, and the functions that take several tensors."""
from __future__ import annotations

import builtins  # this module defines any, all, max, min... (torch's functional names)
from collections.abc import Sequence

from . import _dtype
from ._backend import np
from ._creation import tensor
from ._dims import axis as _axis
from ._out import write_out
from ._functions import shape as S
from ._tensor import Size, Tensor, _is_tensor
from ._tensor_math import where  # noqa: F401 - re-exported
from ._tensor_reduce import _label
from .autograd.tensor_base import TensorBase, wrap


def _as_tensor(x) -> Tensor:
    return x if _is_tensor(x) else tensor(x)


def _tensor_list(tensors) -> list:
    """cat's and stack's elements: tensors only, as torch's parser checks them."""
    for i, t in enumerate(tensors):
        if not _is_tensor(t):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return list(tensors)


def _same_dtype(tensors: Sequence[Tensor]) -> list:
    target = tensors[0]._data
    for t in tensors[1:]:
        if t._data.dtype != target.dtype:
            target = target.astype(_dtype.promote(target, t._data), copy=False)
    return [t if t._data.dtype == target.dtype else t.to(target.dtype) for t in tensors]


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Joins tensors along an existing dimension."""
    _require_sequence(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    tensors = _same_dtype(_tensor_list(tensors))
    shapes = [t._data.shape for t in tensors]
    for k, s in enumerate(shapes):
        if not s:
            raise RuntimeError(f"zero-dimensional tensor (at position {k}) cannot be concatenated")
    reference = next((s for s in shapes if s != (0,)), (0,))
    axis = _axis(dim, len(reference))
    if reference != (0,) and (0,) in shapes:  # torch's legacy rule: a 1-D empty tensor joins anything (adding nothing)
        empty = reference[:axis] + (0,) + reference[axis + 1:]
        tensors = [t.reshape(empty) if s == (0,) else t for t, s in zip(tensors, shapes)]
        shapes = [t._data.shape for t in tensors]
    for k, s in enumerate(shapes[1:], 1):
        if len(s) != len(shapes[0]):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(shapes[0])} and {len(s)}")
        for i, (a, b) in enumerate(zip(shapes[0], s)):
            if a != b and i != axis:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {axis}. Expected size {a} but "
                                   f"got size {b} for tensor number {k} in the list.")
    return S.Cat.apply(axis, *tensors)


def _require_sequence(tensors, function: str) -> None:
    if isinstance(tensors, TensorBase):
        raise TypeError(f"{function}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")


concat = concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Joins tensors of equal shape along a new dimension."""
    _require_sequence(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    tensors = _same_dtype(_tensor_list(tensors))
    first = tensors[0]._data.shape
    for i, t in enumerate(tensors[1:], 1):
        if t._data.shape != first:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(first)} at entry 0 and "
                               f"{list(t._data.shape)} at entry {i}")
    return S.Stack.apply(_axis(dim, len(first) + 1), *tensors)


def hstack(tensors):
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1)


def vstack(tensors):
    return cat([t.reshape(1, -1) if t.dim() == 1 else t for t in tensors], 0)


def maximum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return input.maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return input.minimum(other)


def _extremum_arguments(name: str, arguments: tuple) -> TypeError:
    """torch.max(1, 2): no overload of max/min takes anything but a Tensor first."""
    if len(arguments) == 1:
        return TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(arguments[0]).__name__}")
    got = ", ".join("Tensor" if _is_tensor(x) else type(x).__name__ for x in arguments)
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     f" * (Tensor input, *, Tensor out = None)\n * (Tensor input, Tensor other, *, Tensor out = None)\n"
                     f" * (Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)")


def max(input: Tensor, dim=None, keepdim: bool = False):  # noqa: A001, A002
    if not _is_tensor(input):
        raise _extremum_arguments("max", (input,) if dim is None else (input, dim))
    return input.max(dim, keepdim)


def min(input: Tensor, dim=None, keepdim: bool = False):  # noqa: A001, A002
    if not _is_tensor(input):
        raise _extremum_arguments("min", (input,) if dim is None else (input, dim))
    return input.min(dim, keepdim)


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    return input.equal(other)


def _repeat_counts(repeats) -> Tensor:
    """torch.repeat_interleave(counts): each index i repeated counts[i] times."""
    if repeats._data.ndim != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    if repeats._data.dtype.kind not in "iu":
        raise _dtype.not_implemented_for("repeat_interleave_cpu", repeats._data)
    if (repeats._data < 0).any():
        raise RuntimeError("repeats can not be negative")
    return wrap(np.repeat(np.arange(repeats._data.size, dtype=np.int64), repeats._data))


def tensordot(a, b, dims=2):
    """The sum of products over ``dims`` (a count: a's last dims with b's first dims; or two lists of dims):
    a's remaining dimensions, then b's. Composed of permute, reshape and one matrix product."""
    if isinstance(dims, TensorBase):
        dims = dims.tolist()
    if isinstance(dims, (builtins.int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a._data.ndim or dims > b._data.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    else:
        dims_a, dims_b = dims
        dims_a = [dims_a] if isinstance(dims_a, (builtins.int, np.integer)) else list(dims_a)
        dims_b = [dims_b] if isinstance(dims_b, (builtins.int, np.integer)) else list(dims_b)
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError("both inputs should have same dtype")
    axes_a = [_axis(d, a._data.ndim) for d in dims_a]
    axes_b = [_axis(d, b._data.ndim) for d in dims_b]
    for axes in (axes_a, axes_b):
        for d in axes:
            if axes.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    for da, db, xa, xb in zip(dims_a, dims_b, axes_a, axes_b):
        na, nb = a._data.shape[xa], b._data.shape[xb]
        if na != nb:  # a size-1 dimension is summed over on the other side, as torch
            if nb == 1:
                a = a.sum(xa, keepdim=True)
            elif na == 1:
                b = b.sum(xb, keepdim=True)
            else:
                raise RuntimeError(f"contracted dimensions need to match, but first has size {na} in dim {da} and "
                                   f"second has size {nb} in dim {db}")
    free_a = [d for d in range(a._data.ndim) if d not in axes_a]
    free_b = [d for d in range(b._data.ndim) if d not in axes_b]
    shape_a = [a._data.shape[d] for d in free_a]
    shape_b = [b._data.shape[d] for d in free_b]
    k = builtins.int(np.prod([a._data.shape[d] for d in axes_a]))
    left = a.permute(free_a + axes_a).reshape(builtins.int(np.prod(shape_a)), k)
    right = b.permute(axes_b + free_b).reshape(k, builtins.int(np.prod(shape_b)))
    return _label(left.mm(right).reshape(shape_a + shape_b), "ViewBackward0")


def repeat_interleave(input: Tensor, repeats=None, dim=None, *, output_size=None) -> Tensor:  # noqa: A002
    """``repeat_interleave(t, repeats, dim)`` is ``t.repeat_interleave(repeats, dim)``; ``repeat_interleave(counts)``
    repeats each index i counts[i] times."""
    if repeats is None:
        return _repeat_counts(_as_tensor(input))
    return _as_tensor(input).repeat_interleave(repeats, dim, output_size=output_size)


def _moments(name: str, input: Tensor, dim, unbiased, keepdim: bool, correction, take_root: bool):  # noqa: A002
    if isinstance(dim, bool):  # the (input, unbiased) overload
        dim, unbiased = None, dim
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"{name} only support floating point and complex dtypes")
    spread = input._variance(dim, unbiased, keepdim, correction, name, stacklevel=5)
    if take_root:
        spread = spread.sqrt()
    label = "StdMeanBackward0" if take_root else "VarMeanBackward0"
    return _label(spread, label), _label(input.mean(dim, keepdim), label)


def var_mean(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> tuple:  # noqa: A002
    """(var, mean) over ``dim``: the variance Σ(x − mean)²/(N − correction) (correction 1 by default) and the mean."""
    return _moments("var_mean", input, dim, unbiased, keepdim, correction, False)


def std_mean(input: Tensor, dim=None, unbiased=None, keepdim: bool = False, *, correction=None) -> tuple:  # noqa: A002
    """(std, mean) over ``dim``: √var (same ``correction``) and the mean."""
    return _moments("std_mean", input, dim, unbiased, keepdim, correction, True)


# the functions whose first argument torch also takes as a Python number (torch.add(1, t), torch.pow(2, t))
_NUMBER_FIRST = frozenset("add sub subtract mul multiply div divide true_divide remainder pow".split())


def _not_a_tensor(name: str, value):
    """``torch.exp([1, 2])``: torch's parser takes no list (nor an array, None...) where it wants a Tensor."""
    if name in _NUMBER_FIRST and type(value) in (builtins.int, builtins.float, builtins.bool):
        return tensor(value)
    kind = "numpy.ndarray" if isinstance(value, np.ndarray) else type(value).__name__
    raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {kind}")


def _method(name: str):
    """``glasstorch.name(t, *args)`` calling ``t.name(*args)``: the functional spelling torch also offers."""

    def function(input, *args, **kwargs):  # noqa: A002
        if not isinstance(input, TensorBase):  # (inline, not a helper call: torch.relu(x) is on every forward)
            input = _not_a_tensor(name, input)  # noqa: A001
        if kwargs and "out" in kwargs:
            out = kwargs.pop("out")
            result = getattr(input, name)(*args, **kwargs)
            return result if out is None else write_out(name, out, result, (input, *args))
        return getattr(input, name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``glasstorch.{name}(input, ...)`` is ``input.{name}(...)``; see Tensor.{name}."
    return function


METHOD_FUNCTIONS = (
    "add sub subtract mul multiply div divide true_divide remainder fmod pow neg negative abs absolute exp log log1p "
    "log2 log10 sqrt rsqrt square sin cos tanh sigmoid relu reciprocal sign floor ceil round trunc clamp clip lerp "
    "sum mean nansum prod var std amax amin argmax argmin logsumexp softmax log_softmax cumsum sort argsort topk "
    "unique reshape flatten unflatten squeeze unsqueeze transpose swapaxes swapdims t permute split chunk unbind "
    "clone flip gather scatter index_select index_put masked_fill masked_select nonzero argwhere matmul mm dot outer isnan isinf isfinite isclose "
    "allclose any all eq ne lt le gt ge greater less greater_equal less_equal not_equal logical_and logical_or "
    "logical_xor logical_not numel is_floating_point detach norm nan_to_num "
    "clamp_min clamp_max tril triu diag diagonal trace cumprod roll tile narrow count_nonzero erf atan2 hypot logit "
    "frac median bmm addmm mv inner kron dist cross nanmean kthvalue take "
    "abs_ clamp_ clip_ detach_ exp_ fill_ log_ neg_ relu_ sigmoid_ sqrt_ tanh_ zero_"
).split()

for _name in METHOD_FUNCTIONS:
    globals()[_name] = _method(_name)
del _name


def _broadcast(shapes, mismatch) -> list:
    """torch's broadcasting rule (align on the right, 1 stretches); ``mismatch(index, shape, position, size,
    result)`` words the RuntimeError for two sizes that cannot meet."""
    result: list = []
    for index, shape in enumerate(shapes):
        for position in range(1, len(shape) + 1):
            size = shape[-position]
            if position > len(result):
                result.insert(0, size)
            elif result[-position] == 1:
                result[-position] = size
            elif size not in (1, result[-position]):
                raise RuntimeError(mismatch(index, shape, position, size, result))
    return result


def broadcast_shapes(*shapes) -> Size:
    """The shape the given shapes broadcast to (torch's rule: align on the right, 1 stretches)."""
    shapes = ((shape,) if isinstance(shape, builtins.int) else tuple(shape) for shape in shapes)
    return Size(_broadcast(shapes, lambda index, shape, position, size, result: (
        f"Attempting to broadcast a dimension of length {size} at {-position}! Mismatching argument at index {index} "
        f"had {shape}; but expected shape should be broadcastable to {result}")))


def broadcast_tensors(*tensors) -> tuple:
    """The tensors expanded to their common broadcast shape (views: gradients sum back over the stretched dims)."""
    shape = _broadcast([tensor.shape for tensor in tensors], lambda index, shape, position, size, result: (
        f"The size of tensor a ({result[-position]}) must match the size of tensor b ({size}) at non-singleton "
        f"dimension {len(result) - position}"))
    return tuple(t.expand(*shape) for t in tensors)


def _einsum_terms(equation: str, operands: list) -> tuple:
    """The subscripts of each operand and of the output as lists of labels, an ellipsis expanded to labels of its
    own (aligned to the right, so that ellipsis dimensions broadcast)."""
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    ellipsis_dims = 0
    for i, (term, operand) in enumerate(zip(terms, operands)):
        named = len(term.replace("...", ""))
        if "..." in term:
            ellipsis_dims = builtins.max(ellipsis_dims, operand.dim() - named)
        elif named != operand.dim():
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) does not match the number "
                               f"of dimensions ({operand.dim()}) for operand {i} and no ellipsis was given")
    ellipsis = [chr(0x100 + i) for i in range(ellipsis_dims)]  # labels no equation can spell

    def expand(term: str, ndim: int | None) -> list:
        head, dots, tail = term.partition("...")
        if not dots:
            return list(term)
        count = ellipsis_dims if ndim is None else ndim - len(head) - len(tail)
        return list(head) + ellipsis[ellipsis_dims - count:] + list(tail)

    labels = [expand(term, operand.dim()) for term, operand in zip(terms, operands)]
    if arrow:
        out = expand(output, None)
        seen = {label for term in labels for label in term}
        for label in out:
            if out.count(label) > 1:
                raise RuntimeError(f"einsum(): output subscript {label} appears more than once in the output")
            if label not in seen:
                raise RuntimeError(f"einsum(): output subscript {label} does not appear in the equation for any input "
                                   "operand")
    else:  # implicit output: the ellipsis, then the labels used once, in alphabetical order
        counts = {}
        for term in labels:
            for label in term:
                counts[label] = counts.get(label, 0) + 1
        out = ellipsis + sorted(label for label, n in counts.items() if n == 1 and label not in ellipsis)
    return labels, out


def einsum(equation: str, *operands) -> Tensor:
    """Einstein summation: ``einsum("ij,jk->ik", a, b)`` multiplies the operands along matching subscripts and sums
    over the subscripts missing from the output (implicit output: the subscripts used once, sorted). Supports
    repeated subscripts (diagonals), ``...`` and broadcasting of size-1 dimensions. Composed of diagonal, permute,
    multiplication and sum, so the gradient is theirs (the graph's node names differ from torch's kernels)."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = operands[0]
    operands = [_as_tensor(t) for t in operands]
    for t in operands[1:]:
        if t._data.dtype != operands[0]._data.dtype:
            raise RuntimeError(f"expected scalar type {_dtype.LEGACY_NAMES[operands[0].dtype.name]} but found "
                               f"{_dtype.LEGACY_NAMES[t.dtype.name]}")
    labels, out = _einsum_terms(equation, operands)
    sizes: dict = {}
    prepared = []
    for i, (t, term) in enumerate(zip(operands, labels)):
        term = list(term)
        for label in list(dict.fromkeys(term)):  # a repeated subscript takes the diagonal
            while term.count(label) > 1:
                first = term.index(label)
                second = term.index(label, first + 1)
                t = t.diagonal(0, first, second)
                term = [x for j, x in enumerate(term) if j not in (first, second)] + [label]
        for label, n in zip(term, t.shape):
            seen = sizes.get(label, 1)
            if n != 1 and seen != 1 and n != seen:
                raise RuntimeError(f"einsum(): subscript {label} has size {n} for operand {i} which does not "
                                   f"broadcast with previously seen size {seen}")
            sizes[label] = n if seen == 1 else seen  # (a size-1 axis broadcasts, to 0 as well)
        prepared.append((t, term))
    order = list(out) + [label for label in sizes if label not in out]  # output labels first, then summed ones
    result = None
    for t, term in prepared:  # each operand laid out along `order` (size 1 where it lacks a label), then multiplied
        t = t.permute([term.index(label) for label in order if label in term])
        shape = [t.shape[[x for x in order if x in term].index(label)] if label in term else 1 for label in order]
        t = t.reshape(shape)
        result = t if result is None else result * t
    if len(order) > len(out):
        result = result.sum(tuple(range(len(out), len(order))))
    if result.shape != tuple(sizes[label] for label in out):  # an output label of size 1 in every operand
        result = result.expand(tuple(sizes[label] for label in out))
    return result if result.dtype == operands[0].dtype else result.to(operands[0].dtype)
