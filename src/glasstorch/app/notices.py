"""What the trainer says about the data it was given, beyond errors: a guessed target that looks wrong, columns left
out, columns ignored; and lists cut short ("a, b and 3 more"). In the reader's language (:mod:`glasstorch.i18n`)."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from ..i18n import t
from .data import Table, dropped_reason
from .phrases import count

MANY_CLASSES = 10  # more classes than this in an integer column guessed as the target is suspicious
YEARS = (1800, 2100)


def target_doubt(table: Table, task: str) -> Optional[str]:
    """Why the last column, taken as the target because --target was not given, looks like something else (an ID,
    a year, free text), or None when it looks like a target for ``task``."""
    y = table.target
    n = len(y)
    distinct = np.unique(y)
    k = len(distinct)
    if y.dtype == object:
        if n >= 20 and k >= 0.9 * n:
            return t("app.doubt.distinct_text", k=k, n=n)
        return None
    integral = bool(np.all(np.floor(distinct) == distinct))
    if not integral:
        return None
    low, high = int(distinct[0]), int(distinct[-1])
    if n >= 20 and k == n:
        return t("app.doubt.distinct_ints", n=n, low=low, high=high)
    if task == "classification" and k > MANY_CLASSES:
        what = t("app.doubt.year") if YEARS[0] <= low and high <= YEARS[1] else t("app.doubt.count")
        return t("app.doubt.many_classes", k=k, low=low, high=high, what=what)
    return None


def target_warning(table: Table, task: str) -> Optional[str]:
    """The warning line for a doubtful guessed target, naming --target and the columns to choose from."""
    why = target_doubt(table, task)
    if why is None:
        return None
    return t("app.warn.target", target=table.target_name, why=why, columns=", ".join(table.feature_names))


def dropped_note(dropped: Sequence[tuple[str, int, int]]) -> Optional[str]:
    """One line naming the columns left out as IDs or free text."""
    if not dropped:
        return None
    parts = ", ".join(t("app.note.dropped_part", name=name, why=dropped_reason(distinct, present))
                      for name, distinct, present in dropped)
    names = ",".join(name for name, _, _ in dropped)
    return t("app.note.dropped_one" if len(dropped) == 1 else "app.note.dropped_many", n=len(dropped), parts=parts,
             names=names)


def ignored_note(names: Sequence[str]) -> Optional[str]:
    """One line naming the input columns the model does not use."""
    if not names:
        return None
    return t("app.note.ignored", columns=count(len(names), "columns"), names=shorten(names, 10, None))


def shorten(items: Sequence[str], limit: int = 12, width: Optional[int] = 60) -> str:
    """Items joined by ', ', at most ``limit`` of them and each cut to ``width`` characters (None: not cut), then
    'and N more'."""
    cut = [item if width is None or len(item) <= width else item[: width - 1] + "…" for item in items[:limit]]
    more = t("app.more", n=len(items) - limit) if len(items) > limit else ""
    return ", ".join(cut) + more
