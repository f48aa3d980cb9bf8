"""``glasstorch.device``: torch's device object. glasstorch computes on the CPU only; other devices can be named
(``device("cuda")``) but moving a tensor there raises NotImplementedError."""
from __future__ import annotations


class device:
    """``device("cpu")``, ``device("cuda", 0)``, ``device("cuda:0")``; prints as ``device(type='cpu')``."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | "device", index: int | None = None) -> None:  # noqa: A002 - torch's name
        if isinstance(type, device):
            type, index = type.type, type.index
        if ":" in type:
            type, number = type.split(":", 1)
            index = int(number)
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
