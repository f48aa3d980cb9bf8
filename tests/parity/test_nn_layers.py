"""Parity with torch of the layers: Linear (values, gradients, default initialisation's bounds, errors), BatchNorm
(outputs, gradients and running statistics over several training steps, then eval), Dropout (rate and scale),
Flatten/Unflatten/Identity, and the reprs. Weights go from the torch module into ours through numpy and
``load_state_dict``."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
from test_core_harness import arr, compare, raises_like  # noqa: E402


def copy_weights(theirs, ours) -> None:
    """torch module → numpy → glasstorch module (parameters and buffers)."""
    state = {k: glasstorch.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()}
    ours.load_state_dict(state)


def run_both(theirs, ours, x: np.ndarray, cotangent: np.ndarray | None = None):
    """Forward (and backward with a cotangent) through both; returns the torch and glasstorch inputs and outputs."""
    xt, xo = torch.tensor(x, requires_grad=True), glasstorch.tensor(x, requires_grad=True)
    yt, yo = theirs(xt), ours(xo)
    compare(yo, yt, rtol=1e-5, atol=1e-5, what="output")
    if cotangent is not None:
        yt.backward(torch.tensor(cotangent))
        yo.backward(glasstorch.tensor(cotangent))
        compare(xo.grad, xt.grad, rtol=1e-4, atol=1e-5, what="input grad")
        for (name, pt), (_, po) in zip(theirs.named_parameters(), ours.named_parameters()):
            compare(po.grad, pt.grad, rtol=1e-4, atol=1e-5, what=f"{name}.grad")
    return yt, yo


# ---- Linear --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 3), (3,)], ids=str)
def test_linear_matches_torch(bias, shape):
    theirs, ours = torch.nn.Linear(3, 4, bias=bias), glasstorch.nn.Linear(3, 4, bias=bias)
    copy_weights(theirs, ours)
    x = arr(*shape)
    run_both(theirs, ours, x, arr(*(shape[:-1] + (4,))))
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("rows", [1, 8, 16, 17])
def test_linear_of_a_large_weight_matches_torch(rows):
    # up to 16 rows and a weight of >= 16,384 entries take another matrix-product layout (the course's hidden layer)
    theirs, ours = torch.nn.Linear(128, 256), glasstorch.nn.Linear(128, 256)
    copy_weights(theirs, ours)
    yt, yo = run_both(theirs, ours, arr(rows, 128), arr(rows, 256))
    assert yo._data.flags.c_contiguous and yo.is_contiguous()


def test_linear_float64():
    theirs, ours = torch.nn.Linear(3, 2, dtype=torch.float64), glasstorch.nn.Linear(3, 2, dtype=glasstorch.float64)
    copy_weights(theirs, ours)
    assert ours.weight.dtype == glasstorch.float64
    run_both(theirs, ours, arr(4, 3, dtype=np.float64), arr(4, 2, dtype=np.float64))


def test_linear_default_initialisation_bounds_and_spread():
    """kaiming_uniform_(a=√5) gives U(±1/√fan_in) for the weight; the bias is U(±1/√fan_in) too."""
    glasstorch.manual_seed(0)
    layer = glasstorch.nn.Linear(400, 300)
    bound = 1 / np.sqrt(400)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert abs(w.std() - bound / np.sqrt(3)) < 0.01 * bound  # U(−c, c) has std c/√3; 120 000 draws
    assert abs(w.mean()) < 0.01 * bound
    assert np.abs(w).max() > 0.99 * bound
    reference = torch.nn.Linear(400, 300).weight.detach().numpy()
    assert abs(w.std() - reference.std()) < 0.01 * bound
    assert layer.weight.requires_grad and isinstance(layer.weight, glasstorch.nn.Parameter)


LINEAR_ERRORS = {
    "shape": lambda lib: lib.nn.Linear(4, 2)(lib.ones(5, 3)),
    "shape_3d": lambda lib: lib.nn.Linear(4, 2)(lib.ones(2, 5, 3)),
    "shape_1d": lambda lib: lib.nn.Linear(4, 2)(lib.ones(3)),
    "dtype": lambda lib: lib.nn.Linear(4, 2)(lib.ones(5, 4, dtype=lib.float64)),
    "integers": lambda lib: lib.nn.Linear(4, 2)(lib.ones(5, 4, dtype=lib.int64)),
}


@pytest.mark.parametrize("name", LINEAR_ERRORS)
def test_linear_errors_match_torch(name):
    theirs, ours = raises_like(LINEAR_ERRORS[name])
    assert ours == theirs


def test_functional_linear_and_its_node():
    x, w, b = arr(4, 3), arr(2, 3), arr(2)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    xo, wo, bo = (glasstorch.tensor(a, requires_grad=True) for a in (x, w, b))
    yt, yo = torch.nn.functional.linear(xt, wt, bt), glasstorch.nn.functional.linear(xo, wo, bo)
    compare(yo, yt)
    assert yo.grad_fn.name() == type(yt.grad_fn).__name__ == "AddmmBackward0"
    yt.sum().backward()
    yo.sum().backward()
    for o, t in ((xo, xt), (wo, wt), (bo, bt)):
        compare(o.grad, t.grad)


@pytest.mark.parametrize("x_shape, bias_shape", [((4, 3), (1, 2)), ((4, 3), (4, 2)), ((3,), (2,)), ((2, 4, 3), (2,)),
                                                 ((4, 3), ())])
def test_functional_linear_bias_shapes(x_shape, bias_shape):
    """A bias that broadcasts against the output (not only (out,)), and 1-D / batched inputs: values and gradients."""
    x, w, b = arr(*x_shape), arr(2, 3), arr(*bias_shape)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    xo, wo, bo = (glasstorch.tensor(a, requires_grad=True) for a in (x, w, b))
    yt, yo = torch.nn.functional.linear(xt, wt, bt), glasstorch.nn.functional.linear(xo, wo, bo)
    compare(yo, yt)
    cotangent = arr(*yt.shape)
    yt.backward(torch.tensor(cotangent))
    yo.backward(glasstorch.tensor(cotangent))
    for o, t in ((xo, xt), (wo, wt), (bo, bt)):
        compare(o.grad, t.grad)
        assert o.grad.dtype == o.dtype


def test_functional_linear_bias_dtype_error_matches_torch():
    def call(lib):
        return lib.nn.functional.linear(lib.ones(5, 4), lib.ones(2, 4), lib.ones(2, dtype=lib.float64))
    theirs, ours = raises_like(call)
    assert ours == theirs


# ---- BatchNorm -----------------------------------------------------------------------------------------------------

BATCHNORMS = {
    "1d_2d_input": (lambda nn, **kw: nn.BatchNorm1d(3, **kw), (8, 3)),
    "1d_3d_input": (lambda nn, **kw: nn.BatchNorm1d(3, **kw), (4, 3, 5)),
    "2d": (lambda nn, **kw: nn.BatchNorm2d(3, **kw), (2, 3, 4, 5)),
}
OPTIONS = {
    "default": {},
    "momentum_none": {"momentum": None},
    "momentum_0.5": {"momentum": 0.5, "eps": 1e-3},
    "no_affine": {"affine": False},
    "no_bias": {"bias": False},
    "no_tracking": {"track_running_stats": False},
}


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("kind", BATCHNORMS)
def test_batchnorm_training_steps_then_eval(kind, options):
    make, shape = BATCHNORMS[kind]
    theirs, ours = make(torch.nn, **OPTIONS[options]), make(glasstorch.nn, **OPTIONS[options])
    if theirs.affine:  # non-trivial scale and shift, the same in both
        with torch.no_grad():
            theirs.weight.copy_(torch.tensor(arr(3)))
            if theirs.bias is not None:
                theirs.bias.copy_(torch.tensor(arr(3)))
    copy_weights(theirs, ours)
    assert repr(ours) == repr(theirs)
    for step in range(4):
        x = arr(*shape) * (step + 1) + step
        for module in (theirs, ours):
            module.zero_grad()
        run_both(theirs, ours, x, arr(*shape))
        for name, buffer in theirs.named_buffers():
            compare(ours.get_buffer(name), buffer, rtol=1e-5, atol=1e-6, what=f"step {step}: {name}")
    theirs.eval()
    ours.eval()
    run_both(theirs, ours, arr(*shape) * 2, arr(*shape))
    if theirs.track_running_stats:
        run_both(theirs, ours, arr(1, *shape[1:]))  # a single sample is fine in eval with running statistics


def test_batchnorm_course_example_layout():
    """The course's BatchNorm2d(2) on a (1, 2, 3, 4) input: the output node and the parameters' repr."""
    x = arr(1, 2, 3, 4)
    theirs, ours = torch.nn.BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True), glasstorch.nn.BatchNorm2d(2)
    yt, yo = run_both(theirs, ours, x)
    assert yo.grad_fn.name() == type(yt.grad_fn).__name__ == "NativeBatchNormBackward0"
    assert repr(ours.weight) == repr(theirs.weight).replace("torch", "glasstorch")
    assert repr(ours.bias) == repr(theirs.bias)


def test_batchnorm_uses_biased_variance_to_normalise_and_unbiased_for_running_var():
    bn = glasstorch.nn.BatchNorm1d(1, momentum=1.0)
    x = glasstorch.tensor([[1.0], [2.0], [3.0], [6.0]])
    y = bn(x)
    data = x.numpy().ravel()
    np.testing.assert_allclose(y.detach().numpy().ravel(), (data - 3) / np.sqrt(data.var() + 1e-5), rtol=1e-5)
    np.testing.assert_allclose(bn.running_var.numpy(), [data.var(ddof=1)], rtol=1e-6)
    np.testing.assert_allclose(bn.running_mean.numpy(), [3.0])
    assert bn.num_batches_tracked.item() == 1 and bn.num_batches_tracked.dtype == glasstorch.int64


BN_ERRORS = {
    "1d_4d_input": lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 3, 4, 5)),
    "2d_3d_input": lambda lib: lib.nn.BatchNorm2d(3)(lib.ones(2, 3, 4)),
    "one_value_per_channel": lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3)),
    "channels": lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(4, 2)),
    "eval_without_stats": lambda lib: lib.nn.functional.batch_norm(lib.ones(4, 3), None, None, training=False),
    "weight_size": lambda lib: lib.nn.functional.batch_norm(lib.ones(4, 3), lib.zeros(3), lib.ones(3), lib.ones(2),
                                                            training=True),
    "mixed_dtypes": lambda lib: lib.nn.functional.batch_norm(lib.ones(4, 3, dtype=lib.float64), lib.zeros(3),
                                                             lib.ones(3), training=True),
}


@pytest.mark.parametrize("name", BN_ERRORS)
def test_batchnorm_errors_match_torch(name):
    theirs, ours = raises_like(BN_ERRORS[name])
    assert ours.replace("glasstorch.", "torch.") == theirs


# ---- Dropout -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.1, 0.4, 0.8])
def test_dropout_rate_and_scale(p):
    glasstorch.manual_seed(1)
    x = glasstorch.rand(200_000) + 0.5
    x.requires_grad_(True)
    y = glasstorch.nn.Dropout(p)(x)
    dropped = (y == 0).numpy()
    n = dropped.size
    assert abs(dropped.mean() - p) < 5 * np.sqrt(p * (1 - p) / n)  # five standard errors
    kept = ~dropped
    np.testing.assert_allclose(y.detach().numpy()[kept], x.detach().numpy()[kept] / (1 - p), rtol=1e-6)
    y.backward(glasstorch.ones(n))
    np.testing.assert_allclose(x.grad.numpy(), np.where(kept, 1 / (1 - p), 0), rtol=1e-6)
    assert y.grad_fn.name() == "MulBackward0"  # as the course's printout shows


def test_dropout_course_example():
    """The course's Dropout(p=0.4): survivors are scaled by 1/(1 − 0.4) (1.8033 → 3.0055), the rest are 0."""
    x = glasstorch.tensor([[0.0, 1.8033, 1.4608, 4.5189, 6.9116]])
    y = glasstorch.nn.Dropout(p=0.4)(x)
    for before, after in zip(x.tolist()[0], y.tolist()[0]):
        assert after == 0 or abs(after - before / 0.6) < 1e-4


def test_dropout_eval_p0_p1_and_repr():
    x = glasstorch.tensor(arr(3, 4))
    drop = glasstorch.nn.Dropout(0.5)
    assert drop.eval()(x) is x
    assert glasstorch.nn.functional.dropout(x, 0.0) is x
    assert glasstorch.nn.functional.dropout(x, 0.5, training=False) is x
    assert (glasstorch.nn.functional.dropout(x, 1.0) == 0).all()
    assert repr(drop) == repr(torch.nn.Dropout(0.5)) == "Dropout(p=0.5, inplace=False)"
    assert repr(glasstorch.nn.Dropout(0.2, inplace=True)) == repr(torch.nn.Dropout(0.2, inplace=True))


@pytest.mark.parametrize("p", [-0.1, 1.5, 2])
def test_dropout_probability_outside_0_1_is_a_value_error(p):
    for make in (lambda lib: lib.nn.Dropout(p), lambda lib: lib.nn.functional.dropout(lib.ones(3), p)):
        theirs, ours = raises_like(make)
        assert ours == theirs


def test_dropout_of_integers_fails_as_torch():
    theirs, ours = raises_like(lambda lib: lib.nn.functional.dropout(lib.ones(3, dtype=lib.int64), 0.5))
    assert ours == theirs


# ---- shape layers --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda nn: nn.Flatten(), lambda nn: nn.Flatten(0, 2), lambda nn: nn.Flatten(start_dim=2),
    lambda nn: nn.Unflatten(1, (3, 4)), lambda nn: nn.Identity(),
])
def test_shape_layers(make):
    theirs, ours = make(torch.nn), make(glasstorch.nn)
    run_both(theirs, ours, arr(2, 12, 1), arr(*theirs(torch.ones(2, 12, 1)).shape))
    assert repr(ours) == repr(theirs)


# ---- one_hot -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data,num_classes", [([0, 2, 1], -1), ([[0, 2], [1, 0]], -1), ([1, 3], 6), ([], 3), (2, 4)],
                         ids=str)
def test_one_hot(data, num_classes):
    theirs = torch.nn.functional.one_hot(torch.tensor(data, dtype=torch.int64), num_classes)
    ours = glasstorch.nn.functional.one_hot(glasstorch.tensor(data, dtype=glasstorch.int64), num_classes)
    compare(ours, theirs)


ONE_HOT_ERRORS = {
    "float": lambda lib: lib.nn.functional.one_hot(lib.tensor([1.0, 2.0])),
    "int32": lambda lib: lib.nn.functional.one_hot(lib.tensor([1, 2], dtype=lib.int32)),
    "negative": lambda lib: lib.nn.functional.one_hot(lib.tensor([1, -2])),
    "too_large": lambda lib: lib.nn.functional.one_hot(lib.tensor([1, 5]), 3),
    "empty_without_classes": lambda lib: lib.nn.functional.one_hot(lib.tensor([], dtype=lib.int64)),
}


@pytest.mark.parametrize("name", ONE_HOT_ERRORS)
def test_one_hot_errors_match_torch(name):
    theirs, ours = raises_like(ONE_HOT_ERRORS[name])
    assert ours == theirs
