"""Parity with torch of module backward hooks: ``register_full_backward_hook`` (grad_input, grad_output; replacing
grad_input) and ``register_full_backward_pre_hook`` (replacing grad_output), on layers, on modules with two inputs or
two outputs, with inputs that do not require grad (torch's warning), and their errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, compare  # noqa: E402


def twin_models(make):
    """The same module in torch and glasstorch, glasstorch's weights copied from torch's."""
    theirs, ours = make(torch), make(glasstorch)
    ours.load_state_dict({k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return theirs, ours


def mlp(lib, activation="ReLU"):
    nn = lib.nn
    return nn.Sequential(nn.Linear(3, 4), getattr(nn, activation)(), nn.Linear(4, 2))


def grads(values):
    return [None if g is None else g.clone() for g in values]


def run_logged(model, lib, x, x_requires_grad):
    log = []
    for layer in model:
        layer.register_full_backward_hook(lambda m, gi, go: log.append((type(m).__name__, grads(gi), grads(go))))
    inp = lib.tensor(x, requires_grad=x_requires_grad)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model(inp).sum().backward()
    messages = [str(w.message) for w in caught if "Full backward hook" in str(w.message)]
    return log, inp.grad, messages


@pytest.mark.parametrize("x_requires_grad", [True, False])
def test_layer_hooks_see_the_gradients_torch_sees(x_requires_grad):
    theirs, ours = twin_models(mlp)
    x = arr(5, 3)
    their_log, their_x_grad, their_warnings = run_logged(theirs, torch, x, x_requires_grad)
    our_log, our_x_grad, our_warnings = run_logged(ours, glasstorch, x, x_requires_grad)
    assert [name for name, _, _ in our_log] == [name for name, _, _ in their_log] == ["Linear", "ReLU", "Linear"]
    compare([gi for _, gi, _ in our_log], [gi for _, gi, _ in their_log], what="grad_input")
    compare([go for _, _, go in our_log], [go for _, _, go in their_log], what="grad_output")
    compare(our_x_grad, their_x_grad)
    assert our_warnings == their_warnings and len(our_warnings) == (0 if x_requires_grad else 1)


def test_the_course_s_vanishing_gradients_seen_through_hooks():
    """Gradient norms per layer of a deep sigmoid network, as a learner would watch them shrink."""
    def make(lib):
        lib.manual_seed(0)
        layers = []
        for _ in range(6):
            layers += [lib.nn.Linear(8, 8), lib.nn.Sigmoid()]
        return lib.nn.Sequential(*layers)

    def norms(model, lib):
        seen = []
        for layer in model:
            if isinstance(layer, lib.nn.Linear):
                layer.register_full_backward_hook(lambda m, gi, go: seen.append(go[0].norm().item()))
        model(lib.tensor(x, requires_grad=True)).sum().backward()
        return seen

    x = arr(4, 8)
    theirs, ours = twin_models(make)
    their_norms, our_norms = norms(theirs, torch), norms(ours, glasstorch)
    np.testing.assert_allclose(our_norms, their_norms, rtol=1e-5)
    assert their_norms[-1] < their_norms[0]  # the first layer (reached last) gets the smallest gradient


def test_a_hook_can_replace_grad_input_and_a_pre_hook_grad_output():
    def run(lib, model):
        model[0].register_full_backward_hook(lambda m, gi, go: (gi[0] * 0,))
        model[2].register_full_backward_pre_hook(lambda m, go: (go[0] * 2,))
        x = lib.tensor(arr_x, requires_grad=True)
        model(x).sum().backward()
        return x.grad, [p.grad for p in model.parameters()]

    arr_x = arr(5, 3)
    theirs, ours = twin_models(mlp)
    compare(run(glasstorch, ours), run(torch, theirs))


def test_pre_hooks_run_before_hooks_and_remove_takes_them_out():
    def run(lib):
        order = []
        layer = lib.nn.Linear(3, 2)
        full = layer.register_full_backward_hook(lambda m, gi, go: order.append("full"))
        layer.register_full_backward_pre_hook(lambda m, go: order.append("pre"))
        out = layer(lib.ones(1, 3, requires_grad=True))
        names = [out.grad_fn.name(), out.grad_fn.next_functions[0][0].name()]
        out.sum().backward()
        full.remove()
        layer(lib.ones(1, 3, requires_grad=True)).sum().backward()
        with lib.no_grad():
            untracked = layer(lib.ones(1, 3)).grad_fn
        return order, names, untracked

    assert run(glasstorch) == run(torch) == (["pre", "full", "pre"],
                                               ["BackwardHookFunctionBackward", "AddmmBackward0"], None)


def test_two_inputs_and_two_outputs():
    def run(lib):
        seen = {}

        class Product(lib.nn.Module):
            def forward(self, a, b):
                return a * b

        class Pair(lib.nn.Module):
            def forward(self, a):
                return a * 2, a * 3

        product, pair = Product(), Pair()
        product.register_full_backward_hook(lambda m, gi, go: seen.update(product=(grads(gi), grads(go))))
        pair.register_full_backward_hook(lambda m, gi, go: seen.update(pair=(grads(gi), grads(go))))
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        product(a, lib.tensor([3.0, 4.0])).sum().backward()  # b needs no grad: a zero grad_input for it
        first, _ = pair(a)
        first.sum().backward()  # the second output is unused: None in grad_output
        return seen["product"], seen["pair"], a.grad

    compare(run(glasstorch), run(torch))


def _raises_alike(fn) -> str:
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(theirs.type) as ours:
        fn(glasstorch)
    assert str(ours.value) == str(theirs.value)
    return str(ours.value)


def test_a_hook_returning_the_wrong_number_of_gradients_raises():
    def full(lib):
        layer = lib.nn.Linear(3, 2)
        layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
        layer(lib.ones(1, 3, requires_grad=True)).sum().backward()

    def pre(lib):
        layer = lib.nn.Linear(3, 2)
        layer.register_full_backward_pre_hook(lambda m, go: (go[0], go[0]))
        layer(lib.ones(1, 3, requires_grad=True)).sum().backward()

    assert "invalid number of grad_input, got 2, but expected 1" in _raises_alike(full)
    assert "invalid number of grad_output, got 2, but expected 1" in _raises_alike(pre)


def test_a_hook_must_return_a_tuple():
    layer = glasstorch.nn.Linear(3, 2)
    layer.register_full_backward_hook(lambda m, gi, go: gi[0] * 0)
    with pytest.raises(RuntimeError, match="must return None or a tuple of grad_input, but got Tensor"):
        layer(glasstorch.ones(1, 3, requires_grad=True)).sum().backward()
