"""The course's worked example of backpropagation: a 2-2-2 network with sigmoid, one step of gradient descent.

    net_h1 = w1·i1 + w2·i2 + b1·1        out_h1 = sigmoid(net_h1)      (h2 likewise with w3, w4)
    net_o1 = w5·out_h1 + w6·out_h2 + b2  out_o1 = sigmoid(net_o1)      (o2 likewise with w7, w8)
    E_total = Σ ½(target − out)² = E_o1 + E_o2

with w1..w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, b1 = 0.35, b2 = 0.60, inputs 0.05, 0.10, targets
0.01, 0.99 and learning rate 0.5. The course's numbers: E_total = 0.298371109, ∂E/∂w5 = 0.082167041,
w5⁺ = 0.35891648, w6⁺ = 0.408666186, w7⁺ = 0.511301270, w8⁺ = 0.561370121, w1⁺ = 0.149780716.
Computed in float64, one scalar tensor per value, so that ``explain`` can name every quantity as the course does.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import glasstorch
from glasstorch import viz
from glasstorch.viz import Drawing

from ..i18n import t
from .explain import Explanation, explain

WEIGHTS = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55,
           "b1": 0.35, "b2": 0.60}
INPUTS = (0.05, 0.10)
TARGETS = (0.01, 0.99)
LEARNING_RATE = 0.5


def build_network(weights: dict[str, float] | None = None) -> dict[str, glasstorch.Tensor]:
    """The forward pass of the course's network; returns every named tensor (leaves, intermediates, E_o1, E_o2, E)."""
    v = {name: glasstorch.tensor(value, dtype=glasstorch.float64, requires_grad=True)
         for name, value in (weights or WEIGHTS).items()}
    i1, i2 = (glasstorch.tensor(x, dtype=glasstorch.float64) for x in INPUTS)
    t1, t2 = (glasstorch.tensor(x, dtype=glasstorch.float64) for x in TARGETS)
    v["net_h1"] = v["w1"] * i1 + v["w2"] * i2 + v["b1"]
    v["out_h1"] = glasstorch.sigmoid(v["net_h1"])
    v["net_h2"] = v["w3"] * i1 + v["w4"] * i2 + v["b1"]
    v["out_h2"] = glasstorch.sigmoid(v["net_h2"])
    v["net_o1"] = v["w5"] * v["out_h1"] + v["w6"] * v["out_h2"] + v["b2"]
    v["out_o1"] = glasstorch.sigmoid(v["net_o1"])
    v["net_o2"] = v["w7"] * v["out_h1"] + v["w8"] * v["out_h2"] + v["b2"]
    v["out_o2"] = glasstorch.sigmoid(v["net_o2"])
    v["E_o1"] = 0.5 * (t1 - v["out_o1"]) ** 2
    v["E_o2"] = 0.5 * (t2 - v["out_o2"]) ** 2
    v["E"] = v["E_o1"] + v["E_o2"]
    return v


# the course's figure: neurons by layer, the weight on each connection, each bias and the neurons it feeds
LAYERS = [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]]
CONNECTIONS = {("i1", "h1"): "w1", ("i2", "h1"): "w2", ("i1", "h2"): "w3", ("i2", "h2"): "w4",
               ("h1", "o1"): "w5", ("h2", "o1"): "w6", ("h1", "o2"): "w7", ("h2", "o2"): "w8"}
BIASES = {"b1": ["h1", "h2"], "b2": ["o1", "o2"]}

EXPLAINED = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2",
             "net_h1", "out_h1", "net_h2", "out_h2", "net_o1", "out_o1", "net_o2", "out_o2", "E")


def worked_example(file: TextIO | None = None, quiet: bool = False, digits: int = 8,
                   draw: str | Path | None = None) -> Explanation:
    """Prints the course's forward pass, E_total, the chain rule for every weight and one gradient-descent step;
    with ``draw``, also saves the course's figure with these numbers filled in (``.svg`` or ``.png``)."""
    out = file if file is not None else sys.stdout
    v = build_network()
    if not quiet:
        print(t("explain.worked_example") + "\n", file=out)
        print(f"E_total = E_o1 + E_o2 = {v['E_o1'].item():.9f} + {v['E_o2'].item():.9f} = {v['E'].item():.9f}\n",
              file=out)
    result = explain(v["E"], {name: v[name] for name in EXPLAINED}, lr=LEARNING_RATE, digits=digits, file=out,
                     quiet=quiet)
    if draw is not None:
        draw_network(result, v).save(draw)
    return result


def draw_network(result: Explanation, v: dict[str, glasstorch.Tensor] | None = None) -> Drawing:
    """The course's network drawn with ``result``'s numbers: net and out in each neuron, value and ∂E/∂w on each
    weight, each output's error and E_total (``v``: the tensors of ``build_network``, for E_o1 and E_o2)."""
    v = v if v is not None else build_network()
    return viz.draw_network(result, LAYERS, CONNECTIONS, BIASES, inputs=dict(zip(("i1", "i2"), INPUTS)),
                            targets=dict(zip(("o1", "o2"), TARGETS)),
                            values={"E_o1": v["E_o1"].item(), "E_o2": v["E_o2"].item()})


def mlp_loss_graph(seed: int = 0) -> Drawing:
    """The graph autograd records for a small MLP's loss (3 → 4 ReLU → 2, cross-entropy on two samples), after
    ``backward()``: each node with its forward values, each parameter with its gradient."""
    generator = glasstorch.Generator().manual_seed(seed)
    model = glasstorch.nn.Sequential(glasstorch.nn.Linear(3, 4), glasstorch.nn.ReLU(), glasstorch.nn.Linear(4, 2))
    with glasstorch.no_grad():
        for p in model.parameters():
            p.copy_(glasstorch.randn(p.shape, generator=generator) * 0.5)
    x = glasstorch.randn(2, 3, generator=generator)
    loss = glasstorch.nn.CrossEntropyLoss()(model(x), glasstorch.tensor([0, 1]))
    loss.backward()
    return viz.draw(loss, params=model.named_parameters(), max_values=12)
