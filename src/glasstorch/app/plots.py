"""The run's figures: learning curves (train and held-out loss and accuracy per epoch) and the confusion matrix.

Drawn on matplotlib ``Figure`` objects with the Agg canvas, never through ``pyplot``, so the trainer neither opens
windows nor touches the global figure state of a program that imports it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..i18n import fonts
from ..i18n.fonts import pt
from .fileio import write_figure


def _figure(width: float, height: float, columns: int = 1) -> tuple[Figure, Any]:
    fonts.setup()  # class labels from the data (低/中/高) and Chinese labels need a CJK font
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    axes = figure.subplots(1, columns)
    return figure, axes


LOG_EPOCHS = 500  # from this many epochs on, the epoch axis is logarithmic: the early epochs are where curves move


def loss_limits(series: Sequence[Sequence[float]]) -> Optional[tuple[float, float]]:
    """(0, top) for a loss axis whose first epoch dwarfs the rest (the course recipe: 8.4 in epoch 1, then ~1): top
    is 1.2x the largest loss from epoch 2 on, when epoch 1's is more than 1.5x that; None when nothing needs cutting."""
    finite = [np.asarray(s, dtype=np.float64) for s in series if len(s) > 1]
    if not finite:
        return None
    later = max(float(np.nanmax(s[1:])) for s in finite)
    highest = max(float(np.nanmax(s)) for s in finite)
    if not np.isfinite(later) or highest <= 1.5 * later:
        return None
    return 0.0, 1.2 * later


def style_epochs(axes: Sequence[Any], n_epochs: int, loss_axis: Any = None,
                 losses: Sequence[Sequence[float]] = ()) -> None:
    """The trainer's curve style: a log epoch axis for long runs, and a loss range that the first epochs do not
    flatten (the cut-off values are named in the loss axis's title)."""
    if n_epochs >= LOG_EPOCHS:
        for ax in axes:
            ax.set_xscale("log")
    limits = loss_limits(losses) if loss_axis is not None else None
    if limits is not None:
        loss_axis.set_ylim(*limits)
        top = max(float(np.nanmax(s)) for s in losses if len(s))
        loss_axis.set_title(pt("plots.loss_cut", title=loss_axis.get_title(), top=f"{limits[1]:.3g}",
                               first=f"{top:.3g}"), fontsize="medium")


def learning_curves(history: list[dict[str, Any]], path: str | Path, title: str, task: str) -> Path:
    """Two panels: loss per epoch (train and held-out) and accuracy (classification) or R² (regression)."""
    quality, label = ("accuracy", pt("plots.accuracy")) if task == "classification" else ("r2", "R²")
    figure, (left, right) = _figure(10, 4, 2)
    epochs = [row["epoch"] for row in history]
    left.plot(epochs, [row["train_loss"] for row in history], label=pt("plots.train_mean"), color="tab:blue")
    if history and "test_loss" in history[0]:
        left.plot(epochs, [row["test_loss"] for row in history], label=pt("plots.held_out"), color="tab:orange")
    left.set(xlabel=pt("plots.epoch"), ylabel=pt("plots.loss"), title=pt("plots.loss"))
    left.grid(alpha=0.3)
    left.legend()
    right.plot(epochs, [row[f"train_{quality}"] for row in history], label=pt("plots.train"), color="tab:blue")
    if history and f"test_{quality}" in history[0]:
        right.plot(epochs, [row[f"test_{quality}"] for row in history], label=pt("plots.held_out"),
                   color="tab:orange")
    right.set(xlabel=pt("plots.epoch"), ylabel=label, title=label)
    right.grid(alpha=0.3)
    right.legend()
    losses = [[row[key] for row in history] for key in ("train_loss", "test_loss") if history and key in history[0]]
    style_epochs((left, right), len(epochs), left, losses)
    figure.suptitle(title)
    return write_figure(path, figure)


def confusion(matrix: list[list[int]], labels: list[Any], path: str | Path, title: str) -> Path:
    """The held-out confusion matrix: true class down, predicted class across, counts in the cells."""
    counts = np.asarray(matrix)
    size = max(4.0, 0.6 * len(labels) + 2.5)
    figure, axes = _figure(size, size * 0.85)
    image = axes.imshow(counts, cmap="Blues")
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04)
    ticks = range(len(labels))
    axes.set_xticks(list(ticks), [str(v) for v in labels])
    axes.set_yticks(list(ticks), [str(v) for v in labels])
    axes.set(xlabel=pt("plots.predicted"), ylabel=pt("plots.true"), title=title)
    threshold = counts.max() / 2 if counts.size else 0
    for i in ticks:
        for j in ticks:
            axes.text(j, i, str(counts[i, j]), ha="center", va="center",
                      color="white" if counts[i, j] > threshold else "black")
    return write_figure(path, figure)
