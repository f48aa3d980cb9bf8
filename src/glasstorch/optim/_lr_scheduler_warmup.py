"""Schedules that change the lr for ``total_iters`` epochs, then hold it: ``ConstantLR`` and ``LinearLR`` (the usual
warmups, often followed by another schedule through ``SequentialLR``) and ``PolynomialLR`` (a decay to zero).

Like torch, each steps recursively (multiplying the current lr by the ratio of this epoch's factor to the last one's,
so changes made by other schedules carry through) and has a closed form for ``step(epoch)``.
"""
from __future__ import annotations

from ._lr_scheduler_base import HOME, LRScheduler, _group_lrs
from .optimizer import Optimizer

__all__ = ["ConstantLR", "LinearLR", "PolynomialLR"]


class ConstantLR(LRScheduler):
    """``lr = initial_lr · factor`` for epochs 0 … total_iters - 1, then ``initial_lr``.

    Recursively: multiply by ``factor`` at epoch 0, by ``1 / factor`` at epoch ``total_iters``.

    Args:
        optimizer: the wrapped optimizer.
        factor: the multiplier while the warmup lasts, in [0, 1] (default: 1/3).
        total_iters: epochs the warmup lasts (default: 5).
        last_epoch: index of the last epoch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1) -> None:
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in self.optimizer.param_groups]
        if self.last_epoch != self.total_iters:
            return _group_lrs(self.optimizer)
        return [group["lr"] * (1.0 / self.factor) for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
                for base_lr in self.base_lrs]


class LinearLR(LRScheduler):
    """Linear warmup (or decay) of the factor: ``lr = initial_lr · (s + (e - s) · min(epoch, T) / T)``,
    with s = ``start_factor``, e = ``end_factor``, T = ``total_iters``.

    Recursively (as torch): ``lr ← lr · (1 + (e - s) / (T·s + (epoch - 1)·(e - s)))`` for epochs 1 … T.

    Args:
        optimizer: the wrapped optimizer.
        start_factor: the factor at epoch 0, in (0, 1] (default: 1/3).
        end_factor: the factor from epoch ``total_iters`` on, in [0, 1] (default: 1.0).
        total_iters: epochs to go from one factor to the other (default: 5).
        last_epoch: index of the last epoch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in self.optimizer.param_groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return _group_lrs(self.optimizer)
        slope = self.end_factor - self.start_factor
        ratio = 1.0 + slope / (self.total_iters * self.start_factor + (self.last_epoch - 1) * slope)
        return [group["lr"] * ratio for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * (self.start_factor + (self.end_factor - self.start_factor)
                           * min(self.total_iters, self.last_epoch) / self.total_iters)
                for base_lr in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Polynomial decay to zero: ``lr = initial_lr · (1 - min(epoch, T) / T)^power``, T = ``total_iters``.

    Recursively (as torch): ``lr ← lr · ((1 - epoch/T) / (1 - (epoch - 1)/T))^power`` for epochs 1 … T.

    Args:
        optimizer: the wrapped optimizer.
        total_iters: epochs until the lr reaches 0 (default: 5).
        power: the polynomial's power (default: 1.0, a straight line).
        last_epoch: index of the last epoch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1) -> None:
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        if self._is_initial or self.last_epoch > self.total_iters:
            return _group_lrs(self.optimizer)
        decay_factor = ((1.0 - self.last_epoch / self.total_iters)
                        / (1.0 - (self.last_epoch - 1) / self.total_iters)) ** self.power
        return [group["lr"] * decay_factor for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
                for base_lr in self.base_lrs]


for _schedule in (ConstantLR, LinearLR, PolynomialLR):
    _schedule.__module__ = HOME
del _schedule
