"""The autograd API against torch: backward with a gradient, retain_graph, accumulation, retain_grad, detach,
grad-mode switches, autograd.grad, the error cases, in-place operations and graph bookkeeping."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from glasstorch.autograd import grad_mode  # noqa: E402

LIBS = [torch, glasstorch]


def _np(t):
    return None if t is None else np.asarray(t.detach().numpy(), dtype=np.float64)


def same(fn, rtol=1e-5, atol=1e-6):
    """Runs ``fn(lib)`` for torch and glasstorch; the results (tensors, numbers, None, nested tuples) must agree."""
    theirs, ours = fn(torch), fn(glasstorch)
    _compare(ours, theirs, rtol, atol)
    return ours


def _compare(ours, theirs, rtol, atol):
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, glasstorch.Tensor), type(ours)
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        np.testing.assert_allclose(_np(ours), _np(theirs), rtol=rtol, atol=atol)
    elif isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _compare(o, t, rtol, atol)
    else:
        assert ours == theirs, (ours, theirs)


def raises_same(fn, match=None):
    with pytest.raises(Exception) as theirs:
        fn(torch)
    with pytest.raises(theirs.type, match=match) as ours:
        fn(glasstorch)
    return str(ours.value), str(theirs.value)


def leaf(lib, values=(1.0, -2.0, 3.0), **kwargs):
    return lib.tensor(list(values), requires_grad=True, **kwargs)


# ---- backward ------------------------------------------------------------------------------------------------------

def test_backward_of_a_scalar_fills_leaf_grads():
    def fn(lib):
        x = leaf(lib)
        w = lib.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
        y = (w @ x).tanh().sum()
        y.backward()
        return x.grad, w.grad, x.is_leaf, y.is_leaf, y.requires_grad
    same(fn)


def test_backward_with_an_explicit_gradient():
    def fn(lib):
        x = leaf(lib)
        y = x * x
        y.backward(lib.tensor([1.0, 0.5, -1.0]))
        return x.grad
    same(fn)
    same(lambda lib: (lambda x: ((x * 2).backward(gradient=lib.tensor([1.0, 1.0, 2.0])), x.grad)[1])(leaf(lib)))


def test_gradients_accumulate_across_backward_calls():
    def fn(lib):
        x = leaf(lib)
        (x * x).sum().backward()
        first = x.grad.clone()
        (x * 3).sum().backward()
        return first, x.grad
    same(fn)


def test_grad_zeroed_and_set_to_none():
    def fn(lib):
        x = leaf(lib)
        (x * x).sum().backward()
        x.grad.zero_()
        (x * 2).sum().backward()
        g = x.grad.clone()
        x.grad = None
        (x * 5).sum().backward()
        return g, x.grad
    same(fn)


@pytest.mark.parametrize("reduce", ["sum", "mean", "expand", "reshape", "index", "clone"])
def test_leaf_grads_are_writable_and_accumulate_in_place(reduce):
    # a gradient handed back as a broadcast view must still become an ordinary .grad (zero_() and += work)
    ops = {"sum": lambda x: x.sum(), "mean": lambda x: x.mean(), "expand": lambda x: x.expand(2, 3).sum(),
           "reshape": lambda x: x.reshape(3, 1).sum(), "index": lambda x: x[1:].sum(), "clone": lambda x: x.clone().sum()}

    def fn(lib):
        x = leaf(lib)
        ops[reduce](x).backward()
        ops[reduce](x).backward()
        first = x.grad.clone()
        x.grad.zero_()
        x.grad += 1
        ops[reduce](x).backward()
        return first, x.grad
    same(fn)


def test_a_tensor_used_twice_gets_the_sum_of_both_paths():
    def fn(lib):
        x = leaf(lib)
        y = x.exp() * x + x.sin() - x / 2
        y.sum().backward()
        return x.grad
    same(fn)


def test_retain_graph_allows_a_second_backward():
    def fn(lib):
        x = leaf(lib)
        y = (x.exp() * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    same(fn)


def test_retain_grad_keeps_non_leaf_gradients():
    def fn(lib):
        x = leaf(lib)
        h = x * 2
        h.retain_grad()
        z = h * h
        z.retain_grad()
        out = z.sum()
        out.backward()
        m = x * 3
        return h.grad, z.grad, x.grad, h.retains_grad, m.retains_grad, x.retains_grad, m.grad
    with pytest.warns(UserWarning, match="not a leaf Tensor"):  # m.grad: .grad of a non-leaf warns, in both
        theirs = fn(torch)
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        ours = fn(glasstorch)
    _compare(ours, theirs, 1e-6, 1e-6)


def test_requires_grad_flags_propagate():
    def fn(lib):
        a = lib.ones(2)
        b = lib.ones(2, requires_grad=True)
        return ((a + 1).requires_grad, (a + b).requires_grad, (a * 2).grad_fn is None, b.requires_grad_(False).requires_grad,
                a.requires_grad_().requires_grad, (a * 2).requires_grad, (a > 0).requires_grad, a.argmax().requires_grad)
    same(fn)


def test_integer_outputs_do_not_require_grad():
    def fn(lib):
        x = leaf(lib)
        return ((x > 0).requires_grad, x.argmax().requires_grad, x.long().requires_grad, x.max(0).indices.requires_grad,
                x.sort().indices.requires_grad)
    same(fn)


def test_detach_shares_memory_and_leaves_the_graph():
    def fn(lib):
        x = leaf(lib)
        d = (x * 2).detach()
        e = x.detach()
        with lib.no_grad():
            e[0] = 10.0  # shares memory with x
        y = (x * d).sum()
        y.backward()
        return d.requires_grad, d.grad_fn is None, d.is_leaf, x.grad, x.data
    same(fn)


def test_data_attribute_is_detached_and_assignable():
    def fn(lib):
        x = leaf(lib)
        x.data = lib.tensor([4.0, 5.0, 6.0])
        (x * x).sum().backward()
        return x.data.requires_grad, x.grad, x.requires_grad
    same(fn)


def test_detach_in_place():
    def fn(lib):
        x = leaf(lib)
        y = x * 2
        y.detach_()
        return y.requires_grad, y.grad_fn is None, y.is_leaf
    same(fn)


# ---- grad mode ----------------------------------------------------------------------------------------------------

def test_no_grad_context_manager():
    def fn(lib):
        x = leaf(lib)
        with lib.no_grad():
            y = x * 2
            inner = lib.is_grad_enabled()
        return y.requires_grad, y.grad_fn is None, inner, lib.is_grad_enabled()
    same(fn)


def test_no_grad_decorator_and_nesting_with_enable_grad():
    def fn(lib):
        x = leaf(lib)

        @lib.no_grad()
        def f(t):
            with lib.enable_grad():
                inside = (t * 2).requires_grad
            return t * 2, inside

        y, inside = f(x)
        return y.requires_grad, inside, lib.is_grad_enabled()
    same(fn)


def test_enable_grad_decorator_inside_no_grad():
    def fn(lib):
        x = leaf(lib)

        @lib.enable_grad()
        def f(t):
            return t * 2

        with lib.no_grad():
            y = f(x)
        return y.requires_grad
    same(fn)


def test_set_grad_enabled_as_call_and_context_manager():
    def fn(lib):
        x = leaf(lib)
        with lib.set_grad_enabled(False):
            a = (x * 2).requires_grad
        with lib.set_grad_enabled(True):
            b = (x * 2).requires_grad
        lib.set_grad_enabled(False)
        c = (x * 2).requires_grad
        lib.set_grad_enabled(True)
        d = (x * 2).requires_grad
        return a, b, c, d, lib.is_grad_enabled()
    same(fn)


def test_grad_mode_restored_after_an_exception():
    with pytest.raises(ValueError):
        with glasstorch.no_grad():
            raise ValueError("boom")
    assert glasstorch.is_grad_enabled() and grad_mode.state.enabled


def test_no_grad_decorator_on_a_function_without_parentheses_args():
    @glasstorch.no_grad()
    def f():
        return glasstorch.is_grad_enabled()
    assert f() is False and glasstorch.is_grad_enabled()


def test_bare_decorators_without_parentheses():
    def fn(lib):
        @lib.no_grad
        def f(t):
            return (t * 2).requires_grad, lib.is_grad_enabled()

        @lib.enable_grad
        def h(t):
            return (t * 2).requires_grad

        with lib.no_grad():
            inner = h(leaf(lib))
        return f(leaf(lib)), inner, f.__name__, lib.is_grad_enabled()
    same(fn)


def test_set_grad_enabled_as_decorator():
    def fn(lib):
        @lib.set_grad_enabled(False)
        def f(t):
            return (t * 2).requires_grad
        return f(leaf(lib)), lib.is_grad_enabled()
    same(fn)


# ---- autograd.grad ------------------------------------------------------------------------------------------------

def test_autograd_grad_returns_gradients_without_touching_grad():
    def fn(lib):
        x = leaf(lib)
        w = leaf(lib, (0.5, 0.25, -1.0))
        y = (x * w).sum() + (x ** 2).sum()
        gx, gw = lib.autograd.grad(y, (x, w))
        return gx, gw, x.grad is None, w.grad is None
    same(fn)


def test_autograd_grad_of_intermediate_and_grad_outputs():
    def fn(lib):
        x = leaf(lib)
        h = x.exp()
        y = h * x
        (gh,) = lib.autograd.grad(y, h, grad_outputs=lib.tensor([1.0, 2.0, 3.0]), retain_graph=True)
        (gx,) = lib.autograd.grad([y.sum()], [x])
        return gh, gx
    same(fn)


def test_autograd_grad_of_several_outputs_adds_them():
    def fn(lib):
        x = leaf(lib)
        return lib.autograd.grad([(x * 2).sum(), (x * x).sum()], x)
    same(fn)


def test_autograd_grad_unused_input():
    raises_same(lambda lib: (lambda x, y: lib.autograd.grad((x * 2).sum(), [x, y]))(leaf(lib), leaf(lib)))

    def fn(lib):
        x, y = leaf(lib), leaf(lib)
        return lib.autograd.grad((x * 2).sum(), [x, y], allow_unused=True)[1] is None
    same(fn)


def test_autograd_grad_frees_the_graph_unless_retained():
    def fn(lib):
        x = leaf(lib)
        y = (x.exp()).sum()
        lib.autograd.grad(y, x)
        lib.autograd.grad(y, x)
    raises_same(fn)


def test_autograd_backward_function():
    def fn(lib):
        x = leaf(lib)
        lib.autograd.backward([(x * x).sum()])
        lib.autograd.backward(x * 2, grad_tensors=lib.ones(3))
        return x.grad
    same(fn)


# ---- errors as torch raises them -----------------------------------------------------------------------------------

ERRORS = {
    "non_scalar_backward": lambda lib: (leaf(lib) * 2).backward(),
    "backward_without_grad": lambda lib: lib.ones(3).sum().backward(),
    "second_backward": lambda lib: (lambda y: (y.backward(), y.backward()))((leaf(lib).exp() * 2).sum()),
    "second_backward_through_shared_part": lambda lib: (lambda x: (lambda h: ((h * 2).sum().backward(),
                                                                              (h * 3).sum().backward()))(x.exp()))(leaf(lib)),
    "inplace_on_leaf": lambda lib: leaf(lib).add_(1),
    "inplace_mul_on_leaf": lambda lib: leaf(lib).mul_(2),
    "setitem_on_leaf": lambda lib: leaf(lib).__setitem__(0, 1.0),
    "fill_on_leaf": lambda lib: leaf(lib).fill_(0.0),
    "zero_on_leaf": lambda lib: leaf(lib).zero_(),
    "copy_on_leaf": lambda lib: leaf(lib).copy_(lib.ones(3)),
    "clamp_on_leaf": lambda lib: leaf(lib).clamp_(0, 1),
    "uniform_on_leaf": lambda lib: leaf(lib).uniform_(),
    "normal_on_leaf": lambda lib: leaf(lib).normal_(),
    "integer_requires_grad": lambda lib: lib.tensor([1, 2], requires_grad=True),
    "integer_requires_grad_": lambda lib: lib.tensor([1, 2]).requires_grad_(),
    "non_leaf_requires_grad_false": lambda lib: (leaf(lib) * 2).requires_grad_(False),
    "numpy_of_requires_grad": lambda lib: leaf(lib).numpy(),
    "retain_grad_without_grad": lambda lib: lib.ones(2).retain_grad(),
    "gradient_shape_mismatch": lambda lib: (leaf(lib) * 2).backward(lib.ones(2)),
    "item_of_many": lambda lib: lib.ones(3).item(),
    "bool_of_many": lambda lib: bool(lib.ones(3)),
    "len_of_scalar": lambda lib: len(lib.tensor(1.0)),
    "iter_of_scalar": lambda lib: iter(lib.tensor(1.0)),
    "index_of_float": lambda lib: [1, 2, 3][lib.tensor(1.0)],
    "iadd_float_into_int": lambda lib: lib.tensor([1, 2]).__iadd__(1.5),
    "div_int_in_place": lambda lib: lib.tensor([1, 2]).div_(2),
    "mul_float_tensor_into_int": lambda lib: lib.tensor([1, 2]).mul_(lib.ones(2)),
    "add_into_smaller": lambda lib: lib.ones(3).add_(lib.ones(2, 3)),
    "add_into_smaller_with_graph": lambda lib: (leaf(lib) * 1).add_(lib.ones(2, 3)),
    "add_mismatched_in_place": lambda lib: lib.ones(2).add_(lib.ones(3)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_class_matches_torch(name):
    raises_same(ERRORS[name])


def test_error_messages_match_torch_for_the_common_mistakes():
    for name in ("non_scalar_backward", "second_backward", "inplace_on_leaf", "backward_without_grad", "item_of_many",
                 "numpy_of_requires_grad", "gradient_shape_mismatch", "iadd_float_into_int", "add_into_smaller",
                 "add_mismatched_in_place", "div_int_in_place"):
        ours, theirs = raises_same(ERRORS[name])
        assert ours == theirs.replace("torch.", "glasstorch."), name


def test_inplace_on_leaf_is_allowed_under_no_grad():
    def fn(lib):
        x = leaf(lib)
        with lib.no_grad():
            x.add_(1).mul_(2).sub_(lib.ones(3), alpha=0.5).div_(2).clamp_(-1, 2)
            x[0] = 7.0
        (x * x).sum().backward()
        return x, x.grad, x.is_leaf, x.requires_grad
    same(fn)


# ---- in-place operations -------------------------------------------------------------------------------------------

INPLACE = {
    "add_": lambda lib, t: t.add_(lib.tensor([1.0, 2.0, 3.0])),
    "add_alpha": lambda lib, t: t.add_(lib.ones(3), alpha=-2.5),
    "add_scalar": lambda lib, t: t.add_(0.5),
    "sub_": lambda lib, t: t.sub_(lib.tensor([1.0, 2.0, 3.0]), alpha=2),
    "mul_": lambda lib, t: t.mul_(lib.tensor([1.0, -2.0, 3.0])),
    "mul_scalar": lambda lib, t: t.mul_(3),
    "div_": lambda lib, t: t.div_(lib.tensor([2.0, -4.0, 8.0])),
    "zero_": lambda lib, t: t.zero_(),
    "fill_": lambda lib, t: t.fill_(2.5),
    "fill_tensor": lambda lib, t: t.fill_(lib.tensor(1.5)),
    "copy_": lambda lib, t: t.copy_(lib.tensor([9.0, 8.0, 7.0])),
    "copy_broadcast": lambda lib, t: t.copy_(lib.tensor([4.0])),
    "clamp_": lambda lib, t: t.clamp_(-1.0, 1.5),
    "clamp_min": lambda lib, t: t.clamp_(min=0.0),
    "neg_": lambda lib, t: t.neg_(),
    "exp_": lambda lib, t: t.exp_(),
    "pow_": lambda lib, t: t.pow_(2),
    "abs_": lambda lib, t: t.abs_(),
    "sqrt_of_abs": lambda lib, t: t.abs_().sqrt_(),
    "relu_": lambda lib, t: t.relu_(),
    "sigmoid_": lambda lib, t: t.sigmoid_(),
    "tanh_": lambda lib, t: t.tanh_(),
}


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_without_graph_writes_into_the_buffer(name):
    def fn(lib):
        t = lib.tensor([0.5, -2.0, 3.0])
        alias = t.view(3)  # shares memory: sees the write
        out = INPLACE[name](lib, t)
        return t, out is t, alias
    same(fn)


@pytest.mark.parametrize("name", INPLACE)
def test_inplace_on_a_non_leaf_records_the_graph(name):
    def fn(lib):
        x = leaf(lib, (0.5, -2.0, 3.0))
        w = lib.tensor([1.0, 2.0, -1.0], requires_grad=True)
        t = x * w
        before = t * 1.0  # a consumer of the old value: its gradient must not change
        INPLACE[name](lib, t)
        (t * lib.tensor([1.0, 2.0, 3.0]) + before * 4).sum().backward()
        return t, x.grad, w.grad, t.is_leaf, t.requires_grad
    same(fn)


def test_inplace_with_a_tensor_that_requires_grad_into_a_plain_tensor():
    def fn(lib):
        w = leaf(lib)
        t = lib.zeros(3)
        t.add_(w * 2)
        t.mul_(w)
        t.sum().backward()
        return t, w.grad, t.grad_fn is None
    same(fn)


def test_inplace_after_use_keeps_earlier_consumers_correct():
    def fn(lib):
        x = leaf(lib)
        y = x.clone()
        z = y * 3
        y.mul_(2)
        y[0] = 5.0
        (z.sum() + y.sum()).backward()
        return x.grad, y, z
    same(fn)


def test_augmented_assignment_is_in_place():
    def fn(lib):
        t = lib.tensor([1.0, 2.0, 3.0])
        alias = t
        t += 1
        t -= lib.tensor([0.5, 0.5, 0.5])
        t *= 2
        t /= 4
        t **= 2
        i = lib.tensor([7, 8, 9])
        i //= 2
        i %= 3
        return alias is t, t, i
    same(fn)


def test_uniform_normal_under_no_grad_fill_in_place():
    w = glasstorch.empty(200, 300, requires_grad=True)
    with glasstorch.no_grad():
        assert w.uniform_(-0.5, 0.5) is w
    assert w.requires_grad and w.is_leaf and float(w.min()) >= -0.5 and float(w.max()) < 0.5
    assert abs(float(w.mean())) < 0.01
    with glasstorch.no_grad():
        w.normal_(1.0, 2.0)
    assert abs(float(w.mean()) - 1.0) < 0.05 and abs(float(w.std()) - 2.0) < 0.05
    assert w.dtype == glasstorch.float32


def test_optimizer_style_update_under_no_grad():
    def fn(lib):
        w = leaf(lib)
        for _ in range(3):
            loss = ((w * 2 - 1) ** 2).sum()
            loss.backward()
            with lib.no_grad():
                w -= 0.1 * w.grad
                w.grad.zero_()
        return w, w.grad, w.is_leaf
    same(fn)


# ---- graph bookkeeping ----------------------------------------------------------------------------------------------

def test_deep_graph_backward_has_no_recursion_limit():
    x = glasstorch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    np.testing.assert_allclose(x.grad.item(), 1.0001 ** 5000, rtol=1e-3)


def test_backward_on_a_leaf_accumulates_the_seed():
    def fn(lib):
        x = leaf(lib)
        x.backward(lib.tensor([1.0, 2.0, 3.0]))
        return x.grad
    same(fn)


def test_float64_graph_gives_float64_grads_and_mixed_dtypes_cast_back():
    def fn(lib):
        x = leaf(lib, dtype=lib.float64)
        y = leaf(lib)
        (x * y).sum().backward()
        return x.grad, y.grad
    same(fn)


def test_grad_of_broadcast_inputs_is_summed_back():
    def fn(lib):
        a = lib.tensor([[1.0], [2.0]], requires_grad=True)
        b = lib.tensor([1.0, -1.0, 0.5], requires_grad=True)
        c = lib.tensor(2.0, requires_grad=True)
        ((a * b + c) ** 2).sum().backward()
        return a.grad, b.grad, c.grad
    same(fn)


def test_next_functions_walk_to_the_leaves():
    x = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).exp()
    (node, _), = y.grad_fn.next_functions
    assert node.name() == "MulBackward0"
    (leaf_entry, _), (constant, _) = node.next_functions
    assert leaf_entry.variable is x and constant is None  # (a leaf shows as torch's AccumulateGrad)
    assert leaf_entry.name() == "torch::autograd::AccumulateGrad" and leaf_entry.next_functions == ()


def test_custom_function():
    class Cube(glasstorch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a ** 3

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return 3 * a ** 2 * g

    x = glasstorch.tensor([1.0, -2.0], requires_grad=True)
    Cube.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 12.0])


def test_inference_mode_builds_no_graph_and_restores():
    x = glasstorch.ones(2, requires_grad=True)
    with glasstorch.inference_mode():
        assert not (x * 2).requires_grad
    assert glasstorch.is_grad_enabled() and (x * 2).requires_grad
    with glasstorch.inference_mode(False):
        assert (x * 2).requires_grad


def test_device_object_and_cpu_moves():
    x = glasstorch.ones(2)
    assert repr(x.device) == "device(type='cpu')" and x.device == "cpu"
    assert x.to(glasstorch.device("cpu")) is x
    assert str(glasstorch.device("cuda:1")) == "cuda:1"
    with pytest.raises(NotImplementedError, match="CPU only"):
        x.to(glasstorch.device("cuda"))


# ---- Functions that promise exact gradients (the engine skips fitting them) ------------------------------------

EXACT_CASES = {
    "linear_2d": lambda g, x: g.nn.functional.linear(x, g.ones(3, 4, dtype=x.dtype, requires_grad=True),
                                                     g.ones(3, dtype=x.dtype, requires_grad=True)),
    "linear_1d": lambda g, x: g.nn.functional.linear(x[0], g.ones(3, 4, dtype=x.dtype, requires_grad=True)),
    "linear_3d": lambda g, x: g.nn.functional.linear(x.reshape(1, 5, 4), g.ones(2, 4, dtype=x.dtype, requires_grad=True),
                                                     g.ones(2, dtype=x.dtype, requires_grad=True)),
    "relu": lambda g, x: g.relu(x),
    "sigmoid": lambda g, x: g.sigmoid(x),
    "tanh": lambda g, x: g.tanh(x),
    "cross_entropy_none": lambda g, x: g.nn.functional.cross_entropy(x, g.tensor([0, 3, 1, 2, 3]), reduction="none"),
    "cross_entropy_smoothed": lambda g, x: g.nn.functional.cross_entropy(x, g.tensor([0, 3, -100, 2, 3]),
                                                                       label_smoothing=0.2),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", EXACT_CASES)
def test_exact_grads_functions_return_fitted_gradients(case, dtype, monkeypatch):
    """For each Function marked exact_grads, the engine's unchecked hand-off gives the same .grad (values, shape,
    dtype) as the checked one would, and every gradient has its input's shape and dtype."""
    def grads(check: bool):
        glasstorch.manual_seed(0)
        x = glasstorch.randn(5, 4, dtype=getattr(glasstorch, dtype), requires_grad=True)
        out = EXACT_CASES[case](glasstorch, x)
        node = out.grad_fn
        assert type(node).exact_grads
        if check:
            monkeypatch.setattr(type(node), "exact_grads", False)
        inputs = [t for t in node.inputs if t is not None]
        for t in inputs:
            t.retain_grad()  # (x[0] and x.reshape are not leaves)
        out.backward(glasstorch.ones_like(out))
        monkeypatch.undo()
        return [(t.shape, t.dtype, t.grad.shape, t.grad.dtype, t.grad.numpy()) for t in inputs]

    for (shape, dt, gshape, gdt, exact), (*_, checked) in zip(grads(False), grads(True)):
        assert gshape == shape and gdt == dt
        np.testing.assert_array_equal(exact, checked)


def test_graph_order_with_branches_of_different_lengths_and_late_consumers():
    """A node used by a short branch and by a long one created in between, a tensor used three times, and a node
    whose last consumer was created long after it: each node's gradient is complete before its backward runs."""
    def fn(lib):
        a = lib.tensor([0.3, -0.7, 1.1], dtype=lib.float64, requires_grad=True)
        b = a * 2
        c = b.exp()
        long = (c * 1.5).sin().tanh() * b
        d = b * 3
        late = (b + 1).sigmoid()
        out = (long + d * a + late * b).sum()
        out.backward()
        return a.grad
    same(fn)
