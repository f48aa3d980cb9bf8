"""The backward pass: walks the graph from an output to the leaves, in topological order, without recursion.

Each node's ``backward`` gets the gradient of its output and returns one gradient per input. The engine
- sums a gradient back to its input's shape when the forward broadcast it (the one place this is done),
- casts it to the input's dtype (a float32 input of a float64 op gets a float32 gradient),
- adds up the gradients of a tensor used several times,
- accumulates into ``.grad`` of leaves (and of tensors that called ``retain_grad()``),
- frees what the nodes saved unless ``retain_graph=True``.
"""
from __future__ import annotations

from .._backend import np
from .function import FREED_GRAPH_MESSAGE
from .tensor_base import TensorBase, wrap


def _sum_to_shape(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Undoes broadcasting: sums the axes that broadcasting added or stretched from size 1."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad.reshape(shape) if grad.shape != shape else grad


def _fit(grad, tensor: TensorBase) -> np.ndarray:
    data = tensor._data
    if type(grad) is not np.ndarray:
        grad = np.asarray(grad)
    if grad.shape != data.shape:
        grad = _sum_to_shape(grad, data.shape)
    if grad.dtype != data.dtype:
        grad = grad.astype(data.dtype)
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


def _topological_order(root) -> list:
    """Nodes reachable from ``root``, each after every node that consumes its output (output first)."""
    post_order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            post_order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        for parent in node.parents:
            if parent is not None and parent not in seen:
                stack.append((parent, False))
    post_order.reverse()
    return post_order


def run_backward(output: TensorBase, grad: np.ndarray, retain_graph: bool, wanted: tuple = ()) -> dict:
    """Propagates ``grad`` (the gradient of ``output``) through the graph of ``output``.

    Without ``wanted`` gradients accumulate into ``.grad`` of the leaves. With ``wanted`` (tensors, as
    ``autograd.grad`` asks) nothing is accumulated and the gradient of each wanted tensor is returned, keyed by id.
    """
    results = {id(t): None for t in wanted}
    wanted_nodes = {t.grad_fn: id(t) for t in wanted if t.grad_fn is not None}
    root = output.grad_fn
    if root is None:  # a leaf: its gradient is the seed itself
        if wanted:
            results[id(output)] = grad
        else:
            _accumulate(output, grad.copy())
        return results
    pending = {root: grad}
    for node in _topological_order(root):
        g = pending.pop(node, None)
        if g is not None:
            if node in wanted_nodes:
                results[wanted_nodes[node]] = g
            if node._retained is not None and not wanted:
                _accumulate(node._retained, g.copy())
            if node._saved is None:
                raise RuntimeError(FREED_GRAPH_MESSAGE)
            _propagate(node, node.backward(node, g), pending, results if wanted else None)
        if not retain_graph:
            node.release()
    return results


def _propagate(node, input_grads, pending: dict, results: dict | None) -> None:
    """Hands each input's gradient to its producing node (pending) or to the leaf."""
    if type(input_grads) is not tuple:
        input_grads = (input_grads,)
    handed_out = []
    for t, parent, ig in zip(node.inputs, node.parents, input_grads):
        if t is None or ig is None:
            continue
        ig = _fit(ig, t)
        if any(ig is h for h in handed_out):  # one array reaching two places must not be shared
            ig = ig.copy()
        handed_out.append(ig)
        if parent is not None:
            previous = pending.get(parent)
            pending[parent] = ig if previous is None else previous + ig
        elif results is None:
            _accumulate(t, ig)
        elif id(t) in results:
            previous = results[id(t)]
            results[id(t)] = ig if previous is None else previous + ig
