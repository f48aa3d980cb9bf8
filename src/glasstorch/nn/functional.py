"""``glasstorch.nn.functional`` (``import glasstorch.nn.functional as F``): the layers and activations as functions.

Activations, ``linear``, ``softmax``/``log_softmax``, ``dropout``, ``batch_norm`` and ``one_hot`` live here; the losses
(``cross_entropy``, ``mse_loss``...) in ``_functional_loss``, ``layer_norm`` and ``embedding`` in ``_functional_layers``,
all re-exported. Every function follows torch's
signature, defaults, errors and numbers.
"""
from __future__ import annotations

import math
import warnings

from .. import _dims, _dtype
from .. import _random_kernels
from .. import random as _random
from .._backend import np
from .._functions import linalg as _linalg
from .._tensor import Tensor
from ..autograd.tensor_base import wrap
from ._functional_layers import embedding, layer_norm
from ._functional_layers import number_argument as _number
from ._functional_layers import require_tensor as _require_tensor
from .._dtype import legacy_name as _legacy
from ._functional_loss import _floating as _floating_only
from ._functional_loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, huber_loss,
                               l1_loss, mse_loss, nll_loss, smooth_l1_loss)
from ._functional_loss_more import (cosine_embedding_loss, cosine_similarity, gaussian_nll_loss,
                                    hinge_embedding_loss, kl_div, margin_ranking_loss, multilabel_soft_margin_loss,
                                    normalize, pairwise_distance, poisson_nll_loss, soft_margin_loss,
                                    triplet_margin_loss)
from ._functions import activation as _act
from ._functions.batchnorm import NativeBatchNorm
from ._functional_dropout import _check_probability, alpha_dropout, dropout1d, dropout2d, dropout3d, feature_alpha_dropout

from .._lazy import lazy_attributes, table

# beyond the course: loaded on first use (see glasstorch._lazy)
__getattr__, __dir__ = lazy_attributes(globals(), {
    **table("._functional_conv", "conv1d conv2d pad"),
    **table("._functional_pool", "adaptive_avg_pool1d adaptive_avg_pool2d adaptive_max_pool1d adaptive_max_pool2d "
                                 "avg_pool1d avg_pool2d max_pool1d max_pool2d"),
    **table("._functional_norm", "group_norm instance_norm local_response_norm"),
    **table("._functional_resample", "fold interpolate pixel_shuffle pixel_unshuffle unfold"),
    **table("._functional_attention", "multi_head_attention_forward scaled_dot_product_attention")})

__all__ = ["linear", "relu", "relu_", "sigmoid", "tanh", "leaky_relu", "prelu", "rrelu", "elu", "gelu", "silu",
           "softplus", "hardtanh", "relu6", "selu", "selu_", "celu", "celu_", "softsign", "mish", "hardswish",
           "hardsigmoid", "logsigmoid", "tanhshrink", "threshold", "threshold_", "glu", "softmax", "log_softmax",
           "softmin", "dropout", "batch_norm", "layer_norm", "embedding", "one_hot",
           "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "l1_loss",
           "mse_loss", "smooth_l1_loss", "huber_loss",
           "kl_div", "cosine_similarity", "pairwise_distance", "normalize", "margin_ranking_loss",
           "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss", "cosine_embedding_loss",
           "poisson_nll_loss", "gaussian_nll_loss", "triplet_margin_loss",
           "conv1d", "conv2d", "pad", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d",
           "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d"]
__all__ += ["group_norm", "instance_norm", "local_response_norm", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
            "feature_alpha_dropout", "interpolate", "pixel_shuffle", "pixel_unshuffle", "unfold", "fold",
            "scaled_dot_product_attention", "multi_head_attention_forward"]


def _in_place(input: Tensor, result: Tensor, node_name: str | None = None) -> Tensor:  # noqa: A002
    """``inplace=True``: input takes the result's values (and its place in the graph), as torch's ``relu_``...;
    ``node_name``: torch's name for the in-place node (``elu_`` → EluBackward1)."""
    out = input.copy_(result)
    if node_name is not None and out.grad_fn is not None:
        out.grad_fn.label = node_name
    return out


# ---- the fully connected layer -------------------------------------------------------------------------------------

def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """y = x Wᵀ + b (the course's z = Wx + b for each row x);  ∂y/∂x = W,  ∂L/∂W = gᵀx,  ∂L/∂b = Σ g.

    One fused node (torch's AddmmBackward0). RuntimeError with torch's words when the shapes or dtypes disagree.
    """
    if not _fits_fused_linear(input, weight, bias):  # torch's errors for shapes or dtypes that disagree; 1-D weights
        return _unfused_linear(input, weight, bias)
    return _linalg.Linear.apply(input, weight, bias)


# ---- activations ---------------------------------------------------------------------------------------------------

def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """ReLU(x) = max(0, x);  ReLU'(x) = 1 for x > 0, 0 otherwise (0 at the kink, as torch)."""
    try:
        return input.relu_() if inplace else input.relu()
    except AttributeError:
        _require_tensor(input, "relu")
        raise


def relu_(input: Tensor) -> Tensor:  # noqa: A002
    return input.relu_()


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """σ(x) = 1/(1 + e⁻ˣ);  σ'(x) = σ(x)(1 − σ(x))."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    """tanh(x) = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ);  tanh'(x) = 1 − tanh²(x)."""
    return input.tanh()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:  # noqa: A002
    """LeakyReLU(x) = x for x > 0, negative_slope·x otherwise (default 0.01);  derivative 1 or negative_slope
    (negative_slope at 0)."""
    _floating_only(input, "leaky_relu_cpu")
    out = _act.LeakyRelu.apply(input, _number(negative_slope, "leaky_relu", "negative_slope"))
    return _in_place(input, out, "LeakyReluBackward1") if inplace else out


def prelu(input: Tensor, weight: Tensor) -> Tensor:  # noqa: A002
    """PReLU(x) = x for x > 0, a·x otherwise, with a learnable per channel (dim 1);  ∂/∂x = 1 or a,  ∂/∂a = 0 or x."""
    if input.dim() == 0 and weight.numel() != 1:
        raise RuntimeError("Not allow zero-dim input tensor.")
    channels = input.shape[1] if input.dim() >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{weight.numel()} and channel size = {channels}.")
    return _act.PreluKernel.apply(input, weight)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,  # noqa: A002
          inplace: bool = False) -> Tensor:
    """Randomized leaky ReLU: x for x > 0, a·x otherwise, a ~ U(lower, upper) drawn per element in training and
    (lower + upper)/2 in evaluation (torch's functional default is ``training=False``);  derivative 1 or a."""
    _floating_only(input, "rrelu_with_noise_out_cpu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    x = input._data
    if training:  # torch draws a slope only where x <= 0, in memory order (see _random_kernels.rrelu_slopes)
        slopes = _random_kernels.rrelu_slopes(_random.default_generator, x, lower, upper)
    else:
        slopes = np.asarray((lower + upper) / 2, dtype=x.dtype)
    noise = np.where(x > 0, np.ones((), dtype=x.dtype), slopes)
    out = _act.RreluWithNoise.apply(input, noise)
    return _in_place(input, out, "RreluWithNoiseBackward1") if inplace else out


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """ELU(x) = x for x > 0, α(eˣ − 1) otherwise (α = 1.0);  ELU'(x) = 1 for x > 0, αeˣ otherwise (α at 0)."""
    _floating_only(input, "elu_cpu")
    out = _act.Elu.apply(input, _number(alpha, "elu", "alpha"), 1.0, 1.0)
    return _in_place(input, out, "EluBackward1") if inplace else out


def gelu(input: Tensor, approximate: str = "none") -> Tensor:  # noqa: A002
    """GELU(x) = x·Φ(x) (``approximate="tanh"``: x/2·(1 + tanh(√(2/π)(x + 0.044715x³))));  GELU' = Φ(x) + x·φ(x)."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _floating_only(input, "GeluKernelImpl")
    return _act.Gelu.apply(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """SiLU(x) = x·σ(x);  SiLU'(x) = σ(x)(1 + x(1 − σ(x)))."""
    _floating_only(input, "silu_cpu")
    out = _act.Silu.apply(input)
    return _in_place(input, out, "SiluBackward0") if inplace else out


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """Softplus(x) = (1/β)·ln(1 + e^(βx)), linear where βx > threshold (β = 1, threshold = 20);
    Softplus'(x) = σ(βx)."""
    _floating_only(input, "softplus_cpu")
    return _act.Softplus.apply(input, float(beta), float(threshold))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """Hardtanh(x) = min(max(x, min_val), max_val) (−1, 1);  derivative 1 strictly inside, 0 elsewhere."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if input._data.dtype == bool:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    out = _act.Hardtanh.apply(input, min_val, max_val)
    return _in_place(input, out, "HardtanhBackward0") if inplace else out


def relu6(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """ReLU6(x) = min(max(0, x), 6) = hardtanh(x, 0, 6);  derivative 1 on (0, 6), 0 elsewhere."""
    return hardtanh(input, 0.0, 6.0, inplace)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """SELU(x) = s·x for x > 0, s·α(eˣ − 1) otherwise, α = 1.6732632423543772, s = 1.0507009873554805 (self-normalising:
    keeps mean 0 and variance 1 through layers initialised for it);  SELU'(x) = s or s·α·eˣ (s·α at 0, as torch).
    torch computes it as ELU, so the node is EluBackward0 (EluBackward1 in place)."""
    _floating_only(input, "elu_cpu")
    out = _act.Elu.apply(input, _SELU_ALPHA, _SELU_SCALE, 1.0)
    return _in_place(input, out, "EluBackward1") if inplace else out


def selu_(input: Tensor) -> Tensor:  # noqa: A002
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """CELU(x) = x for x > 0, α(e^(x/α) − 1) otherwise (α = 1.0);  CELU'(x) = 1 or e^(x/α) (1 at 0).
    α = 0 raises torch's RuntimeError."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    _floating_only(input, "elu_cpu")
    out = _act.Celu.apply(input, float(alpha), 1.0, 1.0 / alpha)
    return _in_place(input, out, "CeluBackward1") if inplace else out


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:  # noqa: A002
    return celu(input, alpha, inplace=True)


def softsign(input: Tensor) -> Tensor:  # noqa: A002
    """Softsign(x) = x/(1 + |x|), output in (−1, 1);  Softsign'(x) = 1/(1 + |x|)². Composed (DivBackward0, as torch);
    an integer input gives a float result, as torch's true division."""
    if input._data.dtype.kind == "b":
        raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
    return input / (input.abs() + 1)


def mish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """Mish(x) = x·tanh(softplus(x));  Mish'(x) = t + x·σ(x)(1 − t²), t = tanh(softplus(x)) (0.6 at 0)."""
    _floating_only(input, "mish_cpu")
    out = _act.Mish.apply(input)
    return _in_place(input, out, "MishBackward0") if inplace else out


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """Hardswish(x) = x·ReLU6(x + 3)/6;  derivative 0 for x ≤ −3, x/3 + 1/2 on (−3, 3), 1 for x ≥ 3."""
    _floating_only(input, "hardswish_cpu")
    out = _act.Hardswish.apply(input)
    return _in_place(input, out, "HardswishBackward0") if inplace else out


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """Hardsigmoid(x) = ReLU6(x + 3)/6;  derivative 1/6 strictly inside (−3, 3), 0 elsewhere."""
    _floating_only(input, "hardsigmoid_cpu")
    out = _act.Hardsigmoid.apply(input)
    return _in_place(input, out, "HardsigmoidBackward0") if inplace else out


def logsigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """LogSigmoid(x) = ln σ(x) = −softplus(−x) (stable for any |x|);  derivative σ(−x) = 1 − σ(x)."""
    _floating_only(input, "log_sigmoid_cpu")
    return _act.LogSigmoid.apply(input)


def tanhshrink(input: Tensor) -> Tensor:  # noqa: A002
    """Tanhshrink(x) = x − tanh(x);  derivative tanh²(x). Composed (SubBackward0, as torch)."""
    if input._data.dtype.kind == "b":
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return input - input.tanh()


_C_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int32": "int"}


def _check_fits(number: float, dtype) -> None:
    """torch's error when a Python number cannot be converted to the tensor's dtype (a negative number wraps into
    an unsigned type unless its magnitude is too large, as c10's ``overflows``)."""
    if dtype.kind == "f":
        info, c_type = np.finfo(dtype), _C_TYPE_NAMES.get(dtype.name, dtype.name)
        too_big = math.isfinite(number) and abs(number) > float(info.max)
    else:
        info, c_type = np.iinfo(dtype), _C_TYPE_NAMES.get(dtype.name, dtype.name + "_t")
        low = -int(info.max) if info.min == 0 else int(info.min)
        too_big = not low <= number <= int(info.max)
    if too_big:
        raise RuntimeError(f"value cannot be converted to type {c_type} without overflow")


def _threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:  # noqa: A002
    """Threshold(x) = x for x > threshold, ``value`` otherwise (both cast to the input's dtype: integer tensors are
    accepted and truncate them);  derivative 1 for x > threshold, 0 otherwise (0 at the threshold)."""
    x = input._data
    if x.dtype.kind not in "fiu":
        raise _dtype.not_implemented_for("threshold_cpu", input)
    _check_fits(threshold, x.dtype)
    _check_fits(value, x.dtype)
    out = _act.Threshold.apply(input, threshold, value)
    return _in_place(input, out, "ThresholdBackward1") if inplace else out


threshold = _threshold  # (as torch: the parameter named ``threshold`` would shadow the function inside it)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:  # noqa: A002
    return _threshold(input, threshold, value, inplace=True)


def glu(input: Tensor, dim: int = -1) -> Tensor:  # noqa: A002
    """GLU(a, b) = a·σ(b), with a and b the two halves of ``input`` along ``dim`` (-1);  ∂/∂a = σ(b),
    ∂/∂b = a·σ(b)(1 − σ(b)). The output has half the input's size along ``dim``."""
    shape = input._data.shape
    if not shape:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = _dims.axis(dim, len(shape))
    if shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size {shape[axis]}")
    _floating_only(input, "glu_cpu")
    return _act.Glu.apply(input, axis)


def _implicit_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as "
                  "an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:  # noqa: A002
    """softmax(z)ᵢ = e^zᵢ / Σⱼ e^zⱼ along ``dim``;  ∂L/∂z = s·(g − Σ g·s)."""
    if dim is None:
        dim = _implicit_dim("softmax", input.dim(), _stacklevel)
    return input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:  # noqa: A002
    """log_softmax(z) = z − log Σ e^z along ``dim`` (stable);  ∂L/∂z = g − softmax(z)·Σ g."""
    if dim is None:
        dim = _implicit_dim("log_softmax", input.dim(), _stacklevel)
    return input.log_softmax(dim, dtype=dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:  # noqa: A002
    """softmin(z) = softmax(−z)."""
    if dim is None:
        dim = _implicit_dim("softmin", input.dim(), _stacklevel)
    return (-input).softmax(dim, dtype=dtype)


# ---- regularisation and normalisation ------------------------------------------------------------------------------

def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002
    """In training, zeroes each element with probability p and scales the survivors by 1/(1 − p), so the expected
    value is unchanged; returns ``input`` itself when not training or p = 0.  ∂: the same mask and scale."""
    _check_probability(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    x = input._data
    _require_float_mask_fits(input)
    if p == 1:
        mask = np.zeros(x.shape, dtype=x.dtype)
    else:  # Dropout.cpp: noise.bernoulli_(1 - p).div_(1 - p), then x * noise
        keep = _random_kernels.bernoulli_scalar(_random.default_generator, x.shape, 1.0 - p)
        mask = keep.astype(x.dtype) / x.dtype.type(1.0 - p)
    return input.mul_(wrap(mask)) if inplace else input * wrap(mask)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,  # noqa: A002
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """y = γ·(x − E[x])/√(Var[x] + ε) + β per channel (dim 1). Training uses the batch mean and biased variance and
    updates the running statistics in place (momentum 0.1; unbiased variance into running_var); evaluation uses the
    running statistics. See ``NativeBatchNorm`` for the derivative."""
    _check_batch_norm_args(input, running_mean, running_var, weight, bias, training, momentum)
    return NativeBatchNorm.apply(input, weight, bias, None if running_mean is None else running_mean._data,
                                 None if running_var is None else running_var._data, bool(training),
                                 float(momentum), float(eps))


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """The int64 one-hot encoding of class indices: shape (*, num_classes) (max + 1 classes when -1)."""
    data = tensor._data
    if data.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and data.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if data.size and data.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return wrap((data[..., None] == np.arange(num_classes)).astype(np.int64))


# ---- torch's argument checks and error wording for linear, dropout and batch_norm (parity plumbing, kept out of the
# functions above so that each reads as its formula) -------------------------------------------------------------------

def _fits_fused_linear(input: Tensor, weight: Tensor, bias: Tensor | None) -> bool:  # noqa: A002
    """Whether linear's arguments fit the fused node: a 2-D weight, x's last dimension its in_features, a bias of its
    out_features, one dtype (torch's TypeError for an argument that is not a tensor)."""
    try:
        x, w, b = input._data, weight._data, None if bias is None else bias._data
    except AttributeError:
        _require_tensor(input, "linear")
        _require_tensor(weight, "linear", "weight", 2)
        _require_tensor(bias, "linear", "bias", 3)
        raise
    dt = w.dtype  # (`is` first: one dtype is one object, and == costs more)
    return (w.ndim == 2 and x.ndim and x.shape[-1] == w.shape[1] and (x.dtype is dt or x.dtype == dt)  # (truthy)
            and (b is None or (b.ndim == 1 and b.shape[0] == w.shape[0] and (b.dtype is dt or b.dtype == dt))))


def _unfused_linear(input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:  # noqa: A002
    """linear's arguments that do not fit the fused node: torch's RuntimeError for shapes or dtypes that disagree,
    else x @ Wᵀ (+ b) as separate operations (a 1-D weight is a dot per row; t() refuses a 3-D one)."""
    x, w, b = input._data, weight._data, None if bias is None else bias._data
    if w.ndim == 2 and (x.ndim == 0 or x.shape[-1] != w.shape[1]):
        rows = int(np.prod(x.shape[:-1])) if x.ndim else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1] if x.ndim else 1} "
                           f"and {w.shape[1]}x{w.shape[0]})")
    if x.dtype != w.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_legacy(input)} and {_legacy(weight)}")
    if b is not None and b.dtype != w.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_legacy(bias)} and {_legacy(weight)}")
    out = input.matmul(weight if w.ndim == 1 else weight.t())
    return out if bias is None else out + bias


def _require_float_mask_fits(input: Tensor) -> None:  # noqa: A002
    """dropout's float mask cannot multiply an integer tensor in place of it: torch's RuntimeError."""
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type {_legacy(input)}")


def _check_batch_norm_args(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,  # noqa: A002
                           weight: Tensor | None, bias: Tensor | None, training: bool, momentum) -> None:
    """torch's errors for batch_norm: one value per channel in training, no running statistics in evaluation, a
    momentum of None, statistics or affine parameters not of one per channel, dtypes that differ."""
    channels = input.shape[1] if input.dim() > 1 else (input.shape[0] if input.dim() else 0)
    if training:
        count = input.numel() // max(channels, 1)
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.size()}")
    elif running_mean is None or running_var is None:
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be defined in evaluation mode")
    if momentum is None:
        raise TypeError("batch_norm(): argument 'momentum' (position 7) must be float, not NoneType")
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
    dtypes = {t._data.dtype for t in (input, weight, bias, running_mean, running_var) if t is not None}
    if len(dtypes) > 1:
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
