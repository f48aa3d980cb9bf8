"""Every sentence glasstorch says to a person, in the reader's language: one message catalogue per language.

    from glasstorch.i18n import t
    print(t("tour.heading", number=2, title=...))     # "第 2 章 激活函数" or "Chapter 2. Activation functions"

A catalogue is a module ``glasstorch/i18n/locales/<code>.py`` holding ``MESSAGES = {key: text}`` (``en`` and ``zh``
today); a new language is one new file there, no code change. Texts are ``str.format`` templates whose ``{fields}``
are the same in every language. A key missing from a catalogue falls back to English.

The language, first found wins: :func:`set_language` (the commands' ``--lang``), ``$GLASSTORCH_LANG``, the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``; ``zh_CN.UTF-8`` and any ``zh*`` give Chinese), else English. What machines
read stays language-neutral: metrics.json keys, ``--json`` output, exit codes and file names never go through here.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import string
import sys

from . import locales
from .console import safe_stdio, stream_can_encode

__all__ = ["t", "t_in", "setup_cli", "language", "set_language", "languages", "catalogue", "language_from_argv",
           "safe_stdio", "console_language", "add_lang_option", "LANGUAGE_CHOICES"]

DEFAULT = "en"
_chosen: str | None = None
_catalogues: dict[str, dict[str, str]] = {}


def languages() -> tuple[str, ...]:
    """The language codes that have a catalogue (``('en', 'zh')``)."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(locales.__path__) if not m.name.startswith("_")))


LANGUAGE_CHOICES = languages()


def catalogue(code: str) -> dict[str, str]:
    """The messages of language ``code`` (loaded once)."""
    if code not in _catalogues:
        _catalogues[code] = importlib.import_module(f"{locales.__name__}.{code}").MESSAGES
    return _catalogues[code]


def normalise(code: str | None) -> str | None:
    """``zh_CN.UTF-8`` → ``zh``, ``en-US`` → ``en``, ``C``/``POSIX``/unknown → None."""
    if not code:
        return None
    base = code.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGE_CHOICES else None


def _from_locale() -> str | None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:  # the first one set decides, as the C library does
            return normalise(value)
    return None


def language() -> str:
    """The language in use: set_language(), else $GLASSTORCH_LANG, else the locale, else English."""
    if _chosen:
        return _chosen
    return normalise(os.environ.get("GLASSTORCH_LANG")) or _from_locale() or DEFAULT


def set_language(code: str | None) -> None:
    """Use ``code`` (``'zh'``, ``'en'``, ``'zh_CN'``...) from now on; None goes back to the environment's choice."""
    global _chosen
    if code is None:
        _chosen = None
        return
    found = normalise(code)
    if found is None:
        raise ValueError(f"unknown language {code!r}; glasstorch speaks {', '.join(LANGUAGE_CHOICES)}")
    _chosen = found


def console_language(stream=None) -> str:
    """The language for text written to ``stream`` (stdout): the chosen one, except that a language picked up from
    the locale alone falls back to English when the stream's encoding cannot write it (``LANG=zh_CN`` with an
    ASCII terminal). A language asked for explicitly (--lang, $GLASSTORCH_LANG) is kept; what cannot be encoded is
    then replaced (see :mod:`glasstorch.i18n.console`)."""
    code = language()
    explicit = _chosen or normalise(os.environ.get("GLASSTORCH_LANG"))
    if code == DEFAULT or explicit:
        return code
    probe = catalogue(code).get("language.probe", "")
    return code if stream_can_encode(stream or sys.stdout, probe) else DEFAULT


def t(key: str, **fields) -> str:
    """The message ``key`` in the current language, formatted with ``fields`` (English when the key is missing)."""
    return t_in(language(), key, **fields)


def t_in(code: str, key: str, **fields) -> str:
    """The message ``key`` in language ``code``."""
    text = catalogue(code).get(key)
    if text is None:
        text = catalogue(DEFAULT)[key]
    return text.format(**fields) if fields else text


def setup_cli(argv: list[str] | None) -> None:
    """What a command does first: the language from ``--lang`` (else the environment, falling back to English when
    the locale alone asks for a language the console cannot write), and stdout/stderr that never raise
    UnicodeEncodeError. Called by ``glasstorch``'s entry point and by ``python -m glasstorch.companion``."""
    set_language(None)
    code = language_from_argv(sys.argv[1:] if argv is None else argv)
    if code and normalise(code):
        set_language(code)
    elif console_language() != language():
        set_language(console_language())
    safe_stdio()


def fields_of(text: str) -> set[str]:
    """The ``{field}`` names of a template (for the catalogue test)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def language_from_argv(argv: list[str]) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` among a command line's own options (not a script's arguments after
    ``glasstorch run SCRIPT``), or None."""
    found = None
    tokens = list(argv)
    i, command = 0, None
    while i < len(tokens):
        token = tokens[i]
        if token == "--":
            break
        if token == "--lang" and i + 1 < len(tokens):
            found = tokens[i + 1]
            i += 2
            continue
        if command == "run" and token == "--figures":
            i += 2
            continue
        if token.startswith("--lang="):
            found = token.split("=", 1)[1]
        elif not token.startswith("-"):
            if command == "run":
                break  # the script: what follows is its own
            command = command or token
        i += 1
    return found


def add_lang_option(parser) -> None:
    """Adds ``--lang`` to an argparse parser and to every subcommand it has (read early by :func:`setup_cli`)."""
    parsers = [parser]
    for action in parser._actions:  # argparse keeps the subcommands' parsers here
        if isinstance(action, argparse._SubParsersAction):
            parsers.extend(action.choices.values())
    for each in parsers:
        if not any("--lang" in action.option_strings for action in each._actions):
            each.add_argument("--lang", choices=LANGUAGE_CHOICES, default=argparse.SUPPRESS,
                              help=t("cli.lang_help"))
