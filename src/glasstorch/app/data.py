"""Reading tabular data (CSV, JSON) into arrays, with messages that name the row and column of every bad cell.

No pandas: the standard ``csv`` module reads the file; the target may be numbers or labels. A feature column is
numeric, or categorical when none of its cells is a number (or when named in ``categorical``): its cells are kept as
text, for :mod:`glasstorch.app.encoding` to one-hot encode. A column mixing numbers and words is refused (a typo in a
numeric column must not turn it into categories). Empty cells are refused unless ``missing="impute"``, which also reads
the common spellings of "no value" (``NA_SPELLINGS``) as missing. Any problem raises :class:`InputError`, which the
command line prints as one clear message (exit code 2).
"""
from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from .encoding import category_of


class InputError(Exception):
    """Input the trainer cannot use (a missing file, a bad cell, a wrong column...): the CLI prints it and exits 2."""


NA_SPELLINGS = ("", "na", "n/a", "nan", "null", "none", "?")  # compared lower-case, stripped; only under "impute"


@dataclass
class Table:
    """Feature columns (n, d) and the target column's values (float64 if all numeric, else str).

    ``features`` is float64 when every column is numeric and no cell is missing (the phone prices); otherwise an
    object array: numeric columns hold floats (NaN where missing), categorical ones str (None where missing)."""
    feature_names: list[str]
    features: np.ndarray
    target_name: Optional[str]
    target: Optional[np.ndarray]
    source: str
    sha256: Optional[str] = None
    synthetic: bool = False
    categorical: list[str] = field(default_factory=list)
    n_missing: int = 0

    @property
    def n_rows(self) -> int:
        return len(self.features)

    @property
    def categorical_columns(self) -> list[int]:
        return [self.feature_names.index(name) for name in self.categorical]


def _number(text: str) -> float | None:
    """float(text) for a finite number, else None ('nan', 'inf' and words are not numbers here)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _is_na(text: str) -> bool:
    return text.strip().lower() in NA_SPELLINGS


def _cell_error(row: int, line: Optional[int], column: str, text: str, hint: bool = True,
                other: Optional[tuple[int, str]] = None) -> InputError:
    """The message for a feature cell that cannot be read; ``hint`` adds what to do when training (the flags)."""
    where = f"row {row} (line {line}), column '{column}'" if line is not None else f"row {row}, column '{column}'"
    if text.strip() == "":
        return InputError(f"{where}: the cell is empty; every feature cell needs a value"
                          + ("" if not hint else " (--missing impute fills empty cells in: numbers with the training "
                                                 "rows' mean, categories with a '<missing>' category)"))
    message = f"{where}: {text!r} is not a number"
    if not hint:
        return InputError(f"{message}; the model reads column '{column}' as numeric")
    if _is_na(text):
        return InputError(f"{message}; if it marks a missing value, --missing impute fills it in")
    if other is not None:
        return InputError(f"{message}, but other cells of '{column}' are (row {other[0]}: {other[1]!r}), so the "
                          f"column is numeric: fix the cell, or pass --categorical {column} to treat every value of "
                          f"'{column}' as a category")
    return InputError(f"{message}; feature columns must be numeric, or named by --categorical")


def _read_text(path: str | Path) -> tuple[str, str]:
    """The file's text (UTF-8, a BOM dropped) and the sha256 of its bytes."""
    from .validate import read_regular_file  # (regular files only, bounded: never /dev/zero or a FIFO)
    path = Path(path)
    data = read_regular_file(path, "CSV file")
    if not data.strip():
        raise InputError(f"{path} is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not UTF-8 text (byte {error.start}): is it really a CSV file?") from None
    return text, hashlib.sha256(data).hexdigest()


def _delimiter(text: str) -> str:
    """The separator the header line uses: a comma, else a semicolon (Excel's CSV where the decimal mark is a comma),
    a tab or a bar; a comma when the header has none of them (one column)."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    return next((d for d in ",;\t|" if d in header), ",")


def _rows(text: str, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) for each non-blank data line."""
    try:
        lines = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise InputError(f"{source} is not a readable CSV file: {error}") from None
    numbered = [(i + 1, cells) for i, cells in enumerate(lines) if any(c.strip() for c in cells)]
    if not numbered:
        raise InputError(f"{source} is empty")
    header = [name.strip() for name in numbered[0][1]]
    for i, name in enumerate(header):
        if not name:
            raise InputError(f"{source}: column {i + 1} of the header has no name")
    duplicates = sorted({n for n in header if header.count(n) > 1})
    if duplicates:
        raise InputError(f"{source}: the header repeats column names: {', '.join(duplicates)}")
    body = numbered[1:]
    if not body:
        raise InputError(f"{source} has a header but no data rows")
    for line, cells in body:
        if len(cells) != len(header):
            raise InputError(f"{source}: line {line} has {len(cells)} values but the header has {len(header)} columns")
    return header, body


def _column_kinds(header: list[str], columns: list[int], body: list[tuple[int, list[str]]], forced: set[str],
                  detect: bool) -> list[bool]:
    """For each feature column: categorical? Named in ``forced``, or (with ``detect``) holding words and no number.
    Empty cells and missing-value spellings are not words: a column of only 'nan' cells stays numeric."""
    kinds = []
    for c in columns:
        texts = [cells[c] for _, cells in body]
        numbers = any(_number(t) is not None for t in texts)
        words = any(_number(t) is None and not _is_na(t) for t in texts)
        kinds.append(header[c] in forced or (detect and words and not numbers))
    return kinds


def _feature_matrix(names: list[str], columns: list[int], body: list[tuple[int, list[str]]], categorical: list[bool],
                    impute: bool, hint: bool = True) -> tuple[np.ndarray, int]:
    """The feature cells (float64, or object when a column is categorical or a cell missing) and the missing count;
    the first unreadable cell, row by row, raises InputError."""
    cells_by_row = [cells for _, cells in body]
    features = np.empty((len(body), len(columns)), dtype=np.float64)
    generic: Optional[np.ndarray] = None  # the object copy, made at the first category or missing cell
    n_missing = 0
    for r, (line, cells) in enumerate(body):
        for j, c in enumerate(columns):
            text = cells[c]
            value: Any = _number(text)
            if value is None or categorical[j]:
                if impute and _is_na(text):
                    value = None if categorical[j] else math.nan
                    n_missing += 1
                elif categorical[j] and text.strip() != "":
                    value = text.strip()
                else:
                    other = next(((i + 1, row[c]) for i, row in enumerate(cells_by_row)
                                  if _number(row[c]) is not None), None)
                    raise _cell_error(r + 1, line, names[c], text, hint, other)
                if generic is None:
                    generic = features.astype(object)
            if generic is not None:
                generic[r, j] = value
            else:
                features[r, j] = value
    return (features if generic is None else generic), n_missing


def _target_values(name: str, texts: list[str], lines: list[int]) -> np.ndarray:
    for r, (text, line) in enumerate(zip(texts, lines)):
        if text.strip() == "":
            raise InputError(f"row {r + 1} (line {line}), column '{name}': the target cell is empty")
    numbers = [_number(t) for t in texts]
    if all(v is not None for v in numbers):
        return np.array(numbers, dtype=np.float64)
    return np.array([t.strip() for t in texts], dtype=object)


def read_csv(path: str | Path, target: Optional[str] = None, require_target: bool = True, *,
             categorical: Sequence[str] = (), missing: str = "error", detect: bool = True) -> Table:
    """Reads a CSV with a header row. The target is ``target`` or, when None, the last column.

    ``categorical`` names columns to read as categories whatever they hold (codes such as zip codes); with ``detect``
    a column none of whose cells is a number is categorical too (a model's evaluation data passes ``detect=False``
    and the model's own list). ``missing="impute"`` reads empty cells and ``NA_SPELLINGS`` as missing."""
    text, digest = _read_text(path)
    header, body = _rows(text, str(path))
    if target is None:
        if len(header) < 2:
            raise InputError(f"{path} has one column ('{header[0]}'): it needs feature columns and a target column")
        target = header[-1]
    elif target not in header:
        if require_target:
            raise InputError(f"{path} has no column '{target}'; its columns are: {', '.join(header)}")
        target = None
    feature_columns = [i for i, name in enumerate(header) if name != target]
    if not feature_columns:
        raise InputError(f"{path} has no feature columns besides the target '{target}'")
    for name in categorical:
        if name == target:
            raise InputError(f"--categorical {name}: '{name}' is the target column, not a feature")
        if name not in header and detect:  # (a model's rows: a missing column is reported by the caller)
            raise InputError(f"--categorical {name}: {path} has no column '{name}'; its columns are: "
                             f"{', '.join(header)}")
    kinds = _column_kinds(header, feature_columns, body, set(categorical), detect)
    features, n_missing = _feature_matrix(header, feature_columns, body, kinds, missing == "impute", hint=detect)
    target_values = None
    if target is not None:
        t = header.index(target)
        target_values = _target_values(target, [cells[t] for _, cells in body], [line for line, _ in body])
    names = [header[i] for i in feature_columns]
    return Table(names, features, target, target_values, str(path), digest,
                 categorical=[n for n, k in zip(names, kinds) if k], n_missing=n_missing)


def read_rows(source: str, text: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and rows of CSV or JSON text (JSON: an object, a list of objects, or {"rows": [...]})."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        from .validate import loads_json  # (bounded numbers and nesting)
        document = loads_json(text, source)
        if isinstance(document, dict):
            document = document.get("rows", [document])
        if not isinstance(document, list) or not document or not all(isinstance(r, dict) for r in document):
            raise InputError(f"{source}: JSON input must be an object or a non-empty list of objects "
                             "(one per row, column name → value)")
        header = list(document[0])
        rows = []
        for i, record in enumerate(document):
            if set(record) != set(header):
                raise InputError(f"{source}: JSON row {i + 1} has columns {sorted(record)}, row 1 has {sorted(header)}")
            rows.append((i + 1, [record[name] for name in header]))
        return header, rows
    header, body = _rows(text, source)
    return header, body


def read_features(source: str, text: str, feature_names: list[str], target_name: Optional[str],
                  categorical: Sequence[str] = (), missing: str = "error") -> np.ndarray:
    """The (n, d) features of rows to predict, in the model's column order; the target column, if given, is ignored.
    Columns named in ``categorical`` are read as categories (JSON: a string, or a number taken as its text); under
    ``missing="impute"`` an empty cell, an ``NA_SPELLINGS`` text or a JSON null is missing (NaN, or None for a
    category). Float64 when nothing is categorical or missing, else an object array (see :class:`Table`)."""
    header, rows = read_rows(source, text)
    given = [name for name in header if name != target_name]
    absent = [name for name in feature_names if name not in given]
    extra = [name for name in given if name not in feature_names]
    if absent or extra:
        parts = []
        if absent:
            parts.append(f"missing column{'s' if len(absent) > 1 else ''}: {', '.join(absent)}")
        if extra:
            parts.append(f"unexpected column{'s' if len(extra) > 1 else ''}: {', '.join(extra)}")
        raise InputError(f"{source}: {'; '.join(parts)}. The model expects: {', '.join(feature_names)}")
    impute = missing == "impute"
    features = np.empty((len(rows), len(feature_names)), dtype=np.float64)
    generic: Optional[np.ndarray] = None if not categorical else features.astype(object)
    is_json = text.lstrip().startswith(("[", "{"))
    for r, (line, cells) in enumerate(rows):
        for j, name in enumerate(feature_names):
            cell = cells[header.index(name)]
            value = _json_cell(source, r, name, cell, name in categorical, impute) if is_json else \
                _csv_cell(r, line, name, cell, name in categorical, impute)
            if generic is None and (value is None or isinstance(value, str) or math.isnan(value)):
                generic = features.astype(object)
            if generic is not None:
                generic[r, j] = value
            else:
                features[r, j] = value
    return features if generic is None else generic


def _csv_cell(r: int, line: int, name: str, text: str, categorical: bool, impute: bool) -> Any:
    if impute and _is_na(text):
        return None if categorical else math.nan
    if categorical and text.strip() != "":
        return text.strip()
    value = _number(text)
    if value is None:
        raise _cell_error(r + 1, line, name, text, hint=False)
    return value


def _json_cell(source: str, r: int, name: str, cell: Any, categorical: bool, impute: bool) -> Any:
    where = f"{source}: row {r + 1}, column '{name}'"
    if impute and (cell is None or (isinstance(cell, str) and _is_na(cell))
                   or (isinstance(cell, float) and math.isnan(cell))):
        return None if categorical else math.nan
    if cell is None:
        raise InputError(f"{where}: the value is missing (null)")
    if categorical and isinstance(cell, (str, int, float)):
        value = category_of(cell)
        if not value:
            raise InputError(f"{where}: the value is missing ({cell!r})")
        return value
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and math.isfinite(cell):
        return float(cell)
    raise InputError(f"{where}: {cell!r} is not a number")


def infer_task(target: np.ndarray) -> str:
    """'classification' for labels or a few distinct integers, 'regression' for other numbers."""
    if target.dtype == object:
        return "classification"
    distinct = np.unique(target)
    integral = bool(np.all(np.floor(distinct) == distinct))
    return "classification" if integral and len(distinct) <= max(2, min(20, len(target) // 5)) else "regression"


def check_classes(target: np.ndarray, name: str) -> None:
    distinct = np.unique(target)
    if len(distinct) < 2:
        only = distinct[0] if len(distinct) else "nothing"
        raise InputError(f"the target column '{name}' has a single class ({_plain(only)}) in the training rows: "
                         "a classifier needs at least two")


def _plain(value: Any) -> Any:
    """A label as a plain Python value: integral floats become int."""
    if isinstance(value, (np.floating, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.generic):
        return value.item()
    return value
