"""``glasstorch.cuda.amp``: the deprecated spellings ``torch.cuda.amp.GradScaler`` / ``autocast``, which warn as
torch's do and then act as ``glasstorch.amp``'s with device "cuda" (disabled without a GPU)."""
from __future__ import annotations

import warnings

from .. import amp as _amp

__all__ = ["GradScaler", "autocast"]


def GradScaler(init_scale: float = 2.0 ** 16, growth_factor: float = 2.0, backoff_factor: float = 0.5,  # noqa: N802
               growth_interval: int = 2000, enabled: bool = True) -> _amp.GradScaler:
    warnings.warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use `torch.amp.GradScaler('cuda', "
                  "args...)` instead.", FutureWarning, stacklevel=2)
    return _amp.GradScaler("cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled)


def autocast(enabled: bool = True, dtype=None, cache_enabled: bool = True) -> _amp.autocast:  # noqa: N802
    warnings.warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use `torch.amp.autocast('cuda', "
                  "args...)` instead.", FutureWarning, stacklevel=2)
    return _amp.autocast("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)
