"""What each cell of a column read from a CSV is: a number, a category, a missing value or a mistake, decided once
per distinct text rather than once per cell (a column of 2 million cells has a few thousand distinct texts, or is
numeric and never looked at here).

A cell is a number when ``float`` reads its text (after the detected decimal mark and thousands separator) as a finite
value; it spells a missing value when its stripped, lower-case text is in ``NA_SPELLINGS`` (only under
``missing="impute"`` does that make it missing); a word is neither. See :mod:`glasstorch.app.data` for the rules.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import pandas as pd

from .numbers import NumberFormat

BLOCK = 8192  # rows written at a time when the columns become one matrix
NA_SPELLINGS = ("", "na", "n/a", "nan", "null", "none", "?")  # compared lower-case, stripped; only under "impute"


def number(text: str) -> float | None:
    """float(text) for a finite number, else None ('nan', 'inf' and words are not numbers here)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def is_na(text: str) -> bool:
    return text.strip().lower() in NA_SPELLINGS


@dataclass
class TextColumn:
    """A column's cells as text, analysed per distinct value: ``codes`` (row → distinct value), and per distinct
    value its ``raw`` text, ``stripped`` text, ``numbers`` (NaN where not a number) and ``na`` (a missing-value
    spelling)."""
    codes: np.ndarray
    raw: np.ndarray
    stripped: np.ndarray
    numbers: np.ndarray
    na: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray, fmt: NumberFormat = NumberFormat()) -> "TextColumn":
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        raw = np.asarray(uniques, dtype=object)
        texts = [str(u) for u in raw]
        stripped = np.array([t.strip() for t in texts], dtype=object)
        numbers = np.array([np.nan if (v := number(fmt.to_float(t) if not fmt.plain else t)) is None else v
                            for t in texts], dtype=np.float64)
        na = np.array([t.lower() in NA_SPELLINGS for t in stripped], dtype=bool)
        return cls(np.asarray(codes, dtype=np.intp), raw, stripped, numbers, na)

    @property
    def has_number(self) -> bool:
        return bool((~np.isnan(self.numbers)).any())

    @property
    def has_word(self) -> bool:
        return bool((np.isnan(self.numbers) & ~self.na).any())

    def first_number(self) -> Optional[tuple[int, str]]:
        """(row, 1-based, and text) of the first cell that is a number, or None."""
        is_number = ~np.isnan(self.numbers)[self.codes]
        if not is_number.any():
            return None
        r = int(np.argmax(is_number))
        return r + 1, str(self.raw[self.codes[r]])

    def distinct_present(self, impute: bool) -> tuple[int, int]:
        """(distinct values, cells) among the cells that are not missing (empty, or an NA spelling under impute)."""
        absent = (self.stripped == "") | (self.na if impute else False)
        counts = np.bincount(self.codes, minlength=len(self.raw))
        kept = ~absent
        return int(np.count_nonzero(counts[kept])), int(counts[kept].sum())


@dataclass
class Cells:
    """A column's values as the model reads them: ``values`` (float64, NaN where missing; or an object array of
    category text, None where missing), ``missing`` (count) and ``bad`` (the first row, 0-based, whose cell cannot be
    read, or None)."""
    values: np.ndarray
    missing: int
    bad: Optional[int]
    categorical: bool


def cells(column: np.ndarray | TextColumn, categorical: bool, impute: bool) -> Cells:
    """The values of a column: a float64 array of finite numbers (as pandas read it) or a :class:`TextColumn`.
    Numeric: a number is kept; under ``impute`` an NA spelling is missing (NaN); anything else is bad.
    Categorical: under ``impute`` an NA spelling is missing (None); other non-empty text is kept, stripped; an empty
    cell is bad."""
    if not isinstance(column, TextColumn):
        if categorical:  # (a numeric column named categorical is read as text by the caller; kept for safety)
            text = np.array([_number_text(v) for v in column], dtype=object)
            return Cells(text, 0, None, True)
        return Cells(column, 0, None, False)
    na = column.na if impute else np.zeros(len(column.raw), dtype=bool)
    if categorical:
        ok = (column.stripped != "") | na
        values = np.where(na, None, column.stripped)[column.codes]
    else:
        ok = ~np.isnan(column.numbers) | na
        values = column.numbers[column.codes]
    bad_rows = ~ok[column.codes]
    bad = int(np.argmax(bad_rows)) if bad_rows.any() else None
    missing = int(np.count_nonzero(na[column.codes])) if na.any() else 0
    return Cells(values, missing, bad, categorical)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def matrix(columns: list[Cells]) -> np.ndarray:
    """(n, d) float64 when every column is numeric with nothing missing, else an object array (floats, NaN, str,
    None), as :class:`glasstorch.app.data.Table` holds features."""
    n = len(columns[0].values) if columns else 0
    if all(not c.categorical and c.missing == 0 for c in columns):
        out = np.empty((n, len(columns)), dtype=np.float64)
        for start in range(0, n, BLOCK):  # a block of rows at a time: column by column would stride through memory
            for j, c in enumerate(columns):
                out[start:start + BLOCK, j] = c.values[start:start + BLOCK]
        return out
    out = np.empty((n, len(columns)), dtype=object)
    for j, c in enumerate(columns):
        out[:, j] = c.values if c.categorical else c.values.tolist()
    return out


def first_bad(columns: list[Cells]) -> Optional[int]:
    """The index of the column holding the first bad cell row by row (the lowest row, then the leftmost column)."""
    found = [(c.bad, j) for j, c in enumerate(columns) if c.bad is not None]
    return min(found)[1] if found else None


def as_text_column(values: Any, fmt: NumberFormat) -> TextColumn | np.ndarray:
    """A Frame column as :func:`cells` takes it."""
    if isinstance(values, np.ndarray) and values.dtype == np.float64:
        return values
    return TextColumn.of(values, fmt)
