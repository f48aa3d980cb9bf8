"""Every sentence the trainer says to a person goes through the message catalogue (glasstorch.i18n.t), so that it
reads in the user's language (issue 17): in the files of CATALOGUED_FILES, no exception, say/warn/note/print/fail
call is given English words as a string literal or f-string, and no other English sentence is built from string
literals there (fragments such as "a FIFO (named pipe)" joined into a message later), except the few in ALLOWED,
each with the reason a person never reads it in another language.

The check parses each file (ast): string literals inside a ``t(...)``/``t_in(...)`` call are catalogue keys and are
skipped, docstrings too. Add a file to CATALOGUED_FILES once its messages are in the catalogue."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from glasstorch.i18n.locales import _app_en, _app_zh, _input_en, _input_zh

APP = Path(__file__).resolve().parents[2] / "src" / "glasstorch" / "app"
CATALOGUED_FILES = ["validate.py", "csvread.py", "data.py", "numbers.py", "schema.py", "modelfile.py", "sources.py"]

SINKS = {"say", "warn", "warning", "note", "print", "fail", "_log"}  # and any *Error, *Exception, *Warning
TRANSLATED = {"t", "t_in", "pt"}
# (file, how the literal starts): why it stays as it is
ALLOWED = {
    ("modelfile.py", " feature names for a model of "): "programming error: save_model's caller passed the wrong names",
    ("modelfile.py", "the encoding's columns do not match feature_names"):
        "invariant: schema.check_document has refused such a file before encoder_of is called",
    ("sources.py", "synthetic phone prices (n="): "machine-read: the data's description in model files and "
                                                   "metrics.json, language-neutral",
    ("validate.py", "CSV file"): "the callers' names for kinds of file, mapped to catalogue keys by _what",
    ("validate.py", "model file"): "the callers' names for kinds of file, mapped to catalogue keys by _what",
    ("validate.py", "input file"): "the callers' names for kinds of file, mapped to catalogue keys by _what",
    ("csvread.py", "CSV file"): "the name of the kind of file validate.check_regular_file maps to a catalogue key",
    ("modelfile.py", "model file"): "the name of the kind of file validate.read_regular_file maps to a catalogue key",
}
FLAG_OR_FIELD = re.compile(r"--?[A-Za-z][\w-]*|\{[^}]*\}|%\(\w+\)\w")
WORD = re.compile(r"\b[a-z]{3,}\b", re.IGNORECASE)
PROSE = re.compile(r"\b[A-Za-z]{2,}\b[ ,;:()'-]+\b[A-Za-z]{2,}\b")


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _is_sink(call: ast.Call) -> bool:
    name = _name(call)
    return name in SINKS or name.endswith(("Error", "Exception", "Warning"))


def _literals(node: ast.AST):
    """The string literals (f-strings' literal parts) under ``node``, not entering t(...) calls."""
    if isinstance(node, ast.Call) and _name(node) in TRANSLATED:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
        return
    for child in ast.iter_child_nodes(node):
        yield from _literals(child)


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _allowed(name: str, text: str) -> bool:
    return any(file == name and text.startswith(start) for file, start in ALLOWED)


def english_literals(name: str) -> list[tuple[int, str]]:
    """(line, text) of each English literal of app/NAME that a person would read untranslated."""
    tree = ast.parse((APP / name).read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    in_sinks, allowed = set(), set()
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and _is_sink(call):
            nodes = {id(node): node for arg in [*call.args, *(k.value for k in call.keywords)]
                     for node in _literals(arg)}
            in_sinks |= set(nodes)
            if any(_allowed(name, node.value) for node in nodes.values()):
                allowed |= set(nodes)  # an allowed message: all of its parts
    found = []
    for node in _literals(tree):
        if id(node) in skip | allowed or _allowed(name, node.value):
            continue
        words = FLAG_OR_FIELD.sub(" ", node.value)
        if (WORD.search(words) if id(node) in in_sinks else PROSE.search(words)):
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("name", CATALOGUED_FILES)
def test_messages_go_through_the_catalogue(name):
    assert not english_literals(name), f"app/{name}: English text outside t(...): {english_literals(name)}"


def test_the_check_finds_english_literals(tmp_path, monkeypatch):
    """The check itself: an f-string in a raise, a fragment joined into a message and a say() are found; keys,
    fields, flags and docstrings are not."""
    (tmp_path / "sample.py").write_text(
        '"""A docstring with words."""\n'
        'def f(path, kind):\n'
        '    """Words again."""\n'
        '    raise InputError(t("csv.unreadable", source=path, error="x"))\n'
        'def g(path):\n'
        '    raise InputError(f"{path} is empty")\n'
        'def h(flag):\n'
        '    kind = "a character device" if flag else "x"\n'
        '    say(f"{kind}: --hidden {flag}")\n'
        '    say("done")\n'
        '    raise SchemaError(f"{flag}[{kind}]: " + t("schema.missing", where=flag))\n', encoding="utf-8")
    monkeypatch.setitem(globals(), "APP", tmp_path)
    assert [line for line, _ in english_literals("sample.py")] == [6, 8, 10]


def test_every_allowed_literal_is_still_there():
    """An entry of ALLOWED whose literal is gone (translated since) is removed from the list."""
    for file, start in ALLOWED:
        tree = ast.parse((APP / file).read_text(encoding="utf-8"))
        assert any(node.value.startswith(start) for node in _literals(tree)), (file, start)


def test_the_input_messages_have_keys_of_their_own():
    """The input messages' module shares no key with the CLI's (a key in both would silently win over the other)."""
    assert set(_input_en.INPUT) == set(_input_zh.INPUT)
    assert not set(_input_en.INPUT) & set(_app_en.APP) and not set(_input_zh.INPUT) & set(_app_zh.APP)
