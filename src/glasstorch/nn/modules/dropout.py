"""``Dropout``: the course's random deactivation regulariser; its channel-wise forms ``Dropout1d``/``2d``/``3d``
(whole feature maps dropped together), and ``AlphaDropout``/``FeatureAlphaDropout`` for self-normalising networks."""
from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]


class _DropoutNd(Module):
    """The shared constructor: p (0.5) in [0, 1] (else a ValueError naming it), and ``inplace`` (False)."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """In training, each element is zeroed with probability ``p`` (0.5) and the survivors are scaled by 1/(1 − p),
    so the expected activation is unchanged; in eval mode it is the identity. p outside [0, 1] is a ValueError.
    The course's Dropout(p=0.4) turns 1.8033 into 1.8033/0.6 = 3.0055 (or 0)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zeroes whole channels of (N, C, L) or (C, L) input with probability p (scaling the rest by 1/(1 − p)):
    neighbouring positions of a channel are correlated, so dropping single values would regularise little."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zeroes whole channels of (N, C, H, W) input with probability p (3-D input is read as (N, C, L), with
    torch's warning)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.dropout3d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout that keeps a SELU network's activations at mean 0 and variance 1: dropped values are set to SELU's
    negative saturation value, then an affine map restores the statistics (see ``F.alpha_dropout``)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.feature_alpha_dropout(input, self.p, self.training)
