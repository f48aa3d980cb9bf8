"""Names a package exports but imports on first use (PEP 562's module ``__getattr__``).

``import glasstorch`` loads what the course uses; the layers and optimizers beyond it (convolution, pooling,
recurrent layers, resampling, the rarer optimizers) load the first time one is touched, which keeps the import
~50 ms shorter. ``from glasstorch.nn import Conv2d``, ``nn.Conv2d``, ``dir(nn)`` and ``import *`` all see them.
"""
from __future__ import annotations

import importlib


def lazy_attributes(namespace: dict, where: dict[str, str]):
    """(__getattr__, __dir__) for a module whose ``namespace`` (its globals) lacks the names in ``where``
    (name → the module that defines it, relative to the package); a name, once loaded, is an ordinary attribute."""

    def __getattr__(name: str):
        source = where.get(name)
        if source is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source, namespace["__package__"]), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__


def table(source: str, names: str) -> dict[str, str]:
    """{name: source} for the space-separated ``names``."""
    return dict.fromkeys(names.split(), source)
