"""Drawings of what ``explain`` computes.

- ``draw_network``: a small fully connected network as the course draws it (neurons in columns, a weight on every
  connection, a bias below each layer), with the forward values (net, out) in each neuron, each weight's value and
  ∂E/∂w on its connection and each output's error beside it: the course's figure with the numbers filled in.
- ``draw_explanation``: any explanation as a layered graph of its named quantities (value in each box, ∂E/∂x under
  each leaf) with ∂child/∂parent on each edge, the numbers that the text's chain rules multiply.
The numbers are the explanation's own, formatted with its number of decimals, so picture and text agree.
"""
from __future__ import annotations

import math

from .. import i18n
from . import _text
from .layout import layered_layout
from .scene import CHAR_WIDTH, LINE_HEIGHT, PADDING, Box, Drawing, Edge, Lines, place_labels, text_size

__all__ = ["draw_network", "draw_explanation"]

INPUT_FILL, HIDDEN_FILL, OUTPUT_FILL, BIAS_FILL, ERROR_FILL = "#cfe2f3", "#fff2cc", "#d9ead3", "#eeeeee", "#f4cccc"
LABELLED_LAYER_GAP = 100.0  # room between layers for the derivatives written on the edges
LABEL_AT = 0.3  # where along a connection its weight is written (from the source neuron)


def _circle(key: str, lines: Lines, x: float, y: float, fill: str) -> Box:
    """A neuron: a circle through the corners of its text block."""
    width = max(len(text) for text, _ in lines) * CHAR_WIDTH
    height = len(lines) * LINE_HEIGHT
    diameter = math.hypot(width, height) + PADDING
    return Box(key, lines[0][0], lines, x, y, diameter, diameter, shape="circle", fill=fill)


def _toward(a: Box, b: Box) -> tuple[tuple[float, float], tuple[float, float]]:
    """The segment between the rims of boxes a and b, along the line between their centres."""
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0

    def rim(box: Box, sign: float) -> tuple[float, float]:
        if box.shape == "circle":
            r = box.w / 2
        else:  # distance from the centre to the rectangle's edge along the direction
            r = min(box.w / 2 / max(abs(dx) / length, 1e-9), box.h / 2 / max(abs(dy) / length, 1e-9))
        return box.x + sign * dx / length * r, box.y + sign * dy / length * r

    return rim(a, 1.0), rim(b, -1.0)


def draw_network(explanation, layers: list[list[str]], weights: dict[tuple[str, str], str],
                 biases: dict[str, list[str]] | None = None, *, inputs: dict[str, float] | None = None,
                 targets: dict[str, float] | None = None, values: dict[str, float] | None = None,
                 digits: int | None = None, column_gap: float = 430.0, row_gap: float = 230.0) -> Drawing:
    """The network of ``layers`` (neuron names per layer, inputs first) with ``weights`` ({(from, to): name}) and
    ``biases`` ({name: [neurons]}), numbered from ``explanation``: neuron X shows ``net_X`` and ``out_X``, a weight
    its value and gradient, an output neuron X its ``E_X`` (from ``values``) and target.

    inputs: the input neurons' values (they are constants, not part of the explanation); values: extra numbers by
    name (``E_o1``...) over the explanation's; digits: decimals (the explanation's by default)."""
    number = {**explanation.values, **(values or {})}
    gradient = explanation.gradients
    digits = explanation.digits if digits is None else digits

    def fmt(x: float) -> str:
        return f"{x:.{digits}f}"

    boxes: dict[str, Box] = {}
    margin = 30.0
    for column, layer in enumerate(layers):
        for row, neuron in enumerate(layer):
            x, y = margin + 110 + column * column_gap, margin + 80 + row * row_gap
            if column == 0:
                lines = [(neuron, "name"), (_text.INPUT_VALUE.format(value=fmt((inputs or {})[neuron])), "value")]
                fill = INPUT_FILL
            else:
                lines = [(neuron, "name"), (_text.NEURON_NET.format(value=fmt(number[f"net_{neuron}"])), "value"),
                         (_text.NEURON_OUT.format(value=fmt(number[f"out_{neuron}"])), "value")]
                fill = OUTPUT_FILL if column == len(layers) - 1 else HIDDEN_FILL
            boxes[neuron] = _circle(neuron, lines, x, y, fill)
    deepest = max(len(layer) for layer in layers)
    for bias, targets_of in (biases or {}).items():
        column = next(c for c, layer in enumerate(layers) if targets_of[0] in layer) - 1
        lines = [(_text.BIAS.format(name=bias, value=fmt(number[bias])), "name")]
        if bias in gradient:
            lines.append((_text.WEIGHT_GRAD.format(name=bias, value=fmt(gradient[bias])), "grad"))
        w, h = text_size(lines)
        boxes[bias] = Box(bias, bias, lines, margin + 110 + (column + 0.6) * column_gap,  # right of the labels
                          margin + 80 + (deepest - 0.5) * row_gap, w, h, fill=BIAS_FILL)
    edges: list[Edge] = []
    for (source, target), weight in weights.items():
        a, b = _toward(boxes[source], boxes[target])
        label = [(_text.WEIGHT.format(name=weight, value=fmt(number[weight])), "name")]
        if weight in gradient:
            label.append((_text.WEIGHT_GRAD.format(name=weight, value=fmt(gradient[weight])), "grad"))
        at = (a[0] + LABEL_AT * (b[0] - a[0]), a[1] + LABEL_AT * (b[1] - a[1]))
        edges.append(Edge(source, target, [a, b], curved=False, label=label, label_at=at))
    for bias, targets_of in (biases or {}).items():
        for target in targets_of:
            edges.append(Edge(bias, target, list(_toward(boxes[bias], boxes[target])), curved=False,
                              colour="#999999"))
    right = margin + 110 + (len(layers) - 1) * column_gap
    errors = [n for n in layers[-1] if f"E_{n}" in number]
    if errors:
        for neuron in errors:
            lines = [(_text.ERROR.format(name=neuron, value=fmt(number[f"E_{neuron}"])), "name")]
            if targets and neuron in targets:
                lines.append((_text.TARGET.format(value=f"{targets[neuron]:g}"), "plain"))
            w, h = text_size(lines)
            boxes[f"E_{neuron}"] = Box(f"E_{neuron}", f"E_{neuron}", lines, right + 240, boxes[neuron].y, w, h,
                                       fill=ERROR_FILL)
            edges.append(Edge(neuron, f"E_{neuron}", list(_toward(boxes[neuron], boxes[f"E_{neuron}"])),
                              curved=False))
        total = explanation.output
        lines = [(_text.TOTAL.format(value=fmt(number[total])), "name")]
        w, h = text_size(lines)
        middle = sum(boxes[f"E_{n}"].y for n in errors) / len(errors)
        boxes[total] = Box(total, total, lines, right + 460, middle, w, h, fill=ERROR_FILL)
        for neuron in errors:
            edges.append(Edge(f"E_{neuron}", total, list(_toward(boxes[f"E_{neuron}"], boxes[total])),
                              curved=False))
    width = max(b.x + b.w / 2 for b in boxes.values()) + margin
    height = max(b.y + b.h / 2 for b in boxes.values()) + margin
    return Drawing(list(boxes.values()), edges, width, height, title=i18n.t("viz.network_title"))


def draw_explanation(explanation, digits: int | None = None) -> Drawing:
    """The explanation's named quantities as a layered graph: value in each box, ∂output/∂leaf under each leaf,
    ∂child/∂parent on the edge from parent to child."""
    digits = explanation.digits if digits is None else digits

    def fmt(x: float) -> str:
        return f"{x:.{digits}f}"

    names = list(explanation.values)
    index = {name: i for i, name in enumerate(names)}
    all_lines = []
    for name in names:
        lines = [(name, "name"), (_text.NAMED_VALUE.format(value=fmt(explanation.values[name])), "value")]
        if name in explanation.gradients:
            lines.append((_text.NAMED_GRADIENT.format(output=explanation.output, name=name,
                                                      value=fmt(explanation.gradients[name])), "grad"))
        all_lines.append(lines)
    pairs = [(index[parent], index[child]) for child, parent in explanation.local]
    sizes = [text_size(lines) for lines in all_lines]
    layout = layered_layout(sizes, pairs, layer_gap=LABELLED_LAYER_GAP)
    boxes = [Box(f"node{i}", name, lines, layout.x[i], layout.y[i], *sizes[i],
                 fill=INPUT_FILL if name in explanation.gradients else HIDDEN_FILL)
             for i, (name, lines) in enumerate(zip(names, all_lines))]
    boxes[index[explanation.output]].fill = OUTPUT_FILL
    edges = [Edge(f"node{u}", f"node{v}", points, label=[(fmt(d), "plain")])
             for (u, v), points, d in zip(pairs, layout.edges, explanation.local.values())]
    place_labels(boxes, edges)
    return Drawing(boxes, edges, layout.width, layout.height, title=i18n.t("viz.explanation_title"))
