"""``glasstorch.utils.hooks``: as ``torch.utils.hooks``, the home of ``RemovableHandle``."""
from __future__ import annotations

from .._hooks import RemovableHandle

__all__ = ["RemovableHandle"]
