"""Piecewise elementwise Functions: selection (maximum, minimum, where, clamp), rounding and division remainders.
Their derivatives are 0 or 1 almost everywhere; at the kinks they follow torch's choices (stated per class).
``a``, ``b`` are the inputs (arrays, or Python numbers for scalar operands), ``g`` the gradient of the output."""
from __future__ import annotations

from .._backend import np
from ..autograd.function import Function
from ..autograd.function import needs_grad as _needs
from .._dtype import not_implemented_for
from .bool_kernels import INT8, refuse_bool_pair


class Maximum(Function):
    """out = max(a, b);  the gradient goes to the larger input, split in half on ties (torch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        tie = np.where(a == b, g / 2, g)
        return (np.where(a < b, 0, tie) if _needs(ctx, 0) else None), (np.where(a > b, 0, tie) if _needs(ctx, 1) else None)


class Minimum(Function):
    """out = min(a, b);  the gradient goes to the smaller input, split in half on ties (torch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        tie = np.where(a == b, g / 2, g)
        return (np.where(a > b, 0, tie) if _needs(ctx, 0) else None), (np.where(a < b, 0, tie) if _needs(ctx, 1) else None)


class Clamp(Function):
    """out = min(max(a, low), high);  ∂/∂a = 1 where low ≤ a ≤ high, else 0 (torch passes the bounds)."""

    backward_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, a, low, high):
        ctx.save_for_backward(a)
        ctx.low, ctx.high = low, high
        out = a
        if low is not None:
            out = np.maximum(out, low)
        if high is not None:
            out = np.minimum(out, high)
        return out.astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        keep = np.ones(a.shape, dtype=bool)
        if ctx.low is not None:
            keep &= a >= ctx.low
        if ctx.high is not None:
            keep &= a <= ctx.high
        return g * keep, None, None


class Where(Function):
    """out = a where condition else b;  ∂/∂a = condition,  ∂/∂b = not condition."""

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, g):
        (condition,) = ctx.saved_tensors
        return None, (np.where(condition, g, 0) if _needs(ctx, 1) else None), (np.where(condition, 0, g) if _needs(ctx, 2) else None)


def check_integer_divisor(out: np.ndarray, b) -> None:
    """An integer division (``//``, ``%``, fmod, div with a rounding mode) by zero: torch raises where NumPy gives 0."""
    if out.dtype.kind in "iu" and not np.all(b):
        raise RuntimeError("ZeroDivisionError")


class FloorDivide(Function):
    """out = ⌊a / b⌋;  torch records the node but has no derivative for it: backward raises, as torch's does."""

    backward_name = "NotImplemented"

    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.floor_divide(a, b)
        if out.dtype is INT8:  # NumPy's answer for two bools, which torch refuses
            refuse_bool_pair("div_floor_cpu", a, b)
        check_integer_divisor(out, b)
        return out

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class DivFloor(Function):
    """out = ⌊a / b⌋ (``div(a, b, rounding_mode="floor")``);  ∂/∂a = ∂/∂b = 0 almost everywhere (torch's zeros)."""

    backward_name = "DivBackward2"
    mode = "div_floor_cpu"

    @staticmethod
    def divide(a, b):
        return np.floor_divide(a, b)

    @classmethod
    def forward(cls, ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = cls.divide(a, b)
        if out.dtype is INT8:
            refuse_bool_pair(cls.mode, a, b)
        check_integer_divisor(out, b)
        return out

    @staticmethod
    def backward(ctx, g):
        zeros = np.zeros_like(g)
        return (zeros if _needs(ctx, 0) else None), (zeros if _needs(ctx, 1) else None)


class DivTrunc(DivFloor):
    """out = a / b rounded toward zero (``rounding_mode="trunc"``: C's integer division);  ∂ = 0 (torch's zeros)."""

    backward_name = "DivBackward2"
    mode = "div_trunc_cpu"

    @staticmethod
    def divide(a, b):
        if np.result_type(a, b).kind in "iub":  # exact in integers: ⌊a/b⌋, plus 1 where it rounded a negative down
            quotient = np.floor_divide(a, b)
            return quotient + ((np.remainder(a, b) != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0)))
        return np.trunc(np.true_divide(a, b))


class Remainder(Function):
    """out = a − ⌊a/b⌋·b (the sign of b, like Python's %);  ∂/∂a = 1,  ∂/∂b = −⌊a/b⌋."""

    def _kind_name(self) -> str:
        return "RemainderBackward1" if self.tensor_divisor else "RemainderBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.tensor_divisor = isinstance(b, np.ndarray)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.mod(a, b)
        if out.dtype is INT8:
            refuse_bool_pair("remainder_cpu", a, b)
        check_integer_divisor(out, b)
        return out

    @staticmethod
    def backward(ctx, g):
        with np.errstate(divide="ignore", invalid="ignore"):
            return g, (-g * np.floor_divide(*ctx.saved_tensors) if _needs(ctx, 1) else None)


class Fmod(Function):
    """out = a − trunc(a/b)·b (the sign of a, like C's fmod);  ∂/∂a = 1,  ∂/∂b = −trunc(a/b)."""

    def _kind_name(self) -> str:
        return "FmodBackward1" if self.tensor_divisor else "FmodBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.tensor_divisor = isinstance(b, np.ndarray)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.fmod(a, b)
        if out.dtype is INT8:
            refuse_bool_pair("fmod_cpu", a, b)
        check_integer_divisor(out, b)
        return out

    @staticmethod
    def backward(ctx, g):
        with np.errstate(divide="ignore", invalid="ignore"):
            return g, (-g * np.trunc(np.true_divide(*ctx.saved_tensors)) if _needs(ctx, 1) else None)


class Rounding(Function):
    """out = sign(a), ⌊a⌋, ⌈a⌉, round(a) or trunc(a) (``ufunc``);  piecewise constant, so ∂/∂a = 0 (torch's choice)."""

    _NAMES = {"sign": "SignBackward0", "floor": "FloorBackward0", "ceil": "CeilBackward0", "round": "RoundBackward0",
              "trunc": "TruncBackward0"}
    _BOOL_KERNELS = {"floor": "floor_vml_cpu", "ceil": "ceil_vml_cpu", "round": "round_vml_cpu", "trunc": "trunc_vml_cpu"}

    def _kind_name(self) -> str:
        return "RoundBackward1" if self.decimals else self._NAMES[self.ufunc.__name__]

    @staticmethod
    def forward(ctx, a, ufunc, decimals=0):
        ctx.ufunc, ctx.decimals = ufunc, decimals
        if a.dtype.kind == "b":  # torch: the sign of a bool is itself; the roundings have no bool kernel
            if ufunc is np.sign:
                return a.copy()
            raise not_implemented_for("round_cpu" if decimals else Rounding._BOOL_KERNELS[ufunc.__name__], a)
        if a.dtype.kind in "iu" and ufunc is not np.sign:  # an integer is its own floor (NumPy 2.0 returns floats)
            return np.round(a, decimals) if decimals else a.copy()
        return np.round(a, decimals) if decimals else ufunc(a)

    @staticmethod
    def backward(ctx, g):
        return np.zeros_like(g), None, None
