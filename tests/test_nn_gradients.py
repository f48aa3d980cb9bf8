"""Property tests of the fused nn Functions: their closed-form gradients equal central finite differences in
float64, on random shapes and values (kinks are kept away: they are tested against torch in tests/parity)."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import glasstorch
import glasstorch.nn.functional as F

SETTINGS = settings(max_examples=25, deadline=None)


def numeric_gradient(f, arrays: list, i: int, eps: float = 1e-6) -> np.ndarray:
    """d f(arrays) / d arrays[i] by central differences (f returns a scalar)."""
    base = arrays[i]
    grad = np.zeros_like(base)
    for index in np.ndindex(base.shape):
        plus, minus = [a.copy() for a in arrays], [a.copy() for a in arrays]
        plus[i][index] += eps
        minus[i][index] -= eps
        grad[index] = (f(*plus) - f(*minus)) / (2 * eps)
    return grad


def assert_gradients(fn, *arrays: np.ndarray, wrt=None, rtol: float = 1e-5, atol: float = 1e-7) -> None:
    """``fn(*tensors)`` reduced by a fixed random weighting, differentiated by autograd and by finite differences."""
    wrt = range(len(arrays)) if wrt is None else wrt
    rng = np.random.default_rng(0)
    probe = {}

    def scalar(*values) -> float:
        out = fn(*[glasstorch.tensor(v) for v in values])
        if "w" not in probe:
            probe["w"] = rng.uniform(0.5, 1.5, out.shape)
        return float((out.numpy() * probe["w"]).sum())

    scalar(*arrays)
    tensors = [glasstorch.tensor(a, requires_grad=(i in wrt)) for i, a in enumerate(arrays)]
    out = fn(*tensors)
    (out * glasstorch.tensor(probe["w"])).sum().backward()
    for i in wrt:
        np.testing.assert_allclose(tensors[i].grad.numpy(), numeric_gradient(scalar, list(arrays), i),
                                   rtol=rtol, atol=atol, err_msg=f"input {i}")


def away_from(values: np.ndarray, kinks, margin: float = 1e-3) -> np.ndarray:
    for k in kinks:
        close = np.abs(values - k) < margin
        values = np.where(close, k + 2 * margin, values)
    return values


shapes = st.sampled_from([(3,), (2, 4), (3, 2, 2)])
seeds = st.integers(0, 2 ** 16)
reductions = st.sampled_from(["mean", "sum", "none"])


def rand(seed: int, *shape, low=-3.0, high=3.0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(low, high, shape)


@SETTINGS
@given(seed=seeds, shape=shapes, name=st.sampled_from(["leaky_relu", "elu", "gelu", "gelu_tanh", "silu",
                                                       "softplus", "hardtanh", "rrelu"]))
def test_activations(seed, shape, name):
    fns = {"leaky_relu": lambda x: F.leaky_relu(x, 0.1), "elu": lambda x: F.elu(x, 0.7), "gelu": F.gelu,
           "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"), "silu": F.silu,
           "softplus": lambda x: F.softplus(x, beta=2.0, threshold=4.0), "hardtanh": lambda x: F.hardtanh(x, -1, 2),
           "rrelu": lambda x: F.rrelu(x, 0.1, 0.3)}
    x = away_from(rand(seed, *shape), [0.0, -1.0, 2.0])
    assert_gradients(fns[name], x)


@SETTINGS
@given(seed=seeds, shape=st.sampled_from([(2, 3), (3, 3, 2)]), shared=st.booleans())
def test_prelu(seed, shape, shared):
    x = away_from(rand(seed, *shape), [0.0])
    w = rand(seed + 1, 1 if shared else 3, low=0.0, high=0.5)
    assert_gradients(F.prelu, x, w)


@SETTINGS
@given(seed=seeds, reduction=reductions, smoothing=st.sampled_from([0.0, 0.2]), weighted=st.booleans(),
       spatial=st.booleans())
def test_cross_entropy_class_indices(seed, reduction, smoothing, weighted, spatial):
    shape = (3, 4, 2) if spatial else (5, 4)
    logits = rand(seed, *shape)
    target = np.random.default_rng(seed).integers(0, 4, (shape[0],) + shape[2:])
    target.reshape(-1)[0] = -100  # one ignored sample
    weight = glasstorch.tensor(rand(seed, 4, low=0.5, high=2.0)) if weighted else None
    assert_gradients(lambda x: F.cross_entropy(x, glasstorch.tensor(target), weight=weight, reduction=reduction,
                                               label_smoothing=smoothing), logits)


@SETTINGS
@given(seed=seeds, reduction=reductions, smoothing=st.sampled_from([0.0, 0.3]), weighted=st.booleans())
def test_cross_entropy_probabilities_wrt_logits_and_target(seed, reduction, smoothing, weighted):
    logits, target = rand(seed, 3, 4), rand(seed + 1, 3, 4, low=0.0, high=1.0)
    weight = glasstorch.tensor(rand(seed, 4, low=0.5, high=2.0)) if weighted else None
    assert_gradients(lambda x, t: F.cross_entropy(x, t, weight=weight, reduction=reduction,
                                                  label_smoothing=smoothing), logits, target)


@SETTINGS
@given(seed=seeds, reduction=reductions, weighted=st.booleans())
def test_nll_loss(seed, reduction, weighted):
    logp, target = rand(seed, 4, 3), np.random.default_rng(seed).integers(0, 3, 4)
    weight = glasstorch.tensor(rand(seed, 3, low=0.5, high=2.0)) if weighted else None
    assert_gradients(lambda x: F.nll_loss(x, glasstorch.tensor(target), weight=weight, reduction=reduction), logp)


@SETTINGS
@given(seed=seeds, shape=shapes, reduction=reductions, weighted=st.booleans())
def test_binary_cross_entropy(seed, shape, reduction, weighted):
    x, y = rand(seed, *shape, low=0.05, high=0.95), rand(seed + 1, *shape, low=0.0, high=1.0)
    weight = glasstorch.tensor(rand(seed, *shape, low=0.5, high=2.0)) if weighted else None
    assert_gradients(lambda a, b: F.binary_cross_entropy(a, b, weight=weight, reduction=reduction), x, y,
                     rtol=1e-4)


@SETTINGS
@given(seed=seeds, reduction=reductions, pos_weight=st.booleans(), weighted=st.booleans())
def test_binary_cross_entropy_with_logits(seed, reduction, pos_weight, weighted):
    x, y = rand(seed, 3, 4), rand(seed + 1, 3, 4, low=0.0, high=1.0)
    pw = glasstorch.tensor(rand(seed, 4, low=0.5, high=3.0)) if pos_weight else None
    weight = glasstorch.tensor(rand(seed, 4, low=0.5, high=2.0)) if weighted else None
    assert_gradients(lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=weight, pos_weight=pw,
                                                                      reduction=reduction), x, y)


@SETTINGS
@given(seed=seeds, shape=shapes, reduction=reductions, name=st.sampled_from(["mse", "smooth_l1", "huber", "l1"]))
def test_regression_losses_wrt_input_and_target(seed, shape, reduction, name):
    x, y = rand(seed, *shape), rand(seed + 1, *shape)
    y = x - away_from(x - y, [0.0, 0.5, -0.5, 1.5, -1.5])
    fns = {"mse": F.mse_loss, "l1": F.l1_loss, "smooth_l1": lambda a, b, reduction: F.smooth_l1_loss(
        a, b, reduction=reduction, beta=0.5), "huber": lambda a, b, reduction: F.huber_loss(
        a, b, reduction=reduction, delta=1.5)}
    assert_gradients(lambda a, b: fns[name](a, b, reduction=reduction), x, y)


@SETTINGS
@given(seed=seeds, shape=st.sampled_from([(4, 3), (3, 3, 2), (2, 3, 2, 2)]), training=st.booleans(),
       affine=st.booleans())
def test_batch_norm(seed, shape, training, affine):
    x = rand(seed, *shape)
    weight, bias = rand(seed + 1, 3, low=0.5, high=2.0), rand(seed + 2, 3)
    mean, var = rand(seed + 3, 3), rand(seed + 4, 3, low=0.5, high=2.0)

    def fn(a, w, b):
        return F.batch_norm(a, glasstorch.tensor(mean), glasstorch.tensor(var), w if affine else None,
                            b if affine else None, training=training, momentum=0.0)

    assert_gradients(fn, x, weight, bias, wrt=(0, 1, 2) if affine else (0,), rtol=1e-4, atol=1e-6)
