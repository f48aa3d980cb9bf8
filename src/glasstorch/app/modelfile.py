"""The trained model on disk: one safetensors file (``glasstorch.serialization.save_safetensors``: arrays + JSON
structure + a SHA-256 of the tensor data, never a pickle, whatever the file's name) holding
the network's state_dict and everything needed to use it without the training data:

    {"glasstorch_model": "tabular", "format_version": 1 or 2, "task", "config" (TrainConfig as a dict),
     "feature_names" (the data's columns), "target_name", "classes" (labels in code order; None for regression),
     "encoding" (format 2 only: ColumnEncoder.to_dict(): "missing", per column "name", "kind" and "categories",
                 "missing_input" or "fill"; "input_names", the encoded inputs),
     "preprocessing": {"mean", "scale" (None without standardisation), "selected" (kept inputs),
                       "target_mean", "target_scale" (regression only)},
     "state_dict": the network's, "training": {where the data came from, its sha256, the split, how the run ended}}

A model of all-numeric data with nothing imputed is written exactly as before (format 1, no "encoding"), so older
glasstorch versions still read it; one with categories or imputation is format 2, which they refuse with a clear
message instead of misreading. A file without "encoding" loads as all-numeric columns, nothing imputed.
"""
from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import numpy as np

import glasstorch as torch
from glasstorch.serialization import UnsupportedFileError, load_safetensors, save_safetensors

from ..i18n import t
from .config import TrainConfig
from .data import InputError
from .encoding import ColumnEncoder
from .engine import GLASSTORCH, Engine
from .estimator import TabularClassifier, TabularRegressor, _TabularEstimator
from .network import build_network
from .preprocess import Identity, LabelEncoder, Standardizer
from .schema import SchemaError, check_document
from .validate import read_regular_file

MARKER = "tabular"
FORMAT_VERSION = 2  # the newest this code reads and writes; 1 when the encoding is trivial (see above)
MODEL_FILE = "model.safetensors"


def _array_or_none(scaler) -> tuple[Any, Any]:
    if isinstance(scaler, Identity):
        return None, None
    return np.asarray(scaler.mean_, dtype=np.float64).ravel(), np.asarray(scaler.scale_, dtype=np.float64).ravel()


def save_model(estimator: _TabularEstimator, path: str | Path, feature_names: list[str], target_name: str | None,
               training: dict[str, Any]) -> Path:
    """Writes the fitted estimator (atomically, as safetensors) and returns the path. The network's tensors are
    written from NumPy copies, whichever engine and device trained it, so that glasstorch reads the file."""
    mean, scale = _array_or_none(estimator.scaler_)
    preprocessing: dict[str, Any] = {"mean": mean, "scale": scale,
                                     "selected": np.asarray(estimator.selected_inputs_, dtype=np.int64)}
    if estimator.task == "regression":
        preprocessing["target_mean"], preprocessing["target_scale"] = _array_or_none(estimator.target_scaler_)
    encoder = copy.copy(estimator.columns_)
    if len(feature_names) != len(encoder.names):
        raise ValueError(f"{len(feature_names)} feature names for a model of {len(encoder.names)} columns")
    encoder.names = list(feature_names)
    document = {
        "glasstorch_model": MARKER, "format_version": 1 if encoder.trivial else FORMAT_VERSION,
        "glasstorch_version": torch.__version__, "task": estimator.task, "config": estimator.config.to_dict(),
        "feature_names": list(feature_names), "target_name": target_name,
        "classes": list(estimator.classes_) if estimator.task == "classification" else None,
    }
    if not encoder.trivial:
        document["encoding"] = encoder.to_dict()
    state = {name: torch.from_numpy(Engine.numpy(value)) for name, value in estimator.network_.state_dict().items()}
    document.update({"preprocessing": preprocessing, "state_dict": state, "training": training})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_safetensors(document, str(path))
    return path


def load_model(path: str | Path) -> tuple[_TabularEstimator, dict[str, Any]]:
    """The estimator stored at ``path`` and the file's document; InputError when it is not such a file.

    The file is read only if it is a regular file of bounded size, and the whole document is checked against
    :mod:`glasstorch.app.schema` (fields, ranges, the tensors' shapes against the configuration) before anything is
    built from it. The returned document's ``config`` holds every field (defaults filled in for older files)."""
    path = Path(path)
    if not path.exists():
        raise InputError(t("model_file.no_file", path=path))
    data = read_regular_file(path, "model file")
    try:
        document = load_safetensors(io.BytesIO(data))
    except UnsupportedFileError as error:
        raise InputError(t("model_file.not_model", path=path, reason=str(error).replace("the file object", "it"))) \
            from None
    except Exception as error:  # a hostile file must not end in a traceback, whatever the reader met
        raise InputError(t("model_file.unreadable", path=path, kind=type(error).__name__, error=error)) from None
    if not isinstance(document, dict) or document.get("glasstorch_model") != MARKER:
        what = t("model_file.holds_type", type=type(document).__name__) if not isinstance(document, dict) else \
            t("model_file.holds_dict", keys=", ".join(map(str, list(document)[:6])))
        raise InputError(t("model_file.not_trained", path=path, what=what))
    version = document.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise InputError(t("model_file.newer", path=path, version=version))
    try:
        config = check_document(document, FORMAT_VERSION)
    except SchemaError as error:
        raise InputError(t("model_file.damaged", path=path, error=error)) from None
    document["config"] = config.to_dict()
    try:
        return _rebuild(document, config), document
    except (KeyError, TypeError, ValueError, RuntimeError) as error:
        raise InputError(t("model_file.damaged", path=path, error=error)) from None


def _rebuild(document: dict[str, Any], config: TrainConfig) -> _TabularEstimator:
    """The estimator of a document :func:`check_document` accepted."""
    task = document["task"]
    estimator = TabularClassifier(config) if task == "classification" else TabularRegressor(config)
    estimator.engine_ = GLASSTORCH  # a saved model is used with glasstorch, whichever engine trained it
    prep = document["preprocessing"]
    names = document["feature_names"]
    estimator.n_features_in_ = len(names)
    estimator.columns_ = encoder_of(document)
    estimator.scaler_ = _scaler(prep.get("mean"), prep.get("scale"))
    estimator.selected_inputs_ = _numpy(prep["selected"]).astype(np.int64)
    if task == "classification":
        estimator.encoder_ = LabelEncoder(list(document["classes"]))
        estimator.classes_ = estimator.encoder_.classes_
        n_outputs = len(estimator.classes_)
    else:
        estimator.target_scaler_ = _scaler(prep.get("target_mean"), prep.get("target_scale"))
        n_outputs = 1
    estimator.network_ = build_network(config, len(estimator.selected_inputs_), n_outputs)
    estimator.network_.load_state_dict(document["state_dict"])
    estimator.network_.eval()
    return estimator


def encoder_of(document: dict[str, Any]) -> ColumnEncoder:
    """The model's column encoding; all-numeric, nothing imputed, for a file written before encodings existed."""
    encoding = document.get("encoding")
    if encoding is None:
        return ColumnEncoder(document["feature_names"])
    encoder = ColumnEncoder.from_dict(encoding)
    if encoder.names != list(document["feature_names"]):
        raise ValueError("the encoding's columns do not match feature_names")
    return encoder


def _scaler(mean: Any, scale: Any):
    return Identity() if mean is None else Standardizer(_numpy(mean), _numpy(scale))


def _numpy(value: Any) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.numpy()
    return np.asarray(value)
