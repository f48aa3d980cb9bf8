"""``RemovableHandle``: what registering a hook returns (a tensor's ``register_hook``, a module's forward hooks);
``handle.remove()`` takes the hook out again. Also ``glasstorch.utils.hooks.RemovableHandle``, as in torch."""
from __future__ import annotations

import itertools

_next_id = itertools.count()


class RemovableHandle:
    """Removes one registered hook from the dictionaries that hold it; also a context manager (removes on exit)."""

    def __init__(self, hooks_dict: dict, *, extra_dict=None) -> None:
        self.hooks_dict = hooks_dict
        self.id = next(_next_id)
        self.extra_dicts = () if extra_dict is None else tuple(extra_dict) if isinstance(extra_dict, list) else (extra_dict,)

    def remove(self) -> None:
        self.hooks_dict.pop(self.id, None)
        for extra in self.extra_dicts:
            if isinstance(extra, dict):
                extra.pop(self.id, None)
            else:
                extra.discard(self.id)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
