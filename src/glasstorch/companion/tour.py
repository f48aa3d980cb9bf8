"""``glasstorch tour``: the course chapter by chapter. Each chapter prints its key results and saves its figures into
``--out``; the run ends with an index of every file written (also saved as ``index.md``).

The chapters are the course's nine sections, in its order and numbered as the examples and both READMEs number
them: 1 神经元, 2 激活函数, 3 参数初始化, 4 搭建神经网络, 5 损失函数, 6 网络优化方法 (gradient descent,
backpropagation, the optimizers), 7 学习率衰减, 8 正则化, 9 案例 (the phone-price case study). Titles and printed
text come from the message catalogue (:mod:`glasstorch.i18n`); file names do not change with the language."""
from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import t
from . import case_study, chapters

__all__ = ["CHAPTERS", "Chapter", "Tour", "run_tour", "list_chapters"]


@dataclass(frozen=True)
class Chapter:
    number: int
    key: str     # its title's message key
    course: str  # the course's own section headings
    run: Callable

    @property
    def title(self) -> str:
        """The chapter's title in the current language."""
        return t(self.key)


CHAPTERS = (
    Chapter(1, "tour.title.neurons", "什么是神经网络 · 如何构建神经网络", chapters.neurons_and_layers),
    Chapter(2, "tour.title.activations", "激活函数", chapters.activations),
    Chapter(3, "tour.title.initialisation", "参数初始化", chapters.initialisation),
    Chapter(4, "tour.title.building", "神经网络搭建和参数计算", chapters.building_a_model),
    Chapter(5, "tour.title.losses", "损失函数", chapters.losses),
    Chapter(6, "tour.title.optimisation", "梯度下降算法 · 反向传播 · 梯度下降的优化方法", chapters.optimisation),
    Chapter(7, "tour.title.lr_decay", "学习率衰减方法", chapters.learning_rate_decay),
    Chapter(8, "tour.title.regularisation", "正则化方法", chapters.regularisation),
    Chapter(9, "tour.title.case_study", "案例-价格分类案例", case_study.run),
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
        print(t("tour.list_line", number=f"{chapter.number:2d}", title=chapter.title, course=chapter.course),
              file=file or sys.stdout)


def run_tour(out: str | Path = "tour", chapters: Sequence[int] | None = None, epochs: int | None = None,
             data: str | None = None) -> int:
    """Runs the chosen chapters (all by default); returns 0, 1 when a chapter failed (the others still run), or 2
    when a chapter lacked its input (the case study without the phone-price CSV)."""
    selected = [c for c in CHAPTERS if not chapters or c.number in chapters]
    unknown = sorted(set(chapters or ()) - {c.number for c in CHAPTERS})
    if unknown:
        print(t("tour.no_chapter", numbers=", ".join(map(str, unknown)), last=len(CHAPTERS)), file=sys.stderr)
        return 2
    tour = Tour(Path(out), epochs=epochs, data=data)
    tour.out.mkdir(parents=True, exist_ok=True)
    failed, lacking = [], []
    for chapter in selected:
        tour.chapter = chapter.number
        heading = t("tour.heading", number=chapter.number, title=chapter.title, course=chapter.course)
        print(f"\n{heading}\n{'=' * _width(heading)}")
        try:
            if chapter.run(tour) == 2:
                lacking.append(chapter.number)
        except BrokenPipeError:  # `glasstorch tour | head`: the reader has gone, so the tour ends (cli.main: exit 0)
            raise
        except Exception:  # noqa: BLE001 - one chapter's failure must not hide the others
            traceback.print_exc()
            print(t("tour.chapter_failed", number=chapter.number), file=sys.stderr)
            failed.append(chapter.number)
    print(_index(tour, selected, failed))
    return 1 if failed else 2 if lacking else 0


def _index(tour: Tour, selected: Sequence[Chapter], failed: list[int]) -> str:
    lines = [t("tour.index_title", folder=f"{tour.out}/")]
    markdown = [t("tour.index_markdown_title"), ""]
    for chapter in selected:
        files = [p for p in tour.written.get(chapter.number, []) if p.is_file()]
        status = t("tour.failed_mark") if chapter.number in failed else ""
        lines.append(f"  {chapter.number:2d}. {chapter.title}{status}")
        markdown.append(f"## {t('tour.heading', number=chapter.number, title=chapter.title, course=chapter.course)}"
                        f"{status}")
        lines.extend(f"        {p}" for p in files)
        markdown.extend([f"![{p.stem}]({p.name})" for p in files] + [""])
        if not files:
            lines.append("        " + t("tour.no_figure"))
    index = tour.out / "index.md"
    index.write_text("\n".join(markdown), encoding="utf-8")
    lines.append("  " + t("tour.index_file", path=index))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character is two columns wide."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
