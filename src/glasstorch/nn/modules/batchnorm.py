"""``BatchNorm1d`` / ``BatchNorm2d`` / ``BatchNorm3d``: the course's batch normalisation
f(x) = γ·(x − E[x])/√(Var[x] + ε) + β, per channel."""
from __future__ import annotations

from ..._creation import ones, tensor, zeros
from ..._tensor import Tensor
from ..._dtype import int64
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]


class _BatchNorm(Module):
    """Normalises each channel (dim 1) over the batch (and spatial) axes, then scales by γ (``weight``, ones) and
    shifts by β (``bias``, zeros).

    Training: batch mean and biased variance normalise; the buffers follow
    running ← (1 − momentum)·running + momentum·batch (momentum 0.1; ``momentum=None`` is the cumulative average
    1/num_batches_tracked), with the unbiased variance going into ``running_var``; ``num_batches_tracked`` counts
    the batches. Eval: ``running_mean``/``running_var`` normalise (the batch's own statistics when
    ``track_running_stats=False``). Defaults as torch: eps=1e-5, momentum=0.1, affine=True, track_running_stats=True.
    """

    _version = 2  # version 2 added num_batches_tracked; older state_dicts get it filled with 0 on load
    _expected_dims: tuple = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, bias: bool = True) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(ones(num_features, dtype=dtype))
            if bias:
                self.bias = Parameter(zeros(num_features, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input: Tensor) -> None:  # noqa: A002
        if input.dim() not in self._expected_dims:
            wanted = " or ".join(f"{d}D" for d in self._expected_dims)
            raise ValueError(f"expected {wanted} input (got {input.dim()}D input)")

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        self._check_input_dim(input)
        buffers, params = self._buffers, self._parameters
        running_mean, running_var = buffers["running_mean"], buffers["running_var"]
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and buffers["num_batches_tracked"] is not None:
            counter = buffers["num_batches_tracked"]
            counter.add_(1)
            if self.momentum is None:
                factor = 1.0 / float(counter)
        use_batch_stats = self.training or (running_mean is None and running_var is None)
        track = not self.training or self.track_running_stats
        return F.batch_norm(input, running_mean if track else None, running_var if track else None,
                            params["weight"], params["bias"], use_batch_stats, factor, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")

    def _load_from_state_dict(self, state_dict: dict, prefix: str, local_metadata: dict, strict: bool,
                              missing_keys: list, unexpected_keys: list, error_msgs: list) -> None:
        version = local_metadata.get("version")
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats and key not in state_dict:
            state_dict[key] = self.num_batches_tracked if self.num_batches_tracked is not None \
                else tensor(0, dtype=int64)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) input, per channel C."""

    _expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) input, per channel C (the course's ``nn.BatchNorm2d(2)``)."""

    _expected_dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of (N, C, D, H, W) input, per channel C."""

    _expected_dims = (5,)
