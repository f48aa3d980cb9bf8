"""The layers of glasstorch.nn, one idea per file (as torch.nn.modules)."""
from .activation import (ELU, GELU, Hardtanh, LeakyReLU, LogSoftmax, PReLU, ReLU, ReLU6, RReLU, Sigmoid, SiLU,
                         Softmax, Softmin, Softplus, Tanh)
from .batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from .container import ModuleDict, ModuleList, Sequential
from .dropout import Dropout
from .flatten import Flatten, Unflatten
from .linear import Identity, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss)
from .module import Module
from .parameter_container import ParameterDict, ParameterList

__all__ = ["Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Linear", "Identity",
           "Flatten", "Unflatten", "Dropout", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "Sigmoid", "Tanh", "ReLU",
           "ReLU6", "LeakyReLU", "PReLU", "RReLU", "ELU", "GELU", "SiLU", "Softplus", "Hardtanh", "Softmax",
           "LogSoftmax", "Softmin", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "L1Loss", "MSELoss",
           "SmoothL1Loss", "HuberLoss"]
