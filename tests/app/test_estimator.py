"""The estimators in scikit-learn's manner: fit returns self, learned attributes end in _, labels round-trip,
preprocessing is learned from the training rows only, runs stop cleanly on divergence and on Ctrl-C."""
import numpy as np
import pytest

import glasstorch as torch
from glasstorch import nn
from glasstorch.app import TabularClassifier, TabularRegressor, TrainConfig
from glasstorch.app.network import build_network
from glasstorch.app.recipes import make_config

QUICK = TrainConfig(hidden=(16,), optimizer="adam", lr=1e-2, epochs=30, batch_size=16, standardize=True)


def _blobs(n=240, seed=0, labels=(0, 1, 2)):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, len(labels), n)
    centers = np.array([[0, 0, 0], [4, 0, 1], [0, 4, -1]], dtype=float)[: len(labels)]
    x = centers[codes] + rng.normal(scale=0.7, size=(n, 3))
    x[:, 1] = x[:, 1] * 100 + 1000  # a column on another scale: standardisation matters
    return x, np.array([labels[c] for c in codes], dtype=object if isinstance(labels[0], str) else float)


def _weights(model):
    return [p.detach().numpy().copy() for p in model.network_.parameters()]


def test_fit_returns_self_and_sets_learned_attributes():
    x, y = _blobs()
    model = TabularClassifier(QUICK)
    assert model.fit(x, y) is model
    assert model.classes_ == [0, 1, 2] and model.n_features_in_ == 3 and model.n_epochs_ == 30
    assert model.stopped_ is None and len(model.history_) == 30 and model.train_seconds_ > 0
    assert model.score(x, y) > 0.9


def test_unfitted_model_says_so():
    with pytest.raises(AttributeError, match="not fitted yet"):
        TabularClassifier(QUICK).predict(np.zeros((1, 3)))


@pytest.mark.parametrize("labels", [("cheap", "mid", "dear"), (10, 20, 50)])
def test_labels_are_encoded_and_decoded(labels):
    x, y = _blobs(labels=labels)
    model = TabularClassifier(QUICK).fit(x, y)
    assert model.classes_ == sorted(labels)
    predicted = model.predict(x[:20])
    assert set(predicted) <= set(labels)
    assert model.score(x, y) > 0.9
    proba = model.predict_proba(x[:20])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert [model.classes_[i] for i in proba.argmax(axis=1)] == predicted.tolist()


def test_scaling_is_learned_from_training_rows_only():
    x, y = _blobs()
    train, test = slice(0, 180), slice(180, None)
    plain = TabularClassifier(QUICK).fit(x[train], y[train])
    watched = TabularClassifier(QUICK).fit(x[train], y[train], eval_set=(x[test], y[test]))
    np.testing.assert_allclose(plain.scaler_.mean_, x[train].mean(axis=0))
    np.testing.assert_allclose(plain.scaler_.scale_, x[train].std(axis=0))
    np.testing.assert_array_equal(plain.scaler_.mean_, watched.scaler_.mean_)
    for a, b in zip(_weights(plain), _weights(watched)):  # the eval set is only looked at, never learned from
        np.testing.assert_array_equal(a, b)
    assert "test_accuracy" in watched.history_[-1] and "test_accuracy" not in plain.history_[-1]


def test_same_seed_same_model_other_seed_other_model():
    x, y = _blobs()
    a, b = TabularClassifier(QUICK).fit(x, y), TabularClassifier(QUICK).fit(x, y)
    c = TabularClassifier(QUICK.replace(seed=1)).fit(x, y)
    for wa, wb in zip(_weights(a), _weights(b)):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(_weights(a)[0], _weights(c)[0])


def test_an_unseen_test_label_counts_as_wrong():
    x, y = _blobs()
    model = TabularClassifier(QUICK).fit(x, y)
    y2 = y.copy()
    y2[:10] = 99.0
    assert model.score(x, y2) <= model.score(x, y) - 10 / len(y) + 1e-12


def test_feature_screening_drops_noise_columns():
    x, y = _blobs(n=400)
    noise = np.random.default_rng(5).normal(size=(400, 2))
    model = TabularClassifier(QUICK.replace(feature_alpha=0.01)).fit(np.hstack([x, noise]), y)
    assert model.selected_inputs_.tolist() == [0, 1, 2]
    assert model.selected_features_.tolist() == ["x0", "x1", "x2"]  # names, as the inputs are called
    assert model.network_[0].in_features == 3


def test_regression():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 4)) * [1, 10, 100, 1]
    y = 3 * x[:, 0] - 0.2 * x[:, 1] + 0.01 * x[:, 2] + 50 + rng.normal(scale=0.1, size=300)
    model = TabularRegressor(QUICK.replace(epochs=60)).fit(x[:240], y[:240])
    assert model.score(x[240:], y[240:]) > 0.95
    assert abs(model.predict(x[240:]).mean() - y[240:].mean()) < 1.0  # predictions are in the target's units
    assert model.target_scaler_.mean_[0] == pytest.approx(y[:240].mean())


def test_divergence_stops_and_keeps_the_last_good_weights():
    x, y = _blobs()
    config = TrainConfig(hidden=(32,), optimizer="sgd", lr=1e20, epochs=20, batch_size=8, standardize=False)
    model = TabularClassifier(config).fit(x, y)
    assert model.stopped_ == "diverged" and model.diverged_epoch_ >= 1
    assert model.n_epochs_ == model.diverged_epoch_ - 1
    assert all(np.isfinite(w).all() for w in _weights(model))


def test_keyboard_interrupt_keeps_the_model_of_the_last_complete_epoch():
    x, y = _blobs()

    def interrupt(row):
        if row["epoch"] == 3:
            raise KeyboardInterrupt

    stopped = TabularClassifier(QUICK).fit(x, y, on_epoch=interrupt)
    assert stopped.stopped_ == "interrupted" and stopped.n_epochs_ == 3
    three = TabularClassifier(QUICK.replace(epochs=3)).fit(x, y)
    for a, b in zip(_weights(stopped), _weights(three)):
        np.testing.assert_array_equal(a, b)


def test_bad_config_values_raise_value_error():
    for change, message in [({"lr": -1.0}, "lr must be > 0"), ({"dropout": 1.0}, "dropout"),
                            ({"optimizer": "lbfgs"}, "optimizer must be one of"), ({"train_size": 1.0}, "train size")]:
        with pytest.raises(ValueError, match=message):
            TrainConfig(**change).validate()


class PhonePriceModel(nn.Module):
    """The course's model, as the course writes it."""

    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.linear1 = nn.Linear(input_dim, 128)
        self.linear2 = nn.Linear(128, 256)
        self.linear3 = nn.Linear(256, output_dim)

    def forward(self, x):
        return self.linear3(torch.relu(self.linear2(torch.relu(self.linear1(x)))))


def test_course_recipe_is_the_course():
    config = make_config("course")
    assert (config.hidden, config.activation, config.optimizer, config.lr, config.batch_size, config.epochs,
            config.seed, config.standardize, config.train_size, config.split_seed, config.loss_name("classification"),
            config.feature_alpha, config.scheduler, config.weight_decay, config.dropout, config.batchnorm) == \
        ((128, 256), "relu", "sgd", 1e-3, 8, 50, 0, False, 0.8, 88, "cross_entropy", None, "none", 0.0, 0.0, False)
    torch.manual_seed(0)
    ours = build_network(config, 20, 4)
    torch.manual_seed(0)
    course = PhonePriceModel(20, 4)
    assert [type(m).__name__ for m in ours] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert sum(p.numel() for p in ours.parameters()) == 36740
    for a, b in zip(ours.parameters(), course.parameters()):  # same seed, same initial weights
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    x = torch.randn(5, 20)
    np.testing.assert_array_equal(ours(x).detach().numpy(), course(x).detach().numpy())


def test_fit_recipe_for_programs(phone_csv):
    from glasstorch.app import fit_recipe

    model, metrics = fit_recipe("tuned", str(phone_csv), epochs=5)
    assert (metrics["n_train"], metrics["n_test"], metrics["epochs"], metrics["recipe"]) == (1600, 400, 5, "tuned")
    assert len(model.history_) == 5 and 0.0 <= metrics["accuracy"] <= 1.0


def test_batchnorm_with_a_last_batch_of_one_row():
    x, y = _blobs(n=97)
    model = TabularClassifier(QUICK.replace(batchnorm=True, batch_size=8, epochs=2)).fit(x, y)
    assert model.n_epochs_ == 2 and model.stopped_ is None
