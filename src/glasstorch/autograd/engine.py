"""The backward pass: walks the graph from an output to the leaves, in topological order, without recursion.

Each node's ``backward`` gets the gradient of its output and returns one gradient per input. The engine
- sums a gradient back to its input's shape when the forward broadcast it (the one place this is done),
- casts it to the input's dtype (a float32 input of a float64 op gets a float32 gradient),
- adds up the gradients of a tensor used several times,
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
    if grad.shape != shape:
        stretched = tuple([i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1])
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def _accumulate(tensor: TensorBase, grad: np.ndarray) -> None:
    """``tensor.grad += grad`` in place as torch does (the first gradient is stored as given, or copied when it is a
    read-only broadcast view, so that ``.grad`` can always be changed in place)."""
    if tensor.grad is None:
        tensor.grad = wrap(grad if grad.flags.writeable else grad.copy())
    else:
        existing = tensor.grad._data
        if existing.flags.writeable and existing.shape == grad.shape:
            np.add(existing, grad, out=existing)
        else:
            tensor.grad = wrap(existing + grad)


def run_backward(output: TensorBase, grad: np.ndarray, retain_graph: bool, wanted: tuple = ()) -> dict:
    """Propagates ``grad`` (the gradient of ``output``) through the graph of ``output``.

    Nodes run newest first (a heap on their creation number): every node that used a node's output was created
    after it, so it has run, and the node's gradient is complete, when its own backward runs. No recursion, and no
    pass over the graph to count dependencies first. Without ``wanted`` gradients accumulate into ``.grad`` of the
    leaves. With ``wanted`` (tensors, as ``autograd.grad`` asks) nothing is accumulated and the gradient of each
    wanted tensor is returned, keyed by id.
    """
    results = {id(t): None for t in wanted} if wanted else None
    wanted_nodes = {t.grad_fn: id(t) for t in wanted if t.grad_fn is not None} if wanted else None
    root = output.grad_fn
    if root is None:  # a leaf: its gradient is the seed itself
        if wanted:
            results[id(output)] = grad
        else:
            _accumulate(output, grad.copy())
        return results or {}
    pending = {root: grad}
    heap = [(-root.seq, root)]  # (creation numbers are unique: tuples never compare the nodes)
    while heap:
        node = heappop(heap)[1]
        g = pending.pop(node)
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
            elif results is None:
                if exact and t.grad is None:  # a fresh array from an exact Function: stored as it is
                    t.grad = wrap(ig)
                else:
                    _accumulate(t, ig)
            elif id(t) in results:
                earlier = results[id(t)]
                results[id(t)] = ig if earlier is None else earlier + ig
        if not retain_graph and node._saved:  # frees what forward saved; a later backward through it raises
            node._saved = None
    return results or {}
