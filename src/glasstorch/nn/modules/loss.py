"""Loss layers: each holds its options (``reduction`` and friends) and calls the ``nn.functional`` loss of the
same name, where the formulas and derivatives are documented. ``weight``/``pos_weight`` are buffers (they appear in
``state_dict()``, as in torch)."""
from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .._functional_loss import reduction_string
from .module import Module

__all__ = ["CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "L1Loss", "MSELoss", "SmoothL1Loss",
           "HuberLoss"]


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = reduction_string(size_average, reduce, reduction)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    def __init__(self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class CrossEntropyLoss(_WeightedLoss):
    """The course's multi-class loss: softmax and cross entropy on raw scores (logits) of shape (N, C).

    Targets: int64 class indices (N,) or float class probabilities / one-hot rows (N, C). Options as torch:
    weight=None (per class), ignore_index=-100, reduction='mean', label_smoothing=0.0. The course's example
    ``CrossEntropyLoss()(tensor([[0.2, 0.6, 0.2], [0.1, 0.8, 0.1]]), tensor([1, 2]))`` is 1.1305.
    """

    def __init__(self, weight: Tensor | None = None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return F.cross_entropy(input, target, weight=self._buffers["weight"], ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Negative log likelihood of log-probabilities (LogSoftmax output) and int64 class indices."""

    def __init__(self, weight: Tensor | None = None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return F.nll_loss(input, target, weight=self._buffers["weight"], ignore_index=self.ignore_index,
                          reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """The course's binary cross entropy L = −y·log ŷ − (1 − y)·log(1 − ŷ) on probabilities ŷ (after a sigmoid);
    logs clamped at −100."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return F.binary_cross_entropy(input, target, weight=self._buffers["weight"], reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Sigmoid + binary cross entropy on logits, computed stably; ``pos_weight`` weighs positive examples."""

    def __init__(self, weight: Tensor | None = None, size_average=None, reduce=None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return F.binary_cross_entropy_with_logits(input, target, self._buffers["weight"],
                                                  pos_weight=self._buffers["pos_weight"], reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error |ŷ − y| (the course's MAE)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error (ŷ − y)² (the course's MSE, L2 loss)."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return F.mse_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """0.5·d²/β for |d| < β, |d| − 0.5β otherwise (β = 1.0): the course's Smooth L1."""

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """0.5·d² for |d| < δ, δ·(|d| − 0.5δ) otherwise (δ = 1.0)."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)
