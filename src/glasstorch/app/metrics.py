"""Scores, written out in NumPy: accuracy, the confusion matrix, per-class precision/recall/F1, R², MAE, MSE, RMSE.

Definitions (the same as scikit-learn's):

    accuracy  = (1/n) Σ [ŷ_i = y_i]
    confusion[i][j] = number of rows whose true class is i and predicted class is j
    precision_k = TP_k / (TP_k + FP_k),  recall_k = TP_k / (TP_k + FN_k),  F1_k = 2 P R / (P + R)   (0 when 0/0)
    R² = 1 - Σ (y - ŷ)² / Σ (y - ȳ)²,  MAE = mean |y - ŷ|,  MSE = mean (y - ŷ)²,  RMSE = √MSE
"""
from __future__ import annotations

from typing import Any

import numpy as np


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    return float((y_true == y_pred).mean()) if len(y_true) else float("nan")


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """(K, K) counts; rows are true classes, columns predicted. Codes outside 0..K-1 (unseen labels) are skipped."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    keep = (y_true >= 0) & (y_true < n_classes)
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (y_true[keep], y_pred[keep]), 1)
    return matrix


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else 0.0


def per_class(matrix: np.ndarray, labels: list[Any]) -> dict[str, dict[str, float]]:
    """{label: {precision, recall, f1, support}} from a confusion matrix."""
    out = {}
    for k, label in enumerate(labels):
        tp = matrix[k, k]
        precision = _ratio(tp, matrix[:, k].sum())
        recall = _ratio(tp, matrix[k, :].sum())
        f1 = _ratio(2 * precision * recall, precision + recall)
        out[str(label)] = {"precision": precision, "recall": recall, "f1": f1, "support": int(matrix[k, :].sum())}
    return out


def classification_report(y_true: np.ndarray, y_pred: np.ndarray, labels: list[Any]) -> dict[str, Any]:
    """The classification keys of metrics.json: accuracy, per_class, confusion."""
    matrix = confusion_matrix(y_true, y_pred, len(labels))
    return {"accuracy": accuracy(y_true, y_pred), "per_class": per_class(matrix, labels),
            "confusion": matrix.tolist()}


def r2_score(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    y_true, y_pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    residual = ((y_true - y_pred) ** 2).sum()
    total = ((y_true - y_true.mean()) ** 2).sum()
    if total == 0:
        return 1.0 if residual == 0 else 0.0
    return float(1.0 - residual / total)


def regression_report(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """The regression keys of metrics.json: r2, mae, mse, rmse."""
    y_true, y_pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    mse = float(((y_true - y_pred) ** 2).mean())
    return {"r2": r2_score(y_true, y_pred), "mae": float(np.abs(y_true - y_pred).mean()), "mse": mse,
            "rmse": float(np.sqrt(mse))}
