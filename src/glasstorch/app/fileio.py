"""The app's atomic writers (text, JSON, figures) on top of ``glasstorch._fileio.write_bytes``: a crash or Ctrl-C
mid-write leaves either the old file or the new one, never half of one.
"""
from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

from .._fileio import write_bytes


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, document: Any) -> Path:
    """Strict JSON (what every JSON reader accepts): a float that is not finite (an undefined score) is written as
    null, never as NaN or Infinity."""
    return write_text(path, json.dumps(finite_or_null(document), indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def finite_or_null(value: Any) -> Any:
    """``value`` with every NaN or infinite float (in nested dicts and lists) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_or_null(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_or_null(v) for v in value]
    return value


def write_figure(path: str | Path, figure) -> Path:
    """Renders a matplotlib Figure to PNG in memory, then writes it atomically."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return write_bytes(path, buffer.getvalue())
