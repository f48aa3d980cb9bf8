"""``glasstorch predict --output FILE.csv``: the input rows, every column as it was written, followed by the
prediction (and, with ``--proba``, one probability column per class), written atomically."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd

from ..i18n import t
from .csvread import read_frame
from .data import InputError, is_json, read_rows
from .fileio import write_text


def _input_rows(source: str, text: str) -> tuple[pd.DataFrame, str, str]:
    """The input rows as text columns, with the separator and decimal mark to write them back with."""
    if is_json(text):
        header, rows = read_rows(source, text)
        cells = {name: [_json_text(row[j]) for _, row in rows] for j, name in enumerate(header)}
        return pd.DataFrame(cells, columns=header), ",", "."
    frame = read_frame(text=text, source=source, as_text_all=True, decimal=".")
    data = pd.DataFrame({name: frame.texts[name] for name in frame.header}, columns=frame.header)
    return data, frame.sep, "."


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _free(name: str, taken: Sequence[str]) -> str:
    """``name``, or ``name_2``, ``name_3``... when the input already has a column of that name."""
    candidate, k = name, 1
    while candidate in taken:
        k += 1
        candidate = f"{name}_{k}"
    return candidate


def write_predictions(path: str | Path, source: str, text: str, predictions: np.ndarray,
                      probabilities: Optional[np.ndarray] = None, classes: Sequence[Any] = (),
                      decimal: str = ".") -> Path:
    """Writes the input rows with a ``prediction`` column (and ``p(class)`` columns) to ``path`` as CSV."""
    path = Path(path)
    if path.is_dir():
        raise InputError(t("app.err.output_folder", path=path))
    data, sep, _ = _input_rows(source, text)
    if len(data) != len(predictions):
        raise InputError(t("app.err.rows_read_back", source=source, n=len(data), m=len(predictions)))
    taken = list(data.columns)
    name = _free("prediction", taken)
    data[name] = predictions
    taken.append(name)
    if probabilities is not None:
        for c, label in enumerate(classes):
            column = _free(f"p({label})", taken)
            data[column] = np.round(probabilities[:, c].astype(np.float64), 6)
            taken.append(column)
    if sep == decimal:
        sep = ";"
    text_out = data.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\n")
    return write_text(path, text_out)
