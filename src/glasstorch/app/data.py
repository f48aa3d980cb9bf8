"""Reading tabular data (CSV, JSON) into arrays, with messages that name the row and column of every bad cell.

No pandas: the standard ``csv`` module reads the file, every feature cell must be a number, the target may be numbers
or labels. Any problem raises :class:`InputError`, which the command line prints as one clear message (exit code 2).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np


class InputError(Exception):
    """Input the trainer cannot use (a missing file, a bad cell, a wrong column...): the CLI prints it and exits 2."""


@dataclass
class Table:
    """Feature columns as float64 (n, d), and the target column's values (float64 if all numeric, else str)."""
    feature_names: list[str]
    features: np.ndarray
    target_name: Optional[str]
    target: Optional[np.ndarray]
    source: str
    sha256: Optional[str] = None
    synthetic: bool = False

    @property
    def n_rows(self) -> int:
        return len(self.features)


def _number(text: str) -> float | None:
    """float(text) for a finite number, else None ('nan', 'inf' and words are not numbers here)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _cell_error(row: int, line: int, column: str, text: str) -> InputError:
    where = f"row {row} (line {line}), column '{column}'"
    if text.strip() == "":
        return InputError(f"{where}: the cell is empty; every feature cell needs a number")
    return InputError(f"{where}: {text!r} is not a number; feature columns must be numeric")


def _read_text(path: str | Path) -> tuple[str, str]:
    """The file's text (UTF-8, a BOM dropped) and the sha256 of its bytes."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a CSV file")
    data = path.read_bytes()
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


def _feature_matrix(names: list[str], columns: list[int], body: list[tuple[int, list[str]]]) -> np.ndarray:
    features = np.empty((len(body), len(columns)), dtype=np.float64)
    for r, (line, cells) in enumerate(body):
        for j, c in enumerate(columns):
            value = _number(cells[c])
            if value is None:
                raise _cell_error(r + 1, line, names[c], cells[c])
            features[r, j] = value
    return features


def _target_values(name: str, texts: list[str], lines: list[int]) -> np.ndarray:
    for r, (text, line) in enumerate(zip(texts, lines)):
        if text.strip() == "":
            raise InputError(f"row {r + 1} (line {line}), column '{name}': the target cell is empty")
    numbers = [_number(t) for t in texts]
    if all(v is not None for v in numbers):
        return np.array(numbers, dtype=np.float64)
    return np.array([t.strip() for t in texts], dtype=object)


def read_csv(path: str | Path, target: Optional[str] = None, require_target: bool = True) -> Table:
    """Reads a CSV with a header row. The target is ``target`` or, when None, the last column."""
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
    features = _feature_matrix(header, feature_columns, body)
    target_values = None
    if target is not None:
        t = header.index(target)
        target_values = _target_values(target, [cells[t] for _, cells in body], [line for line, _ in body])
    return Table([header[i] for i in feature_columns], features, target, target_values, str(path), digest)


def read_rows(source: str, text: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and rows of CSV or JSON text (JSON: an object, a list of objects, or {"rows": [...]})."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(f"{source} is not valid JSON: {error}") from None
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


def read_features(source: str, text: str, feature_names: list[str], target_name: Optional[str]) -> np.ndarray:
    """The (n, d) features of rows to predict, in the model's column order; the target column, if given, is ignored."""
    header, rows = read_rows(source, text)
    given = [name for name in header if name != target_name]
    missing = [name for name in feature_names if name not in given]
    extra = [name for name in given if name not in feature_names]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected column{'s' if len(extra) > 1 else ''}: {', '.join(extra)}")
        raise InputError(f"{source}: {'; '.join(parts)}. The model expects: {', '.join(feature_names)}")
    features = np.empty((len(rows), len(feature_names)), dtype=np.float64)
    is_json = text.lstrip().startswith(("[", "{"))
    for r, (line, cells) in enumerate(rows):
        for j, name in enumerate(feature_names):
            cell = cells[header.index(name)]
            value = (float(cell) if isinstance(cell, (int, float)) and not isinstance(cell, bool)
                     and math.isfinite(cell) else None) if is_json else _number(cell)
            if value is None:
                text_cell = "" if cell is None else str(cell)
                if is_json:
                    raise InputError(f"{source}: row {r + 1}, column '{name}': {cell!r} is not a number")
                raise _cell_error(r + 1, line, name, text_cell)
            features[r, j] = value
    return features


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
