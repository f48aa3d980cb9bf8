"""``F.layer_norm`` and ``F.embedding`` (re-exported by ``glasstorch.nn.functional``): torch's checks, then one fused
node each (``_functions/normalization.py``)."""
from __future__ import annotations

from .._backend import np
from .._tensor import Tensor
from ._functions import normalization as _norm


def number_argument(value, function: str, argument: str, position: int = 2) -> float:
    """A Number argument as a float; torch's TypeError for a str, None... (float() alone says ValueError for 'x')."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{function}(): argument '{argument}' (position {position}) must be Number, not "
                        f"{type(value).__name__}") from None


def require_tensor(x, function: str, name: str = "input", position: int = 1) -> None:
    """torch's TypeError for a non-tensor argument (called once an operation has failed, never before)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{function}(): argument '{name}' (position {position}) must be Tensor, not "
                        f"{type(x).__name__}") from None


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,  # noqa: A002
               eps: float = 1e-5) -> Tensor:
    """y = γ·(x − μ)/√(σ² + ε) + β, with μ and the biased σ² over the last ``len(normalized_shape)`` dimensions of x
    (which must equal ``normalized_shape``); γ = ``weight`` and β = ``bias`` have that shape (None: 1 and 0)."""
    if not isinstance(normalized_shape, (tuple, list)):  # torch's parser wants a sequence (nn.LayerNorm takes an int)
        raise TypeError(f"layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not "
                        f"{type(normalized_shape).__name__}")
    shape = tuple(normalized_shape)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    x = input._data
    if x.ndim < len(shape) or x.shape[x.ndim - len(shape):] != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size{list(x.shape)}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and p._data.shape != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{list(p._data.shape)} and normalized_shape = {list(shape)}")
    if any(p is not None and p._data.dtype != x.dtype for p in (weight, bias)):
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    return _norm.NativeLayerNorm.apply(input, weight, bias, len(shape), float(eps))


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,  # noqa: A002
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of ``weight`` that the integer ids in ``input`` name: out[..., :] = weight[input[...], :]
    (the ``padding_idx`` row gets no gradient)."""
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("glasstorch: embedding's max_norm, scale_grad_by_freq and sparse are not supported")
    ids = input._data
    if ids.dtype not in (np.int64, np.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
                           f"Int; but got {input.type()} instead (while checking arguments for embedding)")
    if weight._data.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    rows = weight.shape[0]
    if ids.size and (ids.min() < 0 or ids.max() >= rows):
        raise IndexError("index out of range in self")
    if padding_idx is not None:
        if not -rows <= padding_idx < rows:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx %= rows
    return _norm.Embedding.apply(weight, ids, padding_idx)
