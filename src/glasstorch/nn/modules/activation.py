"""Activation layers: each is a Module around the ``nn.functional`` function of the same name; the formulas and
derivatives are in those functions' docstrings. Defaults and reprs follow torch."""
from __future__ import annotations

import warnings

from ..._creation import full
from ..._tensor import Tensor
from .. import functional as F
from .._functional_layers import require_tensor
from ..parameter import Parameter
from .module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU", "ReLU6", "LeakyReLU", "PReLU", "RReLU", "ELU", "GELU", "SiLU", "Softplus",
           "Hardtanh", "Softmax", "LogSoftmax", "Softmin", "SELU", "CELU", "Softsign", "Mish", "Hardswish",
           "Hardsigmoid", "LogSigmoid", "Tanhshrink", "Threshold", "GLU", "Softmax2d"]


def _inplace_note(inplace: bool, leading: str = ", ") -> str:
    return leading + "inplace=True" if inplace else ""


class Sigmoid(Module):
    """σ(x) = 1/(1 + e⁻ˣ), output in (0, 1);  σ' = σ(1 − σ) (at most 0.25: gradients vanish in deep stacks)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return input.sigmoid()


class Tanh(Module):
    """tanh(x) = (1 − e⁻²ˣ)/(1 + e⁻²ˣ), output in (−1, 1), zero-centred;  tanh' = 1 − tanh²."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return input.tanh()


class ReLU(Module):
    """ReLU(x) = max(0, x);  ReLU'(x) = 1 for x > 0, 0 for x ≤ 0 (torch takes 0 at the kink)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        try:  # (a bare call, not F.relu: this is every network's hot path)
            return input.relu_() if self.inplace else input.relu()
        except AttributeError:
            require_tensor(input, "relu")
            raise

    def extra_repr(self) -> str:
        return _inplace_note(self.inplace, "")


class Hardtanh(Module):
    """Hardtanh(x) = clamp(x, min_val, max_val) (−1, 1);  derivative 1 strictly between the bounds, else 0."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None, max_value: float | None = None) -> None:
        super().__init__()
        if min_value is not None or max_value is not None:
            warnings.warn("keyword argument `min_value`/`max_value` is deprecated and will be removed in future "
                          "releases, please use `min_val`/`max_val` instead.", FutureWarning, stacklevel=2)
            min_val = min_val if min_value is None else min_value
            max_val = max_val if max_value is None else max_value
        if max_val <= min_val:
            raise AssertionError("max_val must be greater than min_val")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}" + _inplace_note(self.inplace)


class ReLU6(Hardtanh):
    """ReLU6(x) = min(max(0, x), 6);  derivative 1 on (0, 6), 0 elsewhere."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return _inplace_note(self.inplace, "")


class LeakyReLU(Module):
    """x for x > 0, negative_slope·x otherwise (0.01);  derivative 1 or negative_slope (negative_slope at 0)."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + _inplace_note(self.inplace)


class PReLU(Module):
    """LeakyReLU with a learnable slope a (``weight``, ``num_parameters`` of them: 1 shared or one per channel,
    initialised to ``init`` = 0.25);  ∂/∂x = 1 or a,  ∂/∂a = 0 or x."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(full((num_parameters,), float(init), dtype=dtype))

    def reset_parameters(self) -> None:
        self.weight.data.fill_(self.init)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """Randomized leaky ReLU: slope a ~ U(lower, upper) (1/8, 1/3) per negative element in training, the fixed
    (lower + upper)/2 in eval;  derivative 1 or a."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False) -> None:
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}" + _inplace_note(self.inplace)


class ELU(Module):
    """x for x > 0, α(eˣ − 1) otherwise (α = 1.0);  derivative 1 or αeˣ (α at 0)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + _inplace_note(self.inplace)


class GELU(Module):
    """x·Φ(x) (``approximate='none'``) or its tanh approximation (``'tanh'``)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """x·σ(x) (swish);  derivative σ(x)(1 + x(1 − σ(x)))."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.silu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return _inplace_note(self.inplace, "")


class Softplus(Module):
    """(1/β)·ln(1 + e^(βx)), linear above ``threshold`` (β = 1, threshold = 20);  derivative σ(βx)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class _SoftmaxFamily(Module):
    _function = staticmethod(F.softmax)

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return type(self)._function(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_SoftmaxFamily):
    """softmax(z)ᵢ = e^zᵢ/Σⱼ e^zⱼ along ``dim``: scores to probabilities summing to 1 (the output layer of a
    multi-class model; leave it out before CrossEntropyLoss, which applies log-softmax itself)."""

    _function = staticmethod(F.softmax)


class LogSoftmax(_SoftmaxFamily):
    """log softmax(z) along ``dim`` (stable); pair it with NLLLoss."""

    _function = staticmethod(F.log_softmax)


class Softmin(_SoftmaxFamily):
    """softmax(−z) along ``dim``."""

    _function = staticmethod(F.softmin)


class Softmax2d(Module):
    """Softmax over the channels (dim −3) at every spatial location of a (C, H, W) or (N, C, H, W) input."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead")
        return F.softmax(input, -3, _stacklevel=5)


class _InplaceActivation(Module):
    """An activation whose only argument is ``inplace`` (False); ``_function`` is its ``nn.functional`` form."""

    _function: staticmethod
    _shows_inplace = True  # torch's Hardswish and Hardsigmoid leave it out of their repr

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return type(self)._function(input, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_note(self.inplace, "") if self._shows_inplace else ""


class SELU(_InplaceActivation):
    """s·x for x > 0, s·α(eˣ − 1) otherwise (α ≈ 1.6733, s ≈ 1.0507: self-normalising);  derivative s or s·α·eˣ."""

    _function = staticmethod(F.selu)


class Mish(_InplaceActivation):
    """x·tanh(softplus(x));  derivative t + x·σ(x)(1 − t²) with t = tanh(softplus(x))."""

    _function = staticmethod(F.mish)


class Hardswish(_InplaceActivation):
    """x·ReLU6(x + 3)/6;  derivative 0 for x ≤ −3, x/3 + 1/2 on (−3, 3), 1 for x ≥ 3."""

    _function = staticmethod(F.hardswish)
    _shows_inplace = False


class Hardsigmoid(_InplaceActivation):
    """ReLU6(x + 3)/6;  derivative 1/6 strictly inside (−3, 3), 0 elsewhere."""

    _function = staticmethod(F.hardsigmoid)
    _shows_inplace = False


class CELU(Module):
    """x for x > 0, α(e^(x/α) − 1) otherwise (α = 1.0);  derivative 1 or e^(x/α)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + _inplace_note(self.inplace)


class Softsign(Module):
    """x/(1 + |x|);  derivative 1/(1 + |x|)²."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.softsign(input)


class LogSigmoid(Module):
    """ln σ(x) = −softplus(−x);  derivative σ(−x)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.logsigmoid(input)


class Tanhshrink(Module):
    """x − tanh(x);  derivative tanh²(x)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.tanhshrink(input)


class Threshold(Module):
    """x for x > threshold, ``value`` otherwise (no defaults, as torch);  derivative 1 above the threshold, else 0."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}" + _inplace_note(self.inplace)


class GLU(Module):
    """a·σ(b), a and b the halves of the input along ``dim`` (−1);  ∂/∂a = σ(b), ∂/∂b = a·σ(b)(1 − σ(b))."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
