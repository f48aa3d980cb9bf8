"""Figures of the tour's chapters that ``plots`` does not cover: layers without activations, parameter counts, loss
curves, gradient descent on the worked example, Dropout and BatchNorm. Same conventions as ``plots``: each function
returns a ``Figure`` and saves it as PNG when given a path."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import glasstorch
import glasstorch.nn as nn
import glasstorch.nn.functional as F

from ..i18n.fonts import pt
from .backprop import LEARNING_RATE, WEIGHTS, build_network
from .plots import COLOURS, derivative, new_figure, save

__all__ = ["layers_collapse", "parameter_counts", "losses", "gradient_descent", "regularisation"]


def _array(t: glasstorch.Tensor) -> np.ndarray:
    return t.detach().numpy()


def layers_collapse(path: str | Path | None = None, seed: int = 3) -> Figure:
    """A 1 → 16 → 1 network on x ∈ [−3, 3]: without an activation it is one straight line (k·x + c, drawn over it),
    with ReLU or tanh it bends."""
    glasstorch.manual_seed(seed)
    hidden, out = nn.Linear(1, 16), nn.Linear(16, 1)
    x = glasstorch.linspace(-3, 3, 301).reshape(-1, 1)
    with glasstorch.no_grad():
        k = out.weight @ hidden.weight
        c = out.weight @ hidden.bias + out.bias
        curves = {pt("plots.no_activation"): out(hidden(x)),
                  pt("plots.one_layer", k=f"{k.item():.3f}", c=f"{c.item():.3f}"): x @ k.T + c,
                  "ReLU: out(relu(hidden(x)))": out(glasstorch.relu(hidden(x))),
                  "tanh: out(tanh(hidden(x)))": out(glasstorch.tanh(hidden(x)))}
    figure = new_figure(figsize=(8, 5), layout="constrained")
    ax = figure.subplots()
    for i, (label, y) in enumerate(curves.items()):
        ax.plot(_array(x).reshape(-1), _array(y).reshape(-1), color=COLOURS[i], label=label,
                linestyle=":" if i == 1 else "-", linewidth=3 if i == 1 else 1.8)
    ax.set_xlabel(pt("plots.input_x"))
    ax.set_ylabel(pt("plots.network_output"))
    ax.set_title(pt("plots.collapse_title"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return save(figure, path)


def parameter_counts(model: nn.Module, path: str | Path | None = None, title: str | None = None, *,
                     title_key: str = "plots.parameters_per_layer") -> Figure:
    """Weights and biases of each Linear layer, stacked, with the count (in × out + out) written on the bar; the
    title is ``title``, else the catalogue's ``title_key``."""
    title = title if title is not None else pt(title_key)
    names, weights, biases = [], [], []
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):
            names.append(f"{name}\n{module.in_features}→{module.out_features}")
            weights.append(module.weight.numel())
            biases.append(module.bias.numel() if module.bias is not None else 0)
    figure = new_figure(figsize=(8, 4.5), layout="constrained")
    ax = figure.subplots()
    positions = np.arange(len(names))
    ax.bar(positions, weights, color="tab:blue", label=pt("plots.weights_bar"))
    ax.bar(positions, biases, bottom=weights, color="tab:orange", label=pt("plots.biases_bar"))
    for p, w, b in zip(positions, weights, biases):
        ax.text(p, w + b, f"{w:,} + {b:,} = {w + b:,}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(positions, names)
    ax.set_ylabel(pt("plots.parameters"))
    ax.set_title(pt("plots.parameters_total", title=title, total=f"{sum(weights) + sum(biases):,}"))
    ax.legend()
    ax.margins(y=0.15)
    return save(figure, path)


def losses(path: str | Path | None = None) -> Figure:
    """Regression losses of one error e = prediction − target (with their autograd gradients), and the
    classification losses −log p."""
    e = glasstorch.linspace(-3, 3, 601)
    zero = glasstorch.zeros(601)
    figure = new_figure(figsize=(13, 4.5), layout="constrained")
    left, middle, right = figure.subplots(1, 3)
    regression = {"L1 (MAE): |e|": lambda p: F.l1_loss(p, zero, reduction="none"),
                  "MSE: e²": lambda p: F.mse_loss(p, zero, reduction="none"),
                  "Smooth L1: 0.5e² if |e| < 1 else |e| - 0.5": lambda p: F.smooth_l1_loss(p, zero, reduction="none")}
    for i, (label, loss) in enumerate(regression.items()):
        value, gradient = derivative(loss, e)
        left.plot(_array(e), value, color=COLOURS[i], label=label)
        middle.plot(_array(e), gradient, color=COLOURS[i], label=pt("plots.gradient_of", name=label.split(":")[0]))
    left.set_ylim(0, 5)
    left.set_title(pt("plots.regression_losses"), fontsize=10)
    middle.set_title(pt("plots.their_gradients"), fontsize=10)
    for ax in (left, middle):
        ax.set_xlabel(pt("plots.error_e"))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    left.set_ylabel(pt("plots.loss_value"))
    middle.set_ylabel(pt("plots.dloss"))
    p = glasstorch.linspace(0.001, 0.999, 500)
    right.plot(_array(p), _array(F.binary_cross_entropy(p, glasstorch.ones(500), reduction="none")), color=COLOURS[0],
               label=pt("plots.bce_target_1"))
    right.plot(_array(p), _array(F.binary_cross_entropy(p, glasstorch.zeros(500), reduction="none")), color=COLOURS[1],
               label=pt("plots.bce_target_0"))
    right.axvline(0.7, color="grey", linestyle=":")
    right.text(0.71, 3, pt("plots.course_log"), fontsize=8)
    right.set_xlabel(pt("plots.predicted_p"))
    right.set_ylabel(pt("plots.loss_value"))
    right.set_title(pt("plots.bce_title"), fontsize=10)
    right.grid(alpha=0.3)
    right.legend(fontsize=8)
    return save(figure, path)


def gradient_descent(path: str | Path | None = None, steps: int = 1000) -> tuple[Figure, list[float]]:
    """Gradient descent (lr 0.5) on the course's 2-2-2 network: E_total and the outputs against their targets."""
    weights = dict(WEIGHTS)
    errors, out_o1, out_o2 = [], [], []
    for _ in range(steps):
        v = build_network(weights)
        errors.append(v["E"].item())
        out_o1.append(v["out_o1"].item())
        out_o2.append(v["out_o2"].item())
        v["E"].backward()
        weights = {name: weights[name] - LEARNING_RATE * v[name].grad.item() for name in weights}
    figure = new_figure(figsize=(12, 4.5), layout="constrained")
    left, right = figure.subplots(1, 2)
    left.semilogy(range(1, steps + 1), errors, color=COLOURS[0], label="E_total")
    left.set_title(pt("plots.e_total", first=f"{errors[0]:.9f}", last=f"{errors[-1]:.6f}", steps=steps))
    left.set_xlabel(pt("plots.gd_step_lr"))
    left.set_ylabel(pt("plots.e_total_log"))
    right.plot(out_o1, color=COLOURS[1], label=pt("plots.out_target", name="out_o1", target=0.01))
    right.plot(out_o2, color=COLOURS[2], label=pt("plots.out_target", name="out_o2", target=0.99))
    for target in (0.01, 0.99):
        right.axhline(target, color="grey", linestyle=":")
    right.set_title(pt("plots.outputs_approach"))
    right.set_xlabel(pt("plots.gd_step"))
    right.set_ylabel(pt("plots.output"))
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend()
    figure.suptitle(pt("plots.backprop_title"))
    return save(figure, path), errors


def regularisation(path: str | Path | None = None, p: float = 0.4, seed: int = 0) -> Figure:
    """Dropout's mask on a batch of ones (zeros, and survivors scaled by 1/(1−p)); BatchNorm1d on skewed features."""
    glasstorch.manual_seed(seed)
    dropped = nn.Dropout(p)(glasstorch.ones(16, 32))
    features = glasstorch.exp(glasstorch.randn(512, 3) * glasstorch.tensor([0.3, 0.6, 0.9])) * 4 + glasstorch.tensor(
        [2.0, -3.0, 8.0])
    normalised = nn.BatchNorm1d(3)(features).detach()
    figure = new_figure(figsize=(13, 4.5), layout="constrained")
    left, middle, right = figure.subplots(1, 3)
    image = left.imshow(_array(dropped), cmap="viridis", aspect="auto")
    figure.colorbar(image, ax=left, label=pt("plots.after_dropout"))
    zeros = float((dropped == 0).float().mean())
    left.set_title(pt("plots.dropout_title", p=p, zeroed=f"{zeros:.1%}", scale=f"{1 / (1 - p):.3f}"), fontsize=10)
    left.set_xlabel(pt("plots.feature"))
    left.set_ylabel(pt("plots.sample"))
    for i in range(3):
        middle.hist(_array(features[:, i]), bins=40, alpha=0.6, color=COLOURS[i], label=pt("plots.feature_i", i=i))
        right.hist(_array(normalised[:, i]), bins=40, alpha=0.6, color=COLOURS[i], label=pt("plots.feature_i", i=i))
    middle.set_title(pt("plots.before_bn"), fontsize=10)
    right.set_title(pt("plots.after_bn"), fontsize=10)
    for ax in (middle, right):
        ax.set_xlabel(pt("plots.value"))
        ax.set_ylabel(pt("plots.count"))
        ax.legend(fontsize=8)
    figure.suptitle(pt("plots.regularisation_title"))
    return save(figure, path)
