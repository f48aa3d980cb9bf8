"""``glasstorch.device``: torch's device object. glasstorch computes on the CPU only; other devices can be named
(``device("cuda")``), and making or moving a tensor there raises what a CPU-only torch build raises
(``AssertionError: Torch not compiled with CUDA enabled``; see ``unavailable``)."""
from __future__ import annotations

import re

from . import _names

DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia", "xla",
                "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::(0|[1-9][0-9]*))?")


def parse_device(text: str) -> tuple:
    """("cuda", 0) from "cuda:0", ("cpu", None) from "cpu"; torch's RuntimeError for a malformed string or a device
    type it does not know."""
    if not text:
        raise RuntimeError("Device string must not be empty")
    match = _DEVICE_STRING.fullmatch(text)
    if match is None:
        raise RuntimeError(f"Invalid device string: '{text}'")
    if match.group(1) not in DEVICE_TYPES:
        raise RuntimeError(f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of device string: {text}")
    return match.group(1), None if match.group(2) is None else int(match.group(2))


def check_device(value) -> None:
    """A factory's ``device=`` argument: the CPU (``"cpu"``, ``"cpu:0"``, ``device("cpu")``); torch's RuntimeError
    for a string that names no device, and ``unavailable``'s error for any other device."""
    kind = parse_device(value)[0] if isinstance(value, str) else getattr(value, "type", "cpu")
    if kind != "cpu":
        raise unavailable(kind, value)


NO_CUDA_LIBRARY = (  # torch's RuntimeError for a cast to a torch.cuda type, word for word
    "Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two shared libraries: a CPU "
    "library and a CUDA library; this error has occurred because you are trying to use some CUDA functionality, but "
    "the CUDA library has not been loaded by the dynamic linker for some reason.  The CUDA library MUST be loaded, "
    "EVEN IF you don't directly use any symbols from the CUDA library! One common culprit is a lack of "
    "-Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic library dependencies if you "
    "don't depend on any of their symbols.  You can check if this has occurred by using ldd on your binary to see if "
    "there is a dependency on *_cuda.so library.")


def no_cuda() -> AssertionError:
    return AssertionError("Torch not compiled with CUDA enabled")


def unavailable(kind: str, target) -> Exception:
    """The error for making or moving a tensor onto device type ``kind``, as a CPU-only torch build words it
    (cuda, xpu: AssertionError; mps: RuntimeError); NotImplementedError for the devices torch has and glasstorch
    does not (meta, ...)."""
    if kind == "cuda":
        return no_cuda()
    if kind == "xpu":
        return AssertionError("Torch not compiled with XPU enabled")
    if kind == "mps":
        return RuntimeError("PyTorch is not linked with support for mps devices")
    return NotImplementedError(f"glasstorch runs on the CPU only; cannot put a tensor on {str(target)!r}")


class device:
    """``device("cpu")``, ``device("cuda", 0)``, ``device("cuda:0")``; prints as ``device(type='cpu')``."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | "device", index: int | None = None) -> None:  # noqa: A002 - torch's name
        if isinstance(type, device):
            type, index = type.type, type.index
        else:
            type, number = parse_device(type)
            index = number if number is not None else index
        self.type = type
        self.index = index

    def __repr__(self) -> str:
        return f"device(type='{self.type}')" if self.index is None else f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        other = device(other) if isinstance(other, str) else other
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


_names.public(device, "glasstorch")

_default = device("cpu")


def get_default_device() -> device:
    """The device factories use when none is given (the CPU unless changed)."""
    return _default


def set_default_device(value: "device | str | int | None") -> None:
    """Makes ``value`` the default device; None restores the CPU. glasstorch records it (get_default_device answers
    it) and still makes tensors on the CPU: a factory called with no ``device=`` does not raise for "cuda" as torch
    would, and code that set the default to what ``torch.cuda.is_available()`` chose ("cpu") runs as under torch."""
    global _default
    _default = device("cpu") if value is None else device(value)
