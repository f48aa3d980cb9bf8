"""explain: backpropagation written out in numbers, as the course does it by hand.

``explain(E, {"w5": w5, "net_o1": net_o1, ...})`` walks the graph that autograd recorded for the scalar ``E`` and prints

1. the forward pass: every named quantity with its formula (in the names given), its value, and its local
   derivatives (∂out_o1/∂net_o1 = out_o1·(1 − out_o1) = 0.18681560), each obtained from the node's own ``backward``;
2. the backward pass: for every named leaf, the chain rule written out and multiplied out, summed over every path
   by which the leaf reaches the output, as the course does for w1:

       ∂E/∂w5 = ∂E/∂out_o1 × ∂out_o1/∂net_o1 × ∂net_o1/∂w5 = 0.74136507 × 0.18681560 × 0.59326999 = 0.08216704

Unnamed intermediate nodes are folded into the edge between the named ones around them (``net_o1 = w5·out_h1 + …``
has two Mul and two Add nodes, but one derivative ∂net_o1/∂w5). Names come from a dict, or, when ``inputs`` is a
list (or None), from the caller's variables. The graph must be made of scalars (one element per tensor), as the
course draws it, and must still be alive: call ``explain`` before ``E.backward()`` or use ``retain_graph=True``.
"""
from __future__ import annotations

import inspect
import math
import os
import sys
from dataclasses import dataclass, field
from typing import TextIO

from .._backend import np
from ..autograd import engine
from ..autograd.tensor_base import TensorBase
from .. import i18n
from ..viz import Drawing, draw_explanation
from .explain_html import explanation_html
from .formulas import Formulas, derivative_formula

__all__ = ["Explanation", "explain"]

MAX_PATHS_SHOWN = 16


@dataclass
class Explanation:
    """What ``explain`` found; ``str()`` is the printed text."""

    output: str
    values: dict[str, float] = field(default_factory=dict)          # name → forward value
    formulas: dict[str, str] = field(default_factory=dict)          # name → formula in the other names
    local: dict[tuple[str, str], float] = field(default_factory=dict)  # (child, parent) → ∂child/∂parent
    gradients: dict[str, float] = field(default_factory=dict)       # leaf → ∂output/∂leaf (sum over paths)
    paths: dict[str, list[tuple[list[str], list[float]]]] = field(default_factory=dict)  # leaf → [(names, factors)]
    autograd: dict[str, float] = field(default_factory=dict)        # leaf → the engine's gradient, for comparison
    updated: dict[str, float] = field(default_factory=dict)         # leaf → leaf − lr·gradient (with lr)
    text: str = ""
    digits: int = 8

    def __str__(self) -> str:
        return self.text

    def draw(self) -> Drawing:
        """The named quantities as a graph (``glasstorch.viz.draw_explanation``): ``.save("graph.svg")``."""
        return draw_explanation(self)

    def _repr_html_(self) -> str:
        return explanation_html(self)


def explain(output: TensorBase, inputs=None, *, lr: float | None = None, digits: int = 8,
            file: TextIO | None = None, quiet: bool = False, draw: str | os.PathLike | None = None) -> Explanation:
    """Prints (unless ``quiet``) and returns the forward values, local derivatives and chain-rule products of ``output``.

    inputs: ``{name: tensor}`` (names for leaves and for any intermediate tensor), or a list of leaf tensors (named
        after the caller's variables), or None (every leaf that requires grad, named after the caller's variables).
    lr: also print the gradient-descent update ``w⁺ = w − lr·∂E/∂w`` of every leaf.
    draw: also save the drawing of the named graph there (``.svg`` or ``.png``; see ``Explanation.draw``).
    """
    if not isinstance(output, TensorBase) or output.grad_fn is None:
        raise ValueError(i18n.t("explain.no_grad_fn"))
    graph = _Graph(output)
    caller = inspect.currentframe().f_back
    names, targets = _names_and_targets(graph, inputs, caller)
    del caller
    result = _Explainer(graph, names, targets, digits).run(lr)
    if draw is not None:
        result.draw().save(draw)
    if not quiet:
        print(result.text, file=file if file is not None else sys.stdout)
    return result


# ---- the recorded graph, seen as scalars -------------------------------------------------------------------------
class _Graph:
    """The tensors and nodes reachable from ``output``; a tensor is identified by its node, or by itself for a leaf."""

    def __init__(self, output: TensorBase):
        self.output = output
        self.tensor_of: dict[int, TensorBase] = {}   # key → tensor
        self.order: list[int] = []                     # keys, inputs before the nodes that use them
        self._collect(output)

    @staticmethod
    def key(t: TensorBase) -> int:
        return id(t.grad_fn) if t.grad_fn is not None else id(t)

    def inputs(self, key: int) -> list[TensorBase]:
        node = self.tensor_of[key].grad_fn
        return [] if node is None else [t for t in node.inputs if t is not None]

    def _collect(self, output: TensorBase) -> None:
        stack, done = [(output, False)], set()
        while stack:
            t, expanded = stack.pop()
            k = self.key(t)
            if expanded:
                if k not in done:
                    done.add(k)
                    self.order.append(k)
                continue
            if k in self.tensor_of:
                continue
            if t._data.size != 1:
                raise ValueError(i18n.t("explain.not_scalar", shape=tuple(t.shape)))
            self.tensor_of[k] = t
            stack.append((t, True))
            if t.grad_fn is not None:
                if t.grad_fn._saved is None:
                    raise RuntimeError(i18n.t("explain.graph_freed"))
                stack.extend((i, False) for i in reversed(t.grad_fn.inputs) if i is not None)

    def local_derivatives(self, key: int) -> list[tuple[int, float]]:
        """(input key, ∂this/∂input) for each input of the node, from the node's own backward with a unit seed."""
        t = self.tensor_of[key]
        node = t.grad_fn
        if node is None:
            return []
        try:
            grads = node.backward(node, np.ones_like(t._data))
        except RuntimeError as error:
            raise RuntimeError(i18n.t("explain.graph_freed")) from error
        if type(grads) is not tuple:
            grads = (grads,)
        found: dict[int, float] = {}
        for i, g in zip(node.inputs, grads):
            if i is not None and g is not None:
                k = self.key(i)
                found[k] = found.get(k, 0.0) + float(np.sum(g))
        return list(found.items())


def _names_and_targets(graph: _Graph, inputs, caller) -> tuple[dict[int, str], list[int]]:
    names: dict[int, str] = {}
    if isinstance(inputs, dict):
        for name, t in inputs.items():
            if not isinstance(t, TensorBase):
                raise TypeError(i18n.t("explain.not_tensor", name=repr(name)))
            names[graph.key(t)] = name
        targets = [graph.key(t) for t in inputs.values() if t.grad_fn is None]
    else:
        for scope in (caller.f_globals, caller.f_locals):
            for name, value in scope.items():
                if isinstance(value, TensorBase) and not name.startswith("_") and graph.key(value) in graph.tensor_of:
                    names[graph.key(value)] = name
        if inputs is None:
            targets = [k for k in graph.order if graph.tensor_of[k].grad_fn is None and graph.tensor_of[k].requires_grad]
        else:
            targets = [graph.key(t) for t in (inputs if isinstance(inputs, (list, tuple)) else [inputs])]
    for n, k in enumerate(targets):
        names.setdefault(k, f"x{n}")
    for k in targets:
        if k not in graph.tensor_of:
            raise ValueError(i18n.t("explain.not_in_graph", name=names[k]))
    names.setdefault(graph.key(graph.output), "output")
    return names, targets


# ---- the chain rule ---------------------------------------------------------------------------------------------
class _Explainer:
    def __init__(self, graph: _Graph, names: dict[int, str], targets: list[int], digits: int):
        self.graph, self.names, self.targets, self.digits = graph, names, targets, digits
        self.root = graph.key(graph.output)
        self.local = {k: graph.local_derivatives(k) for k in graph.order}
        self._reach_memo: dict[int, dict[int, float]] = {}
        leaves = [k for k in names if k in graph.tensor_of and graph.tensor_of[k].grad_fn is None]
        self.named = leaves + [k for k in graph.order if (k in names or k == self.root) and k not in leaves]
        # edges between named tensors (unnamed nodes folded in): edges[child][parent] = ∂child/∂parent
        self.edges = {k: self._named_inputs(k) for k in self.named if graph.tensor_of[k].grad_fn is not None}

    def fmt(self, x: float) -> str:
        text = f"{x:.{self.digits}f}"
        return f"({text})" if text.startswith("-") else text

    def _named_inputs(self, key: int) -> dict[int, float]:
        total: dict[int, float] = {}
        for parent, d in self.local[key]:
            for named, d2 in self._reach(parent).items():
                total[named] = total.get(named, 0.0) + d * d2
        return total

    def _reach(self, key: int) -> dict[int, float]:
        """∂(this)/∂(named tensor) through unnamed nodes only; a named tensor reaches itself with derivative 1."""
        if key in self.names:
            return {key: 1.0}
        if key in self._reach_memo:
            return self._reach_memo[key]
        result = self._named_inputs(key) if self.graph.tensor_of[key].grad_fn is not None else {}
        self._reach_memo[key] = result
        return result

    def _paths(self, target: int, limit: int) -> list[list[int]]:
        found: list[list[int]] = []
        stack = [[self.root]]
        while stack and len(found) <= limit:
            path = stack.pop()
            last = path[-1]
            if last == target:
                found.append(path)
                continue
            for parent in reversed(list(self.edges.get(last, {}))):
                stack.append(path + [parent])
        return found

    def _gradient(self, target: int) -> float:
        """Σ over paths, computed by dynamic programming (the same sum, whatever the number of paths)."""
        adjoint = {self.root: 1.0}
        for k in reversed(self.named):
            if k in adjoint:
                for parent, d in self.edges.get(k, {}).items():
                    adjoint[parent] = adjoint.get(parent, 0.0) + adjoint[k] * d
        return adjoint.get(target, 0.0)

    def run(self, lr: float | None) -> Explanation:
        name, out = self.names, self.names[self.root]
        result = Explanation(output=out, digits=self.digits)
        formulas = Formulas(self.graph, name, self.local)
        lines = [i18n.t("explain.forward")]
        width = max(len(name[k]) for k in self.named)
        for k in self.named:
            t = self.graph.tensor_of[k]
            value = float(t._data.reshape(-1)[0])
            result.values[name[k]] = value
            if t.grad_fn is None:
                lines.append(f"  {name[k]:<{width}} = {value:.{self.digits}f}")
                continue
            formula = formulas.of(k)
            result.formulas[name[k]] = formula
            lines.append(f"  {name[k]:<{width}} = {formula} = {value:.{self.digits}f}")
            parts = []
            for parent, d in self.edges[k].items():
                result.local[(name[k], name[parent])] = d
                direct = [i for i in t.grad_fn.inputs if i is not None]
                closed = (derivative_formula(t.grad_fn, name[k], name[parent])
                          if len(direct) == 1 and self.graph.key(direct[0]) == parent else None)
                shown = f"{closed} = " if closed else ""
                parts.append(f"∂{name[k]}/∂{name[parent]} = {shown}{d:.{self.digits}f}")
            if parts:
                lines.append(" " * (width + 5) + "   ".join(parts))
        lines.append("")
        lines.append(i18n.t("explain.backward", output=out))
        autograd = self._autograd()
        for target in self.targets:
            lines.extend(self._chain_lines(target, result))
            result.autograd[name[target]] = autograd[target]
        if self.targets:
            worst = max(abs(result.gradients[name[k]] - autograd[k]) for k in self.targets)
            lines.append("  " + i18n.t("explain.autograd_agrees", worst=f"{worst:.1e}"))
        if lr is not None:
            lines.append("")
            lines.append(i18n.t("explain.update", lr=f"{lr:g}", output=out))
            for target in self.targets:
                n = name[target]
                w, g = result.values[n], result.gradients[n]
                result.updated[n] = w - lr * g
                lines.append(f"  {n}⁺ = {w:.{self.digits}f} - {lr:g} × {self.fmt(g)} = {w - lr * g:.{self.digits}f}")
        result.text = "\n".join(lines)
        return result

    def _chain_lines(self, target: int, result: Explanation) -> list[str]:
        name, out = self.names, self.names[self.root]
        lhs = f"  ∂{out}/∂{name[target]} = "
        pad = " " * (len(lhs) - 2)
        total = self._gradient(target)
        result.gradients[name[target]] = total
        paths = self._paths(target, MAX_PATHS_SHOWN)
        if not paths:
            return [f"{lhs}0 " + i18n.t("explain.no_path", output=out, leaf=name[target])]
        if len(paths) > MAX_PATHS_SHOWN:
            return [f"{lhs}{self.fmt(total)}  " + i18n.t("explain.too_many_paths", limit=MAX_PATHS_SHOWN)]
        symbols, numbers, products = [], [], []
        recorded = []
        for path in paths:
            factors = [self.edges[child][parent] for child, parent in zip(path, path[1:])]
            recorded.append(([name[k] for k in path], factors))
            symbols.append(" × ".join(f"∂{name[c]}/∂{name[p]}" for c, p in zip(path, path[1:])))
            numbers.append(" × ".join(self.fmt(f) for f in factors))
            products.append(math.prod(factors))
        result.paths[name[target]] = recorded
        if len(paths) == 1:
            return [f"{lhs}{symbols[0]} = {numbers[0]} = {self.fmt(total)}"]
        lines = [lhs + symbols[0]] + [f"{pad}+ {s}" for s in symbols[1:]]
        lines += [f"{pad}= {numbers[0]}"] + [f"{pad}+ {n}" for n in numbers[1:]]
        lines.append(f"{pad}= " + " + ".join(self.fmt(p) for p in products) + f" = {self.fmt(total)}")
        return lines

    def _autograd(self) -> dict[int, float]:
        """The engine's own gradients of the output for the targets (the graph is kept)."""
        wanted = tuple(self.graph.tensor_of[k] for k in self.targets)
        output = self.graph.output
        grads = engine.run_backward([(output, np.ones_like(output._data))], True, wanted)
        return {k: float(np.sum(grads[id(self.graph.tensor_of[k])])) if grads[id(self.graph.tensor_of[k])] is not None
                else 0.0 for k in self.targets}
