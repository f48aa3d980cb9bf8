"""``glasstorch.backends``: torch.backends as a CPU-only build answers it (mps and cuda not built, cudnn absent, its
flags settable as scripts set them for reproducibility: ``torch.backends.cudnn.deterministic = True``)."""
from __future__ import annotations

from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
