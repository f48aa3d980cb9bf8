"""``Dropout``: the course's random deactivation regulariser."""
from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """In training, each element is zeroed with probability ``p`` (0.5) and the survivors are scaled by 1/(1 − p),
    so the expected activation is unchanged; in eval mode it is the identity. p outside [0, 1] is a ValueError.
    The course's Dropout(p=0.4) turns 1.8033 into 1.8033/0.6 = 3.0055 (or 0)."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
