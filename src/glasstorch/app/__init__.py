"""glasstorch's trainer for tabular data (the course's phone-price case study and any CSV): estimators in
scikit-learn's manner, the ``course`` and ``tuned`` recipes, and the ``glasstorch`` command line.

The names below load on first use (PEP 562), so that ``glasstorch run`` or ``--help`` does not import the trainer
and matplotlib (~280 modules, a second of start-up) just because the command line lives in this package.
"""
from __future__ import annotations

import importlib

_WHERE = {"TrainConfig": "config", "InputError": "data", "Table": "data", "read_csv": "data",
          "ColumnEncoder": "encoding", "TabularClassifier": "estimator", "TabularRegressor": "estimator",
          "make_config": "recipes",
          "k_fold": "split", "stratified_k_fold": "split", "train_test_split": "split", "fit_recipe": "train"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
