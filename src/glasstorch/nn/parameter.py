"""``nn.Parameter``: a tensor that a Module registers as one of its learnable weights.

A Parameter is a leaf Tensor with ``requires_grad=True`` by default. Assigning one to a Module attribute
(``self.weight = nn.Parameter(...)``) registers it, so it appears in ``parameters()`` and ``state_dict()``.
Operations on a Parameter return plain Tensors, as in torch.
"""
from __future__ import annotations

from .. import _names, _torch_pickle
from .._backend import np
from .._tensor import Tensor
from ..autograd.tensor_base import TensorBase

__all__ = ["Parameter"]


class Parameter(Tensor):
    """``Parameter(data=None, requires_grad=True)``: shares ``data``'s memory, is a leaf, requires grad by default.

    Only floating-point data can require gradients (RuntimeError otherwise, as torch).
    """

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> "Parameter":
        if data is not None and not isinstance(data, TensorBase):  # torch detaches data, so a list fails there
            kind = "numpy.ndarray" if isinstance(data, np.ndarray) else type(data).__name__
            raise AttributeError(f"'{kind}' object has no attribute 'detach'")
        array = np.empty(0, dtype=np.float32) if data is None else data._data
        if requires_grad and array.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        param = object.__new__(cls)
        param._data = array
        param.requires_grad = bool(requires_grad)
        param._grad = None
        param.grad_fn = None
        param._retains_grad = False
        param._hooks = None
        return param

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass  # everything happens in __new__ (Tensor.__init__ would read the arguments as a shape)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo) -> "Parameter":
        if id(self) in memo:
            return memo[id(self)]
        copy = Parameter(Tensor._make(self._data.copy()), self.requires_grad)
        if self._grad is not None:
            copy._grad = Tensor._make(self._grad._data.copy())
        memo[id(self)] = copy
        return copy

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self._data, self.requires_grad))


_names.public(Parameter, "glasstorch.nn.parameter")  # <class 'torch.nn.parameter.Parameter'> under glasstorch run


def _rebuild_parameter(data: np.ndarray, requires_grad: bool) -> Parameter:
    return Parameter(Tensor._make(data), requires_grad)


_torch_pickle.register_parameter(Parameter)  # glasstorch.save writes it, and load rebuilds it, as torch's Parameter
