"""Parity with torch of nn.init: gains, fans, error messages, and the spread of every scheme (the same formula
gives the same standard deviation and bounds; the random streams themselves differ by design)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import raises_like  # noqa: E402

NONLINEARITIES = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]


@pytest.mark.parametrize("param", [None, 0.2, 1, 0])
@pytest.mark.parametrize("name", NONLINEARITIES)
def test_calculate_gain(name, param):
    assert glasstorch.nn.init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))


@pytest.mark.parametrize("shape", [(3, 5), (8, 4, 3), (8, 4, 3, 3), (2, 3, 1, 2, 2)], ids=str)
def test_fans(shape):
    ours = glasstorch.nn.init._calculate_fan_in_and_fan_out(glasstorch.empty(*shape))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))


SCHEMES = {
    "uniform": lambda init, t: init.uniform_(t, -0.3, 0.7),
    "normal": lambda init, t: init.normal_(t, 0.5, 2.0),
    "xavier_uniform": lambda init, t: init.xavier_uniform_(t, gain=2.0),
    "xavier_normal": lambda init, t: init.xavier_normal_(t),
    "kaiming_uniform": lambda init, t: init.kaiming_uniform_(t),
    "kaiming_uniform_sqrt5": lambda init, t: init.kaiming_uniform_(t, a=5 ** 0.5),
    "kaiming_normal_fan_out_relu": lambda init, t: init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
    "trunc_normal": lambda init, t: init.trunc_normal_(t, 0.1, 0.5, -0.5, 0.8),
    "orthogonal": lambda init, t: init.orthogonal_(t, gain=0.5),
}


BOUNDED = {"uniform", "xavier_uniform", "kaiming_uniform", "kaiming_uniform_sqrt5", "trunc_normal"}


@pytest.mark.parametrize("name", SCHEMES)
def test_spread_and_bounds_match_torch(name):
    fill = SCHEMES[name]
    theirs = fill(torch.nn.init, torch.empty(200, 300)).numpy().astype(np.float64)
    ours = fill(glasstorch.nn.init, glasstorch.empty(200, 300)).numpy().astype(np.float64)
    n = ours.size
    scale = theirs.std()
    assert abs(ours.mean() - theirs.mean()) < 8 * scale / np.sqrt(n)
    assert abs(ours.std() - scale) < 0.02 * scale
    if name in BOUNDED:  # 60 000 draws reach the bounds in both
        assert abs(ours.min() - theirs.min()) < 0.05 * scale and abs(ours.max() - theirs.max()) < 0.05 * scale


ERRORS = {
    "fan_of_a_vector": lambda lib: lib.nn.init.xavier_uniform_(lib.empty(5)),
    "bad_mode": lambda lib: lib.nn.init.kaiming_normal_(lib.empty(3, 3), mode="fan"),
    "bad_nonlinearity": lambda lib: lib.nn.init.kaiming_normal_(lib.empty(3, 3), nonlinearity="swish"),
    "eye_of_3d": lambda lib: lib.nn.init.eye_(lib.empty(2, 2, 2)),
    "dirac_of_2d": lambda lib: lib.nn.init.dirac_(lib.empty(2, 2)),
    "gain_of_a_string": lambda lib: lib.nn.init.calculate_gain("leaky_relu", "0.1"),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    theirs, ours = raises_like(ERRORS[name])
    assert ours == theirs


def test_in_place_on_a_parameter_that_requires_grad():
    for lib in (torch, glasstorch):
        p = lib.nn.Parameter(lib.empty(3, 3))
        assert lib.nn.init.kaiming_uniform_(p) is p and p.requires_grad and p.grad_fn is None
