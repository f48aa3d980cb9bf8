"""``glasstorch.accelerator``: torch.accelerator on a machine without one, so the tutorials' line
``device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"`` picks the CPU.

is_available() False, current_accelerator() None, device_count() 0; what needs the device raises torch's
``RuntimeError: Cannot access accelerator device when none is available.``
"""
from __future__ import annotations

__all__ = ["current_accelerator", "current_device_idx", "current_device_index", "device_count", "empty_cache",
           "is_available", "memory_allocated", "set_device_idx", "set_device_index", "synchronize"]

_NONE = "Cannot access accelerator device when none is available."


def is_available(check_available: bool = False) -> bool:
    return False


def current_accelerator(check_available: bool = False):
    """The accelerator's device type (``device(type='cuda')``...), None on the CPU."""
    return None


def device_count() -> int:
    return 0


def _needs_accelerator(name: str):
    def needs_accelerator(*args, **kwargs):
        raise RuntimeError(_NONE)

    needs_accelerator.__name__ = needs_accelerator.__qualname__ = name
    needs_accelerator.__doc__ = f"Needs an accelerator: raises torch's RuntimeError ({_NONE!r})."
    return needs_accelerator


current_device_index = current_device_idx = _needs_accelerator("current_device_index")
set_device_index = set_device_idx = _needs_accelerator("set_device_index")
synchronize = _needs_accelerator("synchronize")
empty_cache = _needs_accelerator("empty_cache")
memory_allocated = _needs_accelerator("memory_allocated")
