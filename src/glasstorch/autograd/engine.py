"""The backward pass: walks the graph from the outputs to the leaves, in topological order, without recursion.

Each node's ``backward`` gets the gradient of its output and returns one gradient per input. The engine
- sums a gradient back to its input's shape when the forward broadcast it (the one place this is done),
- casts it to the input's dtype (a float32 input of a float64 op gets a float32 gradient),
- adds up the gradients of a tensor used several times,
- runs the tensor hooks (``register_hook``) on a tensor's complete gradient,
- accumulates into ``.grad`` of leaves (and of tensors that called ``retain_grad()``),
- frees what the nodes saved unless ``retain_graph=True``.
"""
from __future__ import annotations

from heapq import heappop, heappush

from .._backend import np
from .function import FREED_GRAPH_MESSAGE
from .tensor_base import TensorBase, wrap

_ndarray = np.ndarray


def _sum_to_shape(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Undoes broadcasting: sums the axes that broadcasting added or stretched from size 1."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
        if not shape:  # a full reduction gives a NumPy scalar; a gradient is always an array
            return np.asarray(grad)
    if grad.shape != shape:
        stretched = tuple([i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1])
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def _accumulate(tensor: TensorBase, grad: np.ndarray) -> None:
    """``tensor.grad += grad`` in place as torch does (the first gradient is stored as given, or copied when it is a
    read-only broadcast view, so that ``.grad`` can always be changed in place)."""
    if tensor._grad is None:
        tensor._grad = wrap(grad if grad.flags.writeable else grad.copy())
    else:
        existing = tensor._grad._data
        if existing.flags.writeable and existing.shape == grad.shape:
            np.add(existing, grad, out=existing)
        else:
            tensor._grad = wrap(existing + grad)


def run_hooks(hooks: dict, grad: np.ndarray) -> np.ndarray:
    """Calls each tensor hook ``hook(grad)`` in registration order; a tensor it returns replaces the gradient (same shape
    and dtype, which torch checks), None keeps it (changed in place or not)."""
    for hook in list(hooks.values()):
        result = hook(wrap(grad))
        if result is None:
            continue
        if not isinstance(result, TensorBase):
            raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
        name = getattr(hook, "__name__", "<unknown>")
        if result._data.shape != grad.shape:
            raise RuntimeError(f"hook '{name}' has changed the size of value")
        if result._data.dtype != grad.dtype:
            raise RuntimeError(f"hook '{name}' has changed the type of value (was {wrap(grad).type()} got "
                               f"{result.type()})")
        grad = result._data
    return grad


def run_backward(roots: list, retain_graph: bool, wanted: tuple = ()) -> dict:
    """Propagates the gradients of ``roots`` (pairs (tensor, d(loss)/d(tensor))) through their joint graph.

    Nodes run newest first (a heap on their creation number): every node that used a node's output was created
    after it, so it has run, and the node's gradient is complete, when its own backward runs. No recursion, and no
    pass over the graph to count dependencies first. Without ``wanted`` gradients accumulate into ``.grad`` of the
    leaves. With ``wanted`` (tensors, as ``autograd.grad`` asks) nothing is accumulated and the gradient of each
    wanted tensor is returned, keyed by id.
    Tensor hooks run once per backward on a tensor's complete gradient: a non-leaf's (on its node, ``_hooks``) before
    its node's backward, a leaf's (``tensor._hooks``) when the graph is done, before it is accumulated.
    """
    results = {id(t): None for t in wanted} if wanted else None
    wanted_nodes = {t.grad_fn: id(t) for t in wanted if t.grad_fn is not None} if wanted else None
    pending, heap = {}, []  # node → the gradient of its output so far; the nodes to run, newest first
    held = {}  # id(leaf) → [leaf, summed gradient]: leaves whose gradient is handed over at the end (roots, hooked)
    for output, grad in roots:
        node = output.grad_fn
        if node is None:
            _hold(held, output, grad.copy())
        elif node in pending:
            pending[node] = pending[node] + grad
        else:
            pending[node] = grad
            heappush(heap, (-node.seq, node))  # (creation numbers are unique: tuples never compare the nodes)
    while heap:
        node = heappop(heap)[1]
        g = pending.pop(node)
        if node._hooks is not None:
            g = run_hooks(node._hooks, g)
        if wanted_nodes and node in wanted_nodes:
            results[wanted_nodes[node]] = g
        if node._retained is not None and not wanted:
            _accumulate(node._retained, g.copy())
        if node._saved is None:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        input_grads = node.backward(node, g)
        if type(input_grads) is not tuple:
            input_grads = (input_grads,)
        # the hand-off to each input, inline (one function call less per node on the hot path): the gradient is
        # fitted to the input's shape and dtype (unless the Function promises exact gradients), then goes to its
        # producing node (pending) or to the leaf
        exact, previous_grad = node.exact_grads, None
        for t, parent, ig in zip(node.inputs, node.parents, input_grads):
            if t is None or ig is None:
                continue
            if not exact:
                data = t._data
                if type(ig) is not _ndarray:
                    ig = np.asarray(ig)
                if ig.shape != data.shape:
                    ig = _sum_to_shape(ig, data.shape)
                if ig.dtype is not data.dtype and ig.dtype != data.dtype:  # (`is` settles most: one dtype, one object)
                    ig = ig.astype(data.dtype)
                if ig is previous_grad:  # one array handed to two inputs (a + a, Add's backward) must not be shared
                    ig = ig.copy()
                previous_grad = ig
            if parent is not None:
                earlier = pending.get(parent)
                if earlier is None:
                    pending[parent] = ig
                    heappush(heap, (-parent.seq, parent))
                else:
                    pending[parent] = earlier + ig
            elif t._hooks is not None or (held and id(t) in held):  # a leaf whose gradient waits for the end
                if results is None or id(t) in results:
                    _hold(held, t, ig)
            elif results is None:
                if exact and t._grad is None:  # a fresh array from an exact Function: stored as it is
                    t._grad = wrap(ig)
                else:
                    _accumulate(t, ig)
            elif id(t) in results:
                earlier = results[id(t)]
                results[id(t)] = ig if earlier is None else earlier + ig
        if not retain_graph and node._saved:  # frees what forward saved; a later backward through it raises
            node._saved = None
    for t, g in held.values():
        if t._hooks is not None:
            g = run_hooks(t._hooks, g)
        if results is None:
            _accumulate(t, g)
        elif id(t) in results:
            earlier = results[id(t)]
            results[id(t)] = g if earlier is None else earlier + g
    return results or {}


def backward_into(inputs, roots: list, retain_graph: bool) -> None:
    """``backward(inputs=...)``: the gradients of ``roots`` accumulate into ``.grad`` of ``inputs`` only (a tensor or a
    sequence); a non-leaf among them keeps its ``.grad`` from now on, as ``retain_grad()`` makes it."""
    inputs = tuple(inputs) if isinstance(inputs, (list, tuple)) else (inputs,)
    if not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    for t in inputs:
        t.retain_grad()  # (torch's error for a tensor that does not require grad is retain_grad's)
    found = run_backward(roots, retain_graph, inputs)
    for t in inputs:
        if found[id(t)] is not None:
            _accumulate(t, found[id(t)].copy())  # (a copy: one array may be the gradient of two inputs)


def _hold(held: dict, leaf: TensorBase, grad: np.ndarray) -> None:
    entry = held.get(id(leaf))
    if entry is None:
        held[id(leaf)] = [leaf, grad]
    else:
        entry[1] = entry[1] + grad
