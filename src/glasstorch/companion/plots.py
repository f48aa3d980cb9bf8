"""The course's figures, computed with glasstorch and drawn with matplotlib (PNG).

Every function returns a ``matplotlib.figure.Figure`` and, given ``path``, also saves it there as PNG. Figures are
built without pyplot (``Figure`` renders through Agg), so nothing here changes the caller's matplotlib backend or
opens a window. Titles, axes and legends come from the message catalogue in the plot language
(:func:`glasstorch.i18n.fonts.plot_language`: Chinese when a CJK font is found, else English rather than boxes).

- ``activations``: sigmoid, tanh, ReLU, leaky ReLU, ELU... beside their derivatives computed by autograd
- ``initialisations``: histograms of nn.init's distributions against their theoretical bounds and spreads
- ``lr_schedules``: the course's StepLR, MultiStepLR and ExponentialLR over 200 epochs
- ``ewa``: exponentially weighted averages of 30 days of temperatures with β = 0.5 and β = 0.9
- ``optimizer_paths``: SGD, Momentum, AdaGrad, RMSProp and Adam on a ravine and around a saddle point
- ``training_curves``: loss and accuracy per epoch
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

import glasstorch
import glasstorch.nn as nn
import glasstorch.nn.functional as F
from glasstorch import optim

from ..i18n import fonts
from ..i18n.fonts import pt
from ..app.plots import style_epochs


__all__ = ["ACTIVATIONS", "activations", "initialisations", "lr_schedules", "ewa", "course_temperatures",
           "optimizer_paths", "OPTIMIZERS", "training_curves", "save"]

COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown"]


def new_figure(**kwargs) -> Figure:
    """A matplotlib ``Figure`` whose text can hold Chinese (the CJK font fallback is set up first)."""
    fonts.setup()
    return Figure(**kwargs)


def save(figure: Figure, path: str | Path | None) -> Figure:
    """Writes ``figure`` to ``path`` as PNG (creating the folder) when a path is given."""
    if path is not None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=100, format="png")
    return figure


def _array(t: glasstorch.Tensor) -> np.ndarray:
    return t.detach().numpy()


# ---- activations ---------------------------------------------------------------------------------------------------
ACTIVATIONS: dict[str, tuple[Callable, str]] = {
    "sigmoid": (glasstorch.sigmoid, "f = 1/(1+e^-x),  f' = f(1-f)"),
    "tanh": (glasstorch.tanh, "f = tanh x,  f' = 1 - f²"),
    "relu": (glasstorch.relu, "f = max(0, x),  f' = 0 or 1"),
    "leaky_relu": (F.leaky_relu, "f = x or 0.01x,  f' = 1 or 0.01"),
    "elu": (F.elu, "f = x or e^x - 1,  f' = 1 or f + 1"),
    "softplus": (F.softplus, "f = log(1+e^x),  f' = sigmoid(x)"),
}


def derivative(function: Callable, x: glasstorch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and f'(x) elementwise, the derivative by autograd as the course does: f(x).sum().backward(); x.grad."""
    x = x.detach().requires_grad_(True)
    y = function(x)
    y.sum().backward()
    return _array(y), _array(x.grad)


def activations(path: str | Path | None = None, names: Sequence[str] = tuple(ACTIVATIONS),
                low: float = -8.0, high: float = 8.0) -> Figure:
    """Each activation (top row) above its derivative computed by autograd (bottom row)."""
    x = glasstorch.linspace(low, high, 1001)
    figure = new_figure(figsize=(3.2 * len(names), 6.2), layout="constrained")
    axes = figure.subplots(2, len(names), squeeze=False)
    for column, name in enumerate(names):
        function, formula = ACTIVATIONS[name]
        y, dy = derivative(function, x)
        top, bottom = axes[0][column], axes[1][column]
        top.plot(_array(x), y, color=COLOURS[column % len(COLOURS)], label=f"{name}(x)")
        bottom.plot(_array(x), dy, color=COLOURS[column % len(COLOURS)], linestyle="--",
                    label=pt("plots.autograd_derivative", name=name))
        top.set_title(f"{name}\n{formula}", fontsize=9)
        bottom.set_title(f"{name}' (autograd)", fontsize=9)
        for ax, label in ((top, "f(x)"), (bottom, "f'(x)")):
            ax.grid(alpha=0.3)
            ax.set_xlabel("x")
            ax.set_ylabel(label)
            ax.legend(fontsize=7, loc="upper left")
    figure.suptitle(pt("plots.activations_title"))
    return save(figure, path)


# ---- initialisation --------------------------------------------------------------------------------------------------
def initialisations(path: str | Path | None = None, fan_in: int = 256, fan_out: int = 128, seed: int = 0) -> Figure:
    """Histograms of a (fan_out × fan_in) weight under each of nn.init's schemes, with the theoretical bounds / std."""
    glasstorch.manual_seed(seed)
    xavier = math.sqrt(2 / (fan_in + fan_out))
    schemes = [
        ("uniform_(a=0, b=1)", lambda w: nn.init.uniform_(w), (0.0, 1.0), None),
        ("normal_(mean=0, std=1)", lambda w: nn.init.normal_(w), None, 1.0),
        ("kaiming_uniform_ (relu)", lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu"),
         (-math.sqrt(6 / fan_in), math.sqrt(6 / fan_in)), None),
        ("kaiming_normal_ (relu)", lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"), None, math.sqrt(2 / fan_in)),
        ("xavier_uniform_", lambda w: nn.init.xavier_uniform_(w), (-math.sqrt(3) * xavier, math.sqrt(3) * xavier), None),
        ("xavier_normal_", lambda w: nn.init.xavier_normal_(w), None, xavier),
    ]
    figure = new_figure(figsize=(13, 7), layout="constrained")
    axes = figure.subplots(2, 3).reshape(-1)
    for ax, (title, init, bounds, std) in zip(axes, schemes):
        w = glasstorch.empty(fan_out, fan_in)
        values = _array(init(w)).reshape(-1)
        ax.hist(values, bins=60, density=True, color="tab:blue", alpha=0.75, label=pt("plots.weights"))
        if bounds is not None:
            for b in bounds:
                ax.axvline(b, color="tab:red", linestyle="--")
            limit = f"{max(abs(b) for b in bounds):.3f}"
            ax.plot([], [], color="tab:red", linestyle="--",
                    label=pt("plots.limit", limit=limit) if bounds[0] < 0 else pt("plots.limits_0_1"))
        if std is not None:
            grid = np.linspace(values.min(), values.max(), 200)
            ax.plot(grid, np.exp(-grid ** 2 / (2 * std ** 2)) / (std * math.sqrt(2 * math.pi)), color="tab:red",
                    label=f"N(0, {std:.3f}²)")
        ax.set_title(f"{title}\n" + pt("plots.measured_std", std=f"{values.std():.4f}"), fontsize=10)
        ax.set_xlabel(pt("plots.weight_value"))
        ax.set_ylabel(pt("plots.density"))
        ax.legend(fontsize=8, loc="lower center" if bounds is not None else "upper right")
    figure.suptitle(pt("plots.init_title", fan_in=fan_in, fan_out=fan_out))
    return save(figure, path)


# ---- learning-rate schedules ---------------------------------------------------------------------------------------
def schedule(make_scheduler: Callable, epochs: int = 200, lr: float = 0.1) -> list[float]:
    """The learning rate at the start of each epoch (``get_last_lr()``), stepping as the course's loop does."""
    w = glasstorch.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=lr, momentum=0.9)
    scheduler = make_scheduler(optimizer)
    rates = []
    for _ in range(epochs):
        rates.append(scheduler.get_last_lr()[0])
        loss = ((w * 1.0 - 0.0) ** 2) / 2.0
        optimizer.zero_grad()
        loss.sum().backward()
        optimizer.step()
        scheduler.step()
    return rates


COURSE_SCHEDULES = {
    "StepLR(step_size=50, gamma=0.5)": lambda o: optim.lr_scheduler.StepLR(o, step_size=50, gamma=0.5),
    "MultiStepLR(milestones=[50, 125, 160], gamma=0.5)":
        lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[50, 125, 160], gamma=0.5),
    "ExponentialLR(gamma=0.95)": lambda o: optim.lr_scheduler.ExponentialLR(o, gamma=0.95),
}


def lr_schedules(path: str | Path | None = None, epochs: int = 200) -> Figure:
    """The course's three decays of lr = 0.1 (SGD with momentum 0.9), one panel each."""
    figure = new_figure(figsize=(14, 4.2), layout="constrained")
    axes = figure.subplots(1, len(COURSE_SCHEDULES))
    for i, (ax, (label, make)) in enumerate(zip(axes, COURSE_SCHEDULES.items())):
        ax.plot(range(epochs), schedule(make, epochs), color=COLOURS[i], label=label.split("(")[0])
        ax.set_title(label, fontsize=10)
        ax.set_xlabel(pt("plots.epoch"))
        ax.set_ylabel(pt("plots.learning_rate"))
        ax.grid(alpha=0.3)
        ax.legend()
    figure.suptitle(pt("plots.lr_title"))
    return save(figure, path)


# ---- exponentially weighted averages -------------------------------------------------------------------------------
def course_temperatures(days: int = 30, seed: int = 0) -> glasstorch.Tensor:
    """The course's 30 days: ``manual_seed(0); randn(30) * 10`` (glasstorch's generator, so not torch's numbers)."""
    glasstorch.manual_seed(seed)
    return glasstorch.randn(days) * 10


def exponentially_weighted(values: glasstorch.Tensor, beta: float) -> list[float]:
    """S_1 = Y_1, S_t = β·S_{t−1} + (1 − β)·Y_t, as the course's loop computes it."""
    averages: list = []
    for idx, temp in enumerate(values, 1):
        averages.append(temp if idx == 1 else averages[idx - 2] * beta + (1 - beta) * temp)
    return [float(a) for a in averages]


def ewa(path: str | Path | None = None, betas: Sequence[float] = (0.5, 0.9),
        temperatures: glasstorch.Tensor | None = None) -> Figure:
    """Daily temperatures (dots) and their exponentially weighted average (line), one panel per β."""
    temperatures = course_temperatures() if temperatures is None else temperatures
    days = np.arange(1, len(temperatures) + 1)
    figure = new_figure(figsize=(6 * len(betas), 4.2), layout="constrained")
    axes = figure.subplots(1, len(betas), squeeze=False)[0]
    for ax, beta in zip(axes, betas):
        ax.scatter(days, _array(temperatures), color="tab:blue", label=pt("plots.temperature_label"))
        ax.plot(days, exponentially_weighted(temperatures, beta), color="tab:red",
                label=pt("plots.ewa_label", beta=beta))
        ax.set_title(f"β = {beta}: S_t = {beta}·S_(t-1) + {1 - beta:.1f}·Y_t", fontsize=10)
        ax.set_xlabel(pt("plots.day"))
        ax.set_ylabel(pt("plots.temperature"))
        ax.grid(alpha=0.3)
        ax.legend()
    figure.suptitle(pt("plots.ewa_title"))
    return save(figure, path)


# ---- optimizer paths -----------------------------------------------------------------------------------------------
def ravine(x, y):
    """f = x²/20 + y²: a long, narrow valley (steep across, flat along), minimum at (0, 0)."""
    return x ** 2 / 20 + y ** 2


def saddle(x, y):
    """f = x²/2 + y⁴/4 − y²/2: a saddle point at (0, 0), minima at (0, ±1)."""
    return x ** 2 / 2 + y ** 4 / 4 - y ** 2 / 2


OPTIMIZERS: dict[str, Callable] = {
    "SGD": lambda p, lr: optim.SGD(p, lr=lr),
    "Momentum": lambda p, lr: optim.SGD(p, lr=lr, momentum=0.9),
    "AdaGrad": lambda p, lr: optim.Adagrad(p, lr=lr * 10),
    "RMSProp": lambda p, lr: optim.RMSprop(p, lr=lr, alpha=0.9),
    "Adam": lambda p, lr: optim.Adam(p, lr=lr * 2),
}


def path_of(make_optimizer: Callable, surface: Callable, start: tuple[float, float], lr: float,
            steps: int) -> np.ndarray:
    """The points an optimizer visits minimising ``surface`` from ``start`` (steps + 1 rows of (x, y))."""
    xy = glasstorch.tensor(start, dtype=glasstorch.float64, requires_grad=True)
    optimizer = make_optimizer([xy], lr)
    points = [_array(xy).copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        surface(xy[0], xy[1]).backward()
        optimizer.step()
        points.append(_array(xy).copy())
    return np.array(points)


def optimizer_paths(path: str | Path | None = None, steps: int = 60) -> Figure:
    """The course's optimizers on a ravine (SGD zig-zags, momentum and adaptive rates go along) and near a saddle
    (plain SGD lingers at the flat point, momentum and Adam leave it)."""
    panels = [(pt("plots.ravine"), ravine, (-7.0, 2.0), 0.1, (-8, 2, -2.5, 2.5)),
              (pt("plots.saddle"), saddle, (-2.0, 0.02), 0.05,
               (-2.5, 1.5, -1.5, 1.5))]
    figure = new_figure(figsize=(14, 5.5), layout="constrained")
    axes = figure.subplots(1, 2)
    for ax, (title, surface, start, lr, (x0, x1, y0, y1)) in zip(axes, panels):
        gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
        ax.contour(gx, gy, surface(gx, gy), levels=25, cmap="Greys", linewidths=0.6)
        for i, (name, make) in enumerate(OPTIMIZERS.items()):
            points = path_of(make, surface, start, lr, steps)
            ax.plot(points[:, 0], points[:, 1], marker="o", markersize=2.5, linewidth=1.2, color=COLOURS[i],
                    label=f"{name} (f = {surface(*points[-1]):.3g})")
        ax.plot(*start, marker="*", markersize=12, color="black", label=pt("plots.start"))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_title(f"{title}\n" + pt("plots.steps_lr", steps=steps, lr=lr), fontsize=10)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(fontsize=8, loc="lower right")
    figure.suptitle(pt("plots.paths_title"))
    return save(figure, path)


# ---- training curves -----------------------------------------------------------------------------------------------
def training_curves(history: dict[str, Sequence[float]], path: str | Path | None = None,
                    title: str | None = None, *, title_key: str = "plots.training_curves", **fields) -> Figure:
    """Loss (left) and accuracy (right) per epoch from ``history`` keys such as ``train_loss``, ``test_loss``,
    ``train_accuracy``, ``test_accuracy`` (any key containing "loss" or "acc"; "test" is labelled "held-out", as
    the trainer's curves say). The title is ``title``, else the catalogue's ``title_key`` formatted with ``fields``.
    In the trainer's style: markers only for a few epochs, a log epoch axis for long runs, and a loss range that a
    huge first-epoch loss does not flatten."""
    curve_names = {"train_loss": pt("plots.train_loss"), "test_loss": pt("plots.test_loss"),
                   "train_accuracy": pt("plots.train_accuracy"), "test_accuracy": pt("plots.test_accuracy")}
    figure = new_figure(figsize=(12, 4.5), layout="constrained")
    loss_ax, accuracy_ax = figure.subplots(1, 2)
    n_epochs = max((len(values) for values in history.values()), default=0)
    marker = {"marker": "o", "markersize": 3} if n_epochs <= 30 else {}
    for i, (key, values) in enumerate(history.items()):
        ax = loss_ax if "loss" in key else accuracy_ax if "acc" in key else None
        if ax is not None and len(values):
            ax.plot(range(1, len(values) + 1), list(values), color=COLOURS[i % len(COLOURS)],
                    label=curve_names.get(key, key.replace("_", " ")), **marker)
    for ax, label in ((loss_ax, pt("plots.loss")), (accuracy_ax, pt("plots.accuracy"))):
        ax.set_xlabel(pt("plots.epoch"))
        ax.set_ylabel(label)
        ax.set_title(pt("plots.per_epoch", quantity=label))
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend()
    style_epochs((loss_ax, accuracy_ax), n_epochs, loss_ax,
                 [list(values) for key, values in history.items() if "loss" in key])
    figure.suptitle(title if title is not None else pt(title_key, **fields))
    return save(figure, path)
