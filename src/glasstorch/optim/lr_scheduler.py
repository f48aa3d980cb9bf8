"""Learning-rate schedules: change each param group's ``lr`` as training goes on, epoch by epoch (or batch by batch).

The course's three: ``StepLR`` (multiply by γ every ``step_size`` epochs), ``MultiStepLR`` (multiply by γ at given
epochs) and ``ExponentialLR`` (multiply by γ every epoch, ``lr = lr₀·γ^epoch``); and the ones reached for next:
``LambdaLR``, ``MultiplicativeLR``, ``CosineAnnealingLR`` and ``ReduceLROnPlateau``. Call ``scheduler.step()`` once
per epoch, after the epoch's ``optimizer.step()`` calls::

    scheduler = StepLR(optimizer, step_size=50, gamma=0.5)
    for epoch in range(200):
        train_one_epoch(...)          # optimizer.step() per batch
        scheduler.step()

The rest of torch's schedules live in small files of their own and are re-exported here, where torch keeps them:
``ConstantLR``, ``LinearLR`` (warmup) and ``PolynomialLR`` in ``_lr_scheduler_warmup``; ``CosineAnnealingWarmRestarts``,
``CyclicLR`` and ``OneCycleLR`` (stepped once per batch) in ``_lr_scheduler_cyclic``; ``SequentialLR`` and
``ChainedScheduler`` (schedules combined) in ``_lr_scheduler_chain``; ``ReduceLROnPlateau`` in
``_lr_scheduler_plateau``; the base class ``LRScheduler`` in ``_lr_scheduler_base``.

Every schedule reproduces torch 2.13's sequence of learning rates, including where torch updates recursively
(multiplying the current ``lr``) rather than from a closed form, so the float rounding matches too.
(torch warns when ``scheduler.step()`` comes before any ``optimizer.step()``; glasstorch does not.)
"""
from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from typing import Any, Callable, Iterable

from ._lr_scheduler_base import EPOCH_DEPRECATION_WARNING, _LRScheduler  # noqa: F401 - torch's names, re-exported
from ._lr_scheduler_base import LRScheduler, _group_lrs, _saved_callables
from ._lr_scheduler_plateau import ReduceLROnPlateau
from .optimizer import Optimizer
from .._lazy import lazy_attributes, table

# beyond the course: loaded on first use (see glasstorch._lazy)
__getattr__, __dir__ = lazy_attributes(globals(), {**table("._lr_scheduler_chain", "ChainedScheduler SequentialLR"),
                                                   **table("._lr_scheduler_cyclic",
                                                           "CosineAnnealingWarmRestarts CyclicLR OneCycleLR"),
                                                   **table("._lr_scheduler_warmup", "ConstantLR LinearLR PolynomialLR")})

__all__ = ["LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
           "SequentialLR", "CosineAnnealingLR", "ChainedScheduler", "ReduceLROnPlateau", "CyclicLR",
           "CosineAnnealingWarmRestarts", "OneCycleLR", "PolynomialLR", "LRScheduler"]


def _one_per_group(optimizer: Optimizer, lr_lambda) -> list:
    """One function per param group: a single one repeated, or a list of exactly as many (torch's ValueError)."""
    if not isinstance(lr_lambda, (list, tuple)):
        return [lr_lambda] * len(optimizer.param_groups)
    if len(lr_lambda) != len(optimizer.param_groups):
        raise ValueError(f"Expected {len(optimizer.param_groups)} lr_lambdas, but got {len(lr_lambda)}")
    return list(lr_lambda)


class LambdaLR(LRScheduler):
    """``lr = initial_lr · lr_lambda(epoch)``: a factor from a function of the epoch (one function, or one per group).

    ``state_dict()`` keeps a callable object's attributes but not plain functions or lambdas (they cannot be saved),
    as torch does.
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
                 last_epoch: int = -1) -> None:
        self.optimizer = optimizer
        self.lr_lambdas = _one_per_group(optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def state_dict(self) -> dict[str, Any]:
        state = {key: value for key, value in self.__dict__.items() if key not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = _saved_callables(self.lr_lambdas)
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state = dict(state_dict)
        lr_lambdas = state.pop("lr_lambdas")
        self.__dict__.update(state)
        for fn, saved in zip(self.lr_lambdas, lr_lambdas):
            if saved is not None:
                fn.__dict__.update(saved)

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        return [base_lr * lmbda(self.last_epoch) for lmbda, base_lr in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(LRScheduler):
    """``lr ← lr · lr_lambda(epoch)`` every epoch: the factor multiplies the current lr (``LambdaLR``'s multiplies
    ``initial_lr``), so ``lr = initial_lr · Π_{k=1..epoch} lr_lambda(k)``. One function, or one per param group.

    Saved like ``LambdaLR``: ``state_dict()`` keeps a callable object's attributes, not plain functions.
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
                 last_epoch: int = -1) -> None:
        self.optimizer = optimizer
        self.lr_lambdas = _one_per_group(optimizer, lr_lambda)
        for function in self.lr_lambdas:
            if not callable(function):
                raise TypeError(f"lr_lambda should be a function, but got {type(function).__name__}")
        super().__init__(optimizer, last_epoch)

    state_dict = LambdaLR.state_dict
    load_state_dict = LambdaLR.load_state_dict

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        if self._is_initial:
            return _group_lrs(self.optimizer)
        return [group["lr"] * lmbda(self.last_epoch)
                for lmbda, group in zip(self.lr_lambdas, self.optimizer.param_groups)]


class StepLR(LRScheduler):
    """Equal-interval decay (the course's 等间隔学习率衰减): every ``step_size`` epochs, ``lr ← lr · gamma``.

    So ``lr = initial_lr · gamma^(epoch // step_size)``, computed as torch does by multiplying the current lr.
    The course: ``StepLR(optimizer, step_size=50, gamma=0.5)`` halves lr=0.1 at epochs 50, 100, 150.

    Args:
        optimizer: the wrapped optimizer.
        step_size: period of the decay, in epochs.
        gamma: multiplicative factor (default: 0.1).
        last_epoch: index of the last epoch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return _group_lrs(self.optimizer)
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Decay at given epochs (the course's 指定间隔学习率衰减): at each milestone, ``lr ← lr · gamma``.

    A milestone listed n times multiplies by gamma^n. The course: milestones [50, 125, 160], gamma 0.5.

    Args:
        optimizer: the wrapped optimizer.
        milestones: epoch indices (kept as a ``collections.Counter``, as torch).
        gamma: multiplicative factor (default: 0.1).
        last_epoch: index of the last epoch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        self.milestones = Counter(self.milestones)  # a state_dict read back from a file holds a plain dict

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        if self.last_epoch not in self.milestones:
            return _group_lrs(self.optimizer)
        return [group["lr"] * self.gamma ** self.milestones[self.last_epoch] for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        milestones = sorted(self.milestones.elements())
        return [base_lr * self.gamma ** bisect_right(milestones, self.last_epoch) for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Exponential decay (the course's 指数学习率衰减): every epoch ``lr ← lr · gamma``, so ``lr = initial_lr · gamma^epoch``.

    Computed by repeated multiplication, as torch does (the course uses gamma=0.95).

    Args:
        optimizer: the wrapped optimizer.
        gamma: multiplicative factor per epoch.
        last_epoch: index of the last epoch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        if self._is_initial:  # resuming: the constructor's step must not move the lr one epoch ahead
            return _group_lrs(self.optimizer)
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma ** self.last_epoch for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    r"""Cosine annealing from ``initial_lr`` down to ``eta_min`` over ``T_max`` epochs (then back up, periodically).

    Closed form: ``η_t = η_min + (η_max - η_min)·(1 + cos(π·t / T_max)) / 2``. torch (and so this class) computes
    it recursively from the current lr, which also follows lr changes made by others::

        η_t = η_min + (η_{t-1} - η_min) · (1 + cos(π·t / T_max)) / (1 + cos(π·(t - 1) / T_max))

    with the step out of the minimum (t - 1 - T_max a multiple of 2·T_max) taken additively:
    ``η_t = η_{t-1} + (η_max - η_min)·(1 - cos(π / T_max)) / 2``.

    Args:
        optimizer: the wrapped optimizer.
        T_max: half-period, in epochs.
        eta_min: minimum learning rate (default: 0).
        last_epoch: index of the last epoch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        eta_min, t_max, t = self.eta_min, self.T_max, self.last_epoch
        if self._is_initial:
            return _group_lrs(self.optimizer)
        if self._step_count == 1 and t > 0:
            return [eta_min + (base_lr - eta_min) * (1 + math.cos(t * math.pi / t_max)) / 2
                    for base_lr in self.base_lrs]
        if (t - 1 - t_max) % (2 * t_max) == 0:
            return [group["lr"] + (base_lr - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
                    for base_lr, group in zip(self.base_lrs, self.optimizer.param_groups)]
        return [(1 + math.cos(math.pi * t / t_max)) / (1 + math.cos(math.pi * (t - 1) / t_max))
                * (group["lr"] - eta_min) + eta_min for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base_lr in self.base_lrs]


# As in torch, every schedule's home is ``optim.lr_scheduler`` (it shows in their reprs), whichever file defines it
# (the files loaded on first use set it themselves, through ``_lr_scheduler_base.HOME``).
for _schedule in (LRScheduler, _LRScheduler, ReduceLROnPlateau):
    _schedule.__module__ = __name__
del _schedule
