"""Parity with torch of the activations: nn.functional, the modules and glasstorch.* spellings; values and gradients,
including the kinks (ReLU'(0) = 0, LeakyReLU'(0) = slope, ELU'(0) = alpha, Hardtanh' = 0 on its bounds...)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, check, compare, raises_like  # noqa: E402

# every kink and boundary the activations below have, plus ordinary values
KINKS = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0, -6.0, 20.0, 10.0, -20.0], dtype=np.float32)


def _data(dtype=np.float32) -> np.ndarray:
    return np.concatenate([KINKS, arr(3, 4).ravel()]).astype(dtype).reshape(3, 8)


FUNCTIONAL = {
    "relu": lambda F, x: F.relu(x),
    "sigmoid": lambda F, x: F.sigmoid(x),
    "tanh": lambda F, x: F.tanh(x),
    "leaky_relu": lambda F, x: F.leaky_relu(x),
    "leaky_relu_0.2": lambda F, x: F.leaky_relu(x, 0.2),
    "leaky_relu_negative_slope": lambda F, x: F.leaky_relu(x, negative_slope=-0.5),
    "elu": lambda F, x: F.elu(x),
    "elu_alpha": lambda F, x: F.elu(x, alpha=0.7),
    "gelu": lambda F, x: F.gelu(x),
    "gelu_tanh": lambda F, x: F.gelu(x, approximate="tanh"),
    "silu": lambda F, x: F.silu(x),
    "softplus": lambda F, x: F.softplus(x),
    "softplus_beta": lambda F, x: F.softplus(x, beta=2.0, threshold=5.0),
    "hardtanh": lambda F, x: F.hardtanh(x),
    "hardtanh_bounds": lambda F, x: F.hardtanh(x, -0.5, 3.0),
    "relu6": lambda F, x: F.relu6(x),
    "rrelu_eval": lambda F, x: F.rrelu(x),
    "rrelu_eval_bounds": lambda F, x: F.rrelu(x, 0.1, 0.3, training=False),
    "softmax0": lambda F, x: F.softmax(x, dim=0),
    "softmax1": lambda F, x: F.softmax(x, dim=1),
    "log_softmax": lambda F, x: F.log_softmax(x, dim=-1),
    "log_softmax0": lambda F, x: F.log_softmax(x, 0),
    "softmin": lambda F, x: F.softmin(x, dim=1),
    "softmax_double": lambda F, x: F.softmax(x, 1, dtype=torch.float64 if F is torch.nn.functional
                                             else glasstorch.float64),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", FUNCTIONAL)
def test_functional_values_and_gradients(name, dtype):
    fn = FUNCTIONAL[name]
    check(lambda lib, x: fn(lib.nn.functional, x), _data(dtype), rtol=1e-5, atol=1e-6)


MODULES = {
    "Sigmoid": lambda nn: nn.Sigmoid(),
    "Tanh": lambda nn: nn.Tanh(),
    "ReLU": lambda nn: nn.ReLU(),
    "ReLU6": lambda nn: nn.ReLU6(),
    "LeakyReLU": lambda nn: nn.LeakyReLU(),
    "LeakyReLU_0.1": lambda nn: nn.LeakyReLU(negative_slope=0.1),
    "ELU": lambda nn: nn.ELU(alpha=2.0),
    "GELU": lambda nn: nn.GELU(),
    "GELU_tanh": lambda nn: nn.GELU("tanh"),
    "SiLU": lambda nn: nn.SiLU(),
    "Softplus": lambda nn: nn.Softplus(beta=0.5, threshold=3.0),
    "Hardtanh": lambda nn: nn.Hardtanh(-2.0, 2.0),
    "Softmax": lambda nn: nn.Softmax(dim=1),
    "LogSoftmax": lambda nn: nn.LogSoftmax(dim=1),
    "Softmin": lambda nn: nn.Softmin(dim=0),
    "Identity": lambda nn: nn.Identity(),
    "RReLU_eval": lambda nn: nn.RReLU().eval(),
}


@pytest.mark.parametrize("name", MODULES)
def test_modules_values_gradients_and_repr(name):
    make = MODULES[name]
    check(lambda lib, x: make(lib.nn)(x), _data())
    compare(repr(make(glasstorch.nn)), repr(make(torch.nn)))


REPRS = [
    lambda nn: nn.ReLU(inplace=True), lambda nn: nn.LeakyReLU(0.2, inplace=True), lambda nn: nn.ELU(inplace=True),
    lambda nn: nn.Hardtanh(inplace=True), lambda nn: nn.ReLU6(inplace=True), lambda nn: nn.SiLU(inplace=True),
    lambda nn: nn.GELU("tanh"), lambda nn: nn.Softplus(), lambda nn: nn.PReLU(3), lambda nn: nn.Softmax(),
    lambda nn: nn.LogSoftmax(dim=0), lambda nn: nn.RReLU(0.1, 0.3, inplace=True), lambda nn: nn.Identity(3, x=4),
    lambda nn: nn.Sigmoid(), lambda nn: nn.Tanh(),
]


@pytest.mark.parametrize("make", REPRS)
def test_reprs(make):
    assert repr(make(glasstorch.nn)) == repr(make(torch.nn))


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "heaviside"])
def test_top_level_spellings(name):
    x = _data()
    if name == "heaviside":
        check(lambda lib, a: lib.heaviside(a, lib.tensor([0.5])), x, grad=False)
    elif name in ("softmax", "log_softmax"):
        check(lambda lib, a: getattr(lib, name)(a, 1), x)
    else:
        check(lambda lib, a: getattr(lib, name)(a), x)


@pytest.mark.parametrize("num_parameters", [1, 8])
@pytest.mark.parametrize("shape", [(3, 8), (2, 8, 3), (4, 8, 2, 2)], ids=str)
def test_prelu_gradients_for_input_and_slope(num_parameters, shape):
    x = arr(*shape)
    x.reshape(-1)[:4] = [0.0, -1.0, 1.0, 0.0]  # the kink at 0
    slope = (np.arange(num_parameters, dtype=np.float32) * 0.1 + 0.05)
    check(lambda lib, a, w: lib.nn.functional.prelu(a, w), x, slope)


def test_prelu_module_learns_its_slope():
    theirs, ours = torch.nn.PReLU(4, init=0.3), glasstorch.nn.PReLU(4, init=0.3)
    x = arr(5, 4)
    out_t, out_o = theirs(torch.tensor(x)), ours(glasstorch.tensor(x))
    compare(out_o, out_t)
    assert out_o.grad_fn.name() == type(out_t.grad_fn).__name__ == "PreluKernelBackward0"
    out_t.sum().backward()
    out_o.sum().backward()
    compare(ours.weight.grad, theirs.weight.grad)


def test_rrelu_training_draws_slopes_between_the_bounds():
    glasstorch.manual_seed(0)
    x = -glasstorch.rand(2000) - 0.1
    x.requires_grad_(True)
    module = glasstorch.nn.RReLU(0.1, 0.3)
    out = module(x)
    slopes = (out / x).detach().numpy()
    assert slopes.min() >= 0.1 - 1e-6 and slopes.max() <= 0.3 + 1e-6
    assert abs(slopes.mean() - 0.2) < 0.01 and slopes.std() > 0.05  # U(0.1, 0.3): mean 0.2, std 0.058
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), slopes, rtol=1e-5)  # the derivative is the drawn slope
    assert out.grad_fn.name() == "RreluWithNoiseBackward0"
    positive = glasstorch.tensor([1.0, 2.0])
    assert module(positive).tolist() == [1.0, 2.0]
    module.eval()
    np.testing.assert_allclose(module(glasstorch.tensor([-1.0])).numpy(), [-0.2], rtol=1e-6)


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu", "silu", "hardtanh", "relu6", "rrelu"])
def test_inplace_forms(name):
    def fn(lib, x):
        y = x * 1.0  # not a leaf, so it may be changed in place
        out = getattr(lib.nn.functional, name)(y, inplace=True)
        assert out is y
        names.append(out.grad_fn.name())
        return y
    names = []
    check(fn, _data())
    assert names[0] == names[1]  # torch's node names for the in-place forms (EluBackward1, LeakyReluBackward1...)


@pytest.mark.parametrize("name", ["abs_", "clamp_", "exp_", "log_", "neg_", "relu_", "sigmoid_", "sqrt_", "tanh_"])
def test_top_level_inplace_spellings(name):
    def fn(lib, x):
        y = x * 1.0
        args = (0.5, 1.5) if name == "clamp_" else ()
        out = getattr(lib, name)(y, *args)
        assert out is y
        return y
    check(fn, arr(6, positive=True))


def test_inplace_on_a_leaf_that_requires_grad_fails_as_torch():
    raises_like(lambda lib, x: lib.nn.functional.leaky_relu(x.requires_grad_(), inplace=True), _data())


def test_node_names_match_torch():
    x = _data()
    names = {"leaky_relu": "LeakyReluBackward0", "elu": "EluBackward0", "gelu": "GeluBackward0",
             "silu": "SiluBackward0", "softplus": "SoftplusBackward0", "hardtanh": "HardtanhBackward0",
             "relu6": "HardtanhBackward0", "rrelu": "RreluWithNoiseBackward0"}
    for name, node in names.items():
        t = getattr(torch.nn.functional, name)(torch.tensor(x, requires_grad=True))
        o = getattr(glasstorch.nn.functional, name)(glasstorch.tensor(x, requires_grad=True))
        assert type(t.grad_fn).__name__ == node == o.grad_fn.name(), name


def test_softmax_without_dim_warns_and_picks_torchs_dim():
    for shape in [(5,), (3, 4), (2, 3, 4), (2, 3, 4, 5)]:
        x = arr(*shape)
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
            ours = glasstorch.nn.functional.softmax(glasstorch.tensor(x))
        with pytest.warns(UserWarning):
            theirs = torch.nn.functional.softmax(torch.tensor(x))
        compare(ours, theirs)
    with pytest.warns(UserWarning, match="log_softmax"):  # the module form routes through the same function
        glasstorch.nn.LogSoftmax()(glasstorch.tensor(arr(3, 4)))


INTEGERS = np.array([[1, -2, 3, 4]], dtype=np.int64)
ERRORS = {
    "leaky_relu_of_integers": (lambda F, x: F.leaky_relu(x), INTEGERS),
    "elu_of_integers": (lambda F, x: F.elu(x), INTEGERS),
    "gelu_unknown_approximation": (lambda F, x: F.gelu(x, approximate="fast"), arr(2, 4)),
    "hardtanh_bounds_reversed": (lambda F, x: F.hardtanh(x, 2.0, 1.0), arr(2, 4)),
    "prelu_wrong_channels": (lambda F, x: F.prelu(x, x.new_ones(3)), arr(2, 4)),
    "prelu_1d_input_many_slopes": (lambda F, x: F.prelu(x, x.new_ones(3)), arr(3)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    fn, data = ERRORS[name]
    theirs, ours = raises_like(lambda lib, a: fn(lib.nn.functional, a), data)
    assert ours == theirs


def test_integer_relu_keeps_its_dtype_like_torch():
    check(lambda lib, x: lib.nn.functional.relu(x), np.array([1, -2, 0], dtype=np.int64), grad=False)


def test_large_inputs_do_not_overflow():
    x = np.array([-1000.0, -100.0, 100.0, 1000.0], dtype=np.float32)
    for name in ["softplus", "silu", "elu", "gelu", "sigmoid"]:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            check(lambda lib, a: getattr(lib.nn.functional, name)(a), x)
