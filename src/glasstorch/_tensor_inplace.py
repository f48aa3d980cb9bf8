"""Tensor's in-place operations (``add_``, ``zero_``, ``copy_``, ``t[i] = v``...). A mixin of ``glasstorch.Tensor``.

Two paths, as torch behaves:
- no graph to record (grad mode off, or nothing requires grad): write into the tensor's buffer (optimizers, init);
- otherwise compute the result out of place with Functions and make the tensor hold it (``_rebind``): the tensor gets
  the new value and grad_fn, while arrays saved for other nodes' backward stay intact. A leaf that requires grad
  refuses, with torch's error.
"""
from __future__ import annotations

from . import _creation_checks as _checks
from . import _dtype, _warnings
from . import _tensor_errors as _errors
from . import random as _random
from ._backend import np
from ._creation import empty, full, ones, tensor
from ._dims import broadcast_error
from ._functions import shape as S
from ._index_checks import assign_error
from ._tensor_reduce import _label
from ._tensor_shape import _index_key
from .autograd import grad_mode
from .autograd.tensor_base import TensorBase, wrap

_LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."


def _is_tensor(x) -> bool:
    return isinstance(x, TensorBase)


def _check_result(result: np.ndarray, target: np.ndarray) -> None:
    """An in-place result must fit the tensor written to: torch's errors for a wider dtype or a larger shape."""
    if result.shape != target.shape:
        raise RuntimeError(f"output with shape {list(target.shape)} doesn't match the broadcast shape {list(result.shape)}")
    if result.dtype != target.dtype and _dtype.category(result.dtype) > _dtype.category(target.dtype):
        raise RuntimeError(f"result type {_dtype.LEGACY_NAMES[result.dtype.name]} can't be cast to the desired output "
                           f"type {_dtype.LEGACY_NAMES[target.dtype.name]}")


def _check_inplace(tensor) -> None:
    if tensor.requires_grad and tensor.grad_fn is None and grad_mode.state.enabled:
        raise RuntimeError(_LEAF_INPLACE)


def _refuse_integer_zero_divisor(tensor, other) -> None:
    """torch's error for an integer ``//=`` or ``%=`` by zero (NumPy would write 0)."""
    divisor = other._data if _is_tensor(other) else np.asarray(other)
    if tensor._data.dtype.kind in "biu" and divisor.dtype.kind in "biu" and not np.all(divisor):
        raise RuntimeError("ZeroDivisionError")


class InplaceMixin:
    """In-place forms of the operations; each returns self."""

    __slots__ = ()

    def _rebind(self, result):
        """Makes self hold ``result`` (an out-of-place result recorded by autograd)."""
        self._data = result._data
        self.grad_fn = result.grad_fn
        self.requires_grad = result.requires_grad
        return self

    def _records_graph(self, other=None) -> bool:
        return grad_mode.state.enabled and (self.requires_grad or (_is_tensor(other) and other.requires_grad))

    def _assign(self, result):
        """Completes an in-place operation whose value was computed out of place."""
        if result._data.shape != self._data.shape or result._data.dtype != self._data.dtype:
            _check_result(result._data, self._data)  # torch's errors for a larger shape or a wider dtype
        if result.grad_fn is not None:
            _check_inplace(self)
            return self._rebind(result.to(self._data.dtype))
        _check_inplace(self)
        self._data[...] = result._data
        return self

    def _inplace(self, other, ufunc, method):
        """``self = ufunc(self, other)``, writing into self's buffer when no graph is recorded (optimizers, init)."""
        if self._records_graph(other):
            _check_inplace(self)
            result = method(self, other)
            _check_result(result._data, self._data)
            return self._rebind(result.to(self._data.dtype))
        operand = other._data if _is_tensor(other) else other
        try:
            ufunc(self._data, operand, out=self._data, casting="same_kind")
        except (TypeError, ValueError):  # say it as torch does: a dtype that cannot hold the result, or bad shapes
            result = method(wrap(self._data), other)._data
            _check_result(result, self._data)
            if result.shape != self._data.shape or result.dtype != self._data.dtype:
                raise
            self._data[...] = result  # NumPy's loop wanted a wider dtype than torch's (bool ** True stays bool)
        return self

    # ---- arithmetic --------------------------------------------------------------------------------------------
    def add_(self, other, alpha=1):
        return self._inplace(other if alpha == 1 else other * alpha, np.add, type(self).__add__)

    def sub_(self, other, alpha=1):
        return self._inplace(other if alpha == 1 else other * alpha, np.subtract, type(self).__sub__)

    def mul_(self, other):
        return self._inplace(other, np.multiply, type(self).__mul__)

    def div_(self, other):
        return self._inplace(other, np.true_divide, type(self).__truediv__)

    def pow_(self, exponent):
        return self._inplace(exponent, np.power, type(self).__pow__)

    def floor_divide_(self, other):
        _refuse_integer_zero_divisor(self, other)
        return self._inplace(other, np.floor_divide, type(self).__floordiv__)

    def remainder_(self, other):
        _refuse_integer_zero_divisor(self, other)
        return self._inplace(other, np.mod, type(self).__mod__)

    # ``t += x`` and friends are the in-place methods, as in torch (an optimizer's ``w -= lr * w.grad`` keeps w)
    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def __ipow__(self, exponent):
        return self.pow_(exponent)

    def __ifloordiv__(self, other):
        return self.floor_divide_(other)

    def __imod__(self, other):
        return self.remainder_(other)

    def addcmul_(self, tensor1, tensor2, value=1):
        return self.add_(tensor1 * tensor2 * value)

    def addcdiv_(self, tensor1, tensor2, value=1):
        return self.add_(tensor1 / tensor2 * value)

    def lerp_(self, end, weight):
        _errors.check_lerp(self, end, weight)
        return self.add_((end - self) * weight)

    def sqrt_(self):
        return self._assign(self.sqrt())

    def exp_(self):
        return self._assign(self.exp())

    def log_(self):
        return self._assign(self.log())

    def neg_(self):
        return self._assign(-self)

    def abs_(self):
        return self._assign(self.abs())

    def relu_(self):
        return self._assign(self.relu())

    def sigmoid_(self):
        return self._assign(self.sigmoid())

    def tanh_(self):
        return self._assign(self.tanh())

    def clamp_(self, min=None, max=None):  # noqa: A002
        return self._assign(self.clamp(min, max))

    clip_ = clamp_

    def scatter_(self, dim: int, index, src=None, value=None, reduce: str | None = None):
        return self._assign(self.scatter(dim, index, src, value, reduce=reduce))

    def index_put_(self, indices, values, accumulate: bool = False):
        return self._assign(self.index_put(indices, values, accumulate))

    def masked_fill_(self, mask, value):
        return self._assign(self.masked_fill(mask, value))

    # ---- filling -----------------------------------------------------------------------------------------------
    def zero_(self):
        return self._fill(0, "ZeroBackward0")

    def fill_(self, value):
        if isinstance(value, (str, bytes)) or value is None:
            raise TypeError(f"fill_() received an invalid combination of arguments - got ({type(value).__name__}), but "
                            f"expected one of: (Number value) or (Tensor value)")
        return self._fill(value, "FillBackward2")

    def _fill(self, value, node_name: str):
        if _is_tensor(value) and value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        if self._records_graph(value):
            _check_inplace(self)
            filled = S.IndexPut.apply(self, value if _is_tensor(value) else np.asarray(value), ...)
            return self._rebind(_label(filled, node_name))
        self._data[...] = value._data if _is_tensor(value) else value
        return self

    def copy_(self, src, non_blocking: bool = False):
        if not _is_tensor(src):
            raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
        if self._records_graph(src):
            _check_inplace(self)
            return self._rebind(_label(S.IndexPut.apply(self, src.to(self._data.dtype), ...), "CopyBackwards"))
        try:
            self._data[...] = src._data
        except ValueError:
            raise RuntimeError(broadcast_error(self._data.shape, src._data.shape) or
                               f"output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                               f"{list(src._data.shape)}") from None
        return self

    def __setitem__(self, key, value) -> None:
        """``t[key] = value`` (a tensor, broadcast, or a number); records IndexPutBackward0/CopySlices when needed."""
        if any(isinstance(k, TensorBase) and k._data.dtype == np.uint8 for k in (key if type(key) is tuple else (key,))):
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
        index = _index_key(key)
        try:
            self._setitem(index, value)
        except (IndexError, ValueError) as error:
            raise assign_error(error, self._data, index, key, value) from None

    def _setitem(self, index, value) -> None:
        if self._records_graph(value):
            _check_inplace(self)
            if _is_tensor(value) and value._data.dtype != self._data.dtype:
                value = value.to(self._data.dtype)
            put = S.IndexPutStaged if type(index) is S.StagedIndex else S.IndexPut
            self._rebind(put.apply(self, value if _is_tensor(value) else np.asarray(value), index))
        elif type(index) is S.StagedIndex:
            index.view(self._data)[index.rest] = value._data if _is_tensor(value) else value
        else:
            self._data[index] = value._data if _is_tensor(value) else value

    # ---- random fills (no graph: torch's nn.init calls them under no_grad) -----------------------------------------
    def _fill_random(self, values: np.ndarray):
        _check_inplace(self)
        self._data[...] = values
        return self

    def uniform_(self, a: float = 0.0, b: float = 1.0, generator=None):
        _checks.check_random_dtype(self._data.dtype, "check_uniform_bounds")
        _checks.check_uniform_bounds(a, b)
        return self._fill_random(_random.numpy_generator(generator).uniform(a, b, self._data.shape))

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator=None):
        _checks.check_random_dtype(self._data.dtype, "normal_kernel_cpu")
        _checks.check_std(std)
        return self._fill_random(_random.numpy_generator(generator).normal(mean, std, self._data.shape))

    def bernoulli_(self, p: float = 0.5, generator=None):
        return self._fill_random(_random.numpy_generator(generator).random(self._data.shape) < p)

    def exponential_(self, lambd: float = 1.0, generator=None):
        return self._fill_random(_random.numpy_generator(generator).exponential(1 / lambd, self._data.shape))

    def random_(self, low: int = 0, high: int | None = None, generator=None):
        if high is None:
            low, high = 0, low if low else 2 ** 24
        return self._fill_random(_random.numpy_generator(generator).integers(low, high, self._data.shape))

    # ---- new tensors like this one -----------------------------------------------------------------------------
    def new_zeros(self, *size, dtype=None, requires_grad=False):
        # (empty, which is zero-filled: torch words new_zeros' size errors as empty's, not as zeros')
        return empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad=False):
        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, requires_grad=False):
        if isinstance(data, TensorBase):
            _warnings.warn(_warnings.COPY_CONSTRUCT.format("tensor.new_tensor"))
            data = data._data  # (copied by tensor(), which would warn again about a tensor)
        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad=False):
        return empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)
