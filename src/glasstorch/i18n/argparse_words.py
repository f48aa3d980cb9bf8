"""argparse's own words ("usage:", "options", "show this help message and exit", "the following arguments are
required: ...") in the reader's language.

argparse looks its words up with ``gettext`` in the default domain, which no ``.mo`` file of ours can reach without
changing the whole process's domain; instead, while :func:`argparse_in_language` is active, the module-level ``_`` and
``ngettext`` names argparse calls are replaced by a lookup of the same English msgid in our catalogue (``argparse.*``
keys). Unknown msgids, and English, pass through unchanged, so English output is byte-identical.
"""
from __future__ import annotations

import argparse
import contextlib
from typing import Iterator

MSGIDS = {
    "usage: ": "argparse.usage",
    "options": "argparse.options",
    "positional arguments": "argparse.positional",
    "show this help message and exit": "argparse.help",
    "the following arguments are required: %s": "argparse.required",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not_allowed",
    "one of the arguments %s is required": "argparse.one_required",
    "ignored explicit argument %r": "argparse.ignored",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse.unknown_parser",
    "expected %s argument": "argparse.expected_n",
    "expected %s arguments": "argparse.expected_n_plural",
}


def translate(message: str) -> str:
    """argparse's English ``message`` in the current language (itself when unknown or English)."""
    from . import t  # late: glasstorch.i18n imports this module

    key = MSGIDS.get(message)
    return t(key) if key else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


@contextlib.contextmanager
def argparse_in_language() -> Iterator[None]:
    """Within the block, parsers built, parsing and printing help speak the current language."""
    saved = argparse.__dict__.get("_"), argparse.__dict__.get("ngettext")
    argparse._ = translate
    argparse.ngettext = _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
