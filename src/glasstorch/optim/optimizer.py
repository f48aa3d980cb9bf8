"""``Optimizer``: the base class of every optimizer (parameter groups, per-parameter state, state_dict).

An optimizer holds ``param_groups``, a list of dicts; each has ``"params"`` (a list of tensors) and that group's
hyperparameters (``lr``, ``weight_decay``...; what a group leaves out comes from ``defaults``). ``state`` maps each
parameter to a dict of its running quantities (momentum buffer, moving averages, step count). ``step()`` reads
``p.grad`` and updates ``p`` in place; parameters whose ``.grad`` is None are skipped, as in torch.

Numerics shared by all subclasses: updates are computed in the parameter's dtype (float32 by default), with Python
float hyperparameters rounded to that dtype, in torch's order of operations. torch's CPU kernels fuse ``a + s * b``
(``add(alpha=)``, ``addcmul``, ``lerp``) into one fused multiply-add, a single rounding; NumPy rounds twice, so an
element may differ from torch's by one unit in the last place per step.
"""
from __future__ import annotations

import warnings
from collections import defaultdict
from copy import deepcopy
from itertools import chain
from typing import Any, Callable, Iterable

from .._backend import np
from ..autograd import enable_grad
from ..autograd.tensor_base import TensorBase, wrap

__all__ = ["Optimizer", "required"]

ParamsT = Iterable  # an iterable of tensors, of (name, tensor) pairs, or of param-group dicts


class _RequiredParameter:
    """Marks a hyperparameter without a default: every param group must then give it."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def _typename(obj) -> str:
    """The type name torch's error messages use (``glasstorch.FloatTensor``, ``int``, ``numpy.ndarray``)."""
    if isinstance(obj, TensorBase):
        return obj.type()
    cls = obj if isinstance(obj, type) else type(obj)
    module = getattr(cls, "__module__", "") or ""
    return cls.__qualname__ if module in ("", "builtins") else f"{module}.{cls.__qualname__}"


def _scalar_state(value: float = 0.0):
    """A 0-d float32 tensor, the type torch keeps a parameter's ``state["step"]`` in."""
    return wrap(np.array(value, dtype=np.float32))


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """``start ← start + weight·(end - start)`` in place, in torch's form (for weight ≥ 0.5 torch computes
    ``end - (end - start)·(1 - weight)``, which is exact at weight = 1)."""
    diff = end - start
    if abs(weight) < 0.5:
        np.multiply(diff, weight, out=diff)
        np.add(start, diff, out=start)
    else:
        np.multiply(diff, weight - 1, out=diff)
        np.add(end, diff, out=start)


def _count_step(state: dict) -> float:
    """``state["step"] += 1`` (a float32 0-d tensor, the type torch keeps it in); the new count as a float."""
    step = state["step"]._data
    step += 1
    return float(step)


def _direction(param: np.ndarray, grad: np.ndarray, maximize: bool, weight_decay: float, lr: float = 0.0,
               decoupled: bool = False) -> np.ndarray:
    """The gradient an update follows: −g when maximizing; with weight decay λ, g + λ·θ (an L2 penalty folded into
    the gradient) or, ``decoupled`` (AdamW), θ shrunk in place by (1 − lr·λ) and g left as it is."""
    if maximize:
        grad = np.negative(grad)
    if weight_decay != 0:
        if decoupled:
            np.multiply(param, 1 - lr * weight_decay, out=param)
        else:
            grad = grad + param * weight_decay
    return grad


def _ema_square_(average: np.ndarray, grad: np.ndarray, beta: float) -> np.ndarray:
    """``average ← β·average + (1 − β)·g·g`` in place, in torch's order of operations; returns the scratch array
    (free for the caller to reuse)."""
    np.multiply(average, beta, out=average)
    scaled = grad * (1 - beta)
    np.multiply(scaled, grad, out=scaled)
    np.add(average, scaled, out=average)
    return scaled


# state entries that are counters or schedules (0-d whatever the parameter's shape), not per-element buffers
_SCALAR_STATE = frozenset(("step", "eta", "mu", "mu_product"))


def _as_one_element(p, state: dict):
    """``_with_grads``'s item for a 0-d parameter: the parameter, its gradient and its per-element state buffers as
    1-element views (writes go through to the 0-d arrays), so that an update rule's temporaries are arrays that
    ``out=`` can write into. Buffers the rule creates or replaces are stored back 0-d, the shape torch keeps them in."""
    views = {key: wrap(value._data.reshape(1)) for key, value in state.items()
             if key not in _SCALAR_STATE and isinstance(value, TensorBase) and value._data.ndim == 0}
    flat = dict(state)
    flat.update(views)
    yield p, p._data.reshape(1), np.reshape(p._grad._data, 1), flat
    for key, value in flat.items():
        if views.get(key) is not value:
            if key not in _SCALAR_STATE and isinstance(value, TensorBase) and value._data.shape == (1,):
                value = wrap(value._data.reshape(()))
            state[key] = value


_LABELS = {"lr": "learning rate", "eps": "epsilon value"}


def check_hyperparameters(betas: tuple | None = None, **values: float) -> None:
    """torch's ValueError for a hyperparameter below 0 (or NaN), checked in the order given ("Invalid learning rate:
    -1"), then for betas outside [0, 1)."""
    for name, value in values.items():
        if not 0.0 <= value:
            raise ValueError(f"Invalid {_LABELS.get(name, name + ' value')}: {value}")
    for i, beta in enumerate(betas or ()):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def check_tensor_lr(lr) -> None:
    """torch takes a tensor learning rate only when it holds one number."""
    if isinstance(lr, TensorBase) and lr._data.size != 1:
        raise ValueError("Tensor lr must be 1-element")


class Optimizer:
    """Base class of all optimizers.

    Args:
        params: an iterable of tensors (one group), or of dicts (several groups, each with its own
            hyperparameters), or of ``(name, tensor)`` pairs (the names are kept in ``"param_names"``).
        defaults: the hyperparameters a group uses when it does not give its own.

    Subclasses implement ``step``; the update loops work on ndarrays (``p._data``, ``p.grad._data``) with NumPy
    ufuncs writing into existing buffers (``out=``), outside autograd, because an optimizer step runs once per
    batch for every parameter and is a hot path.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, TensorBase):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + _typename(params))
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    # ---- pickling and printing ---------------------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    # Group keys that older saved states may lack, with the value they then take (each optimizer lists its own).
    _group_fallbacks: dict[str, Any] = {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.defaults.setdefault("differentiable", False)
        for group in self.param_groups:
            for key, value in self._group_fallbacks.items():
                group.setdefault(key, value)
        for s in self.state.values():  # a step saved as a plain number becomes the 0-d tensor torch keeps
            if "step" in s and not hasattr(s["step"], "_data"):
                s["step"] = _scalar_state(float(s["step"]))

    def __repr__(self) -> str:
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    # ---- groups ------------------------------------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Adds a group of parameters (a dict with ``"params"`` and optional hyperparameters), e.g. to fine-tune
        layers that were frozen. Missing hyperparameters come from ``defaults``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, TensorBase):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                            "tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        tensors, names = [], []
        for param in params:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names

        for param in tensors:
            if not isinstance(param, TensorBase):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(param))
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)

        if len({id(p) for p in tensors}) != len(tensors):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)

        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if any(id(p) in seen for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ---- gradients and steps -----------------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clears every parameter's ``.grad``: sets it to None (default), or fills it with zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                    continue
                grad.grad_fn = None
                grad.requires_grad = False
                if grad._data.flags.writeable:
                    grad._data.fill(0)
                else:  # a read-only gradient array (a broadcast view) is replaced, never written through
                    p._grad = wrap(np.zeros_like(grad._data))

    def _with_grads(self, group: dict):
        """(parameter, its array, its gradient's array, its state) for each parameter of ``group`` that has a
        gradient: the loop every update rule runs (the gradient array is read, never written)."""
        state = self.state
        for p in group["params"]:
            if p._grad is not None:
                data = p._data
                if data.ndim:
                    yield p, data, p._grad._data, state[p]
                else:  # a 0-d parameter, seen as one element (NumPy's 0-d arithmetic returns scalars, not arrays)
                    yield from _as_one_element(p, state[p])

    def step(self, closure: Callable[[], Any] | None = None):
        """Performs one update of every parameter that has a gradient; returns ``closure()``'s loss if given."""
        raise NotImplementedError

    def _run_closure(self, closure: Callable[[], Any] | None):
        """Evaluates ``closure`` (which recomputes the loss and calls backward) with grad mode on, as torch does."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def _check_differentiable(self) -> None:
        if self.defaults.get("differentiable"):
            raise NotImplementedError("glasstorch optimizers update parameters outside autograd; "
                                      "differentiable=True is not supported")

    # ---- saving and resuming -----------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state in torch's format: ``{"state": {index: {...}}, "param_groups": [{..., "params":
        [index, ...]}]}``, parameters replaced by their position across all groups (the tensors themselves are not
        saved). State tensors are returned by reference, as torch does."""
        index_of: dict[int, int] = {}
        start = 0
        packed_groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                index_of.setdefault(id(p), i)
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            start += len(packed["params"])
            packed_groups.append(packed)
        packed_state = {(index_of[id(k)] if isinstance(k, TensorBase) else k): v for k, v in self.state.items()}
        return {"state": packed_state, "param_groups": packed_groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restores what ``state_dict()`` returned, matching saved parameters to this optimizer's by position.

        Groups must have the same sizes. Floating-point state tensors take their parameter's dtype (``"step"``
        keeps its own); the group hyperparameters (learning rates included) are those saved.
        """
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        state: defaultdict = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in id_map:
                param = id_map[key]
                state[param] = _cast(param, value)
            else:
                state[key] = value
        param_groups = []
        for group, new_group in zip(groups, saved_groups):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            param_groups.append(new_group)
        self.__setstate__({"state": state, "param_groups": param_groups})


def _cast(param, value, key=None):
    """A saved state value made ready for ``param``: floating tensors in the parameter's dtype (except ``step``),
    and writable, since the optimizer updates them in place (arrays read back from a file may be read-only)."""
    if isinstance(value, TensorBase):
        if key != "step" and param._data.dtype.kind == "f" and value._data.dtype != param._data.dtype:
            return wrap(value._data.astype(param._data.dtype))
        if not value._data.flags.writeable:
            return wrap(value._data.copy())
        return value
    if isinstance(value, dict):
        return {k: _cast(param, v, key=k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(param, v) for v in value)
    return value
