"""``nn.init``: fill a tensor in place (under no_grad) with the values an initialisation scheme prescribes, and
return it. The course's schemes:

- uniform U(a, b), normal N(mean, std²), constant, zeros, ones, eye;
- Xavier/Glorot (for sigmoid/tanh layers): std = gain·√(2/(fan_in + fan_out)); uniform on ±√3·std;
- Kaiming/He (for ReLU layers): std = gain/√fan (fan = fan_in by default), gain = √(2/(1 + a²)) for leaky_relu
  with slope a (torch's default nonlinearity is 'leaky_relu' with a = 0, i.e. gain √2); uniform on ±√3·std.

For a weight of shape (out, in, k...) torch counts fan_in = in·k..., fan_out = out·k....
Random draws come from glasstorch's generators (``generator=`` or the default one) with torch's recipes: after the
same ``manual_seed`` the same numbers as torch's (orthogonal_ up to its QR's last bits).
"""
from __future__ import annotations

import math
import warnings
from typing import Callable

from .. import _random_kernels
from .. import random as _random
from .._backend import np
from .._creation_checks import check_uniform_bounds
from .._tensor import Tensor
from ..autograd import no_grad
from ..autograd.tensor_base import wrap
from ._functions.special import normal_cdf

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "eye_",
           "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_",
           "uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal", "kaiming_uniform",
           "kaiming_normal", "orthogonal", "sparse"]  # (the last ten: torch's deprecated names, which warn)

_LINEAR_FAMILY = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity: 1 for linear/conv and sigmoid, 5/3 for tanh, √2 for relu,
    √(2/(1 + slope²)) for leaky_relu (slope ``param``, default 0.01), 3/4 for selu."""
    if nonlinearity in _LINEAR_FAMILY or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) = (shape[1]·receptive field, shape[0]·receptive field), receptive field = Π shape[2:]."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = 1
    for n in tensor.shape[2:]:
        receptive *= n
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Fills ``tensor`` with draws from U(a, b) (default U(0, 1))."""
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fills ``tensor`` with draws from N(mean, std²) (default N(0, 1))."""
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator=None) -> Tensor:
    """Fills ``tensor`` with N(mean, std²) draws restricted to [a, b] (absolute bounds, default ±2) by rejection, as
    torch 2.13 does. When the kept mass p = Φ(β) − Φ(α) > 0.3: normal_(mean, std) and, while any value lies outside
    [a, b], a whole fresh normal_ draw replaces those values. Otherwise: uniform candidates on [a, b], each accepted
    when log(u) <= −((x − mean)/std)²/2 − log_peak (u a fresh uniform), rejected ones drawn again."""
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may "
                      "be incorrect.", stacklevel=2)
    with no_grad():
        kept = normal_cdf((b - mean) / std) - normal_cdf((a - mean) / std)
        dtype = tensor._data.dtype
        if kept > 0.3:
            low, high = dtype.type(a), dtype.type(b)
            result = tensor.normal_(mean, std, generator=generator)._data.copy()
            while True:
                outside = (result < low) | (result > high)
                if not outside.any():
                    break
                fresh = _random_kernels.normal(_random.generator_or_default(generator), result.shape, dtype,
                                               mean, std)
                result = np.where(outside, fresh, result)
            return tensor.copy_(wrap(result))
        check_uniform_bounds(a, b)
        mode = max(a, min(mean, b))
        log_peak = -0.5 * ((mode - mean) / std) ** 2
        gen = _random.generator_or_default(generator)

        def log_density(x: np.ndarray) -> np.ndarray:
            z = (x - dtype.type(mean)) / dtype.type(std)
            return (z * z) * dtype.type(-0.5) - dtype.type(log_peak)

        def rejected(density: np.ndarray) -> np.ndarray:
            return np.log(_random_kernels.uniform(gen, density.shape, dtype)) > density

        result = _random_kernels.uniform(gen, tensor.shape, dtype, a, b)
        pending = rejected(log_density(result))
        while pending.any():
            candidates = _random_kernels.uniform(gen, tensor.shape, dtype, a, b)
            result = np.where(pending, candidates, result)
            pending = np.where(pending, rejected(log_density(candidates)), pending)
        return tensor.copy_(wrap(result))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fills ``tensor`` with ``val``."""
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` with 1."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` with 0."""
    return constant_(tensor, 0.0)


def eye_(tensor: Tensor) -> Tensor:
    """Fills a 2-D tensor with the identity matrix (ones on the diagonal), keeping the layer's inputs."""
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with no_grad():
        return tensor.copy_(wrap(np.eye(*tensor.shape, dtype=tensor._data.dtype)))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fills a 3-, 4- or 5-D (convolution) weight with the Dirac delta: the layer passes its inputs through."""
    dims = tensor.dim()
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    size = tensor.shape
    if size[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = size[0] // groups
    values = np.zeros(size, dtype=tensor._data.dtype)
    centre = tuple(n // 2 for n in size[2:])
    for g in range(groups):
        for d in range(min(out_per_group, size[1])):
            values[(g * out_per_group + d, d) + centre] = 1
    with no_grad():
        return tensor.copy_(wrap(values))


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot uniform: U(−limit, limit) with limit = gain·√(6/(fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot normal: N(0, std²) with std = gain·√(2/(fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    return calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator=None) -> Tensor:
    """He uniform: U(−bound, bound) with bound = gain·√(3/fan) (gain from ``nonlinearity`` and slope ``a``;
    ``mode`` 'fan_in' keeps the forward variance, 'fan_out' the backward one)."""
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator=None) -> Tensor:
    """He normal: N(0, std²) with std = gain/√fan."""
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def orthogonal_(tensor: Tensor, gain: float = 1, generator=None) -> Tensor:
    """A (semi-)orthogonal matrix (rows flattened from dims 1...), from the QR decomposition of a normal draw."""
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    dtype = tensor._data.dtype
    flat = _random_kernels.normal(_random.generator_or_default(generator), (rows, cols), dtype)
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)  # (LAPACK in float64 here; torch's float32 QR rounds its last bits differently)
    q = (q * np.sign(np.diag(r))).astype(dtype)
    if rows < cols:
        q = q.T
    with no_grad():
        tensor.copy_(wrap(np.ascontiguousarray(q).reshape(tensor.shape)))
        return tensor.mul_(gain)


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator=None) -> Tensor:
    """A 2-D tensor of N(0, std²) draws with ⌈sparsity · rows⌉ zeros per column, the rows chosen by one randperm per
    column (drawn from the default generator even when ``generator`` is given, as torch does)."""
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    num_zeros = math.ceil(sparsity * rows)
    with no_grad():
        tensor.normal_(0, std, generator=generator)
        for column in range(cols):
            zero_rows = _random_kernels.randperm(_random.default_generator, rows)[:num_zeros]
            tensor._data[zero_rows, column] = 0
    return tensor


def _deprecated_alias(new: Callable) -> Callable:
    """torch's old names without the underscore (``nn.init.uniform``): the same function, with a FutureWarning."""
    old_name = new.__name__[:-1]

    def deprecated_init(*args, **kwargs):
        warnings.warn(f"`nn.init.{old_name}` is now deprecated in favor of `nn.init.{new.__name__}`.", FutureWarning,
                      stacklevel=2)
        return new(*args, **kwargs)

    deprecated_init.__name__ = deprecated_init.__qualname__ = old_name
    deprecated_init.__doc__ = f"Deprecated alias of ``{new.__name__}`` (torch warns with a FutureWarning)."
    return deprecated_init


uniform = _deprecated_alias(uniform_)
normal = _deprecated_alias(normal_)
constant = _deprecated_alias(constant_)
eye = _deprecated_alias(eye_)
dirac = _deprecated_alias(dirac_)
xavier_uniform = _deprecated_alias(xavier_uniform_)
xavier_normal = _deprecated_alias(xavier_normal_)
kaiming_uniform = _deprecated_alias(kaiming_uniform_)
kaiming_normal = _deprecated_alias(kaiming_normal_)
orthogonal = _deprecated_alias(orthogonal_)
sparse = _deprecated_alias(sparse_)
