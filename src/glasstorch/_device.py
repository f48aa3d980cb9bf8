"""``glasstorch.device``: torch's device object. glasstorch computes on the CPU only; other devices can be named
(``device("cuda")``) but moving a tensor there raises NotImplementedError."""
from __future__ import annotations

import re

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
    """A factory's ``device=`` argument: a device, or a string torch would parse (the tensor is made on the CPU)."""
    if isinstance(value, str):
        parse_device(value)


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
