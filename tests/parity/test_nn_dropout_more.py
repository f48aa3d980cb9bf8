"""Dropout1d/2d/3d, AlphaDropout and FeatureAlphaDropout (modules and functionals). Random masks cannot match torch's
values, so these tests check structure and statistics (whole channels zeroed, survivors scaled by 1/(1 − p), alpha
dropout's mean and variance), eval = identity, the p = 0 and p = 1 edge cases, gradients equal to the mask, seed
reproducibility, and, against torch: node names, reprs, warnings and errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import glasstorch  # noqa: E402
import glasstorch.nn.functional as F  # noqa: E402
from test_core_harness import arr, raises_like  # noqa: E402

FEATURE = [("dropout1d", (8, 16, 5)), ("dropout1d", (16, 5)), ("dropout2d", (8, 16, 3, 4)),
           ("dropout3d", (4, 16, 2, 3, 2)), ("dropout3d", (16, 2, 3, 2))]


@pytest.mark.parametrize("name,shape", FEATURE, ids=str)
def test_feature_dropout_zeroes_whole_channels_and_scales_survivors(name, shape):
    glasstorch.manual_seed(0)
    x = glasstorch.tensor(arr(*shape, positive=True), requires_grad=True)
    y = getattr(F, name)(x, p=0.4)
    out, data = y.detach().numpy(), x.detach().numpy()
    spatial = int(name[-2])  # dropout1d: one spatial axis, dropout2d: two...
    per_channel = out.reshape(-1, int(np.prod(shape[-spatial:])))
    kept = per_channel.any(axis=1)
    assert 0 < kept.mean() < 1  # some channels dropped, some kept
    assert not per_channel[~kept].any()  # dropped channels are all zero
    np.testing.assert_allclose(out[out != 0], data[out != 0] / 0.6, rtol=1e-6)
    y.backward(glasstorch.ones_like(y))
    np.testing.assert_allclose(x.grad.numpy(), (out != 0) / 0.6, rtol=1e-6)  # ∂y/∂x = mask / (1 − p)


def test_dropout2d_keep_rate_is_one_minus_p():
    glasstorch.manual_seed(1)
    y = F.dropout2d(glasstorch.ones(200, 100, 2, 2), p=0.3).numpy()
    channels = y[:, :, 0, 0]
    assert abs((channels != 0).mean() - 0.7) < 0.01
    assert (y == y[:, :, :1, :1]).all()  # one draw per (sample, channel)


@pytest.mark.parametrize("name,shape", FEATURE + [("alpha_dropout", (4, 5)), ("feature_alpha_dropout", (3, 4, 5))],
                         ids=str)
def test_seed_reproducibility_eval_identity_and_edge_probabilities(name, shape):
    fn = getattr(F, name)
    x = glasstorch.tensor(arr(*shape))
    glasstorch.manual_seed(7)
    first = fn(x, 0.5, True).numpy()
    glasstorch.manual_seed(7)
    assert np.array_equal(fn(x, 0.5, True).numpy(), first)
    assert not np.array_equal(fn(x, 0.5, True).numpy(), first)  # the generator moved on
    assert np.array_equal(fn(x, 0.5, False).numpy(), x.numpy())
    assert np.array_equal(fn(x, 0.0, True).numpy(), x.numpy())
    assert not fn(x, 1.0, True).numpy().any()


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_alpha_dropout_keeps_mean_and_variance(p):
    glasstorch.manual_seed(0)
    x = glasstorch.randn(400000)
    y = F.alpha_dropout(x, p, True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.std() - 1) < 0.01
    values = np.unique(F.alpha_dropout(glasstorch.ones(1000), p, True).numpy())
    a = 1 / np.sqrt((1.7580993408473766 ** 2 * p + 1) * (1 - p))  # the two values torch gives for ones
    np.testing.assert_allclose(values, sorted([-1.7580993408473766 * a * (1 - p), a + 1.7580993408473766 * a * p]),
                               rtol=1e-6)


def test_alpha_dropout_gradient_is_the_scaled_mask_and_whole_channels_for_feature_alpha():
    glasstorch.manual_seed(3)
    x = glasstorch.tensor(arr(6, 10, 4), requires_grad=True)
    y = F.feature_alpha_dropout(x, 0.5, True)
    y.backward(glasstorch.ones_like(y))
    grad = x.grad.numpy()
    a = 1 / np.sqrt((1.7580993408473766 ** 2 * 0.5 + 1) * 0.5)
    np.testing.assert_allclose(np.unique(grad), [0.0, a], rtol=1e-6)
    assert (grad == grad[:, :, :1]).all()


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.nn.functional.dropout1d(x, 0.5),
    lambda lib, x: lib.nn.functional.dropout1d(x[0], 0.5),
    lambda lib, x: lib.nn.functional.dropout1d(x, 1.0),
    lambda lib, x: lib.nn.functional.dropout1d(x[0], 0.5, training=False),
    lambda lib, x: lib.nn.functional.dropout2d(x[..., None], 0.5),
    lambda lib, x: lib.nn.functional.dropout3d(x[..., None], 0.5),
    lambda lib, x: lib.nn.functional.alpha_dropout(x, 0.5, True),
    lambda lib, x: lib.nn.functional.alpha_dropout(x, 1.0, True),
    lambda lib, x: lib.nn.functional.feature_alpha_dropout(x, 0.5, True),
])
def test_node_names_match_torch(fn):
    xt, xo = torch.tensor(arr(2, 3, 4), requires_grad=True), glasstorch.tensor(arr(2, 3, 4), requires_grad=True)
    assert fn(glasstorch, xo).grad_fn.name() == fn(torch, xt).grad_fn.name()


@pytest.mark.parametrize("cls", ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"])
def test_modules_reprs_and_train_eval(cls):
    for args in [(), (0.3,), (0.2, True)]:
        assert repr(getattr(glasstorch.nn, cls)(*args)) == repr(getattr(torch.nn, cls)(*args))
    layer = getattr(glasstorch.nn, cls)(0.5)
    x = glasstorch.tensor({"Dropout3d": arr(4, 6, 3, 2, 2), "Dropout1d": arr(4, 6, 3)}.get(cls, arr(4, 6, 3, 2)))
    glasstorch.manual_seed(0)
    assert not np.array_equal(layer(x).numpy(), x.numpy())
    layer.eval()
    assert np.array_equal(layer(x).numpy(), x.numpy())
    assert list(layer.state_dict()) == []


def _warnings_of(fn, lib, x):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(lib, x)
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("fn", [lambda lib, x: lib.nn.Dropout2d()(x),
                                lambda lib, x: lib.nn.functional.dropout2d(x[0, 0], training=False),
                                lambda lib, x: lib.nn.functional.dropout2d(x[..., None, None]),
                                lambda lib, x: lib.nn.functional.dropout3d(x[0, 0], training=False)])
def test_warnings_match_torch(fn):
    x = arr(2, 3, 4)
    theirs = _warnings_of(fn, torch, torch.tensor(x))
    assert theirs and _warnings_of(fn, glasstorch, glasstorch.tensor(x)) == theirs


@pytest.mark.parametrize("fn", [
    lambda lib, x: lib.nn.functional.dropout1d(x[..., None]),
    lambda lib, x: lib.nn.functional.dropout1d(x, p=1.5),
    lambda lib, x: lib.nn.functional.dropout2d(x[0, 0]),
    lambda lib, x: lib.nn.functional.alpha_dropout(x, p=-1),
    lambda lib, x: lib.nn.functional.alpha_dropout(x.long(), 0.5, True),
    lambda lib, x: lib.nn.functional.dropout1d(x.long()),
    lambda lib, x: lib.nn.Dropout2d(2),
    lambda lib, x: lib.nn.AlphaDropout(-0.1),
])
def test_errors_match_torch(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, ours = raises_like(fn, arr(2, 3, 4))
    assert ours == theirs
