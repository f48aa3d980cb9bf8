"""The splits are scikit-learn's, index for index (scikit-learn is a test dependency only)."""
import numpy as np
import pytest

from glasstorch.app.split import k_fold, split_sizes, stratified_k_fold, train_test_split

sklearn_split = pytest.importorskip("sklearn.model_selection")


@pytest.mark.parametrize("n, train_size, seed", [(2000, 0.8, 88), (2000, 0.7, 0), (101, 0.8, 88), (7, 0.5, 3),
                                                 (1999, 0.75, 12345)])
def test_train_test_split_matches_sklearn(n, train_size, seed):
    train, test = train_test_split(n, train_size, seed)
    expected_train, expected_test = sklearn_split.train_test_split(np.arange(n), train_size=train_size,
                                                                   random_state=seed)
    np.testing.assert_array_equal(train, expected_train)
    np.testing.assert_array_equal(test, expected_test)


def test_course_split_of_the_phone_csv_matches_sklearn(phone_csv):
    pd = pytest.importorskip("pandas")
    data = pd.read_csv(phone_csv)
    x, y = data.iloc[:, :-1], data.iloc[:, -1]
    _, x_valid, _, y_valid = sklearn_split.train_test_split(x, y, train_size=0.8, random_state=88)
    _, test = train_test_split(len(data), 0.8, 88)
    np.testing.assert_array_equal(test, x_valid.index.to_numpy())
    np.testing.assert_array_equal(y.to_numpy()[test], y_valid.to_numpy())


@pytest.mark.parametrize("k, seed", [(5, 0), (3, 7), (10, 88)])
def test_stratified_k_fold_matches_sklearn(k, seed):
    y = np.random.default_rng(seed).choice(np.array([3, 7, 1, 9]), size=213, p=[0.4, 0.3, 0.2, 0.1])
    ours = list(stratified_k_fold(y, k, seed))
    theirs = list(sklearn_split.StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    assert len(ours) == len(theirs) == k
    for (a, b), (c, d) in zip(ours, theirs):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_stratified_k_fold_with_string_labels_matches_sklearn():
    y = np.array(["b", "a", "c", "a", "b", "b", "c", "a", "a", "c"] * 5, dtype=object)
    for (a, b), (c, d) in zip(stratified_k_fold(y, 5, 1),
                              sklearn_split.StratifiedKFold(5, shuffle=True, random_state=1).split(y, y)):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_k_fold_matches_sklearn():
    theirs = sklearn_split.KFold(4, shuffle=True, random_state=5).split(range(103))
    for (a, b), (c, d) in zip(k_fold(103, 4, 5), theirs):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_folds_partition_the_rows():
    y = np.arange(50) % 3
    tests = np.concatenate([test for _, test in stratified_k_fold(y, 5, 0)])
    assert sorted(tests.tolist()) == list(range(50))


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="train_size=1.0"):
        split_sizes(10, 1.0)
    with pytest.raises(ValueError, match="empty"):
        split_sizes(3, 0.2)
    with pytest.raises(ValueError, match="folds"):
        list(stratified_k_fold(np.array([0, 1, 0, 1]), 5, 0))
