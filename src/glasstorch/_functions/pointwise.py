"""Elementwise Functions. ``a``, ``b`` are the inputs (arrays, or Python numbers for scalar operands), ``g`` the
gradient of the output. Broadcasting is undone by the engine, so each backward returns full-size gradients."""
from __future__ import annotations

from .._backend import np
from .._layout import preserved_order
from ..autograd.function import Function
from ..autograd.function import needs_grad as _needs
from .bool_kernels import INT8, bool_power


_ZEROS: dict = {}


def _relu_zero(dtype: np.dtype) -> np.ndarray:
    """A 0-d zero of ``dtype`` for relu, made once: NumPy converts a Python 0 anew on every call (~0.2 µs per relu).
    A bool dtype never gets one (torch refuses relu of bools), so the refusal costs other dtypes nothing."""
    zero = _ZEROS.get(dtype)
    if zero is None:
        if dtype.kind == "b":
            raise RuntimeError("Boolean inputs not supported for relu")
        zero = _ZEROS[dtype] = np.zeros((), dtype)
    return zero


class Add(Function):
    """out = a + b;  ∂/∂a = 1,  ∂/∂b = 1."""

    lists_numbers = True

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        return g, g


class Sub(Function):
    """out = a − b;  ∂/∂a = 1,  ∂/∂b = −1."""

    lists_numbers = True

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g):
        return g, (-g if _needs(ctx, 1) else None)


class Rsub(Sub):
    """``number − tensor``: Sub with the number first; torch names its node RsubBackward1."""

    backward_name = "RsubBackward1"
    lists_numbers = False


class Mul(Function):
    """out = a·b;  ∂/∂a = b,  ∂/∂b = a."""

    lists_numbers = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return (g * b if _needs(ctx, 0) else None), (g * a if _needs(ctx, 1) else None)


class Div(Function):
    """out = a / b;  ∂/∂a = 1/b,  ∂/∂b = −a/b²."""

    lists_numbers = True

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a / b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        grad_a = g / b if _needs(ctx, 0) else None
        grad_b = -g * a / (b * b) if _needs(ctx, 1) else None
        return grad_a, grad_b


def integer_power(a, b) -> np.ndarray:
    """Integers to integer powers with negative exponents, as torch computes them: 1 for a base of 1, ±1 for −1
    (by the exponent's parity), 0 for any other base (0 included); torch refuses a negative Python exponent."""
    if not isinstance(b, np.ndarray):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    negative = b < 0
    out = np.power(a, np.where(negative, 0, b))
    if negative.any():
        odd = (b % 2) != 0
        small = np.where(np.equal(a, 1), 1, np.where(np.equal(a, -1), np.where(odd, -1, 1), 0))
        out = np.where(negative, small, out).astype(out.dtype, copy=False)
    return out


class Pow(Function):
    """out = aᵇ;  ∂/∂a = b·aᵇ⁻¹ (0 when b = 0),  ∂/∂b = aᵇ·ln a (0 where a = 0 and b ≥ 0, as torch)."""

    def _kind_name(self) -> str:
        """torch: tensor ** number is PowBackward0, tensor ** tensor PowBackward1, number ** tensor PowBackward2."""
        return self.kind

    @staticmethod
    def forward(ctx, a, b):
        ctx.kind = ("PowBackward1" if isinstance(a, np.ndarray) else "PowBackward2") if isinstance(b, np.ndarray) else "PowBackward0"
        try:
            out = np.power(a, b)
        except ValueError:  # NumPy refuses integers to negative integer powers
            out = integer_power(a, b)
        if out.dtype is INT8:  # NumPy's answer for two bools: torch keeps bool ** True/False bool, refuses the rest
            out = bool_power(a, b, out)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.saved_tensors
        grad_a = grad_b = None
        if _needs(ctx, 0):
            if np.isscalar(b):
                grad_a = np.zeros_like(g) if b == 0 else g * b * np.power(a, b - 1)
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    grad_a = np.where(b == 0, 0, g * b * np.power(a, b - 1)).astype(g.dtype, copy=False)
        if _needs(ctx, 1):
            with np.errstate(divide="ignore", invalid="ignore"):
                grad_b = g * out * np.log(a)
            grad_b = np.where((a == 0) & (np.asarray(b) >= 0), 0, grad_b).astype(g.dtype, copy=False)
        return grad_a, grad_b


class Neg(Function):
    """out = −a;  ∂/∂a = −1."""

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, g):
        return -g


class Exp(Function):
    """out = eᵃ;  ∂/∂a = eᵃ = out."""

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class Log(Function):
    """out = ln a;  ∂/∂a = 1/a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return g / a


class Log1p(Function):
    """out = ln(1 + a);  ∂/∂a = 1/(1 + a)."""

    backward_name = "Log1PBackward0"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log1p(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return g / (1 + a)


class Sqrt(Function):
    """out = √a;  ∂/∂a = 1/(2√a)."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        with np.errstate(divide="ignore"):
            return g / (2 * out)


class Sin(Function):
    """out = sin a;  ∂/∂a = cos a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * np.cos(a)


class Cos(Function):
    """out = cos a;  ∂/∂a = −sin a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return -g * np.sin(a)


class Tanh(Function):
    """out = tanh a = (1 − e⁻²ᵃ)/(1 + e⁻²ᵃ);  ∂/∂a = 1 − out²."""

    exact_grads = True

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (1 - out * out)


class Sigmoid(Function):
    """out = 1/(1 + e⁻ᵃ);  ∂/∂a = out·(1 − out).

    Computed from e^(−|a|) so that no exponent overflows: large |a| gives 0 or 1 without warnings
    (e^(−|a|) rounding to 0 is the right answer, so underflow is not reported).
    """

    exact_grads = True

    @staticmethod
    def forward(ctx, a):
        with np.errstate(under="ignore"):
            e = np.exp(-np.abs(a))
            d = 1 / (1 + e)
            out = np.where(a >= 0, d, e * d)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out * (1 - out)


class Relu(Function):
    """out = max(0, a);  ∂/∂a = 1 for a > 0, else 0 (torch takes ReLU'(0) = 0)."""

    exact_grads = True

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, _relu_zero(a.dtype))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (out > _relu_zero(out.dtype)).astype(g.dtype)  # (float × bool is ~2x slower than float × float)


class Abs(Function):
    """out = |a|;  ∂/∂a = sign(a) (0 at 0)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * np.sign(a)


class Cast(Function):
    """out = a converted to another dtype, laid out as torch's preserve_format says;  ∂/∂a = 1 (the engine casts
    the gradient back)."""

    backward_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, a, numpy_dtype):
        return a.astype(numpy_dtype, order=preserved_order(a))

    @staticmethod
    def backward(ctx, g):
        return g, None


class Clone(Function):
    """out = a copied, laid out as a when a is dense (torch's preserve_format: a transposed matrix stays
    transposed), else contiguous;  ∂/∂a = 1."""

    @staticmethod
    def forward(ctx, a):
        return a.copy(order=preserved_order(a))

    @staticmethod
    def backward(ctx, g):
        return g


class Contiguous(Clone):
    """out = a copied row after row (torch's ``contiguous()`` of a non-contiguous tensor: a clone in
    contiguous_format, recorded as a clone);  ∂/∂a = 1."""

    backward_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, a):
        return a.copy()
