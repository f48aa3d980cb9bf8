"""The course companion: see every chapter of the course run, explained and plotted.

- ``explain(E, {"w5": w5, ...})``: backpropagation written out in numbers (forward values, local derivatives, the
  chain rule summed over every path); ``backprop.worked_example()`` is the course's 2-2-2 network.
- ``runner.run_script`` / ``glasstorch run SCRIPT.py``: a PyTorch script run with glasstorch standing in for torch.
- ``plots``: activations beside their autograd derivatives, initialisations, learning-rate schedules, exponentially
  weighted averages, optimizer paths, training curves (matplotlib, PNG).
- ``tour`` / ``glasstorch tour``: the course chapter by chapter.
"""
from __future__ import annotations

import importlib

from .explain import Explanation, explain

__all__ = ["Explanation", "explain", "backprop", "plots", "runner", "tour"]

_LAZY = {"backprop", "plots", "runner", "tour", "cli"}


def __getattr__(name: str):
    """``glasstorch.companion.plots`` and friends load on first use (plots imports matplotlib)."""
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
