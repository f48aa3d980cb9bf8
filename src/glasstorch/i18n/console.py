"""Writing to a console whose encoding cannot carry every character (GBK, ASCII, ``LANG=C``) without crashing.

Python's stdout raises ``UnicodeEncodeError`` on the first character its encoding lacks (``½`` under GBK, ``中``
under ASCII). :func:`safe_stdio` reconfigures stdout and stderr once, keeping their encoding, with the error handler
``glasstorch.fallback``: the course's symbols become readable ASCII (``w²`` → ``w^2``, ``∂E/∂w5`` → ``dE/dw5``,
``→`` → ``->``, ``½`` → ``1/2``), anything else becomes ``\\uXXXX``. A UTF-8 console is left exactly as it is.
"""
from __future__ import annotations

import codecs
import sys

__all__ = ["safe_stdio", "stream_can_encode", "FALLBACKS", "ERRORS"]

ERRORS = "glasstorch.fallback"

FALLBACKS = {
    "²": "^2", "³": "^3", "⁴": "^4", "⁺": "+", "⁻": "-", "¹": "^1", "½": "1/2", "∂": "d", "→": "->", "←": "<-",
    "×": "x", "·": "*", "√": "sqrt", "Σ": "sum", "∑": "sum", "≈": "~", "≤": "<=", "≥": ">=", "±": "+/-", "−": "-",
    "…": "...", "–": "-", "—": "-", "‖": "||", "ε": "eps", "η": "eta", "β": "beta", "α": "alpha", "λ": "lambda",
    "γ": "gamma", "σ": "sigma", "ρ": "rho", "∈": " in ", "∞": "inf", "⊙": "*", "“": '"', "”": '"', "‘": "'",
    "’": "'", "，": ", ", "。": ". ", "：": ": ", "（": " (", "）": ") ", "；": "; ", "、": ", ", "═": "=", "─": "-",
    "│": "|", "┃": "|", "━": "-", "█": "#", "▏": "|", "▎": "|", "▍": "|", "▌": "|", "▋": "|", "▊": "|", "▉": "|",
    "✓": "ok", "✗": "x",
}


def _fallback(error: UnicodeError):
    """The codecs error handler: the course's symbols spelled in ASCII, anything else as a backslash escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    parts = []
    for char in error.object[error.start:error.end]:
        replacement = FALLBACKS.get(char)
        if replacement is None:
            code = ord(char)
            replacement = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
        parts.append(replacement)
    return "".join(parts), error.end


codecs.register_error(ERRORS, _fallback)


def stream_can_encode(stream, text: str) -> bool:
    """Whether ``stream``'s encoding can write ``text`` (True for streams without an encoding, such as StringIO)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def safe_stdio() -> None:
    """Makes sys.stdout and sys.stderr replace what their encoding cannot write instead of raising (idempotent;
    streams that cannot be reconfigured, such as a test's StringIO, are left alone)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if reconfigure is None or encoding in ("utf-8", "utf8", "utf-16", "utf-32", "gb18030"):
            continue  # these encode every character
        try:
            reconfigure(errors=ERRORS)
        except (ValueError, OSError):  # a closed or detached stream
            pass
