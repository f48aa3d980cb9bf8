"""``glasstorch.nn.parallel``: one device only. ``DataParallel(module)`` on a machine without GPUs simply runs
``module`` (as torch's does without CUDA); ``DistributedDataParallel`` needs a process group, which glasstorch
does not have (torch's error for a group never initialised)."""
from __future__ import annotations

from ..modules.module import Module

__all__ = ["DataParallel", "DistributedDataParallel"]


class DataParallel(Module):
    """``module`` run as is (no GPU to split the batch over); ``self.module`` is the wrapped module."""

    def __init__(self, module: Module, device_ids=None, output_device=None, dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.device_ids, self.output_device, self.dim = [], None, dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


class DistributedDataParallel(Module):
    def __init__(self, module: Module, *args, **kwargs) -> None:
        raise ValueError("Default process group has not been initialized, please make sure to call "
                         "init_process_group.")
