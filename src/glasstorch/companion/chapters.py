"""The tour's chapters, one function per section of the course. Each prints its key results and saves its figures
through ``tour.figure(name)``, which names the file and records it for the closing index."""
from __future__ import annotations

import math

import glasstorch
import glasstorch.nn as nn
from glasstorch import optim
from glasstorch.utils.data import DataLoader, TensorDataset

from ..i18n import t
from . import figures, plots
from .backprop import mlp_loss_graph, worked_example

COURSE_SCORES = [0.2, 0.02, 0.15, 0.15, 1.3, 0.5, 0.06, 1.1, 0.05, 3.75]


def neurons_and_layers(tour) -> None:
    """z = W·x + b, a = f(z); a network without activations is one linear model (k0·x0 + k1·x1 + c)."""
    layer = nn.Linear(2, 3)
    with glasstorch.no_grad():
        layer.weight.copy_(glasstorch.tensor([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]]))
        layer.bias.copy_(glasstorch.tensor([0.01, -0.02, 0.03]))
    x = glasstorch.tensor([[0.5, -1.0]])
    z = layer(x)
    print(t("ch1.layer", layer=layer, weight=tuple(layer.weight.shape), bias=tuple(layer.bias.shape)))
    print(t("ch1.forward", x=x.tolist(), z=_rounded(z), a=_rounded(glasstorch.sigmoid(z))))
    c1, c2, out = nn.Linear(2, 1), nn.Linear(2, 1), nn.Linear(2, 1)
    hidden = glasstorch.cat([c1(x), c2(x)], dim=1)
    with glasstorch.no_grad():
        k = out.weight @ glasstorch.cat([c1.weight, c2.weight])
        c = out.weight @ glasstorch.cat([c1.bias, c2.bias]) + out.bias
        print(t("ch1.collapse", out=f"{out(hidden).item():.6f}", line=f"{(x @ k.T + c).item():.6f}",
                k0=f"{k[0, 0].item():.4f}", k1=f"{k[0, 1].item():.4f}", c=f"{c.item():.4f}"))
    figures.layers_collapse(tour.figure("layers-collapse"))
    print(t("ch1.summary"))


def activations(tour) -> None:
    """Sigmoid, tanh, ReLU and friends, their derivatives by autograd, and softmax on the course's scores."""
    plots.activations(tour.figure("activations"))
    x = glasstorch.linspace(-20, 20, 1000)
    for name in ("sigmoid", "tanh", "relu"):
        _, dy = plots.derivative(plots.ACTIVATIONS[name][0], x)
        at_six = plots.derivative(plots.ACTIVATIONS[name][0], glasstorch.tensor([-6.0, 6.0]))[1]
        print(t("ch2.derivative", name=f"{name:8s}", largest=f"{dy.max():.4f}", minus_six=f"{at_six[0]:.6f}",
                six=f"{at_six[1]:.6f}"))
    probabilities = glasstorch.softmax(glasstorch.tensor(COURSE_SCORES), dim=0)
    print(t("ch2.softmax", probabilities=probabilities))
    print(t("ch2.softmax_sum", total=f"{probabilities.sum().item():.4f}", predicted=probabilities.argmax().item()))
    print(t("ch2.summary"))


def initialisation(tour) -> None:
    """nn.init's schemes on the course's Linear(5, 3), and their distributions on a larger layer."""
    glasstorch.manual_seed(0)
    linear = nn.Linear(5, 3)
    for label, init in [("uniform_ (0, 1)", nn.init.uniform_), ("constant_ 5", lambda w: nn.init.constant_(w, 5)),
                        ("zeros_", nn.init.zeros_), ("ones_", nn.init.ones_),
                        ("normal_ (0, 1)", nn.init.normal_),
                        ("kaiming_normal_", nn.init.kaiming_normal_), ("kaiming_uniform_", nn.init.kaiming_uniform_),
                        ("xavier_normal_", nn.init.xavier_normal_), ("xavier_uniform_", nn.init.xavier_uniform_)]:
        init(linear.weight)
        print(t("ch3.first_row", label=f"{label:17s}", row=_rounded(linear.weight.data[0])))
    print(t("ch3.limits", kaiming_uniform=f"{math.sqrt(6 / 5):.4f}", xavier_uniform=f"{math.sqrt(6 / 8):.4f}",
            kaiming_normal=f"{math.sqrt(2 / 5):.4f}", xavier_normal=f"{math.sqrt(2 / 8):.4f}"))
    plots.initialisations(tour.figure("initialisations"))
    print(t("ch3.summary"))


class CourseModel(nn.Module):
    """The course's 3 → 3 (sigmoid, xavier) → 2 (ReLU, kaiming) → 2 (softmax) model."""

    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(3, 3)
        nn.init.xavier_normal_(self.linear1.weight)
        nn.init.zeros_(self.linear1.bias)
        self.linear2 = nn.Linear(3, 2)
        nn.init.kaiming_normal_(self.linear2.weight, nonlinearity="relu")
        nn.init.zeros_(self.linear2.bias)
        self.out = nn.Linear(2, 2)

    def forward(self, x):
        x = glasstorch.sigmoid(self.linear1(x))
        x = glasstorch.relu(self.linear2(x))
        return glasstorch.softmax(self.out(x), dim=-1)


class PhonePriceModel(nn.Module):
    """The case study's 20 → 128 → 256 → 4 network with ReLU, as the course writes it."""

    def __init__(self, input_dim: int = 20, output_dim: int = 4):
        super().__init__()
        self.linear1 = nn.Linear(input_dim, 128)
        self.linear2 = nn.Linear(128, 256)
        self.linear3 = nn.Linear(256, output_dim)

    def forward(self, x):
        x = glasstorch.relu(self.linear1(x))
        x = glasstorch.relu(self.linear2(x))
        return self.linear3(x)


def building_a_model(tour) -> None:
    """The course's model, its summary table, and counting parameters by hand (in × out + out per layer)."""
    glasstorch.manual_seed(0)
    model = CourseModel()
    data = glasstorch.randn(5, 3)
    output = model(data)
    print(t("ch4.shapes", data=data.shape, output=output.shape,
            sums=bool(glasstorch.allclose(output.sum(dim=-1), glasstorch.ones(5)))))
    glasstorch.summary(model, input_size=(3,), batch_size=5)
    for name, module in model.named_children():
        print(t("ch4.count", name=name, inputs=module.in_features, outputs=module.out_features,
                total=module.in_features * module.out_features + module.out_features))
    phone = PhonePriceModel()
    glasstorch.summary(phone, input_size=(20,), batch_size=16)
    figures.parameter_counts(phone, tour.figure("parameters"), title_key="plots.parameters_case_study")
    print(t("ch4.summary"))


def losses(tour) -> None:
    """The course's five loss examples: cross-entropy, binary cross-entropy, MAE, MSE, smooth L1."""
    y_pred = glasstorch.tensor([[0.2, 0.6, 0.2], [0.1, 0.8, 0.1]], requires_grad=True)
    print(f"CrossEntropyLoss: {nn.CrossEntropyLoss()(y_pred, glasstorch.tensor([1, 2])).item():.6f}")
    bce = nn.BCELoss()(glasstorch.tensor([0.6901, 0.5459, 0.2469]), glasstorch.tensor([0.0, 1.0, 0.0]))
    print(f"BCELoss: {bce.item():.6f}")
    prediction, target = glasstorch.tensor([1.0, 1.0, 1.9]), glasstorch.tensor([2.0, 2.0, 2.0])
    print(f"L1Loss (MAE): {nn.L1Loss()(prediction, target).item():.6f}   "
          f"MSELoss: {nn.MSELoss()(prediction, target).item():.6f}")
    smooth = nn.SmoothL1Loss()(glasstorch.tensor([0.6, 0.4]), glasstorch.tensor([0.0, 3.0]))
    print(t("ch5.smooth_l1", smooth=f"{smooth.item():.6f}", log=f"{-math.log(0.7):.6f}"))
    figures.losses(tour.figure("losses"))
    print(t("ch5.summary"))


def gradient_descent_and_backprop(tour) -> None:
    """Epoch, batch and iteration; the course's backpropagation example in numbers; gradient descent on it."""
    loader = DataLoader(TensorDataset(glasstorch.zeros(50000, 1)), batch_size=256)
    print(t("ch6.iterations", per_epoch=len(loader), ten=10 * len(loader)) + "\n")
    worked_example(draw=tour.figure("backprop-network"))
    mlp_loss_graph().save(tour.figure("mlp-loss-graph"))
    _, errors = figures.gradient_descent(tour.figure("gradient-descent"))
    print("\n" + t("ch6.descent", first=f"{errors[0]:.9f}", last=f"{errors[-1]:.9f}", steps=len(errors)))


def optimizers(tour) -> None:
    """The course's two steps of each optimizer on loss = w²/2 from w = 1, EWA, and the optimizers' paths."""
    course = [("SGD momentum=0.9", lambda p: optim.SGD(p, lr=0.01, momentum=0.9), "0.990000, 0.971100"),
              ("Adagrad", lambda p: optim.Adagrad(p, lr=0.01), "0.990000, 0.982965"),
              ("RMSprop alpha=0.9", lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9), "0.968377, 0.945788"),
              ("Adam betas=(0.9, 0.99)", lambda p: optim.Adam(p, lr=0.01, betas=[0.9, 0.99]), "0.990000, 0.980003")]
    print(t("ch6.two_steps"))
    for name, make, printed in course:
        w = glasstorch.tensor([1.0], requires_grad=True)
        optimizer = make([w])
        steps = []
        for _ in range(2):
            loss = ((w ** 2) / 2.0).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            steps.append(t("ch6.step", grad=f"{w.grad.item():.6f}", weight=f"{w.item():.6f}"))
        print(t("ch6.steps", name=f"{name:22s}", first=steps[0], second=steps[1], course=printed))
    temperatures = plots.course_temperatures()
    for beta in (0.5, 0.9):
        averages = plots.exponentially_weighted(temperatures, beta)
        roughness = sum(abs(a - b) for a, b in zip(averages[1:], averages)) / (len(averages) - 1)
        print(t("ch6.ewa", beta=beta, roughness=f"{roughness:.3f}",
                raw=f"{(temperatures[1:] - temperatures[:-1]).abs().mean().item():.3f}"))
    plots.ewa(tour.figure("ewa"))
    plots.optimizer_paths(tour.figure("optimizer-paths"))


def optimisation(tour) -> None:
    """The course's 网络优化方法: gradient descent and backpropagation, then the optimizers that improve on it."""
    gradient_descent_and_backprop(tour)
    print()
    optimizers(tour)
    print(t("ch6.summary"))


def learning_rate_decay(tour) -> None:
    """StepLR, MultiStepLR and ExponentialLR as the course configures them."""
    for label, make in plots.COURSE_SCHEDULES.items():
        rates = plots.schedule(make)
        shown = t("app.sep").join(t("ch7.epoch_rate", epoch=e, lr=f"{rates[e]:.6g}")
                                  for e in (0, 49, 50, 100, 125, 150, 160, 199))
        print(t("ch7.rates", schedule=label, rates=shown))
    plots.lr_schedules(tour.figure("lr-schedules"))
    print(t("ch7.summary"))


def regularisation(tour) -> None:
    """Dropout (the course's p = 0.4 example) and BatchNorm2d (the course's 1×2×3×4 input)."""
    glasstorch.manual_seed(0)
    dropout = nn.Dropout(p=0.4)
    inputs = glasstorch.randint(0, 10, size=[1, 4]).float()
    y = glasstorch.relu(nn.Linear(4, 5)(inputs))
    print(t("ch8.before_dropout", values=y))
    dropped = dropout(y)
    print(t("ch8.after_dropout", values=dropped))
    kept = dropped != 0
    print(t("ch8.dropout_checks", scale=f"{1 / 0.6:.4f}",
            scaled=bool(glasstorch.allclose(dropped[kept], y[kept] / 0.6)),
            identity=bool(glasstorch.equal(dropout.eval()(y), y))))
    m = nn.BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True)
    output = m(glasstorch.randn(1, 2, 3, 4))
    print(t("ch8.batchnorm", mean=_rounded(output.mean(dim=(0, 2, 3))),
            std=_rounded(output.std(dim=(0, 2, 3), unbiased=False)), weight=m.weight.data, bias=m.bias.data))
    print(t("ch8.running", mean=m.running_mean, var=m.running_var))
    figures.regularisation(tour.figure("regularisation"))
    print(t("ch8.summary"))


def _rounded(t: glasstorch.Tensor, digits: int = 4) -> list:
    values = t.detach().reshape(-1).tolist()
    return [round(v, digits) for v in values]
