"""The trainer's sentences for people, in the reader's language (:mod:`glasstorch.i18n`): counts, the headline, the
model line. What machines read (metrics.json's keys and values such as ``evaluated_on``) stays English; only what is
printed goes through here."""
from __future__ import annotations

from typing import Any

from ..i18n import t

_COUNTED = {"held-out rows": "held_out_row", "training rows": "training_row", "rows": "row", "features": "feature",
            "columns": "column", "epochs": "epoch"}


def count(n: int, noun: str) -> str:
    """'1 row', '400 held-out rows', '3 rows of x.csv' (``noun`` as written for several: 'rows', 'held-out rows',
    'training rows', 'features', 'columns', 'epochs' or 'rows of SOURCE'), in the current language."""
    if noun.startswith("rows of "):
        return t("app.count.row_of" if n == 1 else "app.count.rows_of", n=n, source=noun[len("rows of "):])
    key = _COUNTED.get(noun)
    if key is None:
        return f"{n} {noun}"
    return t(f"app.count.{key}" if n == 1 else f"app.count.{key}s", n=n)


def task_name(task: str) -> str:
    """'classification' / '分类'."""
    return t(f"app.task.{task}") if task in ("classification", "regression") else task


def headline(metrics: dict[str, Any], task: str, n: int, synthetic: bool, where: str = "held-out rows") -> str:
    """'accuracy 0.9750 on 400 held-out rows'; ``where`` is written for several rows ('rows of x.csv')."""
    tag = t("app.headline.synthetic") if synthetic else ""
    if task == "classification":
        return t("app.headline.accuracy", value=f"{metrics['accuracy']:.4f}", rows=count(n, where), tag=tag)
    return t("app.headline.r2", value=f"{metrics['r2']:.4f}", rows=count(n, where), tag=tag)


def describe_config(config) -> str:
    """'model: hidden 128→256, relu · adam lr 0.001 · batch 64 · 50 epochs · seed 0 · standardised'."""
    hidden = (t("app.model.hidden", widths="→".join(str(h) for h in config.hidden), activation=config.activation)
              if config.hidden else t("app.model.linear"))
    extras = [t("app.model.dropout", p=config.dropout) if config.dropout else "",
              t("app.model.batchnorm") if config.batchnorm else "",
              t("app.model.weight_decay", value=f"{config.weight_decay:g}") if config.weight_decay else "",
              t("app.model.scheduler", name=config.scheduler) if config.scheduler != "none" else "",
              t("app.model.standardised") if config.standardize else t("app.model.raw"),
              t("app.model.screening", alpha=f"{config.feature_alpha:g}") if config.feature_alpha else ""]
    return t("app.line.model", hidden=hidden, optimizer=config.optimizer, lr=f"{config.lr:g}",
             batch_size=config.batch_size, epochs=config.epochs, seed=config.seed,
             extras=t("app.sep").join(e for e in extras if e))


def files_list(names: list[str]) -> str:
    """'history.csv, curves.png and confusion.png' (all but the first name: the model)."""
    if len(names) <= 1:
        return ""
    rest = names[1:]
    return ", ".join(rest[:-1]) + (t("app.files.and") if len(rest) > 1 else "") + rest[-1]


def metric_lines(metrics: dict[str, Any]) -> list[str]:
    """The scores as printed: the per-class table (classification) or the r2/mae/mse/rmse line (regression)."""
    if metrics["task"] != "classification":
        return [t("app.report.regression", r2=f"{metrics['r2']:.4f}", mae=f"{metrics['mae']:.4g}",
                  mse=f"{metrics['mse']:.4g}", rmse=f"{metrics['rmse']:.4g}")]
    return [t("app.report.header")] + [
        f"{label:<10} {row['precision']:.4f}     {row['recall']:.4f}  {row['f1']:.4f}  {row['support']}"
        for label, row in metrics["per_class"].items()]
