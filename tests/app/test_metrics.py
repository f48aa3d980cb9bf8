"""Metrics against scikit-learn's."""
import numpy as np
import pytest

from glasstorch.app.metrics import classification_report, confusion_matrix, regression_report

skm = pytest.importorskip("sklearn.metrics")


def test_classification_report_matches_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 4, 200)
    pred = np.where(rng.random(200) < 0.7, y, rng.integers(0, 4, 200))
    pred[pred == 2] = 1  # a class never predicted: precision 0/0 → 0, as sklearn with zero_division=0
    report = classification_report(y, pred, ["a", "b", "c", "d"])
    assert report["accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    assert report["confusion"] == skm.confusion_matrix(y, pred, labels=[0, 1, 2, 3]).tolist()
    p, r, f, s = skm.precision_recall_fscore_support(y, pred, labels=[0, 1, 2, 3], zero_division=0)
    for k, name in enumerate("abcd"):
        row = report["per_class"][name]
        assert (row["precision"], row["recall"], row["f1"], row["support"]) == pytest.approx((p[k], r[k], f[k], s[k]))


def test_unseen_labels_count_as_wrong_and_stay_out_of_the_matrix():
    matrix = confusion_matrix(np.array([0, 1, -100]), np.array([0, 1, 1]), 2)
    assert matrix.tolist() == [[1, 0], [0, 1]]


def test_regression_report_matches_sklearn():
    rng = np.random.default_rng(1)
    y = rng.normal(size=50)
    pred = y + rng.normal(scale=0.3, size=50)
    report = regression_report(y, pred)
    assert report["r2"] == pytest.approx(skm.r2_score(y, pred))
    assert report["mae"] == pytest.approx(skm.mean_absolute_error(y, pred))
    assert report["mse"] == pytest.approx(skm.mean_squared_error(y, pred))
    assert report["rmse"] == pytest.approx(np.sqrt(skm.mean_squared_error(y, pred)))
