"""The ONNX graph of an exported model (:class:`glasstorch.app.export.Plan`), built with the ``onnx`` package's helper
API (no torch): the preprocessing, the network and the outputs in one graph, checked with ``onnx.checker``.

Inputs (N rows):
  * ``features``: float32 [N, number of numeric columns], the data's numeric columns in the data's order (the
    target left out), raw, as in the CSV; where the model was trained with ``--missing impute``, NaN is a missing
    cell and becomes the training rows' mean;
  * ``categories`` (only for a model with categorical columns): string [N, number of categorical columns], their
    cells as text (stripped, an integral number written as an integer: the category names ``summary`` lists); ""
    is a missing cell. A category not seen in training encodes as all zeros, as in ``glasstorch predict``.
Outputs: classification: ``probabilities`` float32 [N, classes] (softmax), ``class_index`` int64 [N] and ``label``
[N] (int64, float64 or string, as the classes are); regression: ``value`` float64 [N], in the target's units.

Feature selection, the one-hot encoding and the standardisation run in float64 as glasstorch computes them; the
network in float32. Opset 17 (with ai.onnx.ml 3 for the categories' LabelEncoder), IR version 8: what onnxruntime has
run since 1.13.
"""
from __future__ import annotations

import json
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import glasstorch as torch
from glasstorch import nn

OPSET, ML_OPSET, IR_VERSION = 17, 3, 8


class _Graph:
    """Nodes and constants, each output named by a counter."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []

    def _name(self, stem: str) -> str:
        return f"{stem}_{len(self.nodes) + len(self.constants)}"

    def const(self, array: Any, dtype: Any = None) -> str:
        name = self._name("c")
        array = np.asarray(array, dtype=dtype)
        self.constants.append(numpy_helper.from_array(array, name))
        return name

    def op(self, kind: str, *inputs: str, output: str = "", domain: str = "", **attributes: Any) -> str:
        output = output or self._name(kind.lower())
        self.nodes.append(helper.make_node(kind, list(inputs), [output], domain=domain or None, **attributes))
        return output


def _encoded(graph: _Graph, plan) -> str:
    """The kept inputs, standardised, as float32 [N, inputs]: the raw columns → (impute) → one-hot → gather → scale."""
    parts, offsets, width = [], {}, 0
    used = {column for column, _, _ in plan.kept}
    if plan.numeric:
        x = graph.op("Cast", "features", to=TensorProto.DOUBLE)
        fills = {column: value for column, kind, value in plan.kept if kind == "number" and value is not None}
        if fills:
            fill = graph.const([[fills.get(name, np.nan) for name in plan.numeric]], np.float64)
            x = graph.op("Where", graph.op("IsNaN", x), fill, x)
        parts.append(x)
        width = len(plan.numeric)
    for k, column in enumerate(plan.categorical):
        if column not in used:
            continue
        categories = plan.categories[column]
        keys = list(categories) + ([""] if column in plan.missing_input and "" not in categories else [])
        cell = graph.op("Gather", "categories", graph.const([k], np.int64), axis=1)
        codes = graph.op("LabelEncoder", cell, domain="ai.onnx.ml", keys_strings=keys,
                         values_int64s=list(range(len(keys))), default_int64=-1)
        n = len(categories) + (column in plan.missing_input)
        hot = graph.op("Equal", codes, graph.const(np.arange(n).reshape(1, n), np.int64))
        parts.append(graph.op("Cast", hot, to=TensorProto.DOUBLE))
        offsets[column], width = width, width + n
    position = []
    for column, kind, value in plan.kept:
        if kind == "number":
            position.append(plan.numeric.index(column))
        else:
            categories = plan.categories[column]
            position.append(offsets[column] + (categories.index(value) if kind == "category" else len(categories)))
    matrix = graph.op("Concat", *parts, axis=1) if len(parts) > 1 else parts[0]
    x = graph.op("Gather", matrix, graph.const(position, np.int64), axis=1)
    if plan.mean is not None:
        x = graph.op("Div", graph.op("Sub", x, graph.const(plan.mean, np.float64)), graph.const(plan.scale, np.float64))
    return graph.op("Cast", x, to=TensorProto.FLOAT)


def _layer(graph: _Graph, layer: nn.Module, x: str) -> str:
    """One network module, in eval mode (dropout is the identity, batch norm uses its running statistics)."""
    def const(value) -> str:
        return graph.const(value, np.float32)

    def tensor(value) -> np.ndarray:
        return value.detach().numpy().astype(np.float32)

    if isinstance(layer, nn.Linear):
        if layer.bias is None:
            return graph.op("MatMul", x, const(tensor(layer.weight).T))
        return graph.op("Gemm", x, const(tensor(layer.weight)), const(tensor(layer.bias)), transB=1)
    if isinstance(layer, nn.BatchNorm1d):
        std = np.sqrt(tensor(layer.running_var) + np.float32(layer.eps))
        x = graph.op("Div", graph.op("Sub", x, const(tensor(layer.running_mean))), const(std))
        return graph.op("Add", graph.op("Mul", x, const(tensor(layer.weight))), const(tensor(layer.bias)))
    simple = {nn.ReLU: "Relu", nn.Sigmoid: "Sigmoid", nn.Tanh: "Tanh"}
    if type(layer) in simple:
        return graph.op(simple[type(layer)], x)
    if isinstance(layer, nn.LeakyReLU):
        return graph.op("LeakyRelu", x, alpha=float(layer.negative_slope))
    if isinstance(layer, nn.ELU):
        return graph.op("Elu", x, alpha=float(layer.alpha))
    if isinstance(layer, nn.GELU):  # x·Φ(x) = x/2·(1 + erf(x/√2))
        half = graph.op("Mul", x, const(0.5))
        return graph.op("Mul", half, graph.op("Add", const(1.0), graph.op("Erf", graph.op("Div", x, const(2 ** 0.5)))))
    if isinstance(layer, nn.SiLU):
        return graph.op("Mul", x, graph.op("Sigmoid", x))
    if isinstance(layer, nn.Softplus):  # log(1 + exp(βx))/β, and x itself where βx > threshold (as torch)
        scaled = graph.op("Mul", x, const(layer.beta))
        soft = graph.op("Div", graph.op("Softplus", scaled), const(layer.beta))
        return graph.op("Where", graph.op("Greater", scaled, const(layer.threshold)), x, soft)
    return x  # Identity, Dropout


def _labels(classes: list[Any]) -> np.ndarray:
    if all(isinstance(c, int) and not isinstance(c, bool) for c in classes):
        return np.asarray(classes, dtype=np.int64)
    if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in classes):
        return np.asarray(classes, dtype=np.float64)
    return np.asarray([str(c) for c in classes], dtype=object)


def _outputs(graph: _Graph, plan, logits: str) -> list[onnx.ValueInfoProto]:
    if plan.task == "classification":
        graph.op("Softmax", logits, output="probabilities", axis=1)
        graph.op("ArgMax", logits, output="class_index", axis=1, keepdims=0)
        labels = _labels(plan.classes)
        graph.op("Gather", graph.const(labels), "class_index", output="label", axis=0)
        kind = helper.np_dtype_to_tensor_dtype(labels.dtype) if labels.dtype != object else TensorProto.STRING
        return [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(plan.classes)]),
                helper.make_tensor_value_info("class_index", TensorProto.INT64, ["N"]),
                helper.make_tensor_value_info("label", kind, ["N"])]
    value = graph.op("Cast", logits, to=TensorProto.DOUBLE)
    if plan.target_mean is not None:
        value = graph.op("Add", graph.op("Mul", value, graph.const(plan.target_scale, np.float64)),
                         graph.const(plan.target_mean, np.float64))
    graph.op("Reshape", value, graph.const([-1], np.int64), output="value")
    return [helper.make_tensor_value_info("value", TensorProto.DOUBLE, ["N"])]


def build(plan, source: str) -> onnx.ModelProto:
    """The checked ONNX model of ``plan``; ``source`` (the model file's name) goes into its description."""
    graph = _Graph()
    x = _encoded(graph, plan)
    for layer in plan.layers:
        x = _layer(graph, layer, x)
    outputs = _outputs(graph, plan, x)
    inputs = []
    if plan.numeric:
        inputs.append(helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", len(plan.numeric)]))
    if plan.categorical:
        inputs.append(helper.make_tensor_value_info("categories", TensorProto.STRING, ["N", len(plan.categorical)]))
    described = {"features": plan.numeric, "categories": plan.categorical}
    doc = (f"glasstorch {plan.task} model exported from {source}. Inputs: "
           + "; ".join(f"{name} = columns {json.dumps(described[name], ensure_ascii=False)}"
                       for name in ("features", "categories") if described[name])
           + ". Outputs: " + ", ".join(output.name for output in outputs) + ".")
    model = helper.make_model(helper.make_graph(graph.nodes, "glasstorch", inputs, outputs, graph.constants,
                                                doc_string=doc),
                              opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
                              producer_name="glasstorch", producer_version=torch.__version__, doc_string=doc)
    model.ir_version = IR_VERSION
    properties = {"numeric_columns": plan.numeric, "categorical_columns": plan.categorical, "task": plan.task}
    if plan.classes is not None:
        properties["classes"] = [c if isinstance(c, (int, float)) else str(c) for c in plan.classes]
    helper.set_model_props(model, {key: json.dumps(value, ensure_ascii=False) for key, value in properties.items()})
    onnx.checker.check_model(model, full_check=True)
    return model
