"""The run's figures: learning curves (train and held-out loss and accuracy per epoch) and the confusion matrix.

Drawn on matplotlib ``Figure`` objects with the Agg canvas, never through ``pyplot``, so the trainer neither opens
windows nor touches the global figure state of a program that imports it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

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
    if len(epochs) >= 500:  # long full-batch runs: the early epochs are where the curves move
        left.set_xscale("log")
        right.set_xscale("log")
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
