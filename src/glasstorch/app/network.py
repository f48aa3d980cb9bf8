"""The network, optimizer, schedule and loss a :class:`~glasstorch.app.config.TrainConfig` describes, built from
glasstorch's public API exactly as a PyTorch user would write them. Each builder takes the ``torch`` namespace to
build with (default glasstorch; PyTorch itself with ``--engine torch``, see :mod:`glasstorch.app.engine`).

The network is ``Linear → [BatchNorm1d] → activation → [Dropout]`` for each hidden width, then a ``Linear`` to the
outputs. With the course's widths (128, 256) and nothing optional it is the course's ``PhonePriceModel``: the three
Linear layers are created in the same order, so the same seed gives the same initial weights.
"""
from __future__ import annotations

import math

from types import ModuleType

import glasstorch
from glasstorch import nn

from .config import TrainConfig

_ACTIVATIONS = {"relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh", "leaky_relu": "LeakyReLU", "elu": "ELU",
                "gelu": "GELU", "silu": "SiLU", "softplus": "Softplus", "identity": "Identity"}
_GAIN_NAMES = {"relu": "relu", "leaky_relu": "leaky_relu", "tanh": "tanh", "sigmoid": "sigmoid"}


def build_network(config: TrainConfig, n_inputs: int, n_outputs: int,
                  torch: ModuleType = glasstorch) -> nn.Sequential:
    nn = torch.nn
    layers: list[nn.Module] = []
    width = n_inputs
    for hidden in config.hidden:
        layers.append(nn.Linear(width, hidden))
        if config.batchnorm:
            layers.append(nn.BatchNorm1d(hidden))
        layers.append(getattr(nn, _ACTIVATIONS[config.activation])())
        if config.dropout > 0:
            layers.append(nn.Dropout(config.dropout))
        width = hidden
    layers.append(nn.Linear(width, n_outputs))
    network = nn.Sequential(*layers)
    if config.init != "default":
        _initialise(network, config, nn)
    return network


def state_shapes(config: TrainConfig, n_inputs: int, n_outputs: int) -> dict[str, tuple[tuple[int, ...], str]]:
    """The state_dict :func:`build_network` gives, as name → (shape, dtype), computed without building it: a model
    file's tensors are checked against this before any network is allocated."""
    shapes: dict[str, tuple[tuple[int, ...], str]] = {}
    index, width = 0, n_inputs
    for hidden in config.hidden:
        shapes[f"{index}.weight"], shapes[f"{index}.bias"] = ((hidden, width), "float32"), ((hidden,), "float32")
        index += 1
        if config.batchnorm:
            for name in ("weight", "bias", "running_mean", "running_var"):
                shapes[f"{index}.{name}"] = ((hidden,), "float32")
            shapes[f"{index}.num_batches_tracked"] = ((), "int64")
            index += 1
        index += 1 + (config.dropout > 0)  # the activation, the dropout
        width = hidden
    shapes[f"{index}.weight"], shapes[f"{index}.bias"] = ((n_outputs, width), "float32"), ((n_outputs,), "float32")
    return shapes


def _initialise(network: nn.Sequential, config: TrainConfig, nn: ModuleType) -> None:
    """Re-initialise every Linear weight with the named scheme (biases to zero), as the course's init section shows."""
    nonlinearity = _GAIN_NAMES.get(config.activation, "relu")
    for module in network.modules():
        if not isinstance(module, nn.Linear):
            continue
        weight = module.weight
        if config.init == "kaiming":
            nn.init.kaiming_uniform_(weight, nonlinearity=nonlinearity if nonlinearity != "sigmoid" else "relu")
        elif config.init == "kaiming_normal":
            nn.init.kaiming_normal_(weight, nonlinearity=nonlinearity if nonlinearity != "sigmoid" else "relu")
        elif config.init == "xavier":
            nn.init.xavier_uniform_(weight)
        elif config.init == "xavier_normal":
            nn.init.xavier_normal_(weight)
        elif config.init == "normal":
            nn.init.normal_(weight, 0.0, 0.01)
        elif config.init == "uniform":
            bound = 1.0 / math.sqrt(weight.shape[1])
            nn.init.uniform_(weight, -bound, bound)
        elif config.init == "zeros":
            nn.init.zeros_(weight)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


def build_optimizer(config: TrainConfig, parameters, torch: ModuleType = glasstorch) -> glasstorch.optim.Optimizer:
    lr, decay = config.lr, config.weight_decay
    if config.optimizer == "sgd":
        return torch.optim.SGD(parameters, lr=lr, weight_decay=decay)
    if config.optimizer == "momentum":
        return torch.optim.SGD(parameters, lr=lr, momentum=config.momentum, weight_decay=decay)
    if config.optimizer == "adagrad":
        return torch.optim.Adagrad(parameters, lr=lr, weight_decay=decay)
    if config.optimizer == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=lr, weight_decay=decay)
    if config.optimizer == "adam":
        return torch.optim.Adam(parameters, lr=lr, weight_decay=decay)
    return torch.optim.AdamW(parameters, lr=lr, weight_decay=decay)


def build_scheduler(config: TrainConfig, optimizer, torch: ModuleType = glasstorch):
    """A schedule stepped once per epoch, or None."""
    schedules = torch.optim.lr_scheduler
    if config.scheduler == "step":
        return schedules.StepLR(optimizer, step_size=config.step_size, gamma=config.gamma)
    if config.scheduler == "multistep":
        milestones = config.milestones or (config.epochs // 2, config.epochs * 3 // 4)
        return schedules.MultiStepLR(optimizer, milestones=list(milestones), gamma=config.gamma)
    if config.scheduler == "exponential":
        return schedules.ExponentialLR(optimizer, gamma=config.gamma)
    if config.scheduler == "cosine":
        return schedules.CosineAnnealingLR(optimizer, T_max=config.epochs)
    return None


def build_loss(name: str, label_smoothing: float = 0.0, torch: ModuleType = glasstorch) -> nn.Module:
    nn = torch.nn
    if name == "cross_entropy":
        return nn.CrossEntropyLoss(label_smoothing=label_smoothing) if label_smoothing else nn.CrossEntropyLoss()
    return {"mse": nn.MSELoss, "l1": nn.L1Loss, "smooth_l1": nn.SmoothL1Loss, "huber": nn.HuberLoss}[name]()
