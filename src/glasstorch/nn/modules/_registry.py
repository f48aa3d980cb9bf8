"""The dict behind each of a Module's registries (``_parameters``, ``_buffers``, ``_modules``).

Every entry is also kept in the module's ``__dict__``, so that ``self.linear1`` or ``self.weight`` is an ordinary
attribute hit rather than a call of ``Module.__getattr__`` (the call costs ~0.5-1 µs per access: about 7% of the
course network's training step). Each way of changing the registry changes that mirror too, so direct edits such
as ``model._modules["fc"] = nn.Linear(...)`` are seen by ``model.fc`` as in torch.
"""
from __future__ import annotations

_MISSING = object()


class Registry(dict):
    """A dict that mirrors its entries into ``owner.__dict__``, except names that the owner's class defines (a
    method or property named like an entry is what torch finds first, too)."""

    __slots__ = ("owner",)

    def __init__(self, owner=None, items=()) -> None:
        super().__init__()
        self.owner = owner  # (None while a pickle is read back: the owner's __dict__ then comes with the mirror in it)
        self.update(items)

    def __setitem__(self, name, value) -> None:
        dict.__setitem__(self, name, value)
        if self.owner is not None and isinstance(name, str) and not hasattr(type(self.owner), name):
            self.owner.__dict__[name] = value

    def _forget(self, name, value) -> None:
        if self.owner is not None and self.owner.__dict__.get(name, _MISSING) is value:
            del self.owner.__dict__[name]

    def __delitem__(self, name) -> None:
        value = dict.pop(self, name)
        self._forget(name, value)

    def pop(self, name, default=_MISSING):
        if name in self:
            value = dict.pop(self, name)
            self._forget(name, value)
            return value
        if default is _MISSING:
            raise KeyError(name)
        return default

    def popitem(self):
        name, value = dict.popitem(self)
        self._forget(name, value)
        return name, value

    def clear(self) -> None:
        for name, value in dict.items(self):
            self._forget(name, value)
        dict.clear(self)

    def update(self, *args, **kwargs) -> None:
        for name, value in dict(*args, **kwargs).items():
            self[name] = value

    def setdefault(self, name, default=None):
        if name not in self:
            self[name] = default
        return dict.__getitem__(self, name)

    def __ior__(self, other):
        self.update(other)
        return self

    def __copy__(self) -> dict:  # a shallow copy belongs to no module: a plain dict, as dict.copy() gives
        return dict(self)

    def __reduce_ex__(self, protocol):  # copies and pickles: the items, then the module (a copy's own) it mirrors into
        return type(self), (), self.owner, None, iter(dict.items(self))

    def __setstate__(self, owner) -> None:
        self.owner = owner
