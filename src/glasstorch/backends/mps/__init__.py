"""``glasstorch.backends.mps``: Apple's GPU backend, absent (is_available() and is_built() False, as on Linux)."""
from __future__ import annotations


def is_available() -> bool:
    return False


def is_built() -> bool:
    return False
