"""``LayerNorm``: y = γ·(x − E[x])/√(Var[x] + ε) + β over the last dimensions of each sample (``normalized_shape``),
the same in training and evaluation (no running statistics, unlike BatchNorm); ``GroupNorm``, the same over groups
of channels; ``LocalResponseNorm``, AlexNet's division by the energy of neighbouring channels."""
from __future__ import annotations

from ..._creation import ones, zeros
from ..._tensor import Tensor
from .. import functional as F
from ..parameter import Parameter
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "LocalResponseNorm"]


class LayerNorm(Module):
    """Normalises each sample over its last ``len(normalized_shape)`` dimensions with their mean and biased variance,
    then scales by γ (``weight``, ones) and shifts by β (``bias``, zeros), both of shape ``normalized_shape``.
    Defaults as torch: eps=1e-5, elementwise_affine=True, bias=True."""

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
                 device=None, dtype=None) -> None:
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype))
            self.bias = Parameter(zeros(*self.normalized_shape, dtype=dtype)) if bias else None
        else:
            self.weight = self.bias = None

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class GroupNorm(Module):
    """Splits the C channels into ``num_groups`` groups and normalises each (sample, group) over its channels and
    spatial positions; then scales by γ and shifts by β, one per channel (``weight`` ones, ``bias`` zeros).
    GroupNorm(1, C) normalises whole samples (LayerNorm over (C, *) with per-channel γ, β); GroupNorm(C, C) is
    instance normalisation. Defaults as torch: eps=1e-5, affine=True, bias=True. No running statistics."""

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True, device=None,
                 dtype=None, *, bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        self.register_parameter("weight", Parameter(ones(num_channels, dtype=dtype)) if affine else None)
        self.register_parameter("bias", Parameter(zeros(num_channels, dtype=dtype)) if affine and bias else None)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class LocalResponseNorm(Module):
    """y_c = x_c / (k + α/n · Σ_{c' near c} x_{c'}²)^β over a window of n = ``size`` neighbouring channels.
    Defaults as torch: alpha=1e-4, beta=0.75, k=1.0."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
