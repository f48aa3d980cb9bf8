"""``InstanceNorm1d`` / ``InstanceNorm2d`` / ``InstanceNorm3d``: each (sample, channel) normalised over its own spatial
positions, y = γ·(x − E[x])/√(Var[x] + ε) + β (style transfer's normalisation)."""
from __future__ import annotations

import warnings

from ..._tensor import Tensor
from .. import functional as F
from .batchnorm import _BatchNorm

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]


class _InstanceNorm(_BatchNorm):
    """BatchNorm's parameters and buffers, with torch's other defaults: affine=False, track_running_stats=False
    (so, by default, no parameters and no buffers, and the same computation in training and evaluation).

    With track_running_stats=True, training updates ``running_mean``/``running_var`` (momentum 0.1, the mean over
    the batch of each sample's statistics) and evaluation normalises with them; ``num_batches_tracked`` stays 0,
    as in torch. Unbatched input (no N axis) is normalised as a batch of one."""

    _no_batch_dims = 0  # the rank of an unbatched input

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device=None, dtype=None, *, bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def _check_input_dim(self, input: Tensor) -> None:  # noqa: A002
        if input.dim() not in (self._no_batch_dims, self._no_batch_dims + 1):
            raise ValueError(f"expected {self._no_batch_dims}D or {self._no_batch_dims + 1}D input "
                             f"(got {input.dim()}D input)")

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        self._check_input_dim(input)
        feature_dim = input.dim() - self._no_batch_dims
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(f"expected input's size at dim={feature_dim} to match num_features "
                                 f"({self.num_features}), but got: {input.shape[feature_dim]}.")
            warnings.warn(f"input's size at dim={feature_dim} does not match num_features. You can silence this "
                          "warning by not passing in num_features, which is not used because affine=False",
                          stacklevel=2)
        unbatched = input.dim() == self._no_batch_dims
        x = input.unsqueeze(0) if unbatched else input
        out = F.instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                              self.training or not self.track_running_stats,
                              self.momentum if self.momentum is not None else 0.0, self.eps)
        return out.squeeze(0) if unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of (N, C, L) or (C, L) input."""

    _no_batch_dims = 2


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of (N, C, H, W) or (C, H, W) input."""

    _no_batch_dims = 3


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of (N, C, D, H, W) or (C, D, H, W) input."""

    _no_batch_dims = 4
