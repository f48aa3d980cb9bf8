"""Formulas of a recorded scalar graph, written in the names the user gave (``net_h1 = w1 × 0.05 + w2 × 0.1 + b1``).

Named tensors appear by name, unnamed leaves and constants by value. A constant operand is not kept by the graph (a
Python number is not an input of the node), so it is recovered from the node's output, its other operand and its local
derivative: for ``w1 × c`` the derivative with respect to w1 is c itself; for ``a ** c``, c = ∂out/∂a · a / out.
"""
from __future__ import annotations

import math

from .._backend import np
from ..autograd.tensor_base import TensorBase

_CALLS = {"Exp": "exp", "Log": "log", "Sqrt": "sqrt", "Tanh": "tanh", "Sigmoid": "sigmoid", "Relu": "relu",
          "Abs": "abs", "Sin": "sin", "Cos": "cos", "Log1p": "log1p"}
_TRANSPARENT = {"Sum", "Mean", "Clone", "Contiguous", "Reshape", "View", "Cast", "Expand"}
_SUPERSCRIPTS = {2: "²", 3: "³"}


def _number(x: float) -> str:
    text = f"{x:.6g}"
    return f"({text})" if x < 0 else text


class Formulas:
    """Renders a named tensor's formula: named tensors by name, unnamed leaves and constants by value."""

    def __init__(self, graph, names: dict[int, str], local: dict[int, list[tuple[int, float]]]):
        self.graph, self.names, self.local = graph, names, local

    def of(self, key: int) -> str:
        return self._node(key)[0]

    def _operand(self, t: TensorBase | None, recovered: float | None) -> tuple[str, int]:
        if t is None:
            return ("c", 4) if recovered is None or not math.isfinite(recovered) else (_number(recovered), 4)
        k = self.graph.key(t)
        if k in self.names:
            return self.names[k], 4
        if t.grad_fn is None:
            return _number(float(t._data.reshape(-1)[0])), 4
        return self._node(k)

    def _node(self, key: int) -> tuple[str, int]:
        t = self.graph.tensor_of[key]
        node = t.grad_fn
        kind = type(node).__name__
        args = list(node.inputs)
        value = float(t._data.reshape(-1)[0])
        if kind in _TRANSPARENT and args and args[0] is not None:
            return self._operand(args[0], None)
        if kind in ("Add", "Sub", "Rsub", "Mul", "Div", "Pow") and len(args) == 2:
            derivative = self.local[key][0][1] if len(self.local[key]) == 1 else None
            return self._binary(kind, args, value, derivative)
        if kind == "Neg":
            text, level = self._operand(args[0], None)
            return "-" + (text if level >= 2 else f"({text})"), 2
        call = _CALLS.get(kind) or node.name().removesuffix("Backward0").removesuffix("Backward1").lower()
        inner = ", ".join(self._operand(a, None)[0] for a in args if a is not None)
        return f"{call}({inner})", 4

    def _binary(self, kind: str, args: list, value: float, derivative: float | None) -> tuple[str, int]:
        a, b = args
        known = [None if x is None else float(x._data.reshape(-1)[0]) for x in (a, b)]
        recovered = [None, None]
        with np.errstate(all="ignore"):
            for missing, present in ((0, 1), (1, 0)):
                if args[missing] is None and args[present] is not None:
                    recovered[missing] = _recover(kind, missing, known[present], value, derivative)
        (ta, la), (tb, lb) = self._operand(a, recovered[0]), self._operand(b, recovered[1])
        if kind == "Add":
            return f"{ta} + {tb}", 0
        if kind in ("Sub", "Rsub"):
            return f"{ta} - {_wrap(tb, lb, 1)}", 0
        if kind == "Mul":
            return f"{_wrap(ta, la, 1)} × {_wrap(tb, lb, 1)}", 1
        if kind == "Div":
            return f"{_wrap(ta, la, 1)} / {_wrap(tb, lb, 2)}", 1
        exponent = recovered[1]
        if b is None and exponent is not None and float(exponent).is_integer() and int(exponent) in _SUPERSCRIPTS:
            return f"{_wrap(ta, la, 4)}{_SUPERSCRIPTS[int(exponent)]}", 3
        return f"{_wrap(ta, la, 4)}^{_wrap(tb, lb, 4)}", 3


_DERIVATIVES = {"Sigmoid": "{y} × (1 - {y})", "Tanh": "1 - {y}²", "Exp": "{y}", "Log": "1 / {x}",
                "Relu": "1 if {x} > 0 else 0"}


def derivative_formula(node, child: str, parent: str) -> str | None:
    """The course's closed form of a unary node's derivative in the names (sigmoid: f·(1 − f))."""
    pattern = _DERIVATIVES.get(type(node).__name__)
    return pattern.format(y=child, x=parent) if pattern else None


def _wrap(text: str, level: int, needed: int) -> str:
    return text if level >= needed else f"({text})"


def _recover(kind: str, missing: int, present: float, out: float, derivative: float | None) -> float | None:
    """The constant operand of a scalar binary node, from its output, its other operand and the local derivative
    ``derivative`` = ∂out/∂(the operand that is a tensor)."""
    if kind == "Add":
        return out - present
    if kind in ("Sub", "Rsub"):
        return out + present if missing == 0 else present - out
    if kind == "Mul":
        return derivative if derivative is not None else (out / present if present != 0 else None)
    if kind == "Div":
        if missing == 0:
            return out * present
        return 1 / derivative if derivative else None
    if kind == "Pow":
        if missing == 1:  # out = a^b, ∂out/∂a = b·a^(b−1) = b·out/a
            if derivative is None or out == 0:
                return None
            exponent = derivative * present / out
            return float(round(exponent)) if abs(exponent - round(exponent)) < 1e-9 else exponent
        return out ** (1 / present) if present != 0 and out >= 0 else None
    return None
