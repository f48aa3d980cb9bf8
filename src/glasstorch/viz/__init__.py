"""glasstorch.viz: see the graph. ``draw(loss)`` draws the computation graph behind a tensor, as torchviz's
``make_dot`` and micrograd's ``draw_dot`` do, with the forward values and, after ``backward()``, the gradients::

    import glasstorch.viz as viz
    loss.backward()
    viz.draw(loss, params=model.named_parameters()).save("graph.svg")   # or .png; a notebook shows it by itself

One box per autograd node with torch's name (AddmmBackward0, ReluBackward0, ...), one per leaf that requires grad
with its name (from ``params``, else the caller's variable names, as ``explain`` finds them), each with its shape,
its values when it has at most ``max_values`` elements, and its ``.grad`` when there is one.

Why the layout is computed here: Graphviz, which torchviz uses, is a system program (``dot``) that a ``pip install``
cannot bring, and the pure-Python layout packages are thinly maintained. A layered (Sugiyama) layout of an acyclic
graph is four short steps (``layout.py``: longest-path layering, dummy nodes on long edges, barycentre ordering
sweeps, least-squares x coordinates), SVG is text, and PNG comes from matplotlib (already a dependency, rendering
through Agg, so no display is needed). So a drawing works after the plain install on any machine; where Graphviz is
installed, ``renderer="dot"`` (or ``"auto"``) hands the same nodes and edges to it, and ``Drawing.to_dot()`` gives the
DOT text for any other tool.

viz sits in the companion layer: it reads the core's public tensors and nodes, and nothing in the core imports it.
"""
from __future__ import annotations

import inspect

from ..autograd.tensor_base import TensorBase
from .. import i18n
from .graph import collect, format_array, graph_drawing, key_of
from .network import draw_explanation, draw_network
from .scene import Box, Drawing, Edge, dot_available

__all__ = ["draw", "draw_explanation", "draw_network", "Drawing", "Box", "Edge", "format_array"]


def draw(output: TensorBase, params=None, *, values: bool = True, grads: bool = True, digits: int = 4,
         max_values: int = 8, max_nodes: int = 600, renderer: str = "builtin") -> Drawing:
    """The drawing of the graph that produced ``output``.

    params: names for the boxes: a dict ``{name: tensor}`` or a module's ``named_parameters()`` (or the module);
        None names them after the caller's variables that hold a tensor of the graph.
    values / grads: show the forward values / ``.grad`` of tensors with at most ``max_values`` elements, to
        ``digits`` significant digits (``.grad`` is kept for leaves, and for intermediate tensors that called
        ``retain_grad()`` before ``backward()``).
    max_nodes: a larger graph raises ValueError (a drawing of thousands of boxes cannot be read).
    renderer: "builtin" (works everywhere), "dot" (Graphviz's layout; needs its ``dot`` program), "auto" (dot when
        installed).
    """
    if renderer not in ("builtin", "dot", "auto"):
        raise ValueError(i18n.t("viz.bad_renderer", renderer=renderer))
    nodes, edges = collect(output, max_nodes)
    present = {n.key: n for n in nodes}
    if params is None:
        caller = inspect.currentframe().f_back
        named = _caller_names(caller, present)
        del caller
    else:
        named = _param_names(params)
    for key, name in named.items():
        if key in present:
            present[key].name = name
    drawing = graph_drawing(nodes, edges, values=values, grads=grads, digits=digits, max_values=max_values,
                            title=nodes[0].name or nodes[0].op or "")
    if renderer == "dot" or (renderer == "auto" and dot_available()):
        drawing.renderer = "dot"
    return drawing


def _param_names(params) -> dict:
    if hasattr(params, "named_parameters") and callable(params.named_parameters):
        params = params.named_parameters()
    items = params.items() if isinstance(params, dict) else params
    names = {}
    try:
        for name, tensor in items:
            if not isinstance(tensor, TensorBase):
                raise TypeError(i18n.t("viz.bad_params", kind=type(tensor).__name__))
            names[key_of(tensor)] = str(name)
    except (TypeError, ValueError) as error:
        if isinstance(error, TypeError) and str(error).startswith("draw:"):
            raise
        raise TypeError(i18n.t("viz.bad_params", kind=type(params).__name__)) from None
    return names


def _caller_names(frame, present: dict) -> dict:
    """{box key: variable name} for the caller's variables (globals, then locals, which win) holding graph tensors."""
    names = {}
    for scope in (frame.f_globals, frame.f_locals):
        for name, value in scope.items():
            if isinstance(value, TensorBase) and not name.startswith("_"):
                key = key_of(value)
                if key in present:
                    names[key] = name
    return names
