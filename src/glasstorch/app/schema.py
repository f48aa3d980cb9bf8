"""The model document's schema: every field a ``glasstorch train`` model file holds, its type and range, checked as a
whole before anything is built from it, so a damaged or hostile file gives one message naming the field
(``config.hidden[0]: expected an integer >= 1, got -3``) instead of a traceback, a wrong answer or a 13 GiB
allocation.

The schema is declarative: small type nodes (:class:`Int`, :class:`Num`, :class:`Str`, :class:`List`, :class:`Obj`,
:class:`Array`, ...), each with a ``check(value, where)`` that raises :class:`SchemaError`. It is written here
rather than with the ``jsonschema`` package because the document is not plain JSON (it holds NumPy arrays and
tensors, whose shape, dtype and finiteness are what matters) and the checks that catch the dangerous files are
relations between fields (the stored tensors' shapes against the configuration, ``selected`` against the number of
encoded inputs), which JSON Schema cannot express; a dependency would add little beyond the type checks.

After the field checks, :func:`check_document` checks the relations:

* classes: two or more distinct labels for classification, none for regression;
* encoding: its columns are ``feature_names``; a categorical column lists categories, a numeric one does not;
* preprocessing: ``selected`` indices are distinct and in range of the n encoded inputs; ``mean``/``scale`` have n
  finite entries (scale > 0) or are both absent; a regressor's ``target_mean``/``target_scale`` have one;
* state_dict: exactly the tensors the configuration's network has, each of the shape and dtype it needs for
  ``len(selected)`` inputs and one output per class (see :func:`glasstorch.app.network.state_shapes`), all finite.
  The network is built only after this, so its size is bounded by the file's own size.
"""
from __future__ import annotations

import math
from typing import Any, Optional, Sequence

import numpy as np

import glasstorch as torch

from ..i18n import t
from .config import (ACTIVATIONS, CLASSIFICATION_LOSSES, DECIMALS, DEVICES, ENGINES, INITS, MISSING, OPTIMIZERS,
                     REGRESSION_LOSSES, SCHEDULERS, TASKS, TrainConfig)
from .network import state_shapes
from .validate import MAX_SYNTHETIC_ROWS


class SchemaError(ValueError):
    """A field of the model document is missing, of the wrong type or out of range; ``str()`` names the field."""


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, (np.ndarray, torch.Tensor)) else \
        t("schema.array_of_shape", shape=tuple(value.shape))
    return text if len(text) <= 60 else text[:57] + "..."


class Node:
    nullable = False

    def check(self, value: Any, where: str) -> Any:
        raise NotImplementedError

    def fail(self, where: str, expected: str, value: Any) -> SchemaError:
        return SchemaError(t("schema.expected", where=where, expected=expected, value=_shown(value)))


class Opt(Node):
    """``inner`` or None."""

    def __init__(self, inner: Node) -> None:
        self.inner = inner

    def check(self, value: Any, where: str) -> Any:
        return None if value is None else self.inner.check(value, where)


class Const(Node):
    def __init__(self, value: Any) -> None:
        self.value = value

    def check(self, value: Any, where: str) -> Any:
        if value != self.value or type(value) is not type(self.value):
            raise self.fail(where, t("schema.constant", value=repr(self.value)), value)
        return value


class Bool(Node):
    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, bool):
            raise self.fail(where, t("schema.true_or_false"), value)
        return value


class Int(Node):
    def __init__(self, low: Optional[int] = None, high: Optional[int] = None) -> None:
        self.low, self.high = low, high

    def check(self, value: Any, where: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, t("schema.integer"), value)
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise self.fail(where, t("schema.integer_at_least", low=self.low) if self.high is None else
                            t("schema.integer_in", low=self.low, high=self.high), value)
        return value


class Num(Node):
    """A finite int or float (never bool), optionally in [low, high]."""

    def __init__(self, low: Optional[float] = None, high: Optional[float] = None) -> None:
        self.low, self.high = low, high

    def check(self, value: Any, where: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, t("schema.number"), value)
        try:
            finite = math.isfinite(value)
        except OverflowError:
            finite = False
        if not finite:
            raise self.fail(where, t("schema.finite_number"), value)
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise self.fail(where, t("schema.number_in", low=self.low, high=self.high), value)
        return value


class Str(Node):
    def __init__(self, choices: Optional[Sequence[str]] = None, nonempty: bool = False, hexdigits: int = 0) -> None:
        self.choices, self.nonempty, self.hexdigits = choices, nonempty, hexdigits

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, str):
            raise self.fail(where, t("schema.string"), value)
        if self.choices is not None and value not in self.choices:
            raise self.fail(where, t("schema.one_of", choices=", ".join(self.choices)), value)
        if self.nonempty and not value:
            raise self.fail(where, t("schema.non_empty_string"), value)
        if self.hexdigits and (len(value) != self.hexdigits or any(c not in "0123456789abcdef" for c in value)):
            raise self.fail(where, t("schema.hex_digits", n=self.hexdigits), value)
        return value


class Label(Node):
    """A class label: a string or a finite number."""

    def check(self, value: Any, where: str) -> Any:
        if isinstance(value, str):
            return value
        return Num().check(value, where)


class List(Node):
    def __init__(self, item: Node, min_len: int = 0, unique: bool = False) -> None:
        self.item, self.min_len, self.unique = item, min_len, unique

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, (list, tuple)):
            raise self.fail(where, t("schema.list"), value)
        if len(value) < self.min_len:
            raise self.fail(where, t("schema.list_at_least", n=self.min_len), value)
        for i, item in enumerate(value):
            self.item.check(item, f"{where}[{i}]")
        if self.unique:
            seen: set = set()
            for i, item in enumerate(value):
                key = (type(item) is str, item)
                if key in seen:
                    raise SchemaError(t("schema.twice", where=f"{where}[{i}]", value=_shown(item)))
                seen.add(key)
        return value


class Obj(Node):
    """A dict with string keys: ``required`` and ``optional`` fields each checked; other keys are allowed (a newer
    glasstorch may add fields) unless ``closed``."""

    def __init__(self, required: dict[str, Node], optional: Optional[dict[str, Node]] = None,
                 closed: bool = False) -> None:
        self.required, self.optional, self.closed = required, optional or {}, closed

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise self.fail(where, t("schema.object"), value)
        prefix = f"{where}." if where else ""
        for name, node in self.required.items():
            if name not in value:
                raise SchemaError(t("schema.missing", where=prefix + name))
            node.check(value[name], prefix + name)
        for name, node in self.optional.items():
            if name in value:
                node.check(value[name], prefix + name)
        if self.closed:
            extra = [k for k in value if k not in self.required and k not in self.optional]
            if extra:
                raise SchemaError(t("schema.unknown_field", where=prefix + str(extra[0])))
        return value


class Array(Node):
    """A 1-D NumPy array, tensor or list of finite numbers (``integral``: of integers; ``positive``: > 0)."""

    def __init__(self, integral: bool = False, positive: bool = False) -> None:
        self.integral, self.positive = integral, positive

    def check(self, value: Any, where: str) -> np.ndarray:
        array = as_array(value)
        if array is None or array.ndim != 1 or array.dtype.kind not in ("iu" if self.integral else "iuf"):
            raise self.fail(where, t("schema.array_of_integers" if self.integral else "schema.array_of_numbers"), value)
        if not np.isfinite(array.astype(np.float64)).all():
            raise self.fail(where, t("schema.finite_numbers"), value)
        if self.positive and not (array > 0).all():
            raise self.fail(where, t("schema.positive_numbers"), value)
        return array


class Tensors(Node):
    """The state_dict: parameter name → tensor."""

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise self.fail(where, t("schema.object_of_tensors"), value)
        for name, tensor in value.items():
            if not isinstance(name, str) or not isinstance(tensor, torch.Tensor):
                raise self.fail(f"{where}[{name!r}]", t("schema.tensor"), tensor)
        return value


def as_array(value: Any) -> Optional[np.ndarray]:
    if isinstance(value, torch.Tensor):
        return value.numpy()
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                for v in value):
        return np.asarray(value, dtype=np.float64 if any(isinstance(v, float) for v in value) else np.int64)
    return None


_POSITIVE = Num(0.0)
CONFIG = Obj({}, {
    "task": Opt(Str(TASKS)), "hidden": List(Int(1)), "activation": Str(ACTIVATIONS), "init": Str(INITS),
    "dropout": Num(0.0, 1.0), "batchnorm": Bool(), "loss": Opt(Str(CLASSIFICATION_LOSSES + REGRESSION_LOSSES)),
    "label_smoothing": Num(0.0, 1.0), "optimizer": Str(OPTIMIZERS), "lr": _POSITIVE, "momentum": Num(0.0, 1.0),
    "weight_decay": _POSITIVE, "scheduler": Str(SCHEDULERS), "step_size": Int(1), "gamma": _POSITIVE,
    "milestones": List(Int(1)), "epochs": Int(1), "batch_size": Int(1), "standardize": Bool(),
    "feature_alpha": Opt(Num(0.0, 1.0)), "train_size": Num(0.0, 1.0), "split_seed": Int(0, 2 ** 32 - 1),
    "seed": Int(-2 ** 63, 2 ** 64 - 1), "cv": Int(0), "categorical": List(Str()), "missing": Str(MISSING),
    "features": List(Str()), "drop": List(Str()), "decimal": Opt(Str(DECIMALS)), "recipe": Str(), "notes": Obj({}),
    "engine": Str(ENGINES), "device": Str(DEVICES),
})
ENCODING = Obj({"columns": List(Obj({"name": Str(nonempty=True), "kind": Str(("numeric", "categorical"))},
                                    {"categories": List(Str(), unique=True), "missing_input": Bool(),
                                     "fill": Opt(Num()), "missing_cells": Int(0)}))},
               {"missing": Str(MISSING), "input_names": List(Str())})
PREPROCESSING = Obj({"selected": Array(integral=True)},
                    {"mean": Opt(Array()), "scale": Opt(Array(positive=True)), "target_mean": Opt(Array()),
                     "target_scale": Opt(Array(positive=True))})
SOURCE = Obj({"kind": Str(("csv", "synthetic"))},
             {"path": Str(nonempty=True), "sha256": Opt(Str(hexdigits=64)), "n": Int(1),
              "seed": Opt(Int(-2 ** 63, 2 ** 64 - 1)), "description": Str()})
TRAINING = Obj({}, {"data": SOURCE, "n_train": Opt(Int(0)), "n_test": Opt(Int(0)), "epochs_completed": Opt(Int(0)),
                    "stopped": Opt(Str(("interrupted", "diverged"))), "synthetic": Opt(Bool())})


def document_schema(newest: int) -> Obj:
    return Obj({"glasstorch_model": Const("tabular"), "format_version": Int(1, newest), "task": Str(TASKS),
                "config": CONFIG, "feature_names": List(Str(nonempty=True), min_len=1, unique=True),
                "target_name": Opt(Str(nonempty=True)), "preprocessing": PREPROCESSING, "state_dict": Tensors()},
               {"glasstorch_version": Opt(Str()), "classes": Opt(List(Label(), unique=True)),
                "encoding": Opt(ENCODING), "training": Opt(TRAINING)})


def check_document(document: dict[str, Any], newest: int) -> TrainConfig:
    """Checks every field, then the relations in the module docstring; returns the configuration. SchemaError
    names the first problem."""
    document_schema(newest).check(document, "")
    try:
        config = TrainConfig.from_dict(document["config"]).validate()
    except ValueError as error:
        raise SchemaError(t("schema.config", error=error)) from None
    task = document["task"]
    if config.task not in (None, task):
        raise SchemaError(t("schema.task", config_task=repr(config.task), task=repr(task)))
    classes = document.get("classes")
    if task == "classification" and (classes is None or len(classes) < 2):
        raise SchemaError(t("schema.classes", value=_shown(classes)))
    if task == "regression" and classes is not None:
        raise SchemaError(t("schema.regression_classes"))
    n_inputs = _n_inputs(document)
    prep = document["preprocessing"]
    selected = as_array(prep["selected"])
    if len(selected) == 0 or len(np.unique(selected)) != len(selected) or \
            selected.min() < 0 or selected.max() >= n_inputs:
        raise SchemaError(t("schema.selected", n=n_inputs, value=_shown(selected.tolist())))
    _check_pair(prep, "mean", "scale", n_inputs, t("schema.entries.inputs"))
    if (prep.get("mean") is not None) != config.standardize:
        raise SchemaError(t("schema.mean_absent" if prep.get("mean") is None else "schema.mean_present",
                            standardize=config.standardize))
    if task == "regression":
        _check_pair(prep, "target_mean", "target_scale", 1, t("schema.entries.target"))
    n_outputs = len(classes) if task == "classification" else 1
    _check_state(document["state_dict"], state_shapes(config, len(selected), n_outputs))
    source = (document.get("training") or {}).get("data")
    if source is not None:
        _check_source(source)
    return config


def _n_inputs(document: dict[str, Any]) -> int:
    encoding = document.get("encoding")
    names = document["feature_names"]
    if encoding is None:
        return len(names)
    columns = encoding["columns"]
    if [c["name"] for c in columns] != names:
        raise SchemaError(t("schema.column_names"))
    n = 0
    for j, column in enumerate(columns):
        categorical = column["kind"] == "categorical"
        if categorical != ("categories" in column):
            raise SchemaError(t("schema.categories_missing" if categorical else "schema.categories_given", j=j))
        n += len(column["categories"]) + bool(column.get("missing_input")) if categorical else 1
    if "input_names" in encoding and len(encoding["input_names"]) != n:
        raise SchemaError(t("schema.input_names", names=len(encoding["input_names"]), n=n))
    return n


def _check_pair(prep: dict[str, Any], first: str, second: str, length: int, what: str) -> None:
    a, b = prep.get(first), prep.get(second)
    if (a is None) != (b is None):
        raise SchemaError(t("schema.pair", absent=second if b is None else first, given=first if b is None else second))
    for name, value in ((first, a), (second, b)):
        if value is not None and len(as_array(value)) != length:
            raise SchemaError(t("schema.entries", name=name, length=length, what=what, got=len(as_array(value))))


def _check_state(state: dict[str, Any], expected: dict[str, tuple[tuple[int, ...], str]]) -> None:
    missing = [k for k in expected if k not in state]
    extra = [k for k in state if k not in expected]
    if missing or extra:
        raise SchemaError(t("schema.state_keys", missing=", ".join(missing) or t("schema.none"),
                            extra=", ".join(extra) or t("schema.none")))
    for name, (shape, dtype) in expected.items():
        tensor = state[name]
        if tuple(tensor.shape) != shape:
            raise SchemaError(t("schema.state_shape", name=repr(name), shape=tuple(tensor.shape), need=shape))
        if str(tensor.dtype).rsplit(".", 1)[-1] != dtype:
            raise SchemaError(t("schema.state_dtype", name=repr(name), dtype=tensor.dtype, expected=dtype))
        if dtype.startswith("float") and not np.isfinite(tensor.numpy()).all():
            raise SchemaError(t("schema.state_finite", name=repr(name)))


def _check_source(source: dict[str, Any]) -> None:
    if source["kind"] == "csv":
        for name in ("path", "sha256"):
            if source.get(name) is None:
                raise SchemaError(t("schema.csv_source", name=name))
        return
    n, seed = source.get("n"), source.get("seed")
    if n is None or seed is None:
        raise SchemaError(t("schema.synthetic_source", name="n" if n is None else "seed"))
    if not 20 <= n <= MAX_SYNTHETIC_ROWS:
        raise SchemaError(t("schema.synthetic_n", most=f"{MAX_SYNTHETIC_ROWS:,}", n=f"{n:,}"))
