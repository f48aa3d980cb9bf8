"""``glasstorch.optim``: optimizers that update parameters from their gradients, and learning-rate schedules.

``Optimizer`` is the base class; ``SGD`` (with momentum), ``Adagrad``, ``RMSprop``, ``Adam`` and ``AdamW`` (the
course's optimizers), and ``Adadelta``, ``Adamax``, ``NAdam``, ``RAdam``, ``ASGD``, ``Rprop`` and ``LBFGS`` follow
torch 2.13's defaults and update rules. ``lr_scheduler`` changes an optimizer's learning rates epoch by epoch.
"""
from __future__ import annotations

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = ["ASGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "LBFGS", "NAdam", "Optimizer", "RAdam", "RMSprop",
           "Rprop", "SGD", "lr_scheduler"]
