"""Turning a table's columns into the numbers a network reads: one-hot categories and filled-in missing cells,
learned from the training rows only.

A numeric column stays one input. A categorical column with k categories (its distinct training values, sorted)
becomes k inputs named ``column=value``: row r gets 1 in the input of its value and 0 in the others. A value the
training rows never had encodes as all zeros (:meth:`ColumnEncoder.unseen` lists such values, so that a command can
say so).

Missing cells (NaN in a numeric column, None in a categorical one) are an error unless ``missing="impute"``:
  * a numeric column's missing cells get the column's mean over the training rows (0 when every training cell is
    missing);
  * a categorical column whose training rows have missing cells gets one more input, ``column=<missing>``, that is 1
    exactly where the cell is missing: "missing" is learned like a category. Where the training rows had no missing
    cell in that column, a missing cell encodes as all zeros, as an unseen value does.

With no categorical column and nothing to impute, :meth:`ColumnEncoder.transform` is ``np.asarray(x, float64)``:
all-numeric data (the phone prices) goes through unchanged.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Iterable, Optional, Sequence

import numpy as np

from ..i18n import t, t_in

MISSING_POLICIES = ("error", "impute")
MISSING_INPUT = "<missing>"


def category_of(value: Any) -> Optional[str]:
    """A cell as a category: text stripped, None/NaN → None (missing), an integral number → its integer text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    number = float(value)
    if math.isnan(number):
        return None
    return str(int(number)) if number.is_integer() else repr(number)


def _is_word(value: Any) -> bool:
    """A str that is not a number (what makes a column categorical when none is named)."""
    if not isinstance(value, str):
        return False
    try:
        float(value)
        return False
    except ValueError:
        return True


def detect_categorical(x: np.ndarray) -> list[int]:
    """The columns of ``x`` holding a str that is not a number (none for a numeric array)."""
    x = np.asarray(x)
    if x.dtype != object and x.dtype.kind not in "US":
        return []
    return [j for j in range(x.shape[1]) if any(_is_word(v) for v in x[:, j])]


def _numeric_column(x: np.ndarray, j: int) -> np.ndarray:
    column = x[:, j]
    if column.dtype != object and column.dtype.kind not in "US":
        return column.astype(np.float64)
    return np.array([np.nan if v is None else float(v) for v in column], dtype=np.float64)


class ColumnEncoder:
    """Learns, from training rows, how to turn (n, d) columns into (n, n_inputs) numbers.

    ``names``: the d column names (for the input names and messages); ``categorical``: indices of the categorical
    columns; ``missing``: "error" or "impute". Learned: ``categories_`` (column index → sorted categories),
    ``missing_input_`` (categorical columns with a ``<missing>`` input), ``fill_`` (numeric column index → mean),
    ``missing_counts_`` (numeric column index → missing cells in the fitted rows, under impute),
    ``input_names_``.
    """

    def __init__(self, names: Sequence[str], categorical: Iterable[int] = (), missing: str = "error") -> None:
        if missing not in MISSING_POLICIES:
            raise ValueError(t("app.cfg.one_of", name="missing", choices=", ".join(MISSING_POLICIES),
                               value=repr(missing)))
        self.names = list(names)
        self.categorical = sorted(set(int(j) for j in categorical))
        bad = [j for j in self.categorical if not 0 <= j < len(self.names)]
        if bad:
            raise ValueError(t("app.enc.index", index=bad[0], n=len(self.names)))
        self.missing = missing
        self.categories_: dict[int, list[str]] = {}
        self.missing_input_: set[int] = set()
        self.fill_: dict[int, float] = {}
        self.missing_counts_: dict[int, int] = {}

    # ---- learning ----------------------------------------------------------------------------------------------
    def fit(self, x: np.ndarray) -> "ColumnEncoder":
        x = self._check(x)
        self.categories_, self.missing_input_, self.fill_, self.missing_counts_ = {}, set(), {}, {}
        for j in range(x.shape[1]):
            if j in self.categorical:
                values = [category_of(v) for v in x[:, j]]
                self._refuse_missing(j, values.index(None) if None in values else None)
                self.categories_[j] = sorted({v for v in values if v is not None})
                if None in values:
                    self.missing_input_.add(j)
            else:
                column = _numeric_column(x, j)
                absent = np.isnan(column)
                self._refuse_missing(j, int(np.argmax(absent)) if absent.any() else None)
                if self.missing == "impute":
                    self.fill_[j] = float(column[~absent].mean()) if (~absent).any() else 0.0
                    self.missing_counts_[j] = int(absent.sum())
        return self

    @property
    def trivial(self) -> bool:
        """True when transform is the identity (all columns numeric, nothing to impute)."""
        return not self.categorical and self.missing == "error"

    @property
    def input_names_(self) -> list[str]:
        names = []
        for j, name in enumerate(self.names):
            if j in self.categorical:
                names += [f"{name}={c}" for c in self.categories_[j]]
                names += [f"{name}={MISSING_INPUT}"] if j in self.missing_input_ else []
            else:
                names.append(name)
        return names

    def input_columns(self) -> list[int]:
        """For each input of :attr:`input_names_`, the index of the column it comes from."""
        owners = []
        for j in range(len(self.names)):
            width = len(self.categories_[j]) + (j in self.missing_input_) if j in self.categorical else 1
            owners += [j] * width
        return owners

    # ---- applying ----------------------------------------------------------------------------------------------
    def transform(self, x: np.ndarray) -> np.ndarray:
        """(n, d) columns → (n, n_inputs) float64, with what fit learned; unseen categories → all zeros."""
        x = self._check(x)
        if self.trivial and x.dtype != object and x.dtype.kind not in "US":
            if np.isnan(x).any():
                self._refuse_missing(*np.argwhere(np.isnan(x))[0][::-1])
            return np.asarray(x, dtype=np.float64)
        blocks = []
        for j in range(x.shape[1]):
            if j in self.categorical:
                blocks.append(self._one_hot(j, [category_of(v) for v in x[:, j]]))
            else:
                column = _numeric_column(x, j)
                absent = np.isnan(column)
                if absent.any():
                    self._refuse_missing(j, int(np.argmax(absent)))
                    column = np.where(absent, self.fill_[j], column)
                blocks.append(column[:, None])
        return np.concatenate(blocks, axis=1) if blocks else np.empty((len(x), 0))

    def _one_hot(self, j: int, values: list[Optional[str]]) -> np.ndarray:
        categories = self.categories_[j]
        index = {c: i for i, c in enumerate(categories)}
        width = len(categories) + (j in self.missing_input_)
        out = np.zeros((len(values), width), dtype=np.float64)
        for r, value in enumerate(values):
            if value is None:
                self._refuse_missing(j, r)
                if j in self.missing_input_:
                    out[r, len(categories)] = 1.0
            elif value in index:
                out[r, index[value]] = 1.0
        return out

    def unseen(self, x: np.ndarray) -> list[tuple[str, Optional[str], int]]:
        """(column, value, rows) for each value that encodes as all zeros: a category the training rows never had, or
        a missing cell (value None) in a column whose training rows had none missing."""
        x = self._check(x)
        found: dict[tuple[str, Optional[str]], int] = {}
        for j in self.categorical:
            known = set(self.categories_[j])
            for value in (category_of(v) for v in x[:, j]):
                if (value is None and j not in self.missing_input_) or (value is not None and value not in known):
                    found[(self.names[j], value)] = found.get((self.names[j], value), 0) + 1
        return [(name, value, count) for (name, value), count in found.items()]

    # ---- checks ------------------------------------------------------------------------------------------------
    def _check(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.dtype.kind in "US":
            x = x.astype(object)
        if x.ndim != 2 or x.shape[1] != len(self.names):
            raise ValueError(t("app.fit.shape", n=len(self.names), shape=tuple(x.shape)))
        return x

    def _refuse_missing(self, j: int, row: Optional[int]) -> None:
        if row is not None and self.missing != "impute":
            raise ValueError(t("app.enc.missing_cell", row=int(row) + 1, column=self.names[int(j)]))

    # ---- storing -----------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """What the model file stores (plain JSON-able values)."""
        columns = []
        for j, name in enumerate(self.names):
            if j in self.categorical:
                columns.append({"name": name, "kind": "categorical", "categories": list(self.categories_[j]),
                                "missing_input": j in self.missing_input_})
            else:
                column = {"name": name, "kind": "numeric", "fill": self.fill_.get(j)}
                if j in self.missing_counts_:
                    column["missing_cells"] = self.missing_counts_[j]
                columns.append(column)
        return {"missing": self.missing, "columns": columns, "input_names": self.input_names_}

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> "ColumnEncoder":
        columns = document["columns"]
        categorical = [j for j, c in enumerate(columns) if c["kind"] == "categorical"]
        encoder = cls([c["name"] for c in columns], categorical, document.get("missing", "error"))
        for j, column in enumerate(columns):
            if column["kind"] == "categorical":
                encoder.categories_[j] = [str(c) for c in column["categories"]]
                if column.get("missing_input"):
                    encoder.missing_input_.add(j)
            elif column.get("fill") is not None:
                encoder.fill_[j] = float(column["fill"])
                if column.get("missing_cells") is not None:
                    encoder.missing_counts_[j] = int(column["missing_cells"])
        return encoder

    def describe(self, n_missing: Optional[int] = None, language: Optional[str] = None) -> str:
        """'7 columns → 10 inputs (2 categorical, one-hot; 177 missing cells imputed)', in ``language`` (default:
        the reader's; metrics.json asks for "en")."""
        phrase = functools.partial(t_in, language) if language else t
        parts = [phrase("app.enc.categorical", k=len(self.categorical)) if self.categorical
                 else phrase("app.enc.numeric")]
        if self.missing == "impute":
            parts.append(phrase("app.enc.imputed_n", n=n_missing) if n_missing is not None
                         else phrase("app.enc.imputed"))
        return phrase("app.enc.describe", columns=len(self.names), inputs=len(self.input_names_),
                      parts=phrase("app.enc.sep").join(parts))
