"""The learner's reading path: which glasstorch code implements each course chapter (``glasstorch tour --source``).

``COURSE_SOURCE`` (chapter number, dotted names) is the one list behind the command, docs/READING.md's figures and
tests/test_reading_path.py. Places are found at run time from the live objects and the AST, never written down.
The path's length is the sum of the lines of the named definitions (a definition inside another named one counted
once), ``end_lineno - lineno + 1`` of its ``def``/``class`` node plus its decorators.

    python -m glasstorch.companion.reading [--check]   rewrites (or checks) the figures in docs/READING*.md
"""
from __future__ import annotations

import ast
import importlib
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..i18n import t

__all__ = ["COURSE_SOURCE", "Place", "locate", "path_places", "path_lines", "package_lines", "print_source"]

PACKAGE = Path(__file__).resolve().parents[1]  # src/glasstorch
ROOT = PACKAGE.parents[1]                      # the repository (src/glasstorch/.. /..)

COURSE_SOURCE: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("glasstorch.autograd.tensor_base.TensorBase", "glasstorch.autograd.tensor_base.wrap", "glasstorch._tensor.Tensor._make",
         "glasstorch.nn.modules.linear.Linear", "glasstorch.nn.functional.linear",
         "glasstorch._functions.linalg.Linear", "glasstorch._functions.linalg.MatMul",
         "glasstorch._functions.pointwise.Add", "glasstorch._functions.pointwise.Mul")),
    (2, ("glasstorch._functions.pointwise.Sigmoid", "glasstorch._functions.pointwise.Tanh",
         "glasstorch._functions.pointwise.Relu", "glasstorch._functions.reduction.Softmax",
         "glasstorch.nn.modules.activation.ReLU", "glasstorch.nn.functional.relu")),
    (3, ("glasstorch.nn.init._calculate_fan_in_and_fan_out", "glasstorch.nn.init.xavier_uniform_",
         "glasstorch.nn.init.kaiming_uniform_")),
    (4, ("glasstorch.nn.modules.module.Module.__call__", "glasstorch.nn.modules.module.Module.__setattr__",
         "glasstorch.nn.modules._tree.TreeMixin.parameters", "glasstorch.nn.modules.container.Sequential")),
    (5, ("glasstorch.nn._functional_loss.cross_entropy", "glasstorch.nn._functions.loss.CrossEntropy",
         "glasstorch._functions.reduction.LogSoftmax",
         "glasstorch.nn.modules.loss.CrossEntropyLoss", "glasstorch.nn._functional_loss.mse_loss")),
    (6, ("glasstorch._tensor.Tensor.backward", "glasstorch.autograd.engine.run_backward",
         "glasstorch.autograd.engine._sum_to_shape", "glasstorch.autograd.engine._accumulate",
         "glasstorch.autograd.function.Function", "glasstorch.optim.optimizer.Optimizer.zero_grad",
         "glasstorch.optim.sgd.SGD.step", "glasstorch.optim.adam.Adam.step", "glasstorch.optim.optimizer._lerp_",
         "glasstorch.optim.optimizer._ema_square_", "glasstorch.optim.optimizer._direction",
         "glasstorch.optim.optimizer._count_step", "glasstorch.optim.optimizer.Optimizer._with_grads")),
    (7, ("glasstorch.optim._lr_scheduler_base.LRScheduler.step", "glasstorch.optim.lr_scheduler.StepLR",
         "glasstorch.optim.lr_scheduler.ExponentialLR")),
    (8, ("glasstorch.nn.functional.dropout", "glasstorch.nn.modules.dropout.Dropout",
         "glasstorch.nn.functional.batch_norm")),
    (9, ("glasstorch.utils.data.dataloader.DataLoader", "glasstorch.utils.data.dataloader._DataLoaderIterator",
         "glasstorch.utils.data.dataloader.default_collate")),
)


@dataclass(frozen=True)
class Place:
    name: str    # dotted name, as in COURSE_SOURCE
    file: str    # relative to the repository root, with / (src/glasstorch/autograd/engine.py)
    line: int    # the line of its ``def`` / ``class``
    first: int   # its first line (decorators included)
    last: int    # its last line

    @property
    def lines(self) -> int:
        return self.last - self.first + 1


def _split(dotted: str) -> tuple[object, list[str]]:
    """The longest importable module prefix of ``dotted`` and the attribute names after it."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        return module, parts[cut:]
    raise ValueError(f"no module in {dotted!r}")


@lru_cache(maxsize=None)
def _tree(path: str) -> ast.Module:
    return ast.parse(Path(path).read_text(encoding="utf-8"))


def find_definition(path: str | Path, qualname: str) -> ast.AST | None:
    """The ``def``/``class`` node of ``qualname`` (``Class.method``) in the file, or None."""
    body = _tree(str(path)).body
    node = None
    for part in qualname.split("."):
        node = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     and n.name == part), None)
        if node is None:
            return None
        body = node.body
    return node


def locate(dotted: str) -> Place:
    """Where the live object ``dotted`` is defined: its file (found from the object), and lines (from the AST)."""
    module, attrs = _split(dotted)
    obj = module
    for attr in attrs:
        obj = getattr(obj, attr)  # an AttributeError here means the name went away: the test says so
    obj = getattr(obj, "__wrapped__", obj)
    home = sys.modules[obj.__module__] if hasattr(obj, "__module__") and not isinstance(obj, type(module)) else obj
    path = Path(home.__file__).resolve()
    qualname = getattr(obj, "__qualname__", ".".join(attrs))
    node = find_definition(path, qualname)
    if node is None:
        raise LookupError(f"{dotted}: no definition of {qualname} in {path}")
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return Place(dotted, path.relative_to(ROOT).as_posix(), node.lineno, first, node.end_lineno)


def path_places() -> list[Place]:
    """Every named definition of the path once, in course order."""
    seen, places = set(), []
    for _, names in COURSE_SOURCE:
        for name in names:
            if name not in seen:
                seen.add(name)
                places.append(locate(name))
    return places


def path_lines() -> int:
    """Lines of the path's definitions; a definition lying inside another named one is not counted twice."""
    places = path_places()
    return sum(p.lines for p in places
               if not any(o is not p and o.file == p.file and o.first <= p.first and p.last <= o.last
                          for o in places))


def package_lines() -> tuple[int, int]:
    """(lines, files) of every .py file of the package."""
    files = sorted(PACKAGE.rglob("*.py"))
    return sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files), len(files)


def print_source(file=None) -> None:
    """``glasstorch tour --source``: for each chapter, the code that implements it with ``file:line``."""
    from .tour import CHAPTERS

    out = file or sys.stdout
    titles = {c.number: c for c in CHAPTERS}
    for number, names in COURSE_SOURCE:
        chapter = titles[number]
        print(t("tour.heading", number=number, title=chapter.title, course=chapter.course), file=out)
        for name in names:
            place = locate(name)
            print(t("tour.source.line", name=name.removeprefix("glasstorch."), place=f"{place.file}:{place.line}",
                    lines=place.lines), file=out)
        print(file=out)
    total, files = package_lines()
    print(t("tour.source.total", path=path_lines(), definitions=len(path_places()), total=total, files=files),
          file=out)
    print(t("tour.source.guide"), file=out)


# ---- the figures in docs/READING*.md and the READMEs, between <!-- reading:NAME -->VALUE<!-- /reading -->
FIGURE = re.compile(r"<!-- reading:(\w+) -->(.*?)<!-- /reading -->")
DOCUMENTS = ("docs/READING.md", "docs/READING.zh-CN.md", "README.md", "README.zh-CN.md")


def figures() -> dict[str, str]:
    total, files = package_lines()
    return {"path": str(path_lines()), "definitions": str(len(path_places())), "total": str(total),
            "files": str(files)}


def rewrite(text: str, values: dict[str, str]) -> str:
    return FIGURE.sub(lambda m: f"<!-- reading:{m[1]} -->{values[m[1]]}<!-- /reading -->", text)


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    values, stale = figures(), []
    for name in DOCUMENTS:
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, values)
        if new != text:
            stale.append(name)
            if not check:
                tmp = path.with_suffix(path.suffix + ".tmp")
                tmp.write_text(new, encoding="utf-8")
                tmp.replace(path)
    print(("stale: " if check else "rewritten: ") + (", ".join(stale) or "none"), values)
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
