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
        self.owner = owner
        self.update(items)

    def _attrs(self) -> dict | None:
        # (unpickling fills the items before the owner comes back, with the mirror already in its __dict__)
        owner = getattr(self, "owner", None)
        return None if owner is None else owner.__dict__

    def __setitem__(self, name, value) -> None:
        dict.__setitem__(self, name, value)
        attrs = self._attrs()
        if attrs is not None and isinstance(name, str) and not hasattr(type(self.owner), name):
            attrs[name] = value

    def __delitem__(self, name) -> None:
        dict.__delitem__(self, name)
        self._forget(name)

    def _forget(self, name) -> None:
        attrs = self._attrs()
        if attrs is not None:
            attrs.pop(name, None)

    def pop(self, name, default=_MISSING):
        if name in self:
            self._forget(name)
            return dict.pop(self, name)
        if default is _MISSING:
            raise KeyError(name)
        return default

    def popitem(self):
        name, value = dict.popitem(self)
        self._forget(name)
        return name, value

    def clear(self) -> None:
        for name in self:
            self._forget(name)
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

    def __reduce_ex__(self, protocol):  # copies and pickles: the items, then the module (a copy's own) it mirrors into
        return type(self), (), getattr(self, "owner", None), None, iter(dict.items(self))

    def __setstate__(self, owner) -> None:
        self.owner = owner
