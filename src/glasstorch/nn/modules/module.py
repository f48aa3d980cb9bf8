"""``nn.Module``: the base class of every layer and model.

A Module keeps three ordered registries, filled by plain attribute assignment in ``__init__``:
``_parameters`` (``nn.Parameter`` values), ``_buffers`` (tensors registered with ``register_buffer``, such as
BatchNorm's running statistics) and ``_modules`` (child Modules). Everything else (``parameters()``,
``state_dict()``, ``train()``, ``repr``...) walks these registries, children in the order they were assigned.
Each registry also keeps its entries in the module's ``__dict__`` (``_registry.py``), so that ``self.linear1`` in a
``forward`` is a plain attribute lookup.

Calling a module runs ``forward`` (through the forward pre-hooks and hooks when any are registered: ``hooks.py``);
``state_dict``/``load_state_dict`` live in ``_state_dict.py``, the walks over the tree (``parameters()``,
``named_modules()``...) in ``_tree.py``.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from ... import _dtype
from ..._device import check_device, no_cuda
from ..._tensor import Tensor
from ...autograd import no_grad
from ...autograd.tensor_base import TensorBase
from ..parameter import Parameter
from ._registry import Registry
from ._state_dict import StateDictMixin
from ._tree import TreeMixin
from . import hooks as _hooks
from .hooks import HooksMixin

__all__ = ["Module"]

_REGISTRIES = ("_parameters", "_buffers", "_modules")


def _typename(obj) -> str:
    """torch.typename: 'torch.FloatTensor' for tensors (here glasstorch.FloatTensor), the qualified class otherwise."""
    if isinstance(obj, TensorBase):
        return obj.type()
    cls = type(obj)
    module = cls.__module__
    return cls.__qualname__ if module in ("builtins", None) else f"{module}.{cls.__qualname__}"


def _indent(text: str, spaces: int) -> str:
    """Indents every line after the first (blank lines stay empty), as nested module reprs need."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    pad = " " * spaces
    return lines[0] + "\n" + "\n".join(pad + line if line.strip() else "" for line in lines[1:])


class Module(HooksMixin, StateDictMixin, TreeMixin):
    """Base class for all neural network modules; subclasses assign layers in ``__init__`` and define ``forward``.

    ::

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.linear1 = nn.Linear(3, 3)   # registered as a child module
            def forward(self, x):
                return torch.relu(self.linear1(x))
    """

    training: bool
    _version: int = 1  # stored in state_dict metadata; subclasses that change their state layout raise it

    def __init__(self, *args, **kwargs) -> None:
        if kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword argument '{next(iter(kwargs))}'")
        if args:
            raise TypeError(f"{type(self).__name__}.__init__() takes 1 positional argument but {len(args) + 1} were given")
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = Registry(self)  # (each entry also in __dict__: see _registry.py)
        d["_buffers"] = Registry(self)
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = Registry(self)
        d["_forward_hooks"] = OrderedDict()
        d["_forward_hooks_with_kwargs"] = {}
        d["_forward_hooks_always_called"] = {}
        d["_forward_pre_hooks"] = OrderedDict()
        d["_forward_pre_hooks_with_kwargs"] = {}
        d["_backward_hooks"] = OrderedDict()
        d["_backward_pre_hooks"] = OrderedDict()

    def forward(self, *args, **kwargs):
        """The computation of the module; every subclass defines it."""
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    # ---- calling -----------------------------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        """``module(x)`` runs ``forward(x)``, with the registered forward pre-hooks before and hooks after (and the
        backward hooks set up: hooks.py)."""
        # (the backward hook dicts are looked at only once a module somewhere registered one: each lookup of a
        # module attribute costs ~0.1 µs, and every layer call of every step pays it)
        if not (self._forward_hooks or self._forward_pre_hooks
                or (_hooks.backward_hooks_registered and (self._backward_hooks or self._backward_pre_hooks))):
            return self.forward(*args, **kwargs)
        return self._call_with_hooks(args, kwargs)

    # ---- registration ------------------------------------------------------------------------------------------
    def _check_new_name(self, name, kind: str, registry: dict) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if hasattr(self, name) and name not in registry:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Adds ``param`` (a Parameter, or None for an absent one such as ``bias=False``) under ``name``."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_new_name(name, "parameter", self._parameters)
        if param is not None:
            if not isinstance(param, Parameter):
                raise TypeError(f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                                "(torch.nn.Parameter or None required)")
            if param.grad_fn is not None:
                raise ValueError(f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be "
                                 f"created explicitly. To express '{name}' as a function of another Tensor, compute "
                                 "the value in the forward() method.")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Adds a tensor that is state but not a parameter (BatchNorm's ``running_mean``); persistent buffers are
        part of ``state_dict()``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_new_name(name, "buffer", self._buffers)
        if tensor is not None and not isinstance(tensor, TensorBase):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: "Module | None") -> None:
        """Adds a child module, reachable as the attribute ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module

    register_module = add_module

    def __getattr__(self, name: str):
        """A registry entry missing from ``__dict__`` (the registries keep theirs there; see _registry.py), else
        torch's AttributeError. Normal attributes never reach this method."""
        d = self.__dict__
        for registry in _REGISTRIES:
            found = d.get(registry)
            if found is not None and name in found:
                return found[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        if name in _REGISTRIES and name in d:  # a whole registry replaced (Sequential renumbering its children)
            self._replace_registry(name, value)
            return
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, d, self._buffers, self._modules)
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self.register_parameter(name, None)
            return
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, d, params, self._buffers)
            modules[name] = value
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            modules[name] = None
            return
        buffers = d.get("_buffers")
        if buffers is not None and name in buffers:
            if value is not None and not isinstance(value, TensorBase):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                "(torch.nn.Buffer, torch.Tensor or None expected)")
            buffers[name] = value
            return
        object.__setattr__(self, name, value)

    def __setstate__(self, state: dict) -> None:
        """Unpickling (``glasstorch.load(..., weights_only=False)``): the saved ``__dict__``; a module pickled by torch
        holds its registries as plain dicts, which become glasstorch's mirrored registries here, and lacks nothing
        that __init__ sets (a missing hook dict is created, as torch's own __setstate__ does)."""
        d = self.__dict__
        d.update(state)
        for name in _REGISTRIES:
            found = d.get(name)
            if found is None:
                d[name] = Registry(self)
            elif not isinstance(found, Registry):
                d[name] = Registry(self, found.items())
        d.setdefault("training", True)
        d.setdefault("_non_persistent_buffers_set", set())
        for name in ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks"):
            d.setdefault(name, OrderedDict())
        for name in ("_forward_hooks_with_kwargs", "_forward_hooks_always_called", "_forward_pre_hooks_with_kwargs"):
            d.setdefault(name, {})

    def __copy__(self) -> "Module":
        """copy.copy: a new module sharing this one's registries, as torch's shallow copies do; it joins their owners,
        so that a change through either module is seen through both."""
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        for name in _REGISTRIES:
            registry = twin.__dict__.get(name)
            if isinstance(registry, Registry):
                registry.add_owner(twin)
        return twin

    def _replace_registry(self, name: str, items) -> None:
        d = self.__dict__
        for key, entry in d[name].items():  # the old registry's mirror goes
            if d.get(key) is entry:
                del d[key]
        d[name] = Registry(self, items)

    def _forget(self, name: str, *registries) -> None:
        for registry in registries:
            registry.pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self) -> list:
        keys = list(dir(type(self))) + list(self.__dict__) + list(self._parameters) + list(self._modules) \
            + list(self._buffers)
        return sorted({k for k in keys if not k[0].isdigit()})

    # ---- modes and gradients -----------------------------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        """Training mode (Dropout drops, BatchNorm uses batch statistics) for self and every descendant."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> "Module":
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        """Sets ``requires_grad`` on every parameter (freezing with False); returns self."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forgets the parameters' gradients: ``grad = None`` (default) or filled with zeros."""
        for module in self.modules():  # (a shared parameter may be met twice: harmless here)
            for param in module._parameters.values():
                if param is not None and param._grad is not None:
                    self._forget_grad(param, set_to_none)

    @staticmethod
    def _forget_grad(param: Parameter, set_to_none: bool) -> None:
        if set_to_none:
            param._grad = None
        else:
            grad = param._grad
            if grad.grad_fn is not None:
                grad.detach_()
            else:
                grad.requires_grad_(False)
            grad.zero_()

    # ---- dtype and device --------------------------------------------------------------------------------------
    def _apply(self, fn: Callable[[Tensor], Tensor]) -> "Module":
        """Replaces every parameter's values (and gradient's) and every buffer by ``fn`` of them, in place: the
        Parameter objects stay the same, so optimizers built before keep working."""
        for module in self.children():
            module._apply(fn)
        with no_grad():
            for param in self._parameters.values():
                if param is None:
                    continue
                param.data = fn(param)
                if param._grad is not None:
                    param._grad.data = fn(param._grad)
            for name, buf in self._buffers.items():
                if buf is not None:
                    self._buffers[name] = fn(buf)
        return self

    def to(self, *args, **kwargs) -> "Module":
        """``to(dtype)`` casts floating-point parameters and buffers; ``to("cpu")`` is a no-op (CPU only)."""
        target = kwargs.get("dtype")
        for arg in list(args) + [kwargs.get("device")]:
            if arg is None:
                continue
            if isinstance(arg, TensorBase):
                target = arg.dtype
            elif isinstance(arg, _dtype.dtype):
                target = arg
            elif str(arg) != "cpu":
                check_device(arg)  # torch's error for another device, or for a string that names none
        if target is None:
            return self
        if not target.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating point or complex dtypes, but got desired "
                            f"dtype={target}")
        return self._apply(lambda t: t.to(target) if t.is_floating_point() else t)

    def float(self) -> "Module":
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self) -> "Module":
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self) -> "Module":
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    def type(self, dst_type) -> "Module":
        return self._apply(lambda t: t.type(dst_type))

    def cpu(self) -> "Module":
        return self

    def cuda(self, device=None) -> "Module":
        """Raises what a CPU-only torch raises: ``AssertionError: Torch not compiled with CUDA enabled``."""
        raise no_cuda()

    # ---- printing ----------------------------------------------------------------------------------------------
    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (``in_features=3, ...``); subclasses override it."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = ["(" + name + "): " + _indent(repr(module), 2) for name, module in self._modules.items()]
        if len(extra_lines) == 1 and not child_lines:
            return self._get_name() + "(" + extra_lines[0] + ")"
        lines = extra_lines + child_lines
        if not lines:
            return self._get_name() + "()"
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"
