"""``glasstorch export MODEL --format onnx|torch``: a trained model in the formats people deploy.

Both formats start from one :class:`Plan`, read off the saved model: which columns feed which network input, the
standardisation of the kept inputs, the layers, and how outputs become labels or values.

* ``onnx`` (:mod:`glasstorch.app.onnx_graph`): ``model.onnx``, whose graph holds the whole preprocessing, so that
  its inputs are the raw columns and its outputs the probabilities and labels (or the value);
* ``torch``: ``model.pth``, the network's state_dict in PyTorch's zip format (``glasstorch.save``), and ``model.py``,
  generated here: the network as a ``torch.nn.Module`` class, the preprocessing constants and ``prepare(rows)``.

``--out`` is a folder written as one unit (:class:`~glasstorch.app.rundir.RunFolder`): a previous export of the same
kind is replaced, a folder holding anything else is refused.
"""
from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path
from typing import Any, Optional

import numpy as np

import glasstorch as torch
from glasstorch import nn

from .data import InputError
from .modelfile import MODEL_FILE, load_model
from .preprocess import Standardizer
from .rundir import RunFolder
from ..i18n import t

FORMATS = ("onnx", "torch")
FILES = {"onnx": frozenset({"model.onnx"}), "torch": frozenset({"model.pth", "model.py"})}


@dataclasses.dataclass
class Plan:
    """What a saved model computes, in the terms an exporter needs.

    ``numeric``/``categorical``: the data's columns (names, in the data's order) of each kind; ``kept``: for each
    network input, ``(column, kind, value)`` with kind ``"number"`` (value: the mean that fills a missing cell, or
    None), ``"category"`` (value: the category's text) or ``"missing"`` (the ``column=<missing>`` input); ``mean`` and
    ``scale``: the kept inputs' standardisation (None without); ``layers``: the network's modules; ``classes``
    (classification) or ``target_mean``/``target_scale`` (regression, None when the target was not scaled)."""
    task: str
    numeric: list[str]
    categorical: list[str]
    categories: dict[str, list[str]]
    missing_input: set[str]
    kept: list[tuple[str, str, Any]]
    mean: Optional[np.ndarray]
    scale: Optional[np.ndarray]
    layers: list[nn.Module]
    classes: Optional[list[Any]]
    target_mean: Optional[float]
    target_scale: Optional[float]


def plan_of(model) -> Plan:
    encoder = model.columns_
    owners = encoder.input_columns()
    first = {j: owners.index(j) for j in set(owners)}
    kept = []
    for i in model.selected_inputs_:
        j = owners[int(i)]
        name = encoder.names[j]
        if j not in encoder.categorical:
            kept.append((name, "number", encoder.fill_.get(j)))
        else:
            local = int(i) - first[j]
            categories = encoder.categories_[j]
            kept.append((name, "category", categories[local]) if local < len(categories) else (name, "missing", None))
    selected = np.asarray(model.selected_inputs_, dtype=np.int64)
    scaler = model.scaler_
    standardised = isinstance(scaler, Standardizer)
    regression = model.task == "regression"
    target = model.target_scaler_ if regression else None
    scaled_target = isinstance(target, Standardizer)
    layers = list(model.network_)
    for layer in layers:
        _check_layer(layer)
    return Plan(task=model.task, numeric=[n for j, n in enumerate(encoder.names) if j not in encoder.categorical],
                categorical=[encoder.names[j] for j in encoder.categorical],
                categories={encoder.names[j]: list(encoder.categories_[j]) for j in encoder.categorical},
                missing_input={encoder.names[j] for j in encoder.missing_input_},
                kept=kept,
                mean=np.asarray(scaler.mean_, np.float64).ravel()[selected] if standardised else None,
                scale=np.asarray(scaler.scale_, np.float64).ravel()[selected] if standardised else None,
                layers=layers, classes=None if regression else list(model.classes_),
                target_mean=float(np.ravel(target.mean_)[0]) if scaled_target else None,
                target_scale=float(np.ravel(target.scale_)[0]) if scaled_target else None)


SUPPORTED = (nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Sigmoid, nn.Tanh, nn.LeakyReLU, nn.ELU, nn.GELU, nn.SiLU,
             nn.Softplus, nn.Identity, nn.Dropout)


def _check_layer(layer: nn.Module) -> None:
    if not isinstance(layer, SUPPORTED) or (isinstance(layer, nn.GELU) and layer.approximate != "none"):
        raise InputError(t("app.export.unsupported_layer", layer=repr(layer),
                           supported=", ".join(kind.__name__ for kind in SUPPORTED)))


def model_path(spec: str) -> Path:
    """MODEL as given: a model file, or a run folder (its model.safetensors)."""
    path = Path(spec)
    return path / MODEL_FILE if path.is_dir() else path


def default_out(spec: str, format: str) -> Path:  # noqa: A002 - the option's name
    """Beside the run: runs/tuned (or runs/tuned/model.safetensors) → runs/tuned-onnx; my.safetensors → my-onnx."""
    path = Path(spec)
    base = path if path.is_dir() else (path.parent if path.name == MODEL_FILE else path.with_suffix(""))
    if base.name in ("", ".", ".."):
        base = Path(base.resolve().name or "model")
    return base.with_name(f"{base.name}-{format}")


def run_export(args) -> int:
    if args.format == "onnx":
        try:
            from . import onnx_graph
        except ModuleNotFoundError as error:
            if error.name not in ("onnx", "google", "google.protobuf"):
                raise
            raise InputError(t("app.export.needs_onnx")) from None
    model, document = load_model(model_path(args.model))
    plan = plan_of(model)
    out = Path(args.out) if args.out else default_out(args.model, args.format)
    with RunFolder(out, FILES[args.format], "export") as run:
        if args.format == "onnx":
            run.path("model.onnx").write_bytes(onnx_graph.build(plan, source=str(args.model)).SerializeToString())
        else:
            torch.save(model.network_.state_dict(), run.path("model.pth"))
            run.path("model.py").write_text(module_source(plan, str(args.model)), encoding="utf-8")
        run.commit()
    print(t("app.line.exported", model=args.model, out=out, files=", ".join(sorted(FILES[args.format]))))
    return 0


# ---- the torch format's model.py ------------------------------------------------------------------------------------

def _layer_source(layer: nn.Module) -> str:
    """The PyTorch constructor call that builds a module of the same kind and shape."""
    if isinstance(layer, nn.Linear):
        return f"nn.Linear({layer.in_features}, {layer.out_features})"
    if isinstance(layer, nn.BatchNorm1d):
        return f"nn.BatchNorm1d({layer.num_features}, eps={layer.eps!r}, momentum={layer.momentum!r})"
    if isinstance(layer, nn.LeakyReLU):
        return f"nn.LeakyReLU({layer.negative_slope!r})"
    if isinstance(layer, nn.ELU):
        return f"nn.ELU({layer.alpha!r})"
    if isinstance(layer, nn.Softplus):
        return f"nn.Softplus(beta={layer.beta!r}, threshold={layer.threshold!r})"
    if isinstance(layer, nn.Dropout):
        return f"nn.Dropout({layer.p!r})"
    return f"nn.{type(layer).__name__}()"


def _floats(values) -> str:
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def module_source(plan: Plan, source: str) -> str:
    """model.py: the network as a torch.nn.Module, the preprocessing's constants and ``prepare(rows)``."""
    n = len(plan.kept)
    mean = plan.mean if plan.mean is not None else np.zeros(n)
    scale = plan.scale if plan.scale is not None else np.ones(n)
    columns = sorted({column for column, _, _ in plan.kept}, key=(plan.numeric + plan.categorical).index)
    layers = "".join(f"            {_layer_source(layer)},\n" for layer in plan.layers)
    if plan.task == "classification":
        outputs = ("Outputs: one logit per class, in the order of CLASSES; the probabilities are\n"
                   "torch.softmax(outputs, dim=1) and the predicted label CLASSES[outputs.argmax(1)].")
        constants = f"CLASSES = {[c if isinstance(c, (int, float)) else str(c) for c in plan.classes]!r}\n"
    else:
        outputs = ("Output: one column, the predicted value"
                   + (" standardised: value = output * TARGET_SCALE + TARGET_MEAN." if plan.target_mean is not None
                      else " (the target was not scaled)."))
        constants = (f"TARGET_MEAN = {plan.target_mean!r}\nTARGET_SCALE = {plan.target_scale!r}\n"
                     if plan.target_mean is not None else "")
    steps = ["numeric columns as numbers" + (" (a missing cell, None or NaN, becomes the training rows' mean)"
                                               if any(kind == "number" and value is not None
                                                      for _, kind, value in plan.kept) else "")]
    if plan.categorical:
        steps.append("categorical columns one-hot: an input 'column=value' is 1.0 where the cell's text (stripped) "
                     "is value, else 0.0 (a category not seen in training gives all zeros)")
    if plan.missing_input:
        steps.append("'column=<missing>' is 1.0 where a categorical cell is missing (None or empty)")
    steps.append("standardised: (x - MEAN) / SCALE, input by input, in float64" if plan.mean is not None
                 else "not standardised (MEAN 0, SCALE 1)")
    steps.append("then float32, in the order of INPUTS")
    return f'''"""The network glasstorch trained ({source}), as a PyTorch module, exported by `glasstorch export`.

    import torch
    from model import Model, prepare
    model = Model()
    model.load_state_dict(torch.load("model.pth", weights_only=True), strict=True)
    model.eval()
    with torch.no_grad():
        outputs = model(torch.tensor(prepare(rows), dtype=torch.float32))

The network reads {n} inputs (INPUTS) and not the raw columns: the caller applies glasstorch's preprocessing, which
prepare(rows) does for rows given as dicts {{column: value}} of the COLUMNS:
{"".join(f"  {i + 1}. {step};{chr(10)}" for i, step in enumerate(steps))}
{outputs}
"""
import math

from torch import nn

COLUMNS = {columns!r}
# each input: (column, "number", mean filling a missing cell or None) | (column, "category", text) | (column, "missing", None)
INPUTS = {[tuple(entry) for entry in plan.kept]!r}
MEAN = {_floats(mean)}
SCALE = {_floats(scale)}
{constants}

class Model(nn.Sequential):
    def __init__(self):
        super().__init__(
{layers}        )


def _category(cell):
    """A cell as glasstorch reads a category: text stripped, an integral number as an integer, None/NaN missing."""
    if cell is None:
        return None
    if isinstance(cell, str):
        return cell.strip() or None
    if isinstance(cell, bool):
        return str(cell)
    number = float(cell)
    if math.isnan(number):
        return None
    return str(int(number)) if number.is_integer() else repr(number)


def _value(cell, kind, value):
    if kind == "number":
        number = math.nan if cell is None or cell == "" else float(cell)
        if math.isnan(number) and value is not None:
            return value
        return number
    text = _category(cell)
    return float(text is None if kind == "missing" else text == value)


def prepare(rows):
    """Rows (dicts mapping the COLUMNS to cells) → the network's inputs, one list of floats per row."""
    return [[(_value(row[column], kind, value) - mean) / scale
             for (column, kind, value), mean, scale in zip(INPUTS, MEAN, SCALE)] for row in rows]
'''
