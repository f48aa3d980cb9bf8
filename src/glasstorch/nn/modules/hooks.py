"""Module hooks: ``register_forward_pre_hook`` / ``register_forward_hook`` (what ``glasstorch.summary`` uses),
``register_full_backward_pre_hook`` / ``register_full_backward_hook`` (their machinery in ``_backward_hooks.py``), and
the handle (``RemovableHandle``, from the core) a registration returns, whose ``remove()`` takes the hook out again."""
from __future__ import annotations

from collections.abc import Callable

from ..._hooks import RemovableHandle
from ._backward_hooks import HookedCall

__all__ = ["HooksMixin", "RemovableHandle"]

backward_hooks_registered = False  # True once any module registered a backward hook (Module.__call__ reads it)


class HooksMixin:
    """The hook half of ``nn.Module``: ``Module.__call__`` comes here only when a hook is registered."""

    def _call_with_hooks(self, args: tuple, kwargs: dict):
        hooked = HookedCall(self, args) if self._backward_hooks or self._backward_pre_hooks else None
        for hook_id, hook in list(self._forward_pre_hooks.items()):
            if hook_id in self._forward_pre_hooks_with_kwargs:
                changed = hook(self, args, kwargs)
                if changed is not None:
                    if not (isinstance(changed, tuple) and len(changed) == 2):
                        raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                                           f"but got {changed}.")
                    args, kwargs = changed
            else:
                changed = hook(self, args)
                if changed is not None:
                    args = changed if isinstance(changed, tuple) else (changed,)
        if hooked is not None:
            args = hooked.route_inputs(args)
        try:
            result = self.forward(*args, **kwargs)
        except Exception:
            for hook_id, hook in list(self._forward_hooks.items()):
                if hook_id in self._forward_hooks_always_called:
                    try:
                        self._run_forward_hook(hook_id, hook, args, kwargs, None)
                    except Exception:
                        pass
            raise
        for hook_id, hook in list(self._forward_hooks.items()):
            changed = self._run_forward_hook(hook_id, hook, args, kwargs, result)
            if changed is not None:
                result = changed
        return result if hooked is None else hooked.route_outputs(result)

    def _run_forward_hook(self, hook_id: int, hook, args: tuple, kwargs: dict, result):
        if hook_id in self._forward_hooks_with_kwargs:
            return hook(self, args, kwargs, result)
        return hook(self, args, result)

    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """``hook(module, args) -> None or new args`` runs before ``forward`` (``hook(module, args, kwargs)`` with
        ``with_kwargs=True``, returning None or ``(args, kwargs)``). Returns a handle whose ``remove()`` undoes it."""
        handle = RemovableHandle(self._forward_pre_hooks, extra_dict=self._forward_pre_hooks_with_kwargs)
        self._forward_pre_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle.id] = True
        if prepend:
            self._forward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """``hook(module, args, output) -> None or new output`` runs after ``forward``
        (``hook(module, args, kwargs, output)`` with ``with_kwargs=True``). Returns a handle with ``remove()``."""
        handle = RemovableHandle(self._forward_hooks,
                                 extra_dict=[self._forward_hooks_with_kwargs, self._forward_hooks_always_called])
        self._forward_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle.id] = True
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
        if prepend:
            self._forward_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_input, grad_output) -> None or new grad_input`` runs in backward once the gradients
        of the module's tensor inputs are known (tuples, one entry per positional tensor input / tensor output)."""
        return self._add_backward_hook(self._backward_hooks, hook, prepend)

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_output) -> None or new grad_output`` runs in backward once the gradients of the module's
        outputs are known, before they go into the module."""
        return self._add_backward_hook(self._backward_pre_hooks, hook, prepend)

    @staticmethod
    def _add_backward_hook(hooks: dict, hook: Callable, prepend: bool) -> RemovableHandle:
        global backward_hooks_registered
        backward_hooks_registered = True
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def register_backward_hook(self, hook: Callable):
        raise NotImplementedError("glasstorch: Module.register_backward_hook (deprecated in torch) is not supported; "
                                  "register_full_backward_hook is")
