"""``glasstorch.cuda``: torch.cuda as a CPU-only torch build answers it, so ``torch.cuda.is_available()`` and
``device = "cuda" if torch.cuda.is_available() else "cpu"`` run unchanged.

What asks about the machine answers "no GPU" (is_available() False, device_count() 0, memory counters 0); seeding
and cache calls do nothing, as torch's do without CUDA; what needs a GPU (current_device, get_device_name,
synchronize, moving a tensor there) raises torch's ``AssertionError: Torch not compiled with CUDA enabled``.
"""
from __future__ import annotations

from .. import _names
from .._device import no_cuda
from . import amp

__all__ = ["current_device", "device_count", "empty_cache", "get_device_capability", "get_device_name",
           "get_device_properties", "get_rng_state", "get_rng_state_all", "init", "initial_seed", "ipc_collect",
           "is_available", "is_bf16_supported", "is_initialized", "manual_seed", "manual_seed_all",
           "max_memory_allocated", "max_memory_reserved", "mem_get_info", "memory_allocated", "memory_reserved",
           "seed", "seed_all", "set_device", "synchronize"]


def is_available() -> bool:
    """False: glasstorch computes on the CPU."""
    return False


def device_count() -> int:
    return 0


def is_initialized() -> bool:
    return False


def is_bf16_supported(including_emulation: bool = True) -> bool:
    return False


def manual_seed(seed: int) -> None:
    """Seeds every GPU's stream: nothing to seed without one (torch defers it, and never runs it)."""
    return None


def manual_seed_all(seed: int) -> None:
    return None


def seed() -> None:
    return None


def seed_all() -> None:
    return None


def empty_cache() -> None:
    """Frees the GPU's cached memory: nothing is cached without one."""
    return None


def get_rng_state_all() -> list:
    return []


def memory_allocated(device=None) -> int:
    return 0


def max_memory_allocated(device=None) -> int:
    return 0


def memory_reserved(device=None) -> int:
    return 0


def max_memory_reserved(device=None) -> int:
    return 0


def _needs_cuda(name: str):
    def needs_cuda(*args, **kwargs):
        raise no_cuda()

    needs_cuda.__name__ = needs_cuda.__qualname__ = name
    needs_cuda.__doc__ = "Needs a GPU: raises torch's AssertionError ('Torch not compiled with CUDA enabled')."
    return needs_cuda


current_device = _needs_cuda("current_device")
get_device_name = _needs_cuda("get_device_name")
get_device_properties = _needs_cuda("get_device_properties")
get_device_capability = _needs_cuda("get_device_capability")
get_rng_state = _needs_cuda("get_rng_state")
initial_seed = _needs_cuda("initial_seed")
init = _needs_cuda("init")
ipc_collect = _needs_cuda("ipc_collect")
mem_get_info = _needs_cuda("mem_get_info")
set_device = _needs_cuda("set_device")
synchronize = _needs_cuda("synchronize")


class _CudaTensorType(type):
    """torch.cuda.FloatTensor and the other legacy GPU types: no tensor is one, and making one raises torch's
    TypeError ('type torch.cuda.FloatTensor not available. Torch not compiled with CUDA enabled.')."""

    def __instancecheck__(cls, obj) -> bool:
        return False

    def __repr__(cls) -> str:
        return f"<class '{_names.prefix}.cuda.{cls.__name__}'>"

    def __call__(cls, *args, **kwargs):
        raise TypeError(f"type {_names.prefix}.cuda.{cls.__name__} not available. Torch not compiled with CUDA "
                        "enabled.")


_LEGACY = ("FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
           "ByteTensor", "BoolTensor")
globals().update({name: _CudaTensorType(name, (), {"is_cuda": True, "__module__": "glasstorch.cuda"})
                  for name in _LEGACY})
__all__ += list(_LEGACY)
