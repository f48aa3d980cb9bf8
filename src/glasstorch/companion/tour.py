"""``glasstorch tour``: the course chapter by chapter. Each chapter prints its key results and saves its figures into
``--out``; the run ends with an index of every file written (also saved as ``index.md``)."""
from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import case_study, chapters

__all__ = ["CHAPTERS", "Chapter", "Tour", "run_tour", "list_chapters"]


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    course: str  # the course's own section title
    run: Callable


CHAPTERS = (
    Chapter(1, "Neurons and layers", "神经网络 · 如何构建神经网络", chapters.neurons_and_layers),
    Chapter(2, "Activation functions", "激活函数", chapters.activations),
    Chapter(3, "Parameter initialisation", "参数初始化", chapters.initialisation),
    Chapter(4, "Building a model and counting its parameters", "神经网络搭建和参数计算", chapters.building_a_model),
    Chapter(5, "Loss functions", "损失函数", chapters.losses),
    Chapter(6, "Gradient descent and backpropagation", "梯度下降算法 · 反向传播", chapters.gradient_descent_and_backprop),
    Chapter(7, "Optimizers", "梯度下降的优化方法", chapters.optimizers),
    Chapter(8, "Learning-rate decay", "学习率衰减方法", chapters.learning_rate_decay),
    Chapter(9, "Regularisation: Dropout and batch normalisation", "正则化方法", chapters.regularisation),
    Chapter(10, "Case study: phone price classification", "案例-价格分类案例", case_study.run),
)


@dataclass
class Tour:
    """What the chapters share: where figures go, options of the case study, and what was written."""

    out: Path
    epochs: int | None = None
    data: str | None = None
    chapter: int = 0
    written: dict[int, list[Path]] = field(default_factory=dict)

    def figure(self, name: str) -> Path:
        """The path for the current chapter's figure ``name`` (``07-ewa.png``), recorded for the index."""
        path = self.out / f"{self.chapter:02d}-{name}.png"
        self.written.setdefault(self.chapter, []).append(path)
        return path


def list_chapters(file=None) -> None:
    for chapter in CHAPTERS:
        print(f"{chapter.number:2d}. {chapter.title} ({chapter.course})", file=file or sys.stdout)


def run_tour(out: str | Path = "tour", chapters: Sequence[int] | None = None, epochs: int | None = None,
             data: str | None = None) -> int:
    """Runs the chosen chapters (all by default); returns 0, or 1 when a chapter failed (the others still run)."""
    selected = [c for c in CHAPTERS if not chapters or c.number in chapters]
    unknown = sorted(set(chapters or ()) - {c.number for c in CHAPTERS})
    if unknown:
        print(f"glasstorch tour: no chapter {', '.join(map(str, unknown))} (chapters are 1 to {len(CHAPTERS)})",
              file=sys.stderr)
        return 2
    tour = Tour(Path(out), epochs=epochs, data=data)
    tour.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for chapter in selected:
        tour.chapter = chapter.number
        heading = f"Chapter {chapter.number}. {chapter.title} ({chapter.course})"
        print(f"\n{heading}\n{'=' * len(heading)}")
        try:
            chapter.run(tour)
        except Exception:  # noqa: BLE001 - one chapter's failure must not hide the others
            traceback.print_exc()
            print(f"chapter {chapter.number} failed", file=sys.stderr)
            failed.append(chapter.number)
    print(_index(tour, selected, failed))
    return 1 if failed else 0


def _index(tour: Tour, selected: Sequence[Chapter], failed: list[int]) -> str:
    lines = [f"Tour index: {tour.out}/"]
    markdown = ["# glasstorch tour", ""]
    for chapter in selected:
        files = [p for p in tour.written.get(chapter.number, []) if p.is_file()]
        status = " (failed)" if chapter.number in failed else ""
        lines.append(f"  {chapter.number:2d}. {chapter.title}{status}")
        markdown.append(f"## {chapter.number}. {chapter.title} ({chapter.course}){status}")
        lines.extend(f"        {p}" for p in files)
        markdown.extend([f"![{p.stem}]({p.name})" for p in files] + [""])
        if not files:
            lines.append("        (no figure)")
    index = tour.out / "index.md"
    index.write_text("\n".join(markdown), encoding="utf-8")
    lines.append(f"  index: {index}")
    return "\n".join(lines)
