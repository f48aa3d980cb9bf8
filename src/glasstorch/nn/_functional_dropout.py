"""Channel-wise and self-normalising dropout (re-exported by ``glasstorch.nn.functional``): ``dropout1d``,
``dropout2d``, ``dropout3d``, ``alpha_dropout`` and ``feature_alpha_dropout``.

All draw one Bernoulli(1 − p) "keep" mask from the default generator as torch does (the same numbers after the same
``manual_seed``) and
multiply by it, so the gradient is the same mask times the same scale (MulBackward0, as torch's). The *feature*
variants draw one value per (sample, channel), shape (N, C, 1, ...), so whole channels are kept or zeroed.
"""
from __future__ import annotations

import math
import warnings

from .. import _random_kernels
from .. import random as _random
from .._backend import np
from .._dtype import legacy_name
from .._tensor import Tensor
from ..autograd.tensor_base import wrap

SELU_ALPHA_SCALE = 1.7580993408473766  # −α' = SELU's λ·α: the value a SELU unit saturates to, negated


def _check_probability(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _dropout(input: Tensor, p: float, training: bool, inplace: bool, feature: int, alpha: bool) -> Tensor:  # noqa: A002
    """The shared rule; ``feature`` is the number of leading axes the mask varies along (2: one draw per (sample,
    channel); 0: one per element).  Plain:  Plain:  y = x·m/(1 − p), m ~ Bernoulli(1 − p).
    Alpha (keeps a SELU network's mean 0 and variance 1): dropped values become α' = −1.7581 instead of 0, then an
    affine map a·(·) + b restores the statistics:  y = a·(x·m + α'·(1 − m)) + b,
        a = 1/√((α'²·p + 1)(1 − p)),  b = −a·α'·p,  so ∂y/∂x = a·m."""
    if not training or p == 0 or input.numel() == 0:
        return input
    x = input._data
    if p == 1:  # everything dropped: y = x·0 (still a MulBackward0 node)
        zero = wrap(np.zeros((), dtype=x.dtype))
        return input.mul_(zero) if inplace else input * zero
    if feature and x.ndim < feature:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if x.dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type {legacy_name(x)}")
    shape = x.shape[:feature] + (1,) * (x.ndim - feature) if feature else x.shape
    # Dropout.cpp _dropout_impl: noise.bernoulli_(1 - p) (a double uniform per element, u < 1 - p), then / (1 - p)
    keep = _random_kernels.bernoulli_scalar(_random.default_generator, shape, 1.0 - p).astype(x.dtype)
    if not alpha:
        mask = wrap(keep / x.dtype.type(1.0 - p))
        return input.mul_(mask) if inplace else input * mask
    a = 1.0 / math.sqrt((SELU_ALPHA_SCALE ** 2 * p + 1) * (1 - p))
    shift = wrap((keep - 1) * np.asarray(SELU_ALPHA_SCALE * a, dtype=x.dtype)
                 + np.asarray(SELU_ALPHA_SCALE * a * p, dtype=x.dtype))
    mask = wrap(keep * np.asarray(a, dtype=x.dtype))
    return input.mul_(mask).add_(shift) if inplace else input * mask + shift


def _unbatched(input: Tensor, p: float, training: bool, inplace: bool) -> Tensor:  # noqa: A002
    """Channel-wise dropout of one sample (C, *): as a batch of one, then the batch axis removed again (torch's
    SqueezeBackward1 node); in place, one draw per channel (axis 0) multiplies the input itself."""
    if inplace:
        return _dropout(input, p, training, True, 1, False)
    return _dropout(input.unsqueeze(0), p, training, False, 2, False).squeeze(0)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002
    """Zeroes whole channels of (N, C, L) or (C, L) input with probability p, scaling the rest by 1/(1 − p)."""
    _check_probability(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    if input.dim() == 2:
        return _unbatched(input, p, training, inplace)
    return _dropout(input, p, training, inplace, 2, False)


def _deprecated_rank(name: str, ndim: int, spatial: int) -> None:
    warnings.warn(f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will result in an error in a "
                  f"future release. To retain the behavior and silence this warning, please use dropout instead. Note "
                  f"that {name} exists to provide channel-wise dropout on inputs with {spatial} spatial dimensions, a "
                  f"channel dimension, and an optional batch dimension (i.e. {spatial + 1}D or {spatial + 2}D "
                  "inputs).", stacklevel=3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002
    """Zeroes whole channels of (N, C, H, W) input with probability p, scaling the rest by 1/(1 − p).
    As torch, 3-D input is read as (N, C, L) (channel-wise 1-d dropout), with a warning."""
    _check_probability(p)
    if input.dim() not in (3, 4):
        _deprecated_rank("dropout2d", input.dim(), 2)
    if input.dim() == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
                      "will change in a future release to interpret the input as one without a batch dimension, i.e. "
                      "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
                      "dropout1d instead.", stacklevel=2)
    return _dropout(input, p, training, inplace, 2, False)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002
    """Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p, scaling the rest by
    1/(1 − p)."""
    _check_probability(p)
    if input.dim() not in (4, 5):
        _deprecated_rank("dropout3d", input.dim(), 3)
    if input.dim() == 4:
        return _unbatched(input, p, training, inplace)
    return _dropout(input, p, training, inplace, 2, False)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:  # noqa: A002
    """Dropout for self-normalising (SELU) networks: keeps mean 0 and variance 1 (see ``_dropout``).
    torch's default here is training=False."""
    _check_probability(p)
    return _dropout(input, p, training, inplace, 0, True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,  # noqa: A002
                          inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels (one draw per (sample, channel))."""
    _check_probability(p)
    return _dropout(input, p, training, inplace, 2, True)
