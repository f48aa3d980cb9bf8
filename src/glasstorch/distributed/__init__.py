"""``glasstorch.distributed``: one process only. Scripts that import torch.distributed for an optional multi-GPU
mode (nanoGPT's ``train.py``) import it and run on one process; asking for a process group raises torch's error for
a group that was never initialised, and starting one raises NotImplementedError."""
from __future__ import annotations

__all__ = ["barrier", "destroy_process_group", "get_rank", "get_world_size", "init_process_group", "is_available",
           "is_initialized"]

_NOT_INITIALIZED = "Default process group has not been initialized, please make sure to call init_process_group."


def is_available() -> bool:
    """False: glasstorch has no process groups (one process, one CPU)."""
    return False


def is_initialized() -> bool:
    return False


def init_process_group(*args, **kwargs) -> None:
    raise NotImplementedError("glasstorch does not implement distributed training (torch.distributed.init_process_group)")


def _needs_group(name: str):
    def needs_group(*args, **kwargs):
        raise ValueError(_NOT_INITIALIZED)

    needs_group.__name__ = needs_group.__qualname__ = name
    return needs_group


get_rank = _needs_group("get_rank")
get_world_size = _needs_group("get_world_size")
barrier = _needs_group("barrier")
destroy_process_group = _needs_group("destroy_process_group")
