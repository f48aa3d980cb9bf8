"""What the trainer says about the data it was given, beyond errors: a guessed target that looks wrong, columns left
out, columns ignored, and counts in words ("1 row", "2 rows")."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from .data import Table

MANY_CLASSES = 10  # more classes than this in an integer column guessed as the target is suspicious
YEARS = (1800, 2100)


def plural(n: int, word: str, words: Optional[str] = None) -> str:
    """'1 row', '2 rows' (``words`` for an irregular plural)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def rows_phrase(n: int, where: str) -> str:
    """'400 held-out rows', '1 held-out row', '3 rows of x.csv' from ``where`` written for several rows."""
    return f"{n} {where}" if n != 1 else f"1 {where.replace('rows', 'row', 1)}"


def target_doubt(table: Table, task: str) -> Optional[str]:
    """Why the last column, taken as the target because --target was not given, looks like something else (an ID,
    a year, free text), or None when it looks like a target for ``task``."""
    y = table.target
    n = len(y)
    distinct = np.unique(y)
    k = len(distinct)
    if y.dtype == object:
        if n >= 20 and k >= 0.9 * n:
            return f"its {k} values in {n} rows are (nearly) all distinct, as in an ID or a name"
        return None
    integral = bool(np.all(np.floor(distinct) == distinct))
    if not integral:
        return None
    low, high = int(distinct[0]), int(distinct[-1])
    if n >= 20 and k == n:
        return f"its values are {n} distinct integers ({low} to {high}), as in an ID"
    if task == "classification" and k > MANY_CLASSES:
        what = "a year" if YEARS[0] <= low and high <= YEARS[1] else "a count or a code"
        return f"it holds {k} distinct integers from {low} to {high}, read as {k} classes; it looks like {what}"
    return None


def target_warning(table: Table, task: str) -> Optional[str]:
    """The warning line for a doubtful guessed target, naming --target and the columns to choose from."""
    why = target_doubt(table, task)
    if why is None:
        return None
    return (f"warning: the target is the last column, '{table.target_name}', because --target was not given, but "
            f"{why}. If that is not what to predict, name the target with --target COLUMN (columns: "
            f"{', '.join(table.feature_names)})")


def dropped_note(dropped: Sequence[tuple[str, str]]) -> Optional[str]:
    """One line naming the columns left out as IDs or free text."""
    if not dropped:
        return None
    parts = ", ".join(f"'{name}' ({why})" for name, why in dropped)
    names = ",".join(name for name, _ in dropped)
    return (f"note: left out {plural(len(dropped), 'column')} whose values are (nearly) all distinct, an ID or free "
            f"text that one-hot encoding cannot learn from: {parts}; --categorical {names} keeps "
            f"{'it' if len(dropped) == 1 else 'them'}")


def ignored_note(names: Sequence[str]) -> Optional[str]:
    """One line naming the input columns the model does not use."""
    if not names:
        return None
    shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    return f"note: ignored {plural(len(names), 'column')} the model does not use: {shown}"


def shorten(items: Sequence[str], limit: int = 12, width: int = 60) -> str:
    """Items joined by ', ', at most ``limit`` of them and each cut to ``width`` characters, then 'and N more'."""
    cut = [item if len(item) <= width else item[: width - 1] + "…" for item in items[:limit]]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(cut) + more
