"""The graph behind a tensor, as boxes: one per autograd node (torch's name, AddmmBackward0) and one per leaf that
requires grad (its name), each with its shape, its values when it is small and its ``.grad`` when there is one.

Edges run from an input to the node that used it, so the layout reads top-down from the parameters to the output.
torch's AccumulateGrad nodes (the step that adds a gradient into ``leaf.grad``) are left out: the leaf's own box
stands for them, as in micrograd's drawings. A value reached twice (a shared subexpression) is one box with two
arrows leaving it. Values come from the tensors the nodes saw as inputs, so they are the forward values; gradients
are what ``.grad`` holds: leaves after ``backward()``, and intermediate tensors that called ``retain_grad()``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .._backend import np
from ..autograd.tensor_base import TensorBase
from .. import i18n
from . import _text
from .layout import layered_layout, ranks
from .scene import Box, Drawing, Edge, Lines, text_size

__all__ = ["GraphNode", "collect", "format_array", "graph_drawing"]

LEAF_FILL, OP_FILL, OUTPUT_FILL = "#cfe2f3", "#eeeeee", "#d9ead3"
SHARED_SPAN = 2  # a leaf whose users lie more layers apart than this is drawn beside each of them


@dataclass
class GraphNode:
    """A box of the drawing: an autograd node (``function`` set) or a leaf; ``tensor`` is the value it stands for."""

    key: tuple
    tensor: TensorBase
    function: object = None
    name: str | None = None

    @property
    def op(self) -> str | None:
        return self.function.name() if self.function is not None else None


def key_of(t: TensorBase) -> tuple:
    """A tensor's box: its node's for a computed tensor, its own for a leaf."""
    return ("op", id(t.grad_fn)) if t.grad_fn is not None else ("leaf", id(t))


def collect(output: TensorBase, max_nodes: int) -> tuple[list[GraphNode], list[tuple[int, int]]]:
    """The nodes reachable from ``output`` (output first) and the edges (input index, user index), iteratively."""
    if not isinstance(output, TensorBase):
        raise TypeError(i18n.t("viz.not_a_tensor", kind=type(output).__name__))
    if output.grad_fn is None:
        if output.requires_grad:
            return [GraphNode(key_of(output), output)], []
        raise ValueError(i18n.t("viz.no_graph"))
    nodes = [GraphNode(key_of(output), output, output.grad_fn)]
    index = {nodes[0].key: 0}
    edges: list[tuple[int, int]] = []
    stack = [output.grad_fn]
    while stack:
        function = stack.pop()
        user = index[("op", id(function))]
        for t, parent in zip(function.inputs, function.parents):
            if t is None:
                continue
            key = ("op", id(parent)) if parent is not None else ("leaf", id(t))
            if key not in index:
                index[key] = len(nodes)
                nodes.append(GraphNode(key, t, parent))
                if parent is not None:
                    stack.append(parent)
            edges.append((index[key], user))
    if len(nodes) > max_nodes:
        raise ValueError(i18n.t("viz.too_large", count=len(nodes), limit=max_nodes))
    return nodes, edges


def _number(x, digits: int) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return f"{float(x):.{digits}g}"


def format_array(array, digits: int = 4) -> list[str]:
    """A small array as lines of text: a number, ``[a, b, c]``, or one line per row of a matrix."""
    a = np.asarray(array)
    if a.ndim == 0:
        return [_number(a.item(), digits)]
    if a.ndim == 1:
        return ["[" + ", ".join(_number(x, digits) for x in a.tolist()) + "]"]
    cells = [[_number(x, digits) for x in row] for row in a.reshape(-1, a.shape[-1]).tolist()]
    widths = [max(len(row[j]) for row in cells) for j in range(len(cells[0]))]
    lines = ["[" + ", ".join(c.rjust(w) for c, w in zip(row, widths)) + "]" for row in cells]
    return [("[" if i == 0 else " ") + line + ("]" if i == len(lines) - 1 else ",") for i, line in enumerate(lines)]


def _labelled(prefix: str, lines: list[str], style: str) -> Lines:
    pad = " " * len(prefix)
    widest = max(len(line) for line in lines)  # equal lengths: centred, the rows of a matrix line up
    return [((prefix if i == 0 else pad) + line.ljust(widest), style) for i, line in enumerate(lines)]


def node_lines(node: GraphNode, values: bool, grads: bool, digits: int, max_values: int) -> Lines:
    t = node.tensor
    lines: Lines = []
    if node.function is not None:
        if node.name:
            lines.append((node.name, "name"))
        lines.append((node.op, "title"))
    else:
        lines.append((node.name or _text.UNNAMED_LEAF, "name"))
    data = t._data
    shape = "(" + ", ".join(str(d) for d in data.shape) + ("," if data.ndim == 1 else "") + ")"
    dtype = "" if data.dtype == np.float32 else f" {str(t.dtype).replace('glasstorch.', '')}"
    lines.append((_text.SHAPE.format(shape=shape) + dtype, "plain"))
    if values and data.size <= max_values:
        lines += _labelled(_text.DATA_PREFIX, format_array(data, digits), "value")
    grad = t.grad if grads and (node.function is None or t.retains_grad) else None
    if grad is not None and grad._data.size <= max_values:
        lines += _labelled(_text.GRAD_PREFIX, format_array(grad._data, digits), "grad")
    return lines


def split_shared_leaves(nodes: list[GraphNode], edges: list[tuple[int, int]],
                        span: int = SHARED_SPAN) -> tuple[list[GraphNode], list[tuple[int, int]], dict[int, int]]:
    """A leaf used at layers more than ``span`` apart (a weight shared by every step of a loop) gets one box per
    layer of its users, so that no edge runs the height of the drawing; returns the nodes, the edges and
    {copy index: original index}."""
    users: list[list[int]] = [[] for _ in nodes]
    for u, v in edges:
        users[u].append(v)
    rank = ranks(len(nodes), users)
    copies: dict[int, int] = {}
    nodes = list(nodes)
    moved: dict[tuple[int, int], int] = {}  # (leaf, user) → the box that feeds it
    for leaf, node in enumerate(list(nodes)):
        if node.function is not None or len(users[leaf]) < 2:
            continue
        levels = sorted({rank[v] for v in users[leaf]}, reverse=True)
        if levels[0] - levels[-1] <= span:
            continue
        for level in levels[1:]:
            copies[len(nodes)] = leaf
            for v in users[leaf]:
                if rank[v] == level:
                    moved[(leaf, v)] = len(nodes)
            nodes.append(node)
    return nodes, [(moved.get((u, v), u), v) for u, v in edges], copies


def graph_drawing(nodes: list[GraphNode], edges: list[tuple[int, int]], *, values: bool, grads: bool, digits: int,
                  max_values: int, title: str = "") -> Drawing:
    """Boxes for ``nodes``, placed by the layered layout, and one arrow per edge; a leaf shared far apart is drawn
    once per layer that uses it (``split_shared_leaves``), its copies marked as such."""
    nodes, edges, copies = split_shared_leaves(nodes, edges)
    all_lines = [node_lines(n, values, grads, digits, max_values) for n in nodes]
    uses = {u: sum(1 for a, _ in edges if a == u or copies.get(a) == u) for u in set(copies.values())}
    for copy, original in copies.items():
        all_lines[copy] = all_lines[copy][:1] + [(_text.SHARED.format(count=uses[original]), "note")]
    sizes = [text_size(lines) for lines in all_lines]
    layout = layered_layout(sizes, edges)
    boxes = []
    for i, (node, lines) in enumerate(zip(nodes, all_lines)):
        fill = OUTPUT_FILL if i == 0 else LEAF_FILL if node.function is None else OP_FILL
        key = f"node{copies[i]}.{i}" if i in copies else f"node{i}"
        boxes.append(Box(key, node.name or node.op or _text.UNNAMED_LEAF, lines, layout.x[i], layout.y[i],
                         sizes[i][0], sizes[i][1], fill=fill))
    arrows = [Edge(boxes[u].key, boxes[v].key, points) for (u, v), points in zip(edges, layout.edges)]
    return Drawing(boxes, arrows, layout.width, layout.height, title=title)
