"""gradcheck: passes on correct operations, catches a wrong backward, and says where (as torch's gradcheck)."""
from __future__ import annotations

import numpy as np
import pytest

import glasstorch
from glasstorch.autograd import Function, gradcheck
from glasstorch.autograd.gradcheck import GradcheckError


def _double(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return glasstorch.tensor(rng.standard_normal(shape), dtype=glasstorch.float64, requires_grad=True)


class Cube(Function):
    """x³ with the correct derivative 3x²."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x ** 2


class WrongCube(Cube):
    """x³ with a deliberately wrong derivative (2x² instead of 3x²)."""

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 2 * x ** 2


class WrongSecondInput(Function):
    """out = a·b with the derivative for b forgotten to be multiplied by a."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g * b, g


def test_passes_on_composed_operations_with_broadcasting():
    x, w, b = _double(3, 4), _double(4, 2, seed=1), _double(2, seed=2)
    assert gradcheck(lambda x, w, b: ((x @ w + b).sigmoid() * (x @ w).tanh()).relu(), (x, w, b)) is True
    assert gradcheck(lambda x: (x.exp() / x.exp().sum(dim=1, keepdim=True)).log(), (x,)) is True
    assert gradcheck(Cube.apply, (x,)) is True


def test_several_outputs_and_non_tensor_arguments():
    x, y = _double(2, 3), _double(3, seed=3)
    assert gradcheck(lambda x, k, y: (x * k + y, (x ** 2).sum(), x.mean(0)), (x, 2.5, y)) is True


def test_catches_a_wrong_backward_and_names_input_and_element():
    x = _double(2, 3)
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongCube.apply, (x,))
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert message.startswith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor(")
    assert "\nanalytical:tensor(" in message
    # the element that disagrees most is where |x| is largest (error x² grows with it)
    worst = np.unravel_index(np.argmax(np.abs(x.detach()._data)), (2, 3))
    element = f"[{worst[0]}, {worst[1]}]"
    assert f"d output{element} / d input 0{element}" in message
    expected_numerical = 3 * float(x.detach()._data[worst]) ** 2
    reported = float(message.split("numerical ")[-1].split(",")[0])
    assert reported == pytest.approx(expected_numerical, rel=1e-6)


def test_reports_the_second_input_when_only_its_gradient_is_wrong():
    a, b = _double(3), _double(3, seed=1)
    with pytest.raises(GradcheckError, match="output 0 with respect to input 1,"):
        gradcheck(WrongSecondInput.apply, (a, b))


def test_raise_exception_false_returns_false():
    assert gradcheck(WrongCube.apply, (_double(4),), raise_exception=False) is False


def test_no_input_requiring_grad_is_a_value_error():
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda x: x * 2, (glasstorch.ones(3, dtype=glasstorch.float64),))


def test_float32_inputs_warn_as_torch_does():
    x = glasstorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="not a double precision"):
        gradcheck(lambda x: x * 2, (x,), raise_exception=False)


def test_non_reentrant_backward_is_caught():
    calls = []

    class Noisy(Cube):
        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            calls.append(1)
            return g * 3 * x ** 2 + 1e-9 * len(calls)

    with pytest.raises(GradcheckError, match="Backward is not reentrant"):
        gradcheck(Noisy.apply, (_double(2),))


def test_inputs_are_restored_after_the_check():
    x = _double(2, 2)
    before = x.detach()._data.copy()
    gradcheck(lambda x: x.sin() * x, (x,))
    np.testing.assert_array_equal(x.detach()._data, before)
    assert x.grad is None


def test_agrees_with_torch_on_pass_and_failure():
    torch = pytest.importorskip("torch")
    data = np.random.default_rng(5).standard_normal((2, 3))

    class TorchWrongCube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x ** 2

    tx = torch.tensor(data, requires_grad=True)
    gx = glasstorch.tensor(data, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: (x.sigmoid() * x).sum(1), (tx,))
    assert gradcheck(lambda x: (x.sigmoid() * x).sum(1), (gx,))
    from torch.autograd.gradcheck import GradcheckError as TorchGradcheckError
    with pytest.raises(TorchGradcheckError) as theirs:
        torch.autograd.gradcheck(TorchWrongCube.apply, (tx,))
    with pytest.raises(GradcheckError) as ours:
        gradcheck(WrongCube.apply, (gx,))
    assert str(ours.value).splitlines()[0] == str(theirs.value).splitlines()[0]
