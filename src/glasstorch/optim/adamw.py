"""``AdamW``: Adam with decoupled weight decay."""
from __future__ import annotations

from typing import Any

from .adam import Adam
from .optimizer import ParamsT

__all__ = ["AdamW"]


class AdamW(Adam):
    r"""AdamW: Adam whose weight decay shrinks the weights directly instead of passing through the moments.

    torch's update, for each parameter θ with gradient g at step t (λ = weight_decay)::

        θ ← θ·(1 - lr·λ)                                 decay first, on the weights themselves
        then the Adam step on the undecayed gradient g (see :class:`Adam`): m, v, bias corrections, θ ← θ - ...

    Adam with ``weight_decay`` adds λ·θ to the gradient (an L2 penalty), so the decay is divided by √v̂ like
    everything else and barely acts on weights with large gradients; AdamW's decay is the same for every weight.
    The course has no AdamW. Note the default ``weight_decay=1e-2`` (Adam's is 0).

    Args: as :class:`Adam`, except ``weight_decay`` (default: 1e-2) and no ``decoupled_weight_decay``, always True.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
