"""``glasstorch.backends.cuda``: not built; ``torch.backends.cuda.matmul.allow_tf32 = True`` (nanoGPT's line) is
accepted and changes nothing on the CPU."""
from __future__ import annotations

import types

matmul = types.SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                               allow_bf16_reduced_precision_reduction=True)


def is_built() -> bool:
    return False
