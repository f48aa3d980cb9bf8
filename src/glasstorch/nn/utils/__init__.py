"""``glasstorch.nn.utils``: gradient clipping and flattening parameters to one vector, as ``torch.nn.utils``."""
from __future__ import annotations

from collections.abc import Iterable

from ... import _functional as F
from ..._backend import np
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...autograd.tensor_base import wrap

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]


def _with_grads(parameters) -> list:
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in parameters if p._grad is not None]


def clip_grad_norm_(parameters: Iterable[Tensor] | Tensor, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Scales all gradients together so that their joint ``norm_type``-norm is at most ``max_norm``.

    total = ‖(‖g₁‖, ‖g₂‖, …)‖;  every g ← g · min(1, max_norm / (total + 1e-6)).  Returns ``total`` (before clipping).
    """
    grads = [p._grad._data for p in _with_grads(parameters)]
    if not grads:
        return wrap(np.asarray(0.0, dtype=np.float32))
    norm_type = float(norm_type)
    if norm_type == float("inf"):
        total = max(float(np.abs(g).max()) for g in grads)
    else:
        total = float(np.sum([np.sum(np.abs(g, dtype=np.float64) ** norm_type) for g in grads]) ** (1.0 / norm_type))
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it "
                           "cannot be clipped. To disable this error and scale the gradients by the non-finite norm "
                           "anyway, set `error_if_nonfinite=False`")
    scale = min(1.0, max_norm / (total + 1e-6))
    if scale < 1.0:
        for g in grads:
            g *= g.dtype.type(scale)
    return wrap(np.asarray(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float, foreach=None) -> None:
    """Clamps every gradient element into [−clip_value, clip_value], in place."""
    for p in _with_grads(parameters):
        np.clip(p._grad._data, -clip_value, clip_value, out=p._grad._data)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and joined into one 1-D tensor (differentiable)."""
    return F.cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copies consecutive slices of ``vec`` into the parameters (the inverse of parameters_to_vector)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    offset = 0
    with no_grad():
        for p in parameters:
            n = p.numel()
            p.copy_(vec[offset:offset + n].reshape(p.shape))
            offset += n
