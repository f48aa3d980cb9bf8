"""glasstorch's trainer for tabular data (the course's phone-price case study and any CSV): estimators in
scikit-learn's manner, the ``course`` and ``tuned`` recipes, and the ``glasstorch`` command line."""
from __future__ import annotations

from .config import TrainConfig
from .data import InputError, Table, read_csv
from .estimator import TabularClassifier, TabularRegressor
from .recipes import make_config
from .split import k_fold, stratified_k_fold, train_test_split
from .train import fit_recipe

__all__ = ["InputError", "Table", "TabularClassifier", "TabularRegressor", "TrainConfig", "fit_recipe", "k_fold",
           "make_config", "read_csv", "stratified_k_fold", "train_test_split"]
