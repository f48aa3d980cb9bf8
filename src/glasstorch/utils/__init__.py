"""``glasstorch.utils``: as ``torch.utils``, the home of ``utils.data`` and ``utils.hooks``."""
from __future__ import annotations

from . import data, hooks

__all__ = ["data", "hooks"]
