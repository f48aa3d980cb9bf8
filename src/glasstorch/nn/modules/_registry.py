"""The dict behind each of a Module's registries (``_parameters``, ``_buffers``, ``_modules``).

Every entry is also kept in the module's ``__dict__``, so that ``self.linear1`` or ``self.weight`` is an ordinary
attribute hit rather than a call of ``Module.__getattr__`` (the call costs ~0.5-1 µs per access: about 5% of the
course network's training step). Each way of changing the registry changes that mirror too, so direct edits such
as ``model._modules["fc"] = nn.Linear(...)`` are seen by ``model.fc`` as in torch.
"""
from __future__ import annotations

import weakref

_MISSING = object()


class Registry(dict):
    """A dict that mirrors its entries into the ``__dict__`` of each module that owns it (one, or several after
    ``copy.copy`` shares it), except names that the owner's class defines (a method or property named like an entry
    is what torch finds first, too)."""

    __slots__ = ("_owners",)

    def __init__(self, owner=None, items=()) -> None:
        super().__init__()
        self._owners = []  # weak references: a registry keeps no module alive (none while a pickle is read back)
        if owner is not None:
            self.add_owner(owner)
        self.update(items)

    def add_owner(self, owner) -> None:
        self._owners.append(weakref.ref(owner))

    def owners(self) -> list:
        return [owner for owner in (ref() for ref in self._owners) if owner is not None]

    def __setitem__(self, name, value) -> None:
        dict.__setitem__(self, name, value)
        if isinstance(name, str):
            for owner in self.owners():
                if not hasattr(type(owner), name):
                    owner.__dict__[name] = value

    def _forget(self, name, value) -> None:
        for owner in self.owners():
            if owner.__dict__.get(name, _MISSING) is value:
                del owner.__dict__[name]

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

    def __reduce_ex__(self, protocol):  # deep copies and pickles: the items (the owners' __dict__ come with their
        return type(self), (), self.owners(), None, iter(dict.items(self))  # mirror), then the owners (the copies)

    def __setstate__(self, owners) -> None:
        for owner in owners:
            self.add_owner(owner)
