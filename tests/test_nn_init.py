"""nn.init: every scheme fills in place under no_grad, returns the same tensor, respects its bounds, and on large
tensors has the mean and spread its formula prescribes (statistical tolerances of several standard errors)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import glasstorch
import glasstorch.nn as nn
from glasstorch.nn import init


def weight(*shape) -> nn.Parameter:
    return nn.Parameter(glasstorch.empty(*shape))


def values(t) -> np.ndarray:
    return t.detach().numpy().astype(np.float64)


def assert_spread(t, mean: float, std: float, n_sigma: float = 5.0) -> None:
    """Sample mean within n standard errors; sample std within n standard errors of the std (normal approximation)."""
    v = values(t).ravel()
    n = v.size
    assert abs(v.mean() - mean) < n_sigma * std / math.sqrt(n), (v.mean(), mean)
    assert abs(v.std() - std) < n_sigma * std / math.sqrt(2 * n) * 1.5, (v.std(), std)


def test_in_place_same_object_no_graph_and_leaf_kept():
    w = weight(50, 40)
    for fill in (lambda t: init.uniform_(t), lambda t: init.normal_(t), lambda t: init.constant_(t, 0.3),
                 lambda t: init.zeros_(t), lambda t: init.ones_(t), lambda t: init.eye_(t),
                 lambda t: init.xavier_uniform_(t), lambda t: init.xavier_normal_(t),
                 lambda t: init.kaiming_uniform_(t), lambda t: init.kaiming_normal_(t),
                 lambda t: init.trunc_normal_(t), lambda t: init.orthogonal_(t)):
        assert fill(w) is w
        assert w.is_leaf and w.requires_grad and w.grad_fn is None and w.dtype == glasstorch.float32
    assert glasstorch.is_grad_enabled()


def test_uniform_and_normal():
    glasstorch.manual_seed(0)
    w = init.uniform_(weight(400, 500), -0.5, 1.5)
    v = values(w)
    assert v.min() >= -0.5 and v.max() <= 1.5
    assert_spread(w, 0.5, 2 / math.sqrt(12))
    assert_spread(init.normal_(weight(400, 500), mean=1.0, std=0.2), 1.0, 0.2)
    default = values(init.uniform_(weight(100, 100)))
    assert default.min() >= 0 and default.max() <= 1


def test_constant_zeros_ones_eye():
    w = weight(3, 4)
    assert values(init.constant_(w, 5)).tolist() == [[5.0] * 4] * 3
    assert not values(init.zeros_(w)).any()
    assert (values(init.ones_(w)) == 1).all()
    np.testing.assert_array_equal(values(init.eye_(w)), np.eye(3, 4))
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.eye_(weight(2, 2, 2))


def test_fans():
    assert init._calculate_fan_in_and_fan_out(weight(3, 5)) == (5, 3)
    assert init._calculate_fan_in_and_fan_out(weight(8, 4, 3, 3)) == (36, 72)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(weight(5))
    with pytest.raises(ValueError, match="Mode fan_avg not supported, please use one of"):
        init.kaiming_uniform_(weight(3, 3), mode="fan_avg")


def test_calculate_gain():
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        init.calculate_gain("gelu")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)


@pytest.mark.parametrize("shape", [(300, 200), (64, 32, 3, 3)], ids=str)
def test_xavier(shape):
    glasstorch.manual_seed(1)
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(weight(*shape))
    std = math.sqrt(2.0 / (fan_in + fan_out))
    w = init.xavier_uniform_(weight(*shape))
    assert np.abs(values(w)).max() <= math.sqrt(3) * std
    assert_spread(w, 0.0, std)
    assert_spread(init.xavier_normal_(weight(*shape)), 0.0, std)
    assert_spread(init.xavier_normal_(weight(*shape), gain=init.calculate_gain("tanh")), 0.0, 5 / 3 * std)


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "FAN_OUT"])
@pytest.mark.parametrize("nonlinearity,a", [("leaky_relu", 0), ("relu", 0), ("leaky_relu", 0.2), ("tanh", 0),
                                            ("linear", 0)])
def test_kaiming(mode, nonlinearity, a):
    glasstorch.manual_seed(2)
    shape = (250, 400)
    fan = 400 if mode == "fan_in" else 250
    std = init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    w = init.kaiming_uniform_(weight(*shape), a=a, mode=mode, nonlinearity=nonlinearity)
    assert np.abs(values(w)).max() <= math.sqrt(3) * std * (1 + 1e-6)
    assert_spread(w, 0.0, std)
    assert_spread(init.kaiming_normal_(weight(*shape), a=a, mode=mode, nonlinearity=nonlinearity), 0.0, std)


def test_kaiming_defaults_are_torchs():
    """Default nonlinearity 'leaky_relu' with a = 0: gain √2, std √(2/fan_in) (the course's He initialisation)."""
    glasstorch.manual_seed(3)
    assert_spread(init.kaiming_normal_(weight(300, 500)), 0.0, math.sqrt(2 / 500))


def test_zero_element_tensor_warns_and_is_left_alone():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        init.kaiming_uniform_(weight(0, 3))


@pytest.mark.parametrize("mean,std,a,b", [(0.0, 1.0, -2.0, 2.0), (0.0, 0.02, -0.04, 0.04), (1.0, 2.0, 0.0, 5.0),
                                          (0.0, 1.0, 3.0, 4.0)])
def test_trunc_normal_stays_in_bounds_with_the_truncated_moments(mean, std, a, b):
    glasstorch.manual_seed(4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = init.trunc_normal_(weight(300, 300), mean, std, a, b)
    v = values(w)
    assert v.min() >= a and v.max() <= b
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2  # noqa: E731
    z = cdf(beta) - cdf(alpha)
    true_mean = mean + std * (pdf(alpha) - pdf(beta)) / z
    true_var = std ** 2 * (1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - ((pdf(alpha) - pdf(beta)) / z) ** 2)
    assert_spread(w, true_mean, math.sqrt(true_var))


def test_trunc_normal_warns_when_the_mean_is_far_outside():
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        init.trunc_normal_(weight(3, 3), mean=10.0, std=1.0, a=-2, b=2)


def test_orthogonal_rows_or_columns_are_orthonormal():
    for shape in [(4, 6), (6, 4), (5, 2, 3)]:
        w = values(init.orthogonal_(weight(*shape), gain=2.0)).reshape(shape[0], -1)
        gram = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w
        np.testing.assert_allclose(gram, 4 * np.eye(gram.shape[0]), atol=1e-5)


def test_dirac_passes_the_centre_through():
    w = values(init.dirac_(weight(2, 2, 3)))
    assert w[0, 0, 1] == 1 and w[1, 1, 1] == 1 and w.sum() == 2


def test_generator_makes_draws_reproducible():
    for fill in (init.uniform_, init.normal_, init.xavier_uniform_, init.kaiming_normal_, init.trunc_normal_):
        a = fill(weight(5, 5), generator=glasstorch.Generator().manual_seed(7))
        b = fill(weight(5, 5), generator=glasstorch.Generator().manual_seed(7))
        assert np.array_equal(values(a), values(b))


def test_course_snippets_run():
    """The course's init examples: Linear(5, 3) weights filled by each scheme."""
    linear = nn.Linear(5, 3)
    assert values(nn.init.constant_(linear.weight, 5)).tolist() == [[5.0] * 5] * 3
    for fill in (nn.init.uniform_, nn.init.zeros_, nn.init.ones_, nn.init.kaiming_normal_, nn.init.kaiming_uniform_,
                 nn.init.xavier_normal_, nn.init.xavier_uniform_):
        assert fill(linear.weight).shape == (3, 5)
    nn.init.normal_(linear.weight, mean=0, std=1)
