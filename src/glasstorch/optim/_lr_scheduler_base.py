"""``LRScheduler``, the base class every learning-rate schedule builds on, and the helpers they share.

A schedule holds its optimizer, ``base_lrs`` (each group's ``initial_lr``) and ``last_epoch`` (how many ``step()``
calls so far, 0 after construction). ``step()`` advances ``last_epoch`` and writes ``get_lr()``'s values into the
param groups; ``_update_lr(epoch)`` is that write without the step count (``SequentialLR`` uses it to restart a
schedule at epoch 0).
"""
from __future__ import annotations

import functools
import types
import warnings
import weakref
from typing import Any, Callable

from .optimizer import Optimizer

__all__ = ["LRScheduler", "EPOCH_DEPRECATION_WARNING"]

HOME = "glasstorch.optim.lr_scheduler"  # the module every schedule says it belongs to, as torch's do

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use "
    "`scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed "
    "form is used instead of the new chainable form, where available. Please open an issue if you are unable to "
    "replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.")


STEP_ORDER_WARNING = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call "
    "them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in "
    "PyTorch skipping the first value of the learning rate schedule. See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate")
STEP_REPLACED_WARNING = (
    "Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. Please, make "
    "sure to call `optimizer.step()` before `lr_scheduler.step()`. See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate")


def _track_optimizer_steps(optimizer: Optimizer) -> None:
    """Makes ``optimizer.step`` (once per optimizer) note ``optimizer._opt_called = True``, so that a schedule can tell
    a loop that steps it before the optimizer (it would skip the schedule's first learning rate), as torch does.
    The wrapper holds the optimizer weakly: no reference cycle."""
    if hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        return
    owner, step = weakref.ref(optimizer), optimizer.step.__func__

    @functools.wraps(step)
    def noting_step(*args, **kwargs):
        opt = owner()
        opt._opt_called = True
        return step(opt, *args, **kwargs)

    noting_step._wrapped_by_lr_sched = True
    optimizer.step = noting_step


def _group_lrs(optimizer: Optimizer) -> list:
    return [group["lr"] for group in optimizer.param_groups]


def _check_optimizer(optimizer) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def _format_param(name: str, optimizer: Optimizer, param) -> list:
    """One value per param group: a list or tuple is checked for length, a single value is repeated."""
    if isinstance(param, (list, tuple)):
        if len(param) != len(optimizer.param_groups):
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. {name} has {len(param)} "
                             f"values, param_groups has {len(optimizer.param_groups)}.")
        return list(param)
    return [param] * len(optimizer.param_groups)


def _set_momentum(group: dict, momentum: float, use_beta1: bool) -> None:
    """Cyclic schedules move SGD's/RMSprop's ``momentum``, or Adam's β1 (the first of ``betas``)."""
    if use_beta1:
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


def _saved_callables(functions: list[Callable]) -> list:
    """What a state_dict keeps of user functions: a callable object's attributes; nothing of a plain function."""
    return [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy() for fn in functions]


class LRScheduler:
    """Base class of the schedules.

    Args:
        optimizer: the optimizer whose learning rates this schedule sets.
        last_epoch: index of the last epoch seen; -1 (default) starts a new schedule. Any other value resumes one
            and needs ``"initial_lr"`` in every param group (from the optimizer's saved state_dict).

    Attributes: ``base_lrs`` (each group's ``initial_lr``), ``last_epoch`` (0 after construction, +1 per ``step()``).
    Constructing a scheduler stores each group's ``lr`` as ``initial_lr`` (if not already there) and takes the
    first step, to epoch 0. Subclasses implement ``get_lr()``: the learning rates for ``last_epoch``.
    """

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming scheduler with "
                        "last_epoch >= 0.\nThis typically happens when:\n1. You're trying to resume training from a "
                        "checkpoint but haven't properly loaded the optimizer state\n2. You're using last_epoch >= 0 "
                        "for a fresh training run (not recommended)")
        self.base_lrs: list = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        _track_optimizer_steps(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def state_dict(self) -> dict[str, Any]:
        """Everything the schedule holds except the optimizer (as torch: ``last_epoch``, ``base_lrs``, ``_last_lr``,
        the hyperparameters...)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step()`` set, one per param group."""
        return self._last_lr

    def get_lr(self) -> list[float]:
        """The learning rates for epoch ``last_epoch``; called by ``step()`` (use ``get_last_lr()`` to read them)."""
        raise NotImplementedError

    def _warn_if_called_outside_step(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn("To get the last learning rate computed by the scheduler, please use `get_last_lr()`.",
                          UserWarning, stacklevel=3)

    def step(self, epoch: int | None = None) -> None:
        """Advances to the next epoch and writes its learning rates into the optimizer's param groups.

        ``epoch`` (deprecated in torch, which warns) jumps to that epoch using the closed form where one exists.
        The first call after construction warns when the optimizer has not stepped yet (the loop's order is reversed).
        """
        if self._step_count == 1:
            if not hasattr(self.optimizer.step, "_wrapped_by_lr_sched"):
                warnings.warn(STEP_REPLACED_WARNING, UserWarning, stacklevel=2)
            elif not getattr(self.optimizer, "_opt_called", False):
                warnings.warn(STEP_ORDER_WARNING, UserWarning, stacklevel=2)
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        """``last_epoch`` + 1 (or = ``epoch``, then by the closed form if there is one), and set those lrs."""
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        self._set_lrs(values)

    def _set_lrs(self, values) -> None:
        """Writes one learning rate per param group, and remembers them for ``get_last_lr()``."""
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = _group_lrs(self.optimizer)


class _LRScheduler(LRScheduler):
    """The old name of ``LRScheduler``, kept by torch for compatibility."""
