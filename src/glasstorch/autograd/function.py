"""Function: one primitive operation with its forward and backward on arrays, and the graph node it leaves behind.

A subclass writes two static methods that work on NumPy arrays only:

    forward(ctx, *args)  -> array          (args: arrays for tensor inputs, plain values otherwise)
    backward(ctx, grad)  -> grad or tuple  (one gradient per forward argument, None where there is none)

``Function.apply(*args)`` runs ``forward``; when grad mode is on and an input requires grad, the ``ctx`` object
becomes the output's ``grad_fn``: a node that remembers its inputs, the node that produced each of them (``parents``,
taken at forward time, so that a later in-place operation on an input does not rewire this node), its creation
number ``seq`` (the engine runs nodes newest first) and what ``backward`` needs.
Gradients for broadcast inputs are summed back to the input's shape by the engine, never by a Function.
"""
from __future__ import annotations

from itertools import count

from .._backend import np
from .grad_mode import state as _grad  # the module-level switch, read once per operation
from .tensor_base import TensorBase, wrap

_ndarray = np.ndarray  # looked up once: every operation checks its result's type
_next_seq = count().__next__  # creation numbers of graph nodes: the engine runs the newest first

FREED_GRAPH_MESSAGE = ("Trying to backward through the graph a second time (or directly access saved tensors after they have "
          "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
          "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
          "if you need to access saved tensors after calling backward.")


def needs_grad(ctx, i: int) -> bool:
    """Whether forward's argument ``i`` needs a gradient (the cheap form of ``ctx.needs_input_grad[i]``)."""
    return ctx.inputs[i] is not None


class AccumulateGrad:
    """The node torch shows in ``next_functions`` for a leaf tensor that requires grad (``variable``: the leaf);
    here only a view for reading the graph: the engine accumulates into a leaf's ``.grad`` itself."""

    __slots__ = ("variable",)
    next_functions = ()

    def __init__(self, variable) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __eq__(self, other) -> bool:
        return type(other) is AccumulateGrad and other.variable is self.variable

    def __hash__(self) -> int:
        return id(self.variable)

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"


class GraphView:
    """A node torch's graph has where glasstorch fuses it into another (the TBackward0 of a linear layer's weight):
    a name and next_functions, for reading the graph only."""

    __slots__ = ("_name", "next_functions")

    def __init__(self, name: str, next_functions: tuple) -> None:
        self._name, self.next_functions = name, next_functions

    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"<{self._name} object at {id(self):#x}>"


class _NodeNames:
    """How torch shows a graph node: its name (``grad_fn.name()``, ``AddBackward0``) and ``next_functions``, for
    reading the graph (printing a grad_fn, drawing it); the engine never uses them. Function's base class, apart so
    that Function reads as the node itself."""

    label: str | None = None  # torch's node name when a composed operation ends in this node (squeeze → SqueezeBackward1)
    # torch lists a Python number operand of +, −, ×, ÷ (a wrapped 0-dim tensor there) as (None, 0); other Functions
    # list their tensor arguments only
    lists_numbers = False

    @property
    def next_functions(self) -> tuple:
        """(node, 0) per tensor input, as torch shows them: the node that made it, an ``AccumulateGrad`` for a leaf
        that requires grad, None for a tensor that does not (arguments that are not tensors are left out)."""
        numbers = self.lists_numbers
        found = tuple((None if t is None else (p or AccumulateGrad(t)), 0) for t, p in zip(self.inputs, self.parents)
                      if p is not False or numbers)
        return found[::-1] if numbers and self.parents[0] is False else found  # (2 * t: torch lists t first)

    def name(self) -> str:
        """torch's name for this node (``AddBackward0``): the label a composed operation gave it, else the name
        the Function gives for this call (``_kind_name``), else ``backward_name`` or the class name + Backward0."""
        return self.label or self._kind_name()

    def _kind_name(self) -> str:
        return type(self).node_name()

    @classmethod
    def node_name(cls) -> str:
        return cls.__dict__.get("backward_name") or cls.__name__ + "Backward0"

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"


class Function(_NodeNames):
    """Base class of every differentiable operation (and of user-defined ones, as in torch)."""

    # Set by apply() on the node, aligned with forward's args: the input tensors that need a gradient (None elsewhere),
    # the grad_fn each of them had at forward time (None for leaves), and the node's creation number.
    inputs: tuple
    parents: tuple
    seq: int
    _saved: tuple | None = ()
    _retained = None  # the output tensor, when it called retain_grad()
    _hooks = None  # the output tensor's hooks (register_hook), {handle id: hook}
    # True when backward always returns each gradient as a new, writeable array (or a view of one that nothing else
    # holds) with its input's shape and dtype: the engine then hands the gradients on, and stores them as .grad,
    # without checks (~2 µs less per node)
    exact_grads = False

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    # ---- ctx API (torch's names) -------------------------------------------------------------------------------
    def save_for_backward(self, *arrays) -> None:
        self._saved = arrays

    @property
    def saved_tensors(self) -> tuple:
        if self._saved is None:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        return self._saved

    @property
    def needs_input_grad(self) -> tuple:
        return tuple(t is not None for t in self.inputs)

    # ---- running a Function ------------------------------------------------------------------------------------
    @classmethod
    def apply(cls, *args):
        ctx = object.__new__(cls)
        if len(args) == 1 and isinstance(args[0], TensorBase):  # unary operations (relu, exp...): no loop
            a = args[0]
            out = cls.forward(ctx, a._data)
            tracked = a.requires_grad
            if tracked:
                inputs, parents = (a,), (a.grad_fn,)
        else:
            # one pass over the arguments: the arrays for forward, and (aligned with args) the inputs that need a
            # gradient with the node that produced each now; a plain loop, cheaper than comprehensions (own frames)
            arrays, inputs, parents, tracked = [], [], [], False
            for a in args:
                if isinstance(a, TensorBase):
                    arrays.append(a._data)
                    if a.requires_grad:
                        tracked = True
                        inputs.append(a)
                        parents.append(a.grad_fn)
                        continue
                    inputs.append(None)
                    parents.append(None)
                    continue
                arrays.append(a)
                inputs.append(None)
                parents.append(False)  # (not a tensor: next_functions leaves it out; the engine never reads it)
            out = cls.forward(ctx, *arrays)
        if type(out) is not _ndarray:  # reductions to one number return NumPy scalars
            out = np.asarray(out)
        if tracked and _grad.enabled and out.dtype.kind == "f":  # ctx becomes the result's grad_fn
            ctx.inputs, ctx.parents, ctx.seq = tuple(inputs), tuple(parents), _next_seq()
            return wrap(out, True, ctx)
        return wrap(out)
