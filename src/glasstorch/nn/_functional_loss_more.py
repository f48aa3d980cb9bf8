"""The less common losses and distances of ``nn.functional``: KL divergence, cosine similarity, pairwise distance,
normalize, the margin and embedding losses, and the Poisson and Gaussian negative log likelihoods.

Each is composed from differentiable tensor operations as torch composes it (so the gradients come free and match
torch's, kinks included), except ``xlogy`` and the soft margin loss (``_functions.loss_more``). ``reduction``:
"mean" (default), "sum" or "none"; the deprecated ``size_average``/``reduce`` still work and warn, where torch's
function takes them.
"""
from __future__ import annotations

import math
import warnings

from .. import _dtype
from .._backend import np
from .._creation import ones_like, zeros_like
from .._dims import broadcast_error
from .._dtype import legacy_name as _legacy
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ..autograd.grad_mode import state as _grad
from ._functional_loss import reduction_string
from ._functions import activation as _act
from ._functions import loss_more as _more

__all__ = ["kl_div", "cosine_similarity", "pairwise_distance", "normalize", "margin_ranking_loss",
           "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss", "cosine_embedding_loss",
           "poisson_nll_loss", "gaussian_nll_loss", "triplet_margin_loss", "kl_div_enum"]

_KL_MEAN_WARNING = ("reduction: 'mean' divides the total loss by both the batch size and the support size."
                    "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                    "'mean' will be changed to behave the same as 'batchmean' in the next major release.")
_EPSILON = 1e-12  # torch's constant in cosine_embedding_loss


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """torch's apply_loss_reduction: the mean or the sum of every element, or the losses themselves."""
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _clamped_in_place(t: Tensor, eps: float) -> Tensor:
    """A copy of ``t`` clamped below at ``eps`` without autograd seeing the clamp (torch's ``clone()`` then
    ``clamp_min_`` under ``no_grad``): the gradient flows on into ``t`` as if unclamped."""
    out = t.clone()
    with no_grad():
        out.clamp_(min=eps)
    return out


# ---- divergence and distances --------------------------------------------------------------------------------------

def _kl_pointwise(input: Tensor, target: Tensor, reduction: str, log_target: bool) -> Tensor:  # noqa: A002
    if input._data.dtype.kind in "biu" or target._data.dtype.kind in "biu":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = _more.Xlogy.apply(target, target) - target * input
    return _reduce(loss, reduction)


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,  # noqa: A002
           reduce: bool | None = None, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence of the target distribution y from the prediction, given as log-probabilities x:
    ℓ = y·(log y − x) (0 where y = 0), or e^y·(y − x) with ``log_target`` (y given as log-probabilities).
    ∂ℓ/∂x = −y (−e^y);  ∂ℓ/∂y = log y + 1 − x ((1 + y − x)·e^y).
    ``reduction``: "mean" (default; divides by every element and warns, as torch), "batchmean" (the true KL
    divergence: the sum divided by the batch size, input.size(0)), "sum" or "none"."""
    if size_average is not None or reduce is not None:
        applied = reduction_string(size_average, reduce, reduction)
    else:
        if reduction == "mean":
            warnings.warn(_KL_MEAN_WARNING, stacklevel=2)
        applied = "sum" if reduction == "batchmean" else reduction_string(None, None, reduction)
    reduced = _kl_pointwise(input, target, applied, log_target)
    if reduction == "batchmean" and input.dim() != 0:
        reduced = reduced / input.size()[0]
    return reduced


def kl_div_enum(input: Tensor, target: Tensor, reduction: int = 0, *, log_target: bool = False) -> Tensor:  # noqa: A002
    """``glasstorch.kl_div``: torch's low-level op, ``reduction`` an integer (1 mean, 2 sum, anything else none).
    torch's schema names Mean as the default, but torch 2.13's Python binding does not reduce when it is left out;
    glasstorch gives what torch gives."""
    if type(reduction) is not int:
        raise TypeError(f"kl_div(): argument 'reduction' (position 3) must be int, not {type(reduction).__name__}")
    return _kl_pointwise(input, target, {1: "mean", 2: "sum"}.get(reduction, "none"), log_target)


def _broadcast_pair(x1: Tensor, x2: Tensor):
    shape1, shape2 = tuple(x1.shape), tuple(x2.shape)
    if shape1 == shape2:
        return x1, x2
    message = broadcast_error(shape1, shape2)
    if message:
        raise RuntimeError(message)
    shape = np.broadcast_shapes(shape1, shape2)
    return (x1 if shape1 == shape else x1.expand(*shape)), (x2 if shape2 == shape else x2.expand(*shape))


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """cos(x₁, x₂) = Σ (x₁/max(‖x₁‖, ε))·(x₂/max(‖x₂‖, ε)) along ``dim`` (1), ε = 1e-8; inputs broadcast.
    Each vector is divided by its norm first, as torch does (|cos| ≤ 1, no overflow of x₁·x₂). The clamp at ε is
    invisible to autograd (as torch): ∂cos/∂x₁ = x̂₂/‖x₁‖ − cos·x₁/‖x₁‖² away from the clamp."""
    a, b = x1._data.dtype, x2._data.dtype
    common = _dtype.promote(x1._data, x2._data)
    if common.kind != "f":
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{_dtype.LEGACY_NAMES.get(common.name, common.name)}")
    x1 = x1.to(common) if a.kind in "biu" else x1
    x2 = x2.to(common) if b.kind in "biu" else x2
    x1, x2 = _broadcast_pair(x1, x2)
    norm1 = _clamped_in_place(x1.norm(2, dim, keepdim=True), eps)
    norm2 = _clamped_in_place(x2.norm(2, dim, keepdim=True), eps)
    return ((x1 / norm1) * (x2 / norm2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """d(x₁, x₂) = ‖x₁ − x₂ + ε‖_p along the last dimension (p = 2, ε = 1e-6); inputs broadcast.
    ∂d/∂x₁ = −∂d/∂x₂ = the p-norm's gradient (for p = 2: (x₁ − x₂ + ε)/d, 0 where d = 0)."""
    diff = x1 - x2 + eps
    if max(x1.dim(), x2.dim()) == 0:
        return diff.reshape(1).norm(p, 0)  # torch: a scalar is its own 1-element vector; keepdim keeps ()
    return diff.norm(p, -1, keepdim)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12,  # noqa: A002
              out: Tensor | None = None) -> Tensor:
    """v / max(‖v‖_p, ε) for each vector v along ``dim`` (p = 2, dim = 1, ε = 1e-12). Composed (DivBackward0), so
    ∂ flows through the norm as well: for p = 2, (g − v̂·Σ g·v̂)/‖v‖ where ‖v‖ > ε."""
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    if out is None:
        return input / denom
    if _grad.enabled and (input.requires_grad or out.requires_grad):
        raise RuntimeError("div(): functions with out=... arguments don't support automatic differentiation, but one "
                           "of the arguments requires grad.")
    return out.copy_(input / denom)


# ---- margin and embedding losses -----------------------------------------------------------------------------------

def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """ℓ = max(0, −y·(x₁ − x₂) + margin) (y = 1: x₁ should rank higher, y = −1: x₂; margin = 0);
    ∂ℓ/∂x₁ = −y, ∂ℓ/∂x₂ = y where the hinge is active (≥ 0, as torch's clamp_min), else 0."""
    reduction = reduction_string(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    return _reduce((-target * (input1 - input2) + float(margin)).clamp_min(0), reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,  # noqa: A002
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """ℓ = x where y = 1, max(0, margin − x) where y = −1 (margin = 1.0; other y get both terms, as torch);
    ∂ℓ/∂x = 1, or −1 where the hinge is active. An integer input keeps its dtype (the margin truncated), as torch."""
    reduction = reduction_string(size_average, reduce, reduction)
    if input._data.dtype.kind in "biu":
        margin = int(margin)
    zeros = zeros_like(input)
    hinge = (margin - input).clamp_min(0)
    output = hinge.where(target != 1, zeros) + input.where(target != -1, zeros)
    return _reduce(output, reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,  # noqa: A002
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """ℓ = log(1 + e^(−y·x)) (y = ±1): the logistic loss of a two-class margin;  ∂ℓ/∂x = −y·σ(−y·x).
    One node (SoftMarginLossBackward0); torch gives no gradient for the target and refuses one that needs it."""
    reduction = reduction_string(size_average, reduce, reduction)
    shape, target_shape = tuple(input.shape), tuple(target.shape)
    if target_shape != shape:
        message = broadcast_error(shape, target_shape)
        if message:
            raise RuntimeError(message)
        broadcast = tuple(np.broadcast_shapes(shape, target_shape))
        if broadcast != shape:
            raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape {list(broadcast)}")
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type {_legacy(input)}")
    if _grad.enabled and target.requires_grad:
        raise RuntimeError("The function 'soft_margin_loss' is not differentiable with respect to argument 'target'. "
                           "This input cannot have requires_grad True.")
    return _more.SoftMarginLoss.apply(input, target, reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """One binary cross entropy per class on logits x, averaged over the C classes (the last dimension):
    ℓ = −(1/C) Σ_c w_c·[y_c·log σ(x_c) + (1 − y_c)·log σ(−x_c)];  ∂ℓ/∂x_c = w_c·(σ(x_c) − y_c)/C."""
    if size_average is not None or reduce is not None:
        reduction = reduction_string(size_average, reduce, reduction)
    if input._data.dtype.kind != "f":
        raise _dtype.not_implemented_for("log_sigmoid_cpu", input)
    loss = -(target * _act.LogSigmoid.apply(input) + (1 - target) * _act.LogSigmoid.apply(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    if class_dim < 0:
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(f"{reduction} is not valid")


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """ℓ = 1 − cos(x₁, x₂) where y = 1, max(0, cos(x₁, x₂) − margin) where y = −1 (margin = 0), with
    cos = x₁·x₂ / √((‖x₁‖² + 1e-12)(‖x₂‖² + 1e-12)) along the last dimension (as torch computes it).
    Inputs (N, D) with target (N), or (D) with a 0-d target."""
    reduction = reduction_string(size_average, reduce, reduction)
    target_dim = target.dim()
    if target_dim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    expected = 2 if target_dim == 1 else 1
    if input1.dim() != expected or input2.dim() != expected:
        raise RuntimeError(f"{target_dim}D target tensor expects {expected}D input tensors, but found inputs with "
                           f"sizes {list(input1.shape)} and {list(input2.shape)}.")
    products = (input1 * input2).sum(target_dim)
    squares1 = (input1 * input1).sum(target_dim) + _EPSILON
    squares2 = (input2 * input2).sum(target_dim) + _EPSILON
    cos = products / (squares1 * squares2).sqrt()
    zeros = zeros_like(cos)
    positive = (1 - cos).where(target == 1, zeros)
    negative = (cos - float(margin)).clamp_min(0).where(target == -1, zeros)
    return _reduce(positive + negative, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """ℓ = max(0, d(a, p) − d(a, n) + margin), d the ``pairwise_distance`` (p = 2, ε = 1e-6; margin = 1.0);
    ``swap``: d(a, n) is replaced by min(d(a, n), d(p, n)). ∂: through the distances where the hinge is active."""
    reduction = reduction_string(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if not dims[0] == dims[1] == dims[2]:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {dims[0]}D, positive {dims[1]}D, and negative {dims[2]}D "
                           f"inputs")
    distance_positive = pairwise_distance(anchor, positive, p, eps)
    distance_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        distance_negative = distance_negative.minimum(pairwise_distance(positive, negative, p, eps))
    return _reduce((float(margin) + distance_positive - distance_negative).clamp_min(0), reduction)


# ---- likelihoods ---------------------------------------------------------------------------------------------------

def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,  # noqa: A002
                     size_average: bool | None = None, eps: float = 1e-8, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """Negative log likelihood of counts y under a Poisson distribution of rate λ:
    ℓ = e^x − y·x with ``log_input`` (x = log λ, default), else x − y·log(x + eps) (x = λ, eps = 1e-8);
    ``full`` adds Stirling's term y·log y − y + ½·log(2πy) where y > 1.  ∂ℓ/∂x = e^x − y, or 1 − y/(x + eps)."""
    if size_average is not None or reduce is not None:
        reduction = reduction_string(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        with np.errstate(divide="ignore", invalid="ignore"):  # 0·log 0 = NaN where the mask drops it, silently
            stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduce(loss, reduction)


def _gaussian_variance(var, input: Tensor) -> Tensor:  # noqa: A002
    """torch's checks and shapes for ``var``: a float, a tensor of the input's shape, or one broadcastable to it
    with one dimension of size 1 (or missing last)."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ones_like(input)
    elif isinstance(var, Tensor):
        if (var < 0).any():
            raise ValueError("var has negative entry/entries")
    else:
        raise TypeError(f"any() received an invalid combination of arguments - got ({type(var < 0).__name__}), but "
                        "expected one of:\n * (Tensor input, *, Tensor out = None)\n * (Tensor input, tuple of ints "
                        "dim = None, bool keepdim = False, *, Tensor out = None)\n * (Tensor input, int dim, bool "
                        "keepdim = False, *, Tensor out = None)\n")
    input_shape, var_shape = tuple(input.shape), tuple(var.shape)
    if var_shape != input_shape:
        if input_shape[:-1] == var_shape:
            var = var.unsqueeze(-1)
        elif not (len(input_shape) == len(var_shape)
                  and sum(v for i, v in zip(input_shape, var_shape) if i != v) == 1):
            raise ValueError("var is of incorrect size")
    return var


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False,  # noqa: A002
                      eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """Negative log likelihood of y under N(μ = x, σ² = var): ℓ = ½·(log max(var, eps) + (x − y)²/max(var, eps)),
    plus ½·log 2π with ``full`` (eps = 1e-6; the clamp is invisible to autograd, as torch).
    ∂ℓ/∂x = (x − y)/var;  ∂ℓ/∂var = ½·(1/var − (x − y)²/var²)."""
    var = _gaussian_variance(var, input)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not valid")
    var = _clamped_in_place(var, eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)
