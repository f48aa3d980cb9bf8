"""Feature screening statistics against scikit-learn's f_classif / f_regression."""
import numpy as np
import pytest

from glasstorch.app.features import anova_f, correlation_f, f_survival, select_features

feature_selection = pytest.importorskip("sklearn.feature_selection")


def _data(seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, 300)
    x = rng.normal(size=(300, 6))
    x[:, 0] += 0.8 * y
    x[:, 3] -= 0.2 * y
    return x, y


def test_anova_f_matches_sklearn():
    x, y = _data()
    f, p = anova_f(x, y)
    expected_f, expected_p = feature_selection.f_classif(x, y)
    np.testing.assert_allclose(f, expected_f, rtol=1e-10)
    np.testing.assert_allclose(p, expected_p, rtol=1e-8, atol=1e-300)


def test_correlation_f_matches_sklearn():
    x, _ = _data(1)
    target = 2.0 * x[:, 1] - x[:, 4] + np.random.default_rng(2).normal(size=len(x))
    f, p = correlation_f(x, target)
    expected_f, expected_p = feature_selection.f_regression(x, target)
    np.testing.assert_allclose(f, expected_f, rtol=1e-10)
    np.testing.assert_allclose(p, expected_p, rtol=1e-8, atol=1e-300)


@pytest.mark.parametrize("f, d1, d2", [(2.61, 3, 1596), (0.3, 2, 5), (15.0, 1, 10), (1.0, 7, 40), (80.0, 3, 200)])
def test_f_survival_matches_scipy(f, d1, d2):
    stats = pytest.importorskip("scipy.stats")
    assert f_survival(f, d1, d2) == pytest.approx(stats.f.sf(f, d1, d2), rel=1e-9, abs=1e-300)


def test_select_features_keeps_the_informative_columns():
    x, y = _data()
    assert select_features(x, y, "classification", 0.01).tolist() == [0, 3]


def test_constant_column_is_not_selected_and_nothing_passing_keeps_all():
    x, y = _data()
    x[:, 2] = 5.0
    assert 2 not in select_features(x, y, "classification", 0.5).tolist()
    noise = np.random.default_rng(3).normal(size=(100, 3))
    assert select_features(noise, np.arange(100) % 2, "classification", 1e-12).tolist() == [0, 1, 2]
