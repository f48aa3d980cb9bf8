"""``glasstorch.backends.cudnn``: NVIDIA's cuDNN, absent (is_available() False, version() None); the flags scripts
set (``enabled``, ``deterministic``, ``benchmark``, ``allow_tf32``) are plain attributes with torch's defaults, which
change nothing on the CPU."""
from __future__ import annotations

enabled = True
deterministic = False
benchmark = False
allow_tf32 = True


def is_available() -> bool:
    return False


def version() -> None:
    return None
