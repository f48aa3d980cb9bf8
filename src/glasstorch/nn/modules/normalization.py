"""``LayerNorm``: y = γ·(x − E[x])/√(Var[x] + ε) + β over the last dimensions of each sample (``normalized_shape``),
the same in training and evaluation (no running statistics, unlike BatchNorm)."""
from __future__ import annotations

from ..._creation import ones, zeros
from ..._tensor import Tensor
from .. import functional as F
from ..parameter import Parameter
from .module import Module

__all__ = ["LayerNorm"]


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
