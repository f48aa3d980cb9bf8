"""The app's atomic writers (text, JSON, figures) on top of ``glasstorch._fileio.write_bytes``: a crash or Ctrl-C
mid-write leaves either the old file or the new one, never half of one.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from .._fileio import write_bytes


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, document: Any) -> Path:
    return write_text(path, json.dumps(document, indent=2, ensure_ascii=False, allow_nan=True) + "\n")


def write_figure(path: str | Path, figure) -> Path:
    """Renders a matplotlib Figure to PNG in memory, then writes it atomically."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return write_bytes(path, buffer.getvalue())
