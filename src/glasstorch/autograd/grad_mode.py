"""Grad mode: whether operations record a graph (``no_grad``, ``enable_grad``, ``set_grad_enabled``)."""
from __future__ import annotations

import functools


class _State:
    """Module-level switch read by every operation; a plain attribute keeps the check cheap."""

    __slots__ = ("enabled",)

    def __init__(self) -> None:
        self.enabled = True


state = _State()


def is_grad_enabled() -> bool:
    return state.enabled


class _GradModeContext:
    """Base for the three context managers; each also works as a decorator, as torch's do."""

    _target: bool

    def __enter__(self) -> None:
        self._previous = state.enabled
        state.enabled = self._target

    def __exit__(self, *exc) -> None:
        state.enabled = self._previous

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__(*self._args()):
                return func(*args, **kwargs)

        return wrapper

    def _args(self) -> tuple:
        return ()


class _NoArgumentContext(_GradModeContext):
    """Also usable as a bare decorator, ``@no_grad`` without parentheses, as torch allows."""

    def __new__(cls, func=None):
        if func is None:
            return super().__new__(cls)
        return cls()(func)


class no_grad(_NoArgumentContext):
    """Inside ``with no_grad():`` results have ``requires_grad=False`` and no graph is built."""

    _target = False


class enable_grad(_NoArgumentContext):
    """Re-enables graph building inside a ``no_grad`` block."""

    _target = True


class set_grad_enabled(_GradModeContext):
    """``set_grad_enabled(False)`` sets the mode at once (as a call) or for a block (as a context manager)."""

    def __init__(self, mode: bool) -> None:
        if type(mode) is not bool:  # torch's parser takes a bool and nothing else (not 1, not a NumPy bool)
            kind = ("numpy." if type(mode).__module__ == "numpy" else "") + type(mode).__name__
            raise TypeError(f"set_grad_enabled(): argument 'enabled' (position 1) must be bool, not {kind}")
        self._target = mode
        self._previous = state.enabled
        state.enabled = self._target

    def __enter__(self) -> None:
        pass

    def __call__(self, func):
        state.enabled = self._previous  # used as a decorator: the mode applies inside calls only
        return super().__call__(func)

    def _args(self) -> tuple:
        return (self._target,)


class inference_mode(_GradModeContext):
    """``torch.inference_mode()``: here the same as ``no_grad`` (no graph is built inside); ``inference_mode(False)``
    leaves grad mode as it is."""

    def __init__(self, mode: bool = True) -> None:
        self._mode = bool(mode)

    def __enter__(self) -> None:
        self._previous = state.enabled
        if self._mode:
            state.enabled = False

    def _args(self) -> tuple:
        return (self._mode,)
