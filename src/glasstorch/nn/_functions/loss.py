"""Loss Functions, fused into one graph node each: the forward on ndarrays, and the gradient in closed form.

Shapes: the class dimension is axis 1 (axis 0 for an unbatched input); internally the logits are laid out as an
(M, C) matrix, one row per sample (and per spatial position for (N, C, d1, ...) inputs).
``reduction`` is "none", "mean" or "sum"; ``g`` is the gradient of the (reduced or per-sample) loss.
"""
from __future__ import annotations

from ..._backend import np
from ...autograd.function import AccumulateGrad, Function, GraphView
from ...autograd.function import needs_grad as _needs


def _rows(a: np.ndarray) -> np.ndarray:
    """(C,) → (1, C);  (N, C) unchanged;  (N, C, d1, ...) → (N·d1·..., C)."""
    if a.ndim == 1:
        return a[None, :]
    if a.ndim == 2:
        return a
    return np.moveaxis(a, 1, -1).reshape(-1, a.shape[1])


def _unrows(m: np.ndarray, shape: tuple) -> np.ndarray:
    """The inverse of ``_rows``: back to the input's layout."""
    if len(shape) == 1:
        return m[0]
    if len(shape) == 2:
        return m
    moved = (shape[0],) + shape[2:] + (shape[1],)
    return np.moveaxis(m.reshape(moved), -1, 1)


def _log_softmax_rows(z: np.ndarray) -> np.ndarray:
    # the ufuncs' reduce directly: ndarray.max/.sum add a Python-level wrapper call each (same numbers)
    shifted = z - np.maximum.reduce(z, axis=1, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=1, keepdims=True))


def _scale(g: np.ndarray, reduction: str, denominator) -> np.ndarray:
    """d(reduced loss)/d(per-sample loss): g/denominator (mean), g (sum), or g per sample (none)."""
    if reduction != "mean":
        return g
    if denominator:
        return g / denominator
    with np.errstate(divide="ignore", invalid="ignore"):
        return g / denominator


def _reduce(per_sample: np.ndarray, reduction: str, denominator) -> np.ndarray:
    if reduction == "none":
        return per_sample
    total = np.add.reduce(per_sample, axis=None)
    if reduction == "sum":
        return total
    if denominator:
        return total / denominator
    with np.errstate(divide="ignore", invalid="ignore"):  # every sample ignored: 0/0 = nan, as torch
        return total / denominator


def check_class_targets(target: np.ndarray, ignore_index: int, classes: int) -> np.ndarray:
    """The mask of targets that count (not ``ignore_index``); IndexError 'Target 5 is out of bounds.' as torch."""
    valid = target != ignore_index
    bad = valid & ((target < 0) | (target >= classes))
    if bad.any():
        raise IndexError(f"Target {target[bad].flat[0]} is out of bounds.")
    return valid


def one_hot_targets(target: np.ndarray, ignore_index: int, classes: int) -> np.ndarray | None:
    """The (N, C) one-hot mask of 1-D targets in the common case (every target a class index, none ``ignore_index``),
    else None. One comparison and one count: a target out of range matches no class, so the mask has fewer than N
    ones; the mask then picks the targets' entries and subtracts onehot(y) in the gradient without fancy indexing."""
    onehot = target[:, None] == np.arange(classes)
    if not target.size or np.count_nonzero(onehot) != target.size:
        return None
    if 0 <= ignore_index < classes and (target == ignore_index).any():
        return None
    return onehot


class CrossEntropy(Function):
    """Cross entropy with class-index targets, log-softmax and NLL fused (stable and one node):

    L_i = (1 − ε)·w_{y_i}·(−log p_{i,y_i}) + (ε/C)·Σ_c w_c·(−log p_{i,c}),  p_i = softmax(z_i),
    ignored samples (y_i = ignore_index) contribute 0; "mean" divides by Σ_i w_{y_i} over the kept samples.
    ∂L_i/∂z_i = (1 − ε)·w_{y_i}·(p_i − onehot(y_i)) + (ε/C)·((Σ_c w_c)·p_i − w).
    """

    exact_grads = True

    def name(self) -> str:
        return "AddBackward0" if self.smoothing > 0 else "NllLossBackward0"

    @property
    def next_functions(self) -> tuple:
        """As torch's graph reads (nll_loss after log_softmax): a LogSoftmaxBackward0 in front of the logits."""
        logits, parent = self.inputs[0], self.parents[0]
        if self.smoothing > 0 or logits is None:
            return super().next_functions
        return ((GraphView("LogSoftmaxBackward0", ((parent or AccumulateGrad(logits), 0),)), 0),)

    @staticmethod
    def forward(ctx, logits, target, weight, ignore_index, smoothing, reduction):
        z, t = _rows(logits), target.reshape(-1)
        classes = z.shape[1]
        ctx.shape, ctx.smoothing, ctx.reduction = logits.shape, smoothing, reduction
        onehot = one_hot_targets(t, ignore_index, classes) if weight is None and smoothing <= 0 else None
        ctx.plain = onehot is not None
        if ctx.plain:  # the training hot path: every sample counts with weight 1
            # −log p_iy = log Σ_c e^(z_ic − m_i) − (z_iy − m_i), m_i = max_c z_ic: only the targets' log-softmax, and
            # e and Σe kept for the backward's softmax (fewer NumPy calls than the general path)
            shifted = z - np.maximum.reduce(z, axis=1, keepdims=True)
            e = np.exp(shifted)
            total = np.add.reduce(e, axis=1)
            per_sample = np.log(total) - shifted[onehot]
            ctx.denominator = t.size
            ctx.save_for_backward(e, total, onehot)
        else:
            logp = _log_softmax_rows(z)
            rows = np.arange(z.shape[0])
            valid = check_class_targets(t, ignore_index, classes)
            safe = np.where(valid, t, 0)
            keep = valid.astype(z.dtype)
            w_target = keep if weight is None else weight[safe] * keep
            per_sample = -logp[rows, safe] * w_target
            if smoothing > 0:
                smooth = -(logp.sum(axis=1) if weight is None else logp @ weight) * keep
                per_sample = (1 - smoothing) * per_sample + (smoothing / classes) * smooth
            ctx.denominator = w_target.sum()
            ctx.save_for_backward(logp, safe, w_target, keep, weight)
        out = _reduce(per_sample, reduction, ctx.denominator)
        return out.reshape(target.shape) if reduction == "none" else out

    @staticmethod
    def backward(ctx, g):
        scale = _scale(g, ctx.reduction, ctx.denominator)
        scale = scale.reshape(-1, 1) if ctx.reduction == "none" else scale
        if ctx.plain:
            e, total, onehot = ctx.saved_tensors
            grad = e / total[:, None]  # softmax
            np.subtract(grad, onehot, out=grad)
            grad *= scale
            return _unrows(grad, ctx.shape), None, None, None, None, None
        logp, safe, w_target, keep, weight = ctx.saved_tensors
        eps, classes = ctx.smoothing, logp.shape[1]
        coef = (1 - eps) * w_target
        total_weight = classes if weight is None else weight.sum()
        grad = np.exp(logp) * (coef + (eps / classes) * total_weight * keep)[:, None]
        grad[np.arange(grad.shape[0]), safe] -= coef
        if eps > 0:
            grad -= (eps / classes) * keep[:, None] * (1 if weight is None else weight[None, :])
        with np.errstate(invalid="ignore"):
            grad *= scale
        if ctx.reduction == "mean" and not ctx.denominator:  # nothing counted: the loss is nan, its gradient 0
            grad[keep == 0] = 0
        return _unrows(grad, ctx.shape), None, None, None, None, None


class CrossEntropyProbabilities(Function):
    """Cross entropy against class probabilities (soft or one-hot targets q, same shape as the logits):

    L_i = −Σ_c w_c·q_{i,c}·log p_{i,c}, with q ← (1 − ε)q + ε/C under label smoothing; "mean" divides by the number
    of samples.  ∂L_i/∂z_i = (Σ_c w_c q_{i,c})·p_i − w∘q_i;  ∂L_i/∂q_i = −(1 − ε)·w∘log p_i.
    """

    def name(self) -> str:
        return "DivBackward1" if self.reduction == "mean" else "NegBackward0"

    @staticmethod
    def forward(ctx, logits, target, weight, smoothing, reduction):
        z, q = _rows(logits), _rows(target)
        classes = z.shape[1]
        if smoothing > 0:
            q = q * (1 - smoothing) + smoothing / classes
        logp = _log_softmax_rows(z)
        wq = q if weight is None else q * weight
        per_sample = -(wq * logp).sum(axis=1)
        denominator = z.shape[0] if z.shape[0] else np.nan
        ctx.save_for_backward(logp, wq, weight)
        ctx.shape, ctx.target_shape, ctx.smoothing, ctx.reduction = logits.shape, target.shape, smoothing, reduction
        ctx.denominator = denominator
        out = _reduce(per_sample, reduction, denominator)
        if reduction == "none":
            return out.reshape(logits.shape[:1] + logits.shape[2:]) if logits.ndim > 1 else out.reshape(())
        return out.astype(z.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        logp, wq, weight = ctx.saved_tensors
        scale = _scale(g, ctx.reduction, ctx.denominator)
        scale = scale.reshape(-1, 1) if ctx.reduction == "none" else scale
        grad_logits = grad_target = None
        if _needs(ctx, 0):
            grad_logits = _unrows((np.exp(logp) * wq.sum(axis=1, keepdims=True) - wq) * scale, ctx.shape)
        if _needs(ctx, 1):
            w = 1 if weight is None else weight
            grad_target = _unrows(-(1 - max(ctx.smoothing, 0)) * w * logp * scale, ctx.target_shape)
        return grad_logits, grad_target, None, None, None


class NllLoss(Function):
    """Negative log likelihood of log-probabilities x:  L_i = −w_{y_i}·x_{i,y_i} (0 for ignored samples);
    "mean" divides by Σ_i w_{y_i}.  ∂L_i/∂x_{i,c} = −w_{y_i} for c = y_i, 0 elsewhere."""

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, reduction):
        rows, t = _rows(x), target.reshape(-1)
        valid = check_class_targets(t, ignore_index, rows.shape[1])
        safe = np.where(valid, t, 0)
        keep = valid.astype(x.dtype)
        w_target = keep if weight is None else weight[safe] * keep
        per_sample = -rows[np.arange(rows.shape[0]), safe] * w_target
        denominator = w_target.sum()
        ctx.save_for_backward(safe, w_target)
        ctx.shape, ctx.reduction, ctx.denominator = x.shape, reduction, denominator
        out = _reduce(per_sample, reduction, denominator)
        return out.reshape(target.shape) if reduction == "none" else out

    @staticmethod
    def backward(ctx, g):
        safe, w_target = ctx.saved_tensors
        scale = _scale(g, ctx.reduction, ctx.denominator)
        scale = scale.reshape(-1) if ctx.reduction == "none" else scale
        grad = np.zeros((safe.shape[0], ctx.shape[1] if len(ctx.shape) > 1 else ctx.shape[0]), dtype=g.dtype)
        with np.errstate(invalid="ignore"):
            values = -w_target * scale
        rows = np.arange(safe.shape[0])
        grad[rows, safe] = np.where(w_target != 0, values, 0)
        return _unrows(grad, ctx.shape), None, None, None, None


class BinaryCrossEntropy(Function):
    """L = −w·(y·log x + (1 − y)·log(1 − x)), each log clamped at −100 as torch does (so x = 0 or 1 stays finite);
    ∂L/∂x = w·(x − y)/max(x(1 − x), 1e-12),  ∂L/∂y = w·(log(1 − x) − log x) (unclamped, as torch)."""

    @staticmethod
    def forward(ctx, x, y, weight, reduction):
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        per_element = -(y * log_x + (1 - y) * log_1mx)
        if weight is not None:
            per_element = per_element * weight
        ctx.save_for_backward(x, y, weight)
        ctx.reduction, ctx.count = reduction, per_element.size
        return _reduce(per_element, reduction, per_element.size)

    @staticmethod
    def backward(ctx, g):
        x, y, weight = ctx.saved_tensors
        scale = _scale(g, ctx.reduction, ctx.count)
        if weight is not None:
            scale = scale * weight
        grad_x = scale * (x - y) / np.maximum(x * (1 - x), 1e-12) if _needs(ctx, 0) else None
        grad_y = None
        if _needs(ctx, 1):  # torch leaves these logs unclamped: ±inf at x = 0 or 1
            with np.errstate(divide="ignore"):
                grad_y = scale * (np.log1p(-x) - np.log(x))
        return grad_x, grad_y, None, None


class BinaryCrossEntropyWithLogits(Function):
    """Sigmoid and BCE fused, stable for any logit x:
    L = w·[(1 − y)·x + (1 + (pw − 1)·y)·softplus(−x)], softplus(−x) = log(1 + e^(−|x|)) + max(−x, 0);
    ∂L/∂x = w·[σ(x)·(1 + (pw − 1)y) − pw·y],  ∂L/∂y = w·[−x + (pw − 1)·softplus(−x)]  (pw = 1 without pos_weight)."""

    @staticmethod
    def forward(ctx, x, y, weight, pos_weight, reduction):
        softplus_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)
        if pos_weight is None:
            per_element = (1 - y) * x + softplus_neg
        else:
            per_element = (1 - y) * x + (1 + (pos_weight - 1) * y) * softplus_neg
        if weight is not None:
            per_element = per_element * weight
        ctx.save_for_backward(x, y, weight, pos_weight, softplus_neg)
        ctx.reduction, ctx.count = reduction, per_element.size
        return _reduce(per_element, reduction, per_element.size)

    @staticmethod
    def backward(ctx, g):
        x, y, weight, pos_weight, softplus_neg = ctx.saved_tensors
        scale = _scale(g, ctx.reduction, ctx.count)
        if weight is not None:
            scale = scale * weight
        e = np.exp(-np.abs(x))
        sigmoid = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        grad_x = grad_y = None
        if _needs(ctx, 0):
            if pos_weight is None:
                grad_x = scale * (sigmoid - y)
            else:
                grad_x = scale * (sigmoid * (1 + (pos_weight - 1) * y) - pos_weight * y)
        if _needs(ctx, 1):
            grad_y = scale * (-x if pos_weight is None else -x + (pos_weight - 1) * softplus_neg)
        return grad_x, grad_y, None, None, None


class MseLoss(Function):
    """L = (x − y)²;  ∂L/∂x = 2(x − y),  ∂L/∂y = −2(x − y). (Fused: one node instead of sub, pow and mean.)"""

    @staticmethod
    def forward(ctx, x, y, reduction):
        d = x - y
        ctx.save_for_backward(d)
        ctx.reduction = reduction
        return _reduce(d * d, reduction, d.size)

    @staticmethod
    def backward(ctx, g):
        (d,) = ctx.saved_tensors
        grad = _scale(g, ctx.reduction, d.size) * 2 * d
        return grad, (-grad if _needs(ctx, 1) else None), None


class SmoothL1Loss(Function):
    """L = 0.5·d²/β where |d| < β, |d| − 0.5β elsewhere (d = x − y);  ∂L/∂x = d/β inside, sign(d) outside."""

    @staticmethod
    def forward(ctx, x, y, beta, reduction):
        d = x - y
        ad = np.abs(d)
        ctx.save_for_backward(d)
        ctx.beta, ctx.reduction = beta, reduction
        return _reduce(np.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta), reduction, d.size)

    @staticmethod
    def backward(ctx, g):
        (d,) = ctx.saved_tensors
        beta = ctx.beta
        grad = _scale(g, ctx.reduction, d.size) * np.where(np.abs(d) < beta, d / beta, np.sign(d))
        return grad, (-grad if _needs(ctx, 1) else None), None, None


class HuberLoss(Function):
    """L = 0.5·d² where |d| < δ, δ·(|d| − 0.5δ) elsewhere (d = x − y);  ∂L/∂x = d inside, δ·sign(d) outside."""

    @staticmethod
    def forward(ctx, x, y, delta, reduction):
        d = x - y
        ad = np.abs(d)
        ctx.save_for_backward(d)
        ctx.delta, ctx.reduction = delta, reduction
        return _reduce(np.where(ad < delta, 0.5 * d * d, delta * (ad - 0.5 * delta)), reduction, d.size)

    @staticmethod
    def backward(ctx, g):
        (d,) = ctx.saved_tensors
        delta = ctx.delta
        grad = _scale(g, ctx.reduction, d.size) * np.where(np.abs(d) < delta, d, delta * np.sign(d))
        return grad, (-grad if _needs(ctx, 1) else None), None, None
