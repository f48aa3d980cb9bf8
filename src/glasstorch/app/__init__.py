"""glasstorch's trainer for tabular data (the course's phone-price case study and any CSV): estimators in
scikit-learn's manner, the ``course`` and ``tuned`` recipes, and the ``glasstorch`` command line."""
from __future__ import annotations

from .config import TrainConfig
from .data import InputError, Table, read_csv
from .estimator import TabularClassifier, TabularRegressor
from .split import k_fold, stratified_k_fold, train_test_split

__all__ = ["InputError", "Table", "TabularClassifier", "TabularRegressor", "TrainConfig", "k_fold", "read_csv",
           "stratified_k_fold", "train_test_split"]
