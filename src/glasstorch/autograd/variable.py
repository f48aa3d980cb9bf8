"""``torch.autograd.Variable``: the wrapper of PyTorch before 0.4, kept for old code (``Variable(x,
requires_grad=True)``), as torch keeps it: every tensor is a Variable (``isinstance(t, Variable)`` is True), and
``Variable(t, requires_grad)`` returns a new leaf tensor sharing t's data; ``volatile`` only warns."""
from __future__ import annotations

import warnings

from .. import _names
from .tensor_base import TensorBase


class _VariableMeta(type):
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, TensorBase)

    def __call__(cls, data=None, requires_grad: bool = False, volatile: bool = False):
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                          UserWarning, stacklevel=2)
        if data is None:
            from .._creation import tensor
            return tensor([])
        if not isinstance(data, TensorBase):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        leaf = data.detach()
        leaf.requires_grad = bool(requires_grad)
        return leaf


class Variable(metaclass=_VariableMeta):
    """See the module docstring."""


_names.public(Variable, "glasstorch.autograd.variable")
