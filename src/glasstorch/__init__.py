"""glasstorch: a see-through deep-learning library with PyTorch's API and numerics, written on NumPy.

``import glasstorch as torch`` and the course's code runs: tensors with autograd, nn, optim and utils.data.
"""
from __future__ import annotations

import dataclasses
import math

from . import _tensor_str, autograd
from ._creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like, linspace,
                        logspace, ones, ones_like, tensor, zeros, zeros_like)
from ._creation_random import (bernoulli, multinomial, normal, rand, rand_like, randint, randint_like, randn,
                               randn_like, randperm)
from ._creation import range  # noqa: A004 - torch.range (deprecated: it warns), as torch
from ._dtype import (bfloat16, bool, double, dtype, float, float16, float32, float64, get_default_dtype, half, int, int8, int16,
                     int32, int64, long, set_default_dtype, short, uint8)
from . import _functional
from ._functional import cat, concat, concatenate, equal, hstack, max, maximum, min, minimum, stack, vstack, where
from ._functional import broadcast_shapes, broadcast_tensors, einsum, repeat_interleave, std_mean, tensordot, var_mean
from ._device import device, get_default_device, set_default_device
from ._legacy import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor, IntTensor, LongTensor,
                      ShortTensor, set_default_tensor_type)
from . import accelerator, amp, backends, cuda, distributed
from .amp import autocast
from ._tensor import Size, Tensor
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.grad_mode import inference_mode
from .random import Generator, default_generator, initial_seed, manual_seed, seed, get_rng_state, set_rng_state
from .serialization import load, save
from . import linalg
from . import nn  # noqa: E402 - torch.nn.Linear as an attribute path, as torch
from .nn.functional import (celu, celu_, prelu, rrelu, selu, selu_, threshold,  # noqa: E402 - torch.prelu...
                            threshold_)
from .nn.functional import cosine_similarity, pairwise_distance  # noqa: E402 - torch.cosine_similarity...
from .nn._functional_loss_more import kl_div_enum as kl_div  # noqa: E402 - torch.kl_div: integer reduction
from . import utils  # noqa: E402 - torch.utils.data.DataLoader as an attribute path, as torch
from . import optim  # noqa: E402 - torch.optim.SGD as an attribute path, as torch
from .summary import summary  # noqa: E402 - imports glasstorch.nn, which needs the core above

__version__ = "0.1.0"

# glasstorch.exp(t), glasstorch.sum(t, dim)...: the functional spelling of every tensor method torch also offers
globals().update({name: getattr(_functional, name) for name in _functional.METHOD_FUNCTIONS})


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:  # noqa: A002
    return input.numel()


_PRINT_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(precision: int | None = None, threshold: float | None = None, edgeitems: int | None = None,
                     linewidth: int | None = None, profile: str | None = None, sci_mode: bool | None = None) -> None:
    """How tensors print, as torch's: a ``profile`` ("default", "short", "full") first, then the options given;
    ``sci_mode`` is always set (None: chosen per tensor)."""
    options = _tensor_str.PRINT_OPTS
    if profile in _PRINT_PROFILES:
        options.precision, options.threshold, options.edgeitems, options.linewidth = _PRINT_PROFILES[profile]
    for name, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                        ("linewidth", linewidth)):
        if value is not None:
            setattr(options, name, value)
    options.sci_mode = sci_mode


def get_printoptions() -> dict:
    return dataclasses.asdict(_tensor_str.PRINT_OPTS)


def heaviside(input: Tensor, values: Tensor) -> Tensor:  # noqa: A002
    """The binary step: 0 for x < 0, 1 for x > 0, ``values`` at x = 0 (no gradient, as torch)."""
    if not isinstance(values, Tensor):
        raise TypeError(f"heaviside(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    if values.dtype != input.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    return where(input == 0, values.to(input.dtype), (input > 0).to(input.dtype)).detach()
