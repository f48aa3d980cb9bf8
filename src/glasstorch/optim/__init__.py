"""``glasstorch.optim``: optimizers that update parameters from their gradients, and learning-rate schedules.

``Optimizer`` is the base class; ``SGD`` (with momentum), ``Adagrad``, ``RMSprop``, ``Adam`` and ``AdamW`` follow
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

__all__ = ["Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "SGD", "lr_scheduler"]
