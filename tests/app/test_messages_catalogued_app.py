"""Every message the trainer's files below give a person goes through the catalogue (glasstorch.i18n): a raise of
an ...Error, a say/print/warn whose argument is an English literal (a string or an f-string with words in it) fails.
Messages built elsewhere reach these calls through t(...), which this test does not look into. The files that read
input (CSV, model file, schema) have the stricter check of test_messages_catalogued.py, which also flags English
fragments outside message calls; the files here hold machine-read text (metrics.json words, generated model.py,
--help examples) that such a check would flag."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "glasstorch"
CATALOGUED_FILES = [f"app/{name}.py" for name in (
    "rundir", "split", "estimator", "predictions", "preprocess", "recipes", "notices", "encoding", "use", "config",
    "train", "cli", "__init__", "plots", "progress", "metrics", "phrases", "engine", "export", "onnx_graph")] + ["companion/cli.py",
                                                                               "companion/explain.py"]
# (file, the literal text) → why it stays as it is
ALLOWED = {
    ("app/cli.py", "glasstorch {}"): "--version prints the program's name and version, as every tool does",
    ("app/__init__.py", "module {} has no attribute {}"): "Python's own wording for a missing module attribute",
    ("app/use.py", "{}  prediction"): "predict's table header: the column names of --json and --output, unchanged",
}
MESSAGE_CALL = re.compile(r"(Error|Exception|Warning)$|^(say|print|warn|note)$")
WORD = re.compile(r"[A-Za-z]{2,}")


def _called(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def _literal(node: ast.AST):
    """The text of a string or f-string argument ({} for each field), None for anything else; a + of strings
    counts as its literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [_literal(node.left), _literal(node.right)]
        found = [p for p in parts if p is not None]
        return "".join(found) if found else None
    return None


def english_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each message call whose argument is a literal holding words."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and MESSAGE_CALL.search(_called(node)):
            for argument in [*node.args, *(k.value for k in node.keywords if k.arg is None)]:
                text = _literal(argument)
                if text is not None and WORD.search(text):
                    found.append((node.lineno, text))
    return found


@pytest.mark.parametrize("name", CATALOGUED_FILES)
def test_no_english_literal_in_a_message(name):
    left = [(line, text) for line, text in english_literals((SRC / name).read_text(encoding="utf-8"))
            if (name, text) not in ALLOWED]
    assert not left, f"{name}: messages to move into the catalogue (i18n/locales/_app_*.py): {left}"


def test_the_allow_list_is_still_needed():
    found = {(name, text) for name in CATALOGUED_FILES
             for _, text in english_literals((SRC / name).read_text(encoding="utf-8"))}
    assert set(ALLOWED) <= found


def test_the_check_finds_english_literals_and_passes_catalogued_ones():
    source = ('raise ValueError(f"bad value {x}")\nsay("hello world", quiet)\nprint("a " + t("k"))\n'
              'warnings.warn(f"{n} rows")\nraise InputError(t("app.err.empty", path=p))\nsay(f"{a:<10} {b:.4f}")\n'
              'print(t("app.note", n=3), file=sys.stderr)\n')
    assert [line for line, _ in english_literals(source)] == [1, 2, 4]
