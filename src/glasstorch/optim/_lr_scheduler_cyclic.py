"""Schedules that go up as well as down: ``CosineAnnealingWarmRestarts`` (SGDR), ``CyclicLR`` (triangles) and
``OneCycleLR`` (one warmup-and-anneal cycle). The last two are stepped after every batch, not every epoch, and
move the momentum (SGD's ``momentum``, Adam's β1) the opposite way to the lr when ``cycle_momentum`` is on.

None of the three is chainable: each computes the lr from its own position in the cycle, not from the current lr.
"""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable

from ._lr_scheduler_base import (HOME, LRScheduler, _check_optimizer, _format_param, _saved_callables,
                                 _set_momentum)
from .optimizer import Optimizer

__all__ = ["CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR"]

MOMENTUM_ERROR = "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"


def _start_momentum_cycle(optimizer: Optimizer, base_momentum, max_momentum, last_epoch: int) -> tuple:
    """Checks the optimizer has a momentum (or betas), and (on a new schedule) starts every group at max_momentum.

    Returns ``use_beta1`` and the per-group base and max momentums.
    """
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError(MOMENTUM_ERROR)
    use_beta1 = "betas" in optimizer.defaults
    max_momentums = _format_param("max_momentum", optimizer, max_momentum)
    base_momentums = _format_param("base_momentum", optimizer, base_momentum)
    if last_epoch == -1:
        for top, bottom, group in zip(max_momentums, base_momentums, optimizer.param_groups):
            _set_momentum(group, top, use_beta1)
            group["max_momentum"] = top
            group["base_momentum"] = bottom
    return use_beta1, base_momentums, max_momentums


class CosineAnnealingWarmRestarts(LRScheduler):
    r"""Cosine annealing that restarts (SGDR): ``η = η_min + (η_max - η_min)·(1 + cos(π·T_cur / T_i)) / 2``.

    ``T_cur`` counts epochs since the last restart; the first cycle lasts ``T_i = T_0`` epochs and each next one
    ``T_mult`` times longer. ``step(epoch)`` may take a fractional epoch (``epoch + batch / batches``) to anneal
    within an epoch; then ``T_cur`` is found from the epoch (for T_mult > 1, the cycle is
    ``n = int(log_{T_mult}(epoch / T_0 · (T_mult - 1) + 1))``). Unlike the others, ``step(epoch)`` does not warn.

    Args:
        optimizer: the wrapped optimizer (η_max is each group's ``initial_lr``).
        T_0: epochs until the first restart (a positive int).
        T_mult: growth of the cycle length after each restart (an int ≥ 1, default: 1).
        eta_min: minimum learning rate (default: 0).
        last_epoch: index of the last epoch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        if T_0 <= 0 or not isinstance(T_0, int):
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if T_mult < 1 or not isinstance(T_mult, int):
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(f"Expected float or int eta_min, but got {eta_min} of type {type(eta_min)}")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._warn_if_called_outside_step()
        return [self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
                for base_lr in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:
        """Next epoch (``T_cur + 1``, restarting when it reaches ``T_i``), or jump to ``epoch`` (may be fractional)."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            if epoch < 0:
                raise ValueError(f"Expected non-negative epoch, but got {epoch}")
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(math.log((epoch / self.T_0 * (self.T_mult - 1) + 1), self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult ** n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult ** n
            else:
                self.T_i = self.T_0
                self.T_cur = epoch
        self.last_epoch = math.floor(epoch)
        self._get_lr_called_within_step = True
        try:
            values = self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        self._set_lrs(values)


class CyclicLR(LRScheduler):
    """Cyclical learning rates: the lr climbs from ``base_lr`` to ``max_lr`` in ``step_size_up`` batches and comes
    back in ``step_size_down``; ``lr = base_lr + (max_lr - base_lr)·h·scale``, with h the triangle's height in [0, 1].

    ``mode`` picks the scale: ``"triangular"`` 1; ``"triangular2"`` 1/2^(cycle-1) (halved every cycle);
    ``"exp_range"`` gamma^iteration. A custom ``scale_fn(x)`` (x = the cycle number, or the iteration with
    ``scale_mode="iterations"``) replaces ``mode``. With ``cycle_momentum`` the momentum goes the other way:
    ``max_momentum - (max_momentum - base_momentum)·h·scale``.

    Args:
        optimizer: the wrapped optimizer.
        base_lr, max_lr: the lower and upper lr, one value or one per param group.
        step_size_up: batches in the rising half (default: 2000); step_size_down: in the falling half (default:
            the same).
        mode: ``"triangular"`` (default), ``"triangular2"`` or ``"exp_range"``; gamma: exp_range's base (1.0).
        scale_fn, scale_mode: a custom scale and what it is a function of (``"cycle"``, default, or ``"iterations"``).
        cycle_momentum: move the momentum too (default: True; the optimizer needs ``momentum`` or ``betas``).
        base_momentum, max_momentum: momentum at the lr's peak and at its floor (defaults: 0.8, 0.9).
        last_epoch: the index of the last batch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, base_lr: float | list[float], max_lr: float | list[float],
                 step_size_up: int = 2000, step_size_down: int | None = None, mode: str = "triangular",
                 gamma: float = 1.0, scale_fn: Callable[[float], float] | None = None, scale_mode: str = "cycle",
                 cycle_momentum: bool = True, base_momentum: float = 0.8, max_momentum: float = 0.9,
                 last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        base_lrs = _format_param("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = _format_param("max_lr", optimizer, max_lr)
        step_size_up = float(step_size_up)
        step_size_down = float(step_size_down) if step_size_down is not None else step_size_up
        self.total_size = step_size_up + step_size_down
        self.step_ratio = step_size_up / self.total_size
        if mode not in ["triangular", "triangular2", "exp_range"] and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1, self.base_momentums, self.max_momentums = _start_momentum_cycle(
                optimizer, base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)  # its first step uses the groups' initial_lr as base_lrs, as torch
        self.base_lrs = base_lrs

    def _init_scale_fn(self) -> None:
        """The built-in modes fix the scale function and what it is a function of."""
        if self._scale_fn_custom is not None:
            return
        if self.mode == "triangular":
            self._scale_fn_ref, self.scale_mode = self._triangular_scale_fn, "cycle"
        elif self.mode == "triangular2":
            self._scale_fn_ref, self.scale_mode = self._triangular2_scale_fn, "cycle"
        elif self.mode == "exp_range":
            self._scale_fn_ref, self.scale_mode = partial(self._exp_range_scale_fn, self.gamma), "iterations"

    def scale_fn(self, x: float) -> float:
        """The amplitude's scale at cycle (or iteration) x."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        return self._scale_fn_ref(x)

    @staticmethod
    def _triangular_scale_fn(x: float) -> float:
        return 1.0

    @staticmethod
    def _triangular2_scale_fn(x: float) -> float:
        return 1 / (2.0 ** (x - 1))

    @staticmethod
    def _exp_range_scale_fn(gamma: float, x: float) -> float:
        return gamma ** x

    def get_lr(self) -> list[float]:
        """The lrs at batch ``last_epoch``; with ``cycle_momentum``, also sets the groups' momentum (or β1)."""
        self._warn_if_called_outside_step()
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle  # position in the cycle, in [0, 1)
        if x <= self.step_ratio:
            height = x / self.step_ratio
        else:
            height = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base_lr + (max_lr - base_lr) * height * scale for base_lr, max_lr in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, bottom, top in zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums):
                _set_momentum(group, top - (top - bottom) * height * scale, self.use_beta1)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        """As the base's, without the scale function (a custom one keeps only a callable object's attributes)."""
        state = super().state_dict()
        state.pop("_scale_fn_ref", None)
        custom = self._scale_fn_custom
        state["_scale_fn_custom"] = None if custom is None else _saved_callables([custom])[0]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state = dict(state_dict)
        saved_fn = state.pop("_scale_fn_custom")
        super().load_state_dict(state)
        if saved_fn is not None:
            self._scale_fn_custom.__dict__.update(saved_fn)
        self._init_scale_fn()


class OneCycleLR(LRScheduler):
    """The 1cycle policy: from ``max_lr / div_factor`` up to ``max_lr`` over the first ``pct_start`` of
    ``total_steps`` batches, then down to ``initial_lr / final_div_factor``; each phase is a cosine
    ``end + (start - end)·(1 + cos(π·pct)) / 2`` (or a straight line, ``anneal_strategy="linear"``).

    ``three_phase=True`` (the paper's version) comes back down to ``initial_lr`` symmetrically, then anneals to the
    minimum. The momentum (SGD's ``momentum``, Adam's β1) moves the opposite way, between ``max_momentum`` and
    ``base_momentum``. Stepping past ``total_steps`` raises ``ValueError``.

    Args:
        optimizer: the wrapped optimizer.
        max_lr: peak lr, one value or one per param group.
        total_steps: batches in the cycle; or give ``epochs`` and ``steps_per_epoch`` (total = their product).
        pct_start: fraction of the cycle spent rising (a float, default: 0.3).
        anneal_strategy: ``"cos"`` (default) or ``"linear"``.
        cycle_momentum: move the momentum too (default: True); base_momentum, max_momentum (0.85, 0.95).
        div_factor: initial_lr = max_lr / div_factor (default: 25); final_div_factor: min_lr = initial_lr /
            final_div_factor (default: 1e4).
        three_phase: the three-phase schedule (default: False).
        last_epoch: the index of the last batch (default: -1, a new schedule).
    """

    def __init__(self, optimizer: Optimizer, max_lr: float | list[float], total_steps: int | None = None,
                 epochs: int | None = None, steps_per_epoch: int | None = None, pct_start: float = 0.3,
                 anneal_strategy: str = "cos", cycle_momentum: bool = True, base_momentum: float | list[float] = 0.85,
                 max_momentum: float | list[float] = 0.95, div_factor: float = 25.0, final_div_factor: float = 1e4,
                 three_phase: bool = False, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if total_steps is not None:
            if total_steps <= 0 or not isinstance(total_steps, int):
                raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            if not isinstance(epochs, int) or epochs <= 0:
                raise ValueError(f"Expected positive integer epochs, but got {epochs}")
            if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
                raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        self._schedule_phases = self._phases(pct_start, self.total_steps, three_phase)
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ["cos", "linear"]:
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        self._anneal_func_type = anneal_strategy
        max_lrs = _format_param("max_lr", self.optimizer, max_lr)
        if last_epoch == -1:
            for group, peak in zip(self.optimizer.param_groups, max_lrs):
                group["initial_lr"] = peak / div_factor
                group["max_lr"] = peak
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _start_momentum_cycle(optimizer, base_momentum, max_momentum, last_epoch)[0]
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _phases(pct_start: float, total_steps: int, three_phase: bool) -> list[dict]:
        """Each phase: the step it ends at and the param-group keys of its start and end lr and momentum."""
        rise = {"end_step": float(pct_start * total_steps) - 1, "start_lr": "initial_lr", "end_lr": "max_lr",
                "start_momentum": "max_momentum", "end_momentum": "base_momentum"}
        if three_phase:
            return [rise,
                    {"end_step": float(2 * pct_start * total_steps) - 2, "start_lr": "max_lr", "end_lr": "initial_lr",
                     "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
                    {"end_step": total_steps - 1, "start_lr": "initial_lr", "end_lr": "min_lr",
                     "start_momentum": "max_momentum", "end_momentum": "max_momentum"}]
        return [rise,
                {"end_step": total_steps - 1, "start_lr": "max_lr", "end_lr": "min_lr",
                 "start_momentum": "base_momentum", "end_momentum": "max_momentum"}]

    def _anneal_func(self, start: float, end: float, pct: float) -> float:
        if self._anneal_func_type == "cos":
            return self._annealing_cos(start, end, pct)
        return self._annealing_linear(start, end, pct)

    @staticmethod
    def _annealing_cos(start: float, end: float, pct: float) -> float:
        """Cosine from ``start`` (pct 0) to ``end`` (pct 1): ``end + (start - end)/2 · (1 + cos(π·pct))``."""
        cos_out = math.cos(math.pi * pct) + 1
        return end + (start - end) / 2.0 * cos_out

    @staticmethod
    def _annealing_linear(start: float, end: float, pct: float) -> float:
        """Straight line from ``start`` (pct 0) to ``end`` (pct 1)."""
        return (end - start) * pct + start

    def get_lr(self) -> list[float]:
        """The lrs at batch ``last_epoch``; with ``cycle_momentum``, also sets the groups' momentum (or β1)."""
        self._warn_if_called_outside_step()
        step_num = self.last_epoch
        if step_num > self.total_steps:
            raise ValueError(f"Tried to step {step_num} times. The specified number of total steps is "
                             f"{self.total_steps}")
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step_num <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (step_num - start_step) / (end_step - start_step)
                    lrs.append(self._anneal_func(group[phase["start_lr"]], group[phase["end_lr"]], pct))
                    if self.cycle_momentum:
                        momentum = self._anneal_func(group[phase["start_momentum"]], group[phase["end_momentum"]],
                                                     pct)
                        _set_momentum(group, momentum, self.use_beta1)
                    break
                start_step = phase["end_step"]
        return lrs


for _schedule in (CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR):
    _schedule.__module__ = HOME
del _schedule
