"""The warnings torch gives learners, in torch's words (without its "(Triggered internally at ...)" suffix).

Some of torch's warnings come once per process (its C++ ``TORCH_WARN_ONCE``: ``float()`` of a tensor that requires
grad, ``x.T`` on a tensor that is not 2-D); ``warn_once`` does the same. The others come every time (``warn``).
"""
from __future__ import annotations

import warnings

from . import _names

NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
    "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, "
    "use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the "
    "leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information.")

COPY_CONSTRUCT = ("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                  "sourceTensor.detach().clone().requires_grad_(True), rather than {}(sourceTensor).")

SCALAR_OF_GRAD_TENSOR = ("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                         "Consider using tensor.detach() first.")

T_NOT_2D = ("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated and it will "
            "throw an error in a future release. Consider `x.mT` to transpose batches of matrices or "
            "`x.permute(*glasstorch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.")
T_0D = "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."
MT_0D = "Tensor.mT is deprecated on 0-D tensors. This function is the identity in these cases."

RANGE = ("glasstorch.range is deprecated and will be removed in a future release because its behavior is inconsistent "
         "with Python's range builtin. Instead, use glasstorch.arange, which produces values in [start, end).")


UINT8_INDEX = "indexing with dtype glasstorch.uint8 is now deprecated, please use a dtype glasstorch.bool instead."
UINT8_WHERE = ("where received a uint8 condition tensor. This behavior is deprecated and will be removed in a future "
               "version of PyTorch. Use a boolean condition instead.")
NDARRAY_LIST = ("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider converting the list "
                "to a single numpy.ndarray with numpy.array() before converting to a tensor.")


def degrees_of_freedom(name: str) -> str:
    """var(), std(), var_mean(), std_mean() with correction ≥ the number of values reduced."""
    return (f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor "
            "(input numel divided by output numel).")


_given: set = set()  # the once-per-process warnings already given


def _named(message: str) -> str:
    """The message with the printed package name (``torch.range`` under ``glasstorch run``; see _names)."""
    return message if _names.prefix == "glasstorch" else message.replace("glasstorch.", _names.prefix + ".")


def warn(message: str, category: type = UserWarning, stacklevel: int = 3) -> None:
    """Warns at the caller of the glasstorch function that called this (stacklevel 3)."""
    warnings.warn(_named(message), category, stacklevel=stacklevel)


def warn_once(message: str, category: type = UserWarning, stacklevel: int = 3) -> None:
    """torch's TORCH_WARN_ONCE: the first time this message comes up in the process, never again."""
    if message in _given:
        return
    _given.add(message)
    warnings.warn(_named(message), category, stacklevel=stacklevel)
