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

from .backprop import LEARNING_RATE, WEIGHTS, build_network
from .plots import COLOURS, derivative, save

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
        curves = {"no activation: out(hidden(x))": out(hidden(x)),
                  f"one layer k·x + c (k = {k.item():.3f}, c = {c.item():.3f})": x @ k.T + c,
                  "ReLU: out(relu(hidden(x)))": out(glasstorch.relu(hidden(x))),
                  "tanh: out(tanh(hidden(x)))": out(glasstorch.tanh(hidden(x)))}
    figure = Figure(figsize=(8, 5), layout="constrained")
    ax = figure.subplots()
    for i, (label, y) in enumerate(curves.items()):
        ax.plot(_array(x).reshape(-1), _array(y).reshape(-1), color=COLOURS[i], label=label,
                linestyle=":" if i == 1 else "-", linewidth=3 if i == 1 else 1.8)
    ax.set_xlabel("input x")
    ax.set_ylabel("network output")
    ax.set_title("Without an activation, two Linear layers collapse into one linear map")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    return save(figure, path)


def parameter_counts(model: nn.Module, path: str | Path | None = None, title: str = "Parameters per layer") -> Figure:
    """Weights and biases of each Linear layer, stacked, with the count (in × out + out) written on the bar."""
    names, weights, biases = [], [], []
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):
            names.append(f"{name}\n{module.in_features}→{module.out_features}")
            weights.append(module.weight.numel())
            biases.append(module.bias.numel() if module.bias is not None else 0)
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    ax = figure.subplots()
    positions = np.arange(len(names))
    ax.bar(positions, weights, color="tab:blue", label="weights w (in × out)")
    ax.bar(positions, biases, bottom=weights, color="tab:orange", label="biases b (out)")
    for p, w, b in zip(positions, weights, biases):
        ax.text(p, w + b, f"{w:,} + {b:,} = {w + b:,}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(positions, names)
    ax.set_ylabel("parameters")
    ax.set_title(f"{title}: total {sum(weights) + sum(biases):,}")
    ax.legend()
    ax.margins(y=0.15)
    return save(figure, path)


def losses(path: str | Path | None = None) -> Figure:
    """Regression losses of one error e = prediction − target (with their autograd gradients), and the
    classification losses −log p."""
    e = glasstorch.linspace(-3, 3, 601)
    zero = glasstorch.zeros(601)
    figure = Figure(figsize=(13, 4.5), layout="constrained")
    left, middle, right = figure.subplots(1, 3)
    regression = {"L1 (MAE): |e|": lambda p: F.l1_loss(p, zero, reduction="none"),
                  "MSE: e²": lambda p: F.mse_loss(p, zero, reduction="none"),
                  "Smooth L1: 0.5e² if |e| < 1 else |e| - 0.5": lambda p: F.smooth_l1_loss(p, zero, reduction="none")}
    for i, (label, loss) in enumerate(regression.items()):
        value, gradient = derivative(loss, e)
        left.plot(_array(e), value, color=COLOURS[i], label=label)
        middle.plot(_array(e), gradient, color=COLOURS[i], label=label.split(":")[0] + " gradient")
    left.set_ylim(0, 5)
    left.set_title("Regression losses", fontsize=10)
    middle.set_title("Their gradients (autograd)\nMSE grows with e, L1 jumps at 0", fontsize=10)
    for ax in (left, middle):
        ax.set_xlabel("error e = prediction - target")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    left.set_ylabel("loss")
    middle.set_ylabel("d loss / d prediction")
    p = glasstorch.linspace(0.001, 0.999, 500)
    right.plot(_array(p), _array(F.binary_cross_entropy(p, glasstorch.ones(500), reduction="none")), color=COLOURS[0],
               label="BCE, target 1: -log p")
    right.plot(_array(p), _array(F.binary_cross_entropy(p, glasstorch.zeros(500), reduction="none")), color=COLOURS[1],
               label="BCE, target 0: -log(1 - p)")
    right.axvline(0.7, color="grey", linestyle=":")
    right.text(0.71, 3, "course: -log 0.7 = 0.357", fontsize=8)
    right.set_xlabel("predicted probability p")
    right.set_ylabel("loss")
    right.set_title("Binary cross-entropy\n-log(probability given to the true class)", fontsize=10)
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
    figure = Figure(figsize=(12, 4.5), layout="constrained")
    left, right = figure.subplots(1, 2)
    left.semilogy(range(1, steps + 1), errors, color=COLOURS[0], label="E_total")
    left.set_title(f"E_total: {errors[0]:.9f} at step 1, {errors[-1]:.6f} at step {steps}")
    left.set_xlabel("gradient-descent step (lr 0.5)")
    left.set_ylabel("E_total (log scale)")
    right.plot(out_o1, color=COLOURS[1], label="out_o1 (target 0.01)")
    right.plot(out_o2, color=COLOURS[2], label="out_o2 (target 0.99)")
    for target in (0.01, 0.99):
        right.axhline(target, color="grey", linestyle=":")
    right.set_title("Outputs approach their targets")
    right.set_xlabel("gradient-descent step")
    right.set_ylabel("output")
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend()
    figure.suptitle("Backpropagation + gradient descent on the course's worked example")
    return save(figure, path), errors


def regularisation(path: str | Path | None = None, p: float = 0.4, seed: int = 0) -> Figure:
    """Dropout's mask on a batch of ones (zeros, and survivors scaled by 1/(1−p)); BatchNorm1d on skewed features."""
    glasstorch.manual_seed(seed)
    dropped = nn.Dropout(p)(glasstorch.ones(16, 32))
    features = glasstorch.exp(glasstorch.randn(512, 3) * glasstorch.tensor([0.3, 0.6, 0.9])) * 4 + glasstorch.tensor(
        [2.0, -3.0, 8.0])
    normalised = nn.BatchNorm1d(3)(features).detach()
    figure = Figure(figsize=(13, 4.5), layout="constrained")
    left, middle, right = figure.subplots(1, 3)
    image = left.imshow(_array(dropped), cmap="viridis", aspect="auto")
    figure.colorbar(image, ax=left, label="value after Dropout")
    zeros = float((dropped == 0).float().mean())
    left.set_title(f"Dropout(p={p}) on ones(16, 32), training\nzeroed {zeros:.1%}, survivors 1/(1-p) = {1 / (1 - p):.3f}",
                   fontsize=10)
    left.set_xlabel("feature")
    left.set_ylabel("sample")
    for i in range(3):
        middle.hist(_array(features[:, i]), bins=40, alpha=0.6, color=COLOURS[i], label=f"feature {i}")
        right.hist(_array(normalised[:, i]), bins=40, alpha=0.6, color=COLOURS[i], label=f"feature {i}")
    middle.set_title("Before BatchNorm1d\ndifferent means and scales", fontsize=10)
    right.set_title("After BatchNorm1d (training)\nmean 0, variance 1 per feature", fontsize=10)
    for ax in (middle, right):
        ax.set_xlabel("value")
        ax.set_ylabel("count")
        ax.legend(fontsize=8)
    figure.suptitle("Regularisation: Dropout and batch normalisation")
    return save(figure, path)
