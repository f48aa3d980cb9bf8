"""``F.group_norm``, ``F.instance_norm`` and ``F.local_response_norm`` (re-exported by ``glasstorch.nn.functional``):
torch's checks, then one fused node (group norm) or a composition of existing operations (the other two)."""
from __future__ import annotations

import math

from .. import _dtype
from .._backend import np
from .._creation import zeros
from .._functional import cat
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ._functions.batchnorm import NativeBatchNorm
from ._functions.groupnorm import NativeGroupNorm


def _mixed_dtypes(x, *params) -> None:
    """torch's CPU rule: γ, β (and running statistics) share the input's dtype."""
    if any(p is not None and p._data.dtype != x._data.dtype for p in params):
        if x._data.dtype == np.float32:
            raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,  # noqa: A002
               eps: float = 1e-5) -> Tensor:
    """y = γ_c·(x − μ)/√(σ² + ε) + β_c, with μ and the biased σ² over each (sample, group of C/G channels and all
    spatial positions); γ = ``weight`` and β = ``bias`` have one value per channel (None: 1 and 0).
    One fused node, NativeGroupNormBackward0 (see ``_functions/groupnorm.py`` for the derivative)."""
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    shape = list(input.shape)
    n, c = shape[0], shape[1]
    sizes = [n * c // num_groups, num_groups] + shape[2:]  # torch checks this list (ZeroDivisionError for 0 groups)
    if math.prod(sizes[:1] + sizes[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {sizes}")
    if c % num_groups:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {shape} and num_groups={num_groups}")
    weight_shape = [0] if weight is None else list(weight.shape)
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and (p.dim() != 1 or p.shape[0] != c):  # (torch's bias message shows the weight's shape)
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {weight_shape} and input of shape {shape}")
    if input._data.dtype.kind != "f":
        raise _dtype.not_implemented_for("GroupNormKernelImpl", input._data)
    _mixed_dtypes(input, weight, bias)
    return NativeGroupNorm.apply(input, weight, bias, num_groups, float(eps))


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,  # noqa: A002
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalises each (sample, channel) over its spatial positions: y = γ_c·(x − μ_nc)/√(σ²_nc + ε) + β_c.

    As torch computes it: the input is viewed as one sample of N·C channels, (1, N·C, *), and batch-normalised
    (γ, β and the running statistics repeated N times); the running statistics then get the mean of their N copies.
    So the graph ends in ViewBackward0 ← NativeBatchNormBackward0 (← RepeatBackward0 for γ and β), as torch's.
    ``use_input_stats=False`` normalises with the running statistics instead."""
    shape = tuple(input.shape)
    if use_input_stats and math.prod(shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.size()}")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    n, c = shape[0], shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() * n != n * c:
            raise RuntimeError(f"{name} should contain {n * c} elements not {t.numel() * n}")
    _mixed_dtypes(input, weight, bias, running_mean, running_var)
    mean_copies = None if running_mean is None else np.tile(running_mean._data, n)
    var_copies = None if running_var is None else np.tile(running_var._data, n)
    out = NativeBatchNorm.apply(input.contiguous().view((1, n * c) + shape[2:]),
                                None if weight is None else weight.repeat(n), None if bias is None else bias.repeat(n),
                                mean_copies, var_copies, bool(use_input_stats), float(momentum), float(eps))
    with no_grad():  # each running statistic becomes the mean of its N updated copies
        if running_mean is not None:
            running_mean._data[...] = mean_copies.reshape(n, c).mean(axis=0)
        if running_var is not None:
            running_var._data[...] = var_copies.reshape(n, c).mean(axis=0)
    return out.view(shape)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,  # noqa: A002
                        k: float = 1.0) -> Tensor:
    """Divides each value by a power of the energy of its neighbouring channels (AlexNet's normalisation):

        y_c = x_c / (k + α/n · Σ_{c' = c − ⌊n/2⌋}^{c + ⌊(n−1)/2⌋} x_{c'}²)^β        (n = ``size``; channels beyond the
                                                                               edges count as zeros)
    Composed of existing operations (the graph ends in DivBackward0, as torch's)."""
    if input.dim() < 3:
        raise ValueError("Expected 3D or higher dimensionality" + " " * 26 +  # (torch's message has this gap)
                         f"input (got {input.dim()} dimensions)")
    if input.numel() == 0:
        return input
    squares = input * input
    n, channels, spatial = input.shape[0], input.shape[1], tuple(input.shape[2:])
    edge = [zeros((n, size // 2) + spatial, dtype=input.dtype), squares,
            zeros((n, (size - 1) // 2) + spatial, dtype=input.dtype)]
    padded = cat(edge, dim=1)  # zero channels beyond each edge
    energy = padded[:, 0:channels]
    for offset in range(1, size):  # Σ over the window = Σ over its offsets of a shifted slice
        energy = energy + padded[:, offset:offset + channels]
    return input / (energy / size).mul(alpha).add(k).pow(beta)
