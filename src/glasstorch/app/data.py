"""Reading tabular data (CSV, JSON) into arrays, with messages that name the row and column of every bad cell.

pandas reads the CSV (:mod:`glasstorch.app.csvread`: separator from the header, UTF-8, decimal commas and thousands
separators detected); each column is then typed once per distinct text (:mod:`glasstorch.app.columns`). The target
may be numbers or labels. A feature column is numeric, or categorical when none of its cells is a number (or when
named in ``categorical``): its cells are kept as text, for :mod:`glasstorch.app.encoding` to one-hot encode. A column
mixing numbers and words is refused (a typo in a numeric column must not turn it into categories). A detected
categorical column whose values are (nearly) all distinct (an ID, a name, free text) would only add one useless input
per row: it is dropped, with a note in ``Table.dropped``, unless named in ``categorical``. Empty cells are refused
unless ``missing="impute"``, which also reads the common spellings of "no value" (``NA_SPELLINGS``) as missing. Any
problem raises :class:`InputError`, which the command line prints as one clear message (exit code 2).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from .. import i18n
from ..i18n import t, t_in
from .columns import NA_SPELLINGS, Cells, TextColumn, as_text_column, cells, first_bad, matrix
from .columns import is_na as _is_na
from .csvread import Frame, read_frame
from .numbers import NumberFormat
from .encoding import category_of
from .errors import InputError
from .validate import loads_json

__all__ = ["InputError", "NA_SPELLINGS", "Table", "read_csv", "read_features", "read_rows", "infer_task",
           "check_classes"]

ID_SHARE = 0.9  # a detected categorical column with this share of distinct values (in 20+ cells) is an ID or text
ID_MIN_CELLS = 20


@dataclass
class Table:
    """Feature columns (n, d) and the target column's values (float64 if all numeric, else str).

    ``features`` is float64 when every column is numeric and no cell is missing (the phone prices); otherwise an
    object array: numeric columns hold floats (NaN where missing), categorical ones str (None where missing).
    ``dropped``: (column, distinct values, rows with a value) for each column left out as an ID or free text (see
    :func:`dropped_reason`); ``number_format``: how the file writes numbers (decimal mark, thousands separator)."""
    feature_names: list[str]
    features: np.ndarray
    target_name: Optional[str]
    target: Optional[np.ndarray]
    source: str
    sha256: Optional[str] = None
    synthetic: bool = False
    categorical: list[str] = field(default_factory=list)
    n_missing: int = 0
    dropped: list[tuple[str, int, int]] = field(default_factory=list)
    number_format: Optional[NumberFormat] = None

    @property
    def n_rows(self) -> int:
        return len(self.features)

    @property
    def categorical_columns(self) -> list[int]:
        return [self.feature_names.index(name) for name in self.categorical]


def dropped_reason(distinct: int, present: int, language: Optional[str] = None) -> str:
    """Why a column was left out, e.g. "60 distinct values in 60 rows" (in ``language``, else the user's)."""
    return t_in(language or i18n.language(), "table.distinct", distinct=distinct, present=present)


def _cell_error(row: int, line: Optional[int], column: str, text: str, hint: bool = True,
                other: Optional[tuple[int, str]] = None) -> InputError:
    """The message for a feature cell that cannot be read; ``hint`` adds what to do when training (the flags)."""
    where = (t("app.err.where_line", row=row, line=line, column=column) if line is not None
             else t("app.err.where", row=row, column=column))
    if text.strip() == "":
        return InputError(t("app.err.cell_empty", where=where) + ("" if not hint else t("app.err.cell_empty_hint")))
    message = t("app.err.not_number", where=where, text=repr(text))
    if not hint:
        return InputError(t("app.err.model_numeric", message=message, column=column))
    if _is_na(text):
        return InputError(t("app.err.na_hint", message=message))
    if other is not None:
        return InputError(t("app.err.other_numbers", message=message, column=column, row=other[0],
                            text=repr(other[1])))
    return InputError(t("app.err.must_be_numeric", message=message))


def _raise_first_bad(frame: Frame, names: list[str], columns: list, read: list[Cells], hint: bool) -> None:
    """Raises the error of the first unreadable cell, row by row (the lowest row, then the leftmost column)."""
    j = first_bad(read)
    if j is None:
        return
    row, column = read[j].bad, columns[j]
    text = str(column.raw[column.codes[row]])
    other = column.first_number() if hint and not read[j].categorical else None
    raise _cell_error(row + 1, frame.line_of(row), names[j], text, hint, other)


def _choose(header: list[str], target: Optional[str], path: Any, features: Optional[Sequence[str]],
            drop: Sequence[str]) -> list[str]:
    """The feature columns: all but the target, or those named by ``features``, less those named by ``drop``."""
    def check(flag: str, name: str) -> None:
        if name not in header:
            raise InputError(t("app.err.flag_no_column", flag=flag, name=name, path=path, columns=", ".join(header)))
        if name == target:
            raise InputError(t("app.err.flag_target", flag=flag, name=name))

    for name in features or ():
        check("features", name)
    for name in drop:
        check("drop", name)
    chosen = [n for n in (features or header) if n != target and n not in set(drop)]
    if not chosen:
        raise InputError(t("app.err.no_features", path=path, target=target) if not (features or drop)
                         else t("app.err.no_features_left"))
    return chosen


def read_csv(path: str | Path, target: Optional[str] = None, require_target: bool = True, *,
             categorical: Sequence[str] = (), missing: str = "error", detect: bool = True,
             decimal: Optional[str] = None, features: Optional[Sequence[str]] = None,
             drop: Sequence[str] = ()) -> Table:
    """Reads a CSV with a header row. The target is ``target`` or, when None, the last column.

    ``categorical`` names columns to read as categories whatever they hold (codes such as zip codes); with ``detect``
    a column none of whose cells is a number is categorical too, and left out (``Table.dropped``) when its values are
    (nearly) all distinct; a model's evaluation data passes ``detect=False`` and the model's own list.
    ``missing="impute"`` reads empty cells and ``NA_SPELLINGS`` as missing. ``decimal`` forces the decimal mark
    ("," or "."; None detects it). ``features`` names the feature columns (default: all but the target), ``drop``
    columns to leave out."""
    impute = missing == "impute"
    frame = read_frame(path, as_text=categorical, decimal=decimal, missing=NA_SPELLINGS)
    header = frame.header
    if target is None:
        if len(header) < 2:
            raise InputError(t("app.err.one_column", path=path, name=header[0]))
        target = header[-1]
    elif target not in header:
        if require_target:
            raise InputError(t("app.err.no_target", path=path, target=target, columns=", ".join(header)))
        target = None
    names = _choose(header, target, path, features, drop)
    for name in categorical:
        if name == target:
            raise InputError(t("app.err.flag_target", flag="categorical", name=name))
        if name not in header and detect:  # (a model's rows: a missing column is reported by the caller)
            raise InputError(t("app.err.flag_no_column", flag="categorical", name=name, path=path,
                               columns=", ".join(header)))
        if name not in names and detect:
            raise InputError(t("app.err.categorical_left_out", name=name))
    forced = set(categorical)
    columns = [as_text_column(frame.column(n), frame.number_format) for n in names]
    kinds = [n in forced or (detect and isinstance(c, TextColumn) and c.has_word and not c.has_number)
             for n, c in zip(names, columns)]
    dropped: list[tuple[str, int, int]] = []  # (column, distinct values, rows with a value)
    if detect:
        for j in reversed(range(len(names))):
            if kinds[j] and names[j] not in forced:
                distinct, present = columns[j].distinct_present(impute)
                if present >= ID_MIN_CELLS and distinct >= ID_SHARE * present:
                    dropped.insert(0, (names[j], distinct, present))
                    del names[j], columns[j], kinds[j]
        if not names:
            raise InputError(t("table.all_ids", path=path, columns=t("table.sep").join(
                t("table.id_column", name=n, why=dropped_reason(d, p)) for n, d, p in dropped)))
    read = [cells(c, k, impute) for c, k in zip(columns, kinds)]
    _raise_first_bad(frame, names, columns, read, hint=detect)
    features_matrix = matrix(read)
    target_values = None if target is None else _target_values(frame, target)
    return Table(names, features_matrix, target, target_values, str(path), frame.sha256,
                 categorical=[n for n, k in zip(names, kinds) if k], n_missing=sum(c.missing for c in read),
                 dropped=dropped,
                 number_format=frame.number_format)


def _target_values(frame: Frame, name: str) -> np.ndarray:
    column = as_text_column(frame.column(name), frame.number_format)
    if not isinstance(column, TextColumn):
        return column
    empty = (column.stripped == "")[column.codes]
    if empty.any():
        r = int(np.argmax(empty))
        raise InputError(t("app.err.target_empty", row=r + 1, line=frame.line_of(r), column=name))
    numbers = column.numbers[column.codes]
    if not np.isnan(numbers).any():
        return numbers
    return column.stripped[column.codes]


def read_rows(source: str, text: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and rows of JSON text: an object, a list of objects, or {"rows": [...]}."""
    document = loads_json(text, source)  # (bounded numbers and nesting)
    if isinstance(document, dict):
        document = document.get("rows", [document])
    if not isinstance(document, list) or not document or not all(isinstance(r, dict) for r in document):
        raise InputError(t("table.json_shape", source=source))
    header = list(document[0])
    rows = []
    for i, record in enumerate(document):
        if set(record) != set(header):
            raise InputError(t("table.json_row_columns", source=source, i=i + 1, columns=sorted(record),
                               first=sorted(header)))
        rows.append((i + 1, [record[name] for name in header]))
    return header, rows


def is_json(text: str) -> bool:
    return text.lstrip().startswith(("[", "{"))


def read_features(source: str, text: str, feature_names: list[str], target_name: Optional[str],
                  categorical: Sequence[str] = (), missing: str = "error", *, needed: Optional[Sequence[str]] = None,
                  fill: Optional[dict[str, Any]] = None, decimal: Optional[str] = None,
                  ignored: Optional[list[str]] = None) -> np.ndarray:
    """The (n, d) features of rows to predict, in the model's column order; the target column, if given, is ignored.
    Columns named in ``categorical`` are read as categories (JSON: a string, or a number taken as its text); under
    ``missing="impute"`` an empty cell, an ``NA_SPELLINGS`` text or a JSON null is missing (NaN, or None for a
    category). Float64 when nothing is categorical or missing, else an object array (see :class:`Table`).

    By default the rows must give exactly the model's columns. With ``needed`` (the columns the model uses), only
    those are required: a model column not needed and not given takes its value from ``fill`` (it does not reach the
    network), and a column the model does not know is ignored, its name appended to ``ignored``."""
    frame = None
    if is_json(text):
        header, rows = read_rows(source, text)
    else:
        frame = read_frame(text=text, source=source, as_text=list(categorical), decimal=decimal, missing=NA_SPELLINGS)
        header, rows = frame.header, []
    given = [name for name in header if name != target_name]
    required = list(feature_names) if needed is None else [n for n in feature_names if n in set(needed)]
    absent = [name for name in required if name not in given]
    extra = [name for name in given if name not in feature_names]
    if absent or (extra and needed is None):
        parts = []
        if absent:
            parts.append(t("table.missing_columns" if len(absent) > 1 else "table.missing_column",
                           names=", ".join(absent)))
        if extra and needed is None:
            parts.append(t("table.unexpected_columns" if len(extra) > 1 else "table.unexpected_column",
                           names=", ".join(extra)))
        expects = (t("table.model_expects", names=", ".join(feature_names)) if needed is None
                   else t("table.model_uses", names=", ".join(required)))
        raise InputError(t("table.columns_mismatch", source=source, problems=t("table.sep").join(parts),
                           expects=expects))
    if ignored is not None:
        ignored.extend(extra)
    present = [name for name in feature_names if name in given]  # the rest: unused, absent, filled in
    impute, fill = missing == "impute", fill or {}
    if frame is not None:
        return _csv_features(frame, feature_names, present, categorical, impute, fill)
    features = np.empty((len(rows), len(feature_names)), dtype=np.float64)
    generic: Optional[np.ndarray] = None if not categorical else features.astype(object)
    for r, (line, row) in enumerate(rows):
        for j, name in enumerate(feature_names):
            value = _json_cell(source, r, name, row[header.index(name)], name in categorical, impute) \
                if name in present else fill.get(name, 0.0)
            if generic is None and (value is None or isinstance(value, str) or math.isnan(value)):
                generic = features.astype(object)
            if generic is not None:
                generic[r, j] = value
            else:
                features[r, j] = value
    return features if generic is None else generic


def _csv_features(frame: Frame, feature_names: list[str], present: list[str], categorical: Sequence[str],
                  impute: bool, fill: dict[str, Any]) -> np.ndarray:
    columns: list[Any] = []
    read: list[Cells] = []
    for name in feature_names:
        if name in present:
            column = as_text_column(frame.column(name), frame.number_format)
            columns.append(column)
            read.append(cells(column, name in categorical, impute))
        else:  # a column the model does not use, absent: any value of the right kind
            is_text = name in categorical
            values = np.full(frame.n_rows, fill.get(name, "" if is_text else 0.0),
                             dtype=object if is_text else np.float64)
            columns.append(None)
            read.append(Cells(values, 0, None, is_text))
    _raise_first_bad(frame, feature_names, columns, read, hint=False)
    return matrix(read)


def _json_cell(source: str, r: int, name: str, cell: Any, categorical: bool, impute: bool) -> Any:
    where = f"{source}: " + t("app.err.where", row=r + 1, column=name)
    if impute and (cell is None or (isinstance(cell, str) and _is_na(cell))
                   or (isinstance(cell, float) and math.isnan(cell))):
        return None if categorical else math.nan
    if cell is None:
        raise InputError(t("app.err.json_null", where=where))
    if categorical and isinstance(cell, (str, int, float)):
        value = category_of(cell)
        if not value:
            raise InputError(t("app.err.json_missing", where=where, text=repr(cell)))
        return value
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and math.isfinite(cell):
        return float(cell)
    raise InputError(t("app.err.not_number", where=where, text=repr(cell)))


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
        only = _plain(distinct[0]) if len(distinct) else t("table.nothing")
        raise InputError(t("table.single_class", name=name, label=only))


def _plain(value: Any) -> Any:
    """A label as a plain Python value: integral floats become int."""
    if isinstance(value, (np.floating, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.generic):
        return value.item()
    return value
