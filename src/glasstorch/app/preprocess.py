"""Preprocessing fitted on the training rows only: standardisation, feature screening, label encoding.

Each piece learns from ``fit(training rows)`` and is applied unchanged to any other rows, so nothing about the
held-out rows (or a cross-validation fold's test rows) leaks into what the model sees.
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..i18n import t
from .features import select_features


class Standardizer:
    """x' = (x - mean) / std per column, mean and std (ddof 0, as scikit-learn's StandardScaler) from the training rows.
    A constant column gets std 1, so it maps to 0 instead of dividing by zero."""

    def __init__(self, mean: Optional[np.ndarray] = None, scale: Optional[np.ndarray] = None) -> None:
        self.mean_ = mean
        self.scale_ = scale

    def fit(self, x: np.ndarray) -> "Standardizer":
        self.mean_ = x.mean(axis=0)
        std = x.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0)
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean_) / self.scale_

    def inverse_transform(self, x: np.ndarray) -> np.ndarray:
        return x * self.scale_ + self.mean_


class Identity:
    """The 'no scaling' stand-in for :class:`Standardizer` (the course feeds raw features)."""
    mean_ = None
    scale_ = None

    def fit(self, x: np.ndarray) -> "Identity":
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        return x

    def inverse_transform(self, x: np.ndarray) -> np.ndarray:
        return x


class LabelEncoder:
    """Maps labels (numbers or strings, any values) to 0..K-1 in sorted order and back."""

    def __init__(self, classes: Optional[list[Any]] = None) -> None:
        self.classes_ = classes

    def fit(self, y: np.ndarray) -> "LabelEncoder":
        self.classes_ = [_plain(v) for v in np.unique(y)]
        return self

    def transform(self, y: np.ndarray, unknown: Optional[int] = None) -> np.ndarray:
        """Codes 0..K-1; a label not seen in ``fit`` raises ValueError, or becomes ``unknown`` when one is given."""
        index = {c: i for i, c in enumerate(self.classes_)}
        codes = np.empty(len(y), dtype=np.int64)
        for r, value in enumerate(y):
            key = _plain(value)
            if key in index:
                codes[r] = index[key]
            elif unknown is not None:
                codes[r] = unknown
            else:
                raise ValueError(t("app.err.unseen_label", row=r + 1, label=repr(key), classes=self.classes_))
        return codes

    def inverse_transform(self, codes: np.ndarray) -> list[Any]:
        return [self.classes_[int(c)] for c in codes]


def screen_features(x: np.ndarray, y: np.ndarray, task: str, alpha: Optional[float]) -> np.ndarray:
    """Indices of the columns kept by the univariate test at ``alpha`` (every column when alpha is None)."""
    if alpha is None or alpha >= 1.0:
        return np.arange(x.shape[1])
    return select_features(x, y, task, alpha)


def _plain(value: Any) -> Any:
    if isinstance(value, (np.floating, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, np.generic):
        return value.item()
    return value
