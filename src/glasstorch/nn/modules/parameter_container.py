"""Parameter containers: ``ParameterList`` and ``ParameterDict`` hold a model's free-standing weights (ones that
belong to no layer) so that each Parameter is registered, as torch.nn's do.

Both keep their entries as attributes of the container, so the registries of ``module.py`` do the bookkeeping: a
Parameter lands in ``_parameters`` (``named_parameters()`` and ``state_dict()`` see ``"0"``, ``"1"``... for a list,
the key for a dict; ``"params.0"`` once the container is an attribute ``params`` of a model), a Module lands in
``_modules``, and anything else (an int, a string, None) is a plain attribute. Putting a tensor that is not yet a
Parameter in either container turns it into one (sharing its memory, ``requires_grad=True``), as torch does.
Neither container has a forward: calling one raises RuntimeError, as in torch.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ...autograd.tensor_base import TensorBase
from ..parameter import Parameter
from .container import _position, checked_pairs
from .module import Module, _typename

__all__ = ["ParameterList", "ParameterDict"]


def _as_parameter(value: Any) -> Any:
    """A tensor that is not a Parameter yet becomes one; every other value (Parameters included) stays as it is."""
    if isinstance(value, TensorBase) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


def _entry_lines(entries: Iterable[tuple[Any, Any]], tensor_type: Callable[[TensorBase], str]) -> str:
    """The body of both containers' repr, one line per entry as torch prints it:
    ``  (0): Parameter containing: [glasstorch.float32 of size 2x3]`` or ``  (1): Object of type: int``."""
    lines = []
    for key, value in entries:
        if isinstance(value, TensorBase):
            kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
            size = "x".join(str(n) for n in value.shape)
            lines.append(f"  ({key}): {kind} containing: [{tensor_type(value)} of size {size}]")
        else:
            lines.append(f"  ({key}): Object of type: {type(value).__name__}")
    return "\n".join(lines)


class ParameterList(Module):
    """``ParameterList(values=None)``: a list whose Parameters are registered under the names ``"0"``, ``"1"``, ...

    ::

        self.params = nn.ParameterList([nn.Parameter(torch.randn(3, 3)) for _ in range(4)])
        for p in self.params:          # in forward
            x = x @ p

    Supports ``len``, iteration, indexing (an int, counting from the end when negative; a slice gives a new
    ParameterList holding the same objects), item assignment at an existing index, ``append``, ``extend`` and
    ``+=``. The repr lists each entry with its dtype and size (torch prints ``torch.float32`` where glasstorch
    prints ``glasstorch.float32``).
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            part = type(self)()
            for i in range(*idx.indices(len(self))):
                part.append(self[i])
            return part
        return getattr(self, str(_position(idx, len(self))))

    def __setitem__(self, idx: int, value: Any) -> None:
        setattr(self, str(_position(idx, len(self))), _as_parameter(value))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (getattr(self, str(i)) for i in range(len(self)))

    def __iadd__(self, values: Iterable[Any]) -> "ParameterList":
        return self.extend(values)

    def __dir__(self) -> list:
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, value: Any) -> "ParameterList":
        """Adds ``value`` at the end (under the name ``str(len(self))``); returns self.

        torch counts the new entry before storing it, so a value it refuses (an integer tensor cannot become a
        Parameter) leaves its list one entry longer than it holds; here the list keeps its length."""
        setattr(self, str(len(self)), _as_parameter(value))
        self._size += 1
        return self

    def extend(self, values: Iterable[Any]) -> "ParameterList":
        """Appends each of ``values`` (any iterable except a tensor, which torch refuses to unpack); returns self."""
        if not isinstance(values, Iterable) or isinstance(values, TensorBase):
            raise TypeError("ParameterList.extend should be called with an iterable, but got " + type(values).__name__)
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return _entry_lines(enumerate(self), lambda tensor: str(tensor.dtype))

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterList should not be called.")


class ParameterDict(Module):
    """``ParameterDict(parameters=None)``: an ordered dict from string keys to values, whose Parameters are
    registered under their keys (``named_parameters()`` yields ``("left", ...)``).

    ::

        self.params = nn.ParameterDict({"left": nn.Parameter(torch.randn(5, 10)),
                                        "right": nn.Parameter(torch.randn(5, 10))})
        x = self.params[choice] @ x    # in forward

    ``parameters`` (and ``update``'s argument) is a mapping or an iterable of ``(key, value)`` pairs. An
    OrderedDict, a ParameterDict or a sequence of pairs keeps its order; any other mapping (a plain dict) is added
    in sorted key order, as torch does. Has the dict methods (``keys``, ``values``, ``items``, ``get``, ``pop``,
    ``popitem``, ``setdefault``, ``update``, ``clear``, ``copy``, ``fromkeys``, ``|``, ``|=``); a missing key
    raises AttributeError, as torch's does, because entries are attributes. The repr names each tensor's type
    (``glasstorch.FloatTensor`` where torch prints ``torch.FloatTensor``).

    torch records a key before storing its value, so a refused value (a key with a ``"."``, a non-string key)
    leaves a key that holds nothing; here a refused key is not recorded.
    """

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        self._keys: dict[str, None] = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _check_key(key: Any) -> str:
        if not isinstance(key, str):
            raise TypeError("Index given to ParameterDict cannot be used as a key as it is not a string (type is "
                            f"'{type(key).__name__}'). Open an issue on github if you need non-string keys.")
        return key

    def __getitem__(self, key: str) -> Any:
        return getattr(self, self._check_key(key))

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, self._check_key(key), _as_parameter(value))
        self._keys[key] = None

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self):
        """The keys, in order (a live ``dict_keys`` view, as torch's)."""
        return self._keys.keys()

    def values(self) -> Iterator[Any]:
        """The values, in key order (a generator, as torch's)."""
        return (self[key] for key in self._keys)

    def items(self) -> Iterator[tuple[str, Any]]:
        """``(key, value)`` pairs, in order (a generator, as torch's)."""
        return ((key, self[key]) for key in self._keys)

    def get(self, key: str, default: Any = None) -> Any:
        """The value under ``key``, or ``default`` when there is none."""
        return self[key] if key in self else default

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The value under ``key``, after storing ``default`` there when there was none (a tensor is stored, and
        returned, as a Parameter)."""
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key: str) -> Any:
        """Removes ``key`` and returns its value."""
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple[str, Any]:
        """Removes and returns the last inserted ``(key, value)`` pair."""
        if not self._keys:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def clear(self) -> None:
        """Removes every entry."""
        for key in list(self._keys):
            del self[key]

    def copy(self) -> "ParameterDict":
        """A new ParameterDict (always of this class, as torch's) holding the same objects in the same order."""
        return ParameterDict(OrderedDict((key, self[key]) for key in self._keys))

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> "ParameterDict":
        """A new ParameterDict with ``default`` under each of ``keys`` (a tensor becomes a new Parameter for each
        key, as in torch)."""
        return ParameterDict((key, default) for key in keys)

    def update(self, parameters: Any) -> None:
        """Stores each ``(key, value)`` of ``parameters`` (a mapping or an iterable of pairs), overwriting keys."""
        if not isinstance(parameters, Iterable):
            raise TypeError("ParametersDict.update should be called with an iterable of key/value pairs, but got "
                            + type(parameters).__name__)  # (torch's spelling: "ParametersDict")
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = parameters.items()
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        else:
            pairs = checked_pairs(parameters, "ParameterDict")
        for key, value in pairs:
            self[key] = value

    def __or__(self, other: Any) -> "ParameterDict":
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other: Any) -> Any:
        merged = other.copy()  # a plain dict on the left gives a plain dict back, as in torch
        merged.update(self)
        return merged

    def __ior__(self, other: Any) -> "ParameterDict":
        self.update(other)
        return self

    def extra_repr(self) -> str:
        return _entry_lines(self.items(), _typename)

    def __call__(self, input):  # noqa: A002 - torch's signature
        raise RuntimeError("ParameterDict should not be called.")
