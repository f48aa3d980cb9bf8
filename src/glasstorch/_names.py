"""The package name that printed objects carry: ``glasstorch.Size([5, 3])``, ``glasstorch.float32``,
``x.type() == 'glasstorch.FloatTensor'`` on a plain import; ``torch.Size([5, 3])``, ``torch.float32`` and
``'torch.FloatTensor'`` while ``glasstorch run`` stands in for torch (companion/runner.py sets it), so that a script's
output under glasstorch can be diffed line by line against its output under torch.
"""
from __future__ import annotations

prefix = "glasstorch"
_CLASSES: list[type] = []  # classes whose repr names the package: <class 'glasstorch.Tensor'> / <class 'torch.Tensor'>


def public(cls: type, module: str) -> type:
    """Gives ``cls`` the public module path ``module`` (``"glasstorch"`` for Tensor, rather than
    ``glasstorch._tensor``), renamed with the package when set_prefix changes it."""
    cls.__module__ = prefix + module[len("glasstorch"):]
    _CLASSES.append(cls)
    return cls


def set_prefix(name: str) -> str:
    """Makes ``name`` the printed package name; returns the previous one (to restore it)."""
    global prefix
    previous, prefix = prefix, name
    for cls in _CLASSES:
        cls.__module__ = name + cls.__module__[len(previous):]
    return previous
