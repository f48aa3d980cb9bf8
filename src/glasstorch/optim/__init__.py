"""``glasstorch.optim``: optimizers that update parameters from their gradients, and learning-rate schedules.

``Optimizer`` is the base class; ``SGD`` (with momentum), ``Adagrad``, ``RMSprop``, ``Adam`` and ``AdamW`` (the
course's optimizers), and ``Adadelta``, ``Adamax``, ``NAdam``, ``RAdam``, ``ASGD``, ``Rprop`` and ``LBFGS`` follow
torch 2.13's defaults and update rules. ``lr_scheduler`` changes an optimizer's learning rates epoch by epoch.
"""
from __future__ import annotations

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD
from .._lazy import lazy_attributes

# beyond the course: loaded on first use (see glasstorch._lazy)
__getattr__, __dir__ = lazy_attributes(globals(), {"Adadelta": ".adadelta", "Adamax": ".adamax", "ASGD": ".asgd",
                                                   "LBFGS": ".lbfgs", "NAdam": ".nadam", "RAdam": ".radam",
                                                   "Rprop": ".rprop"})

__all__ = ["ASGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "LBFGS", "NAdam", "Optimizer", "RAdam", "RMSprop",
           "Rprop", "SGD", "lr_scheduler"]
