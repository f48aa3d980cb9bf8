"""Where a run's rows come from: a CSV given by path, the course's phone-price CSV (found or downloaded), or
synthetic phone rows. Each source is described in a small dict saved with the model, so ``evaluate`` can find the same
rows (and the same held-out split) again."""
from __future__ import annotations

import os
import sys
from typing import Any, Optional

import numpy as np

from glasstorch.datasets import SHA256 as PHONE_SHA256
from glasstorch.datasets import DataNotFoundError, make_phone_prices, phone_prices

from ..i18n import t
from .data import InputError, Table, read_csv


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def load_phone_or_csv(data: Optional[str], target: Optional[str], **reading: Any) -> Table:
    """``data`` (a CSV path) or, when None, the course's phone-price CSV found by the datasets module.
    ``reading``: read_csv's ``categorical``, ``missing`` and ``detect``."""
    if data is not None:
        return read_csv(data, target, **reading)
    try:
        path = phone_prices(log=_log)
    except DataNotFoundError as error:
        raise InputError(str(error)) from None
    return read_csv(path, target, **reading)


def synthetic_table(n: int, seed: int) -> Table:
    from .validate import check_synthetic_rows
    check_synthetic_rows(n)  # 20 to 1,000,000 (a model file may claim any n)
    rows = make_phone_prices(n, seed)
    return Table(list(rows.feature_names), rows.data.astype(np.float64), rows.target_name,
                 rows.target.astype(np.float64), f"synthetic phone prices (n={n}, seed={seed})", None, True)


def describe(table: Table, synthetic_seed: Optional[int] = None) -> dict[str, Any]:
    """What to save about the rows' origin."""
    if table.synthetic:
        return {"kind": "synthetic", "n": table.n_rows, "seed": synthetic_seed, "description": table.source}
    return {"kind": "csv", "path": table.source, "sha256": table.sha256, "n": table.n_rows}


def reload(source: dict[str, Any], target: Optional[str], **reading: Any) -> Table:
    """The rows a model was trained on, found again unchanged, or InputError saying why not. Rows from a CSV are read
    from the stored path and must have the stored sha256; only a model trained on the course's phone-price CSV (its
    sha256) may fall back to finding or downloading that file. A model trained on any other file never triggers a
    download of unrelated data."""
    if source.get("kind") == "synthetic":
        return synthetic_table(int(source["n"]), int(source["seed"]))
    path, digest = source.get("path"), source.get("sha256")
    if path is None:
        raise InputError(t("sources.no_path"))
    try:
        table = read_csv(path, target, **reading)
    except InputError as error:
        if digest == PHONE_SHA256:
            table = load_phone_or_csv(None, target, **reading)
        elif not os.path.exists(path):
            raise InputError(t("sources.gone", path=path)) from None
        else:
            raise InputError(t("sources.unreadable", path=path, error=error)) from None
    if table.sha256 != digest:
        raise InputError(t("sources.changed", path=path))
    return table
