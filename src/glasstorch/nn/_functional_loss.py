"""The loss functions of ``nn.functional``: argument checks worded as torch's, then one fused Function each
(``_functions.loss``), or a composition where torch composes too (``l1_loss``).

``reduction``: "mean" (default), "sum" or "none" (the per-sample losses). The deprecated ``size_average`` and
``reduce`` arguments still work and warn, as in torch.
"""
from __future__ import annotations

import warnings

from .. import _dtype
from .._backend import np
from .._dims import broadcast_error
from .._dtype import legacy_name as _legacy
from .._tensor import Tensor
from ._functions import loss as _loss

__all__ = ["cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "l1_loss",
           "mse_loss", "smooth_l1_loss", "huber_loss", "reduction_string"]

_DIFFERENT_SIZE = ("Using a target size ({}) that is different to the input size ({}). This will likely lead to "
                   "incorrect results due to broadcasting. Please ensure they have the same size.")


def reduction_string(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """The reduction to apply, from the current argument or the two deprecated ones (with torch's warning)."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
                      "instead.", stacklevel=3)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.", stacklevel=3)
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _floating(input: Tensor, kernel: str) -> None:  # noqa: A002
    if input._data.dtype.kind != "f":
        raise _dtype.not_implemented_for(kernel, input)


def _same_floating(input: Tensor, target: Tensor, kernel: str | None):  # noqa: A002
    """input and target in their common dtype (torch promotes: float32 with int64 or float64 targets, an int input
    with a float target); torch's NotImplementedError naming ``kernel`` when that dtype is not floating."""
    a, b = input._data.dtype, target._data.dtype
    common = a if a == b else _dtype.promote(input._data, target._data)
    if kernel is not None and common.kind != "f":
        raise _dtype.not_implemented_for(kernel, input)
    if a == b:
        return input, target
    return (input if a == common else input.to(common)), (target if b == common else target.to(common))


def _check_class_weight(weight: Tensor | None, classes: int, input: Tensor, prefix: str = "") -> None:  # noqa: A002
    if weight is None:
        return
    if weight.dim() != 1 or weight.numel() != classes:
        raise RuntimeError(f"{prefix}weight tensor should be defined either for all {classes} classes or no classes "
                           f"but got weight tensor of shape: {list(weight.shape)}")
    if weight._data.dtype != input._data.dtype:
        raise RuntimeError(f"expected scalar type {_legacy(input)} but found {_legacy(weight)}")


def _check_class_targets(input: Tensor, target: Tensor, weight: Tensor | None) -> None:  # noqa: A002
    """torch's checks for class-index targets, in torch's order (dimensions, then sizes, dtype, weight)."""
    x, t = input._data, target._data
    if x.ndim == 2 and t.ndim == 1 and x.shape[0] == t.shape[0] and t.dtype == np.int64 and weight is None:
        return  # the common (N, C) case passes every check
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() != 1:
        target_batch = target.shape[0] if target.dim() else 0
        if input.shape[0] != target_batch:
            raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                             f"({target_batch}).")
    if input.dim() <= 2 and target.dim() > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.dim() == 3 and target.shape != (input.shape[0],) + tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {[input.shape[0], *input.shape[2:]]}, got {list(target.shape)}")
    if input.dim() > 3 and target.shape != (input.shape[0],) + tuple(input.shape[2:]):
        raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}")
    if target._data.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_legacy(target)}")
    _check_class_weight(weight, input.shape[1] if input.dim() > 1 else input.shape[0], input)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
                  size_average: bool | None = None, ignore_index: int = -100, reduce: bool | None = None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """The course's softmax loss  L = −Σ_c y_c·log softmax(z)_c,  for logits z of shape (C), (N, C) or (N, C, d1...).

    ``target``: int64 class indices of shape (N) (``weight`` per class, ``ignore_index`` = -100 skipped, "mean"
    divides by the summed weights of the kept samples), or float class probabilities / one-hot rows of the logits'
    shape ("mean" divides by N). ``label_smoothing`` ε mixes the target with the uniform distribution: (1−ε)y + ε/C.
    ∂L/∂z = softmax(z) − y (weighted). log-softmax and NLL run as one fused, stable node (NllLossBackward0).
    """
    reduction = reduction_string(size_average, reduce, reduction)
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input._data.shape == target._data.shape:
        if target._data.dtype.kind != "f":
            raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                               f"{_legacy(target)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        _floating(input, "log_softmax_lastdim_kernel_impl")
        _check_class_weight(weight, input.shape[1] if input.dim() > 1 else input.shape[0], input, "cross_entropy: ")
        input, target = _same_floating(input, target, "log_softmax_lastdim_kernel_impl")
        return _loss.CrossEntropyProbabilities.apply(input, target, weight, float(label_smoothing), reduction)
    _check_class_targets(input, target, weight)
    _floating(input, "log_softmax_lastdim_kernel_impl")
    return _loss.CrossEntropy.apply(input, target, weight, int(ignore_index), float(label_smoothing), reduction)


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
             size_average: bool | None = None, ignore_index: int = -100, reduce: bool | None = None,
             reduction: str = "mean") -> Tensor:
    """Negative log likelihood of log-probabilities x (log_softmax output):  L_i = −w_{y_i}·x_{i,y_i};
    "mean" divides by Σ w_{y_i} over samples not equal to ``ignore_index`` (-100).  ∂L/∂x_{i,y_i} = −w_{y_i}."""
    reduction = reduction_string(size_average, reduce, reduction)
    _check_class_targets(input, target, weight)
    _floating(input, "nll_loss_forward_reduce_cuda_kernel_2d_index")
    return _loss.NllLoss.apply(input, target, weight, int(ignore_index), reduction)


def _expanded_weight(weight: Tensor | None, shape: tuple) -> Tensor | None:
    if weight is None or weight.shape == shape:
        return weight
    try:
        broadcast = np.broadcast_shapes(weight.shape, shape)
    except ValueError:
        broadcast = None
    if broadcast != tuple(shape):
        raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape "
                           f"{list(broadcast) if broadcast else list(weight.shape)}")
    return weight


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """The course's binary cross entropy on probabilities x ∈ [0, 1]:  L = −w·(y·log x + (1 − y)·log(1 − x)),
    each log clamped at −100 (torch);  ∂L/∂x = w·(x − y)/(x(1 − x))."""
    reduction = reduction_string(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input size "
                         f"({input.size()}) is deprecated. Please ensure they have the same size.")
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(f"Found dtype {_legacy(target)} but expected {_legacy(input)}")
    _floating(input, "binary_cross_entropy")
    x, y = input._data, target._data
    if x.size and not ((x >= 0) & (x <= 1)).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    if y.size and not ((y >= 0) & (y <= 1)).all():
        raise RuntimeError("all elements of target should be between 0 and 1")
    weight = _expanded_weight(weight, tuple(target.shape))
    return _loss.BinaryCrossEntropy.apply(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,  # noqa: A002
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean", pos_weight: Tensor | None = None) -> Tensor:
    """Sigmoid and BCE in one stable node:  L = w·[(1 − y)x + (1 + (pos_weight − 1)y)·log(1 + e⁻ˣ)];
    ``pos_weight`` (per class, broadcast along the last dim) weighs the positive examples.  ∂L/∂x = w·(σ(x) − y)
    without pos_weight."""
    reduction = reduction_string(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    if target._data.dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type {_legacy(target)}")
    _floating(input, "log_sigmoid_cpu")
    input, target = _same_floating(input, target, "log_sigmoid_cpu")
    weight = _expanded_weight(weight, tuple(target.shape))
    mismatch = pos_weight is not None and broadcast_error(pos_weight._data.shape, input._data.shape)
    if mismatch:
        raise RuntimeError(mismatch)
    return _loss.BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


def _pointwise_inputs(input: Tensor, target: Tensor, kernel: str | None):  # noqa: A002
    """Shapes that differ warn as torch does, and fail as torch does when they do not broadcast."""
    if target.shape != input.shape:
        warnings.warn(_DIFFERENT_SIZE.format(target.size(), input.size()), stacklevel=3)
        mismatch = broadcast_error(input._data.shape, target._data.shape)
        if mismatch:
            raise RuntimeError(mismatch)
    return _same_floating(input, target, kernel)


def _weighted(per_element: Tensor, weight: Tensor, input: Tensor, reduction: str, mean_by_weight: bool) -> Tensor:  # noqa: A002
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    weighted = per_element * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / weight.sum() if mean_by_weight else weighted.mean()


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,  # noqa: A002
            reduce: bool | None = None, reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean absolute error  L = |x − y|;  ∂L/∂x = sign(x − y) (0 where equal). With ``weight`` (same shape),
    "mean" divides by Σ weight (torch 2.13)."""
    reduction = reduction_string(size_average, reduce, reduction)
    input, target = _pointwise_inputs(input, target, None)  # (ints go on: mean() refuses them as torch does)
    per_element = (input - target).abs()
    if weight is not None:
        return _weighted(per_element, weight, input, reduction, True)
    if reduction == "none":
        return per_element
    return per_element.sum() if reduction == "sum" else per_element.mean()


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,  # noqa: A002
             reduce: bool | None = None, reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """Mean squared error  L = (x − y)²;  ∂L/∂x = 2(x − y). One fused node (MseLossBackward0). With ``weight`` (same
    shape), "mean" divides by Σ weight (torch 2.13)."""
    reduction = reduction_string(size_average, reduce, reduction)
    input, target = _pointwise_inputs(input, target, "mse_cpu")
    if weight is not None:
        return _weighted(_loss.MseLoss.apply(input, target, "none"), weight, input, reduction, True)
    return _loss.MseLoss.apply(input, target, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,  # noqa: A002
                   reduce: bool | None = None, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """L = 0.5·d²/β for |d| < β, |d| − 0.5β otherwise (d = x − y, β = 1.0; β = 0 is the L1 loss);
    ∂L/∂x = d/β inside, sign(d) outside."""
    reduction = reduction_string(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        return l1_loss(input, target, reduction=reduction)
    input, target = _pointwise_inputs(input, target, "smooth_l1_cpu")
    return _loss.SmoothL1Loss.apply(input, target, float(beta), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,  # noqa: A002
               weight: Tensor | None = None) -> Tensor:
    """L = 0.5·d² for |d| < δ, δ·(|d| − 0.5δ) otherwise (d = x − y, δ = 1.0);  ∂L/∂x = d inside, δ·sign(d) outside.
    With ``weight`` (same shape), "mean" is the plain mean of the weighted losses (torch 2.13)."""
    reduction = reduction_string(None, None, reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if input._data.dtype.kind != "f" and target._data.dtype.kind == "f":
        raise RuntimeError(f"result type {_legacy(target)} can't be cast to the desired output type {_legacy(input)}")
    input, target = _pointwise_inputs(input, target, "huber_cpu")
    if weight is not None:
        return _weighted(_loss.HuberLoss.apply(input, target, float(delta), "none"), weight, input, reduction, False)
    return _loss.HuberLoss.apply(input, target, float(delta), reduction)
