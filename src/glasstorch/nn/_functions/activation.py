"""Activation Functions whose derivative at a kink, or whose stable form, a composition would not give.

``a`` is the input array, ``g`` the gradient of the output. Sigmoid, tanh, ReLU, softmax and log-softmax are core
primitives already (``glasstorch._functions``).
"""
from __future__ import annotations

import math

from ..._backend import np
from ...autograd.function import Function
from ...autograd.function import needs_grad as _needs
from .special import erf


class LeakyRelu(Function):
    """f(x) = x for x > 0, slope·x otherwise;  f'(x) = 1 for x > 0, slope for x ≤ 0 (torch: slope at 0)."""

    @staticmethod
    def forward(ctx, a, slope):
        ctx.save_for_backward(a)
        ctx.slope = slope
        return np.where(a > 0, a, a * slope)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return np.where(a > 0, g, g * ctx.slope), None


class PreluKernel(Function):
    """f(x) = x for x > 0, w·x otherwise, with a learnable w per channel (dim 1; dim 0 of a 1-D input);
    ∂f/∂x = 1 for x > 0 else w (w at 0),  ∂f/∂w = 0 for x > 0 else x."""

    @staticmethod
    def forward(ctx, a, weight):
        shape = [1] * a.ndim
        if weight.size > 1:
            shape[1 if a.ndim >= 2 else 0] = weight.size
        w = weight.reshape(shape) if a.ndim else weight.reshape(())
        ctx.save_for_backward(a, w)
        ctx.weight_shape = weight.shape
        return np.where(a > 0, a, w * a)

    @staticmethod
    def backward(ctx, g):
        a, w = ctx.saved_tensors
        positive = a > 0
        grad_a = np.where(positive, g, w * g) if _needs(ctx, 0) else None
        grad_w = None
        if _needs(ctx, 1):
            per_element = np.where(positive, 0, a * g)
            axes = tuple(i for i in range(a.ndim) if w.ndim == 0 or w.shape[i] == 1)
            grad_w = per_element.sum(axis=axes).reshape(ctx.weight_shape)
        return grad_a, grad_w


class RreluWithNoise(Function):
    """f(x) = x·r with r = 1 for x > 0 and, for x ≤ 0, r ~ U(lower, upper) in training or (lower+upper)/2 in eval
    (``noise`` holds r);  f'(x) = r."""

    @staticmethod
    def forward(ctx, a, noise):
        ctx.save_for_backward(noise)
        return a * noise

    @staticmethod
    def backward(ctx, g):
        (noise,) = ctx.saved_tensors
        return g * noise, None


def _exp(exp, z: np.ndarray, may_overflow: bool) -> np.ndarray:
    """``exp(z)`` (np.exp or np.expm1); where z may be large (CELU with α < 0) an overflow gives inf silently, as torch."""
    if may_overflow:
        with np.errstate(over="ignore"):
            return exp(z)
    return exp(z)


class Elu(Function):
    """f(x) = s·x for x > 0, s·α(e^(κx) − 1) otherwise (scale s, input_scale κ; ELU: s = κ = 1);
    f'(x) = s for x > 0, s·α·κ·e^(κx) for x ≤ 0 (so s·α·κ at 0, as torch).

    SELU is s = 1.0507009873554805, α = 1.6732632423543772, κ = 1 (torch names its node EluBackward0 too).
    """

    @staticmethod
    def forward(ctx, a, alpha, scale, input_scale):
        ctx.save_for_backward(a)
        ctx.alpha, ctx.scale, ctx.input_scale = alpha, scale, input_scale
        negative = (alpha * scale) * _exp(np.expm1, np.minimum(a, 0) * input_scale, input_scale < 0)
        return np.where(a > 0, a if scale == 1 else a * scale, negative)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        slope = (ctx.alpha * ctx.scale * ctx.input_scale) * _exp(np.exp, np.minimum(a, 0) * ctx.input_scale,
                                                                  ctx.input_scale < 0)
        return np.where(a > 0, g if ctx.scale == 1 else g * ctx.scale, g * slope), None, None, None


class Celu(Elu):
    """CELU: f(x) = x for x > 0, α(e^(x/α) − 1) otherwise, i.e. ``Elu`` with s = 1, κ = 1/α;  f'(x) = 1 for x > 0,
    e^(x/α) for x ≤ 0 (1 at 0: CELU is C¹)."""

    @staticmethod
    def forward(ctx, a, alpha, scale, input_scale):
        out = Elu.forward(ctx, a, alpha, scale, input_scale)
        ctx.input_scale = 1.0 / float(np.float32(alpha))  # torch's backward takes κ = 1/α with α rounded to float32
        return out


_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class Gelu(Function):
    """f(x) = x·Φ(x) = x/2·(1 + erf(x/√2));  f'(x) = Φ(x) + x·φ(x) with φ(x) = e^(−x²/2)/√(2π).

    ``approximate="tanh"``: f(x) = x/2·(1 + tanh(u)), u = √(2/π)(x + 0.044715x³);
    f'(x) = (1 + tanh u)/2 + x/2·(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²).
    """

    @staticmethod
    def forward(ctx, a, approximate):
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        if approximate == "tanh":
            return 0.5 * a * (1 + np.tanh(_SQRT_2_OVER_PI * (a + 0.044715 * a * a * a)))
        return 0.5 * a * (1 + erf(a / _SQRT_2))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            t = np.tanh(_SQRT_2_OVER_PI * (a + 0.044715 * a * a * a))
            slope = 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * a * a)
        else:
            slope = 0.5 * (1 + erf(a / _SQRT_2)) + a * np.exp(-0.5 * a * a) * _INV_SQRT_2PI
        return g * slope, None


def _sigmoid(a: np.ndarray) -> np.ndarray:
    """1/(1 + e⁻ᵃ) from e^(−|a|), so no exponent overflows."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


class Silu(Function):
    """f(x) = x·σ(x) (swish);  f'(x) = σ(x)·(1 + x·(1 − σ(x)))."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * _sigmoid(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        s = _sigmoid(a)
        return g * s * (1 + a * (1 - s))


class Softplus(Function):
    """f(x) = (1/β)·ln(1 + e^(βx)), and x itself where βx > threshold (no overflow);
    f'(x) = σ(βx), and 1 where βx > threshold."""

    @staticmethod
    def forward(ctx, a, beta, threshold):
        ctx.save_for_backward(a)
        ctx.beta, ctx.threshold = beta, threshold
        z = a * beta
        return np.where(z > threshold, a, np.log1p(np.exp(np.minimum(z, threshold))) / beta)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        z = a * ctx.beta
        return np.where(z > ctx.threshold, g, g * _sigmoid(z)), None, None


class Hardtanh(Function):
    """f(x) = min(max(x, min_val), max_val);  f'(x) = 1 strictly inside (min_val, max_val), 0 elsewhere, the
    bounds included (torch's hardtanh; ReLU6 is hardtanh(0, 6))."""

    @staticmethod
    def forward(ctx, a, low, high):
        ctx.save_for_backward(a)
        ctx.low, ctx.high = low, high
        return np.clip(a, low, high).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return np.where((a > ctx.low) & (a < ctx.high), g, 0).astype(g.dtype, copy=False), None, None


class Mish(Function):
    """f(x) = x·tanh(softplus(x)), softplus(x) = ln(1 + eˣ) (no threshold, as torch's kernel; computed as
    logaddexp(0, x), so no exponent overflows);  with t = tanh(softplus(x)): f'(x) = t + x·σ(x)·(1 − t²)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * np.tanh(np.logaddexp(0, a))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        t = np.tanh(np.logaddexp(0, a))
        return g * (t + a * _sigmoid(a) * (1 - t * t))


class Hardswish(Function):
    """f(x) = x·min(max(x + 3, 0), 6)/6;  f'(x) = 0 for x ≤ −3, x/3 + 1/2 for −3 < x < 3, 1 for x ≥ 3
    (torch's choice at the kinks: 0 at −3, 1 at 3)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * np.clip(a + 3, 0, 6) / 6

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return np.where(a <= -3, 0, np.where(a >= 3, g, g * (a / 3 + 0.5))).astype(g.dtype, copy=False)


# torch's hardsigmoid backward multiplies by the float32 constant 1/6 in every dtype (float64 gradients included)
_ONE_SIXTH_FLOAT32 = float(np.float32(1.0) / np.float32(6.0))


class Hardsigmoid(Function):
    """f(x) = min(max(x + 3, 0), 6)/6;  f'(x) = 1/6 strictly inside (−3, 3), 0 elsewhere (bounds included; 1/6 rounded
    to float32, as torch)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.clip(a + 3, 0, 6) / 6

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return np.where((a > -3) & (a < 3), g * _ONE_SIXTH_FLOAT32, 0).astype(g.dtype, copy=False)


class LogSigmoid(Function):
    """f(x) = ln σ(x) = −softplus(−x), computed as min(x, 0) − ln(1 + e^(−|x|)) (stable for any |x|);
    f'(x) = 1 − σ(x) = σ(−x)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * _sigmoid(-a)


class Threshold(Function):
    """f(x) = x for x > threshold, value otherwise (both cast to the input's dtype first, as torch: an integer
    tensor truncates them);  f'(x) = 1 for x > threshold, 0 otherwise (0 at the threshold)."""

    @staticmethod
    def forward(ctx, a, threshold, value):
        threshold = np.array(threshold).astype(a.dtype)
        ctx.save_for_backward(a)
        ctx.threshold = threshold
        return np.where(a > threshold, a, np.array(value).astype(a.dtype))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return np.where(a > ctx.threshold, g, 0).astype(g.dtype, copy=False), None, None


class Glu(Function):
    """GLU: the input split in halves a, b along ``axis``, f = a·σ(b);
    ∂f/∂a = σ(b),  ∂f/∂b = a·σ(b)·(1 − σ(b))."""

    @staticmethod
    def forward(ctx, x, axis):
        first, second = np.split(x, 2, axis=axis)
        gate = _sigmoid(second)
        ctx.save_for_backward(first, gate)
        ctx.axis = axis
        return first * gate

    @staticmethod
    def backward(ctx, g):
        first, gate = ctx.saved_tensors
        grad_first = g * gate
        return np.concatenate([grad_first, grad_first * first * (1 - gate)], axis=ctx.axis), None
