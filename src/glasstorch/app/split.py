"""Train/test splits and k-fold cross-validation, index for index the same as scikit-learn's, without scikit-learn.

scikit-learn draws its shuffles from NumPy's legacy ``RandomState(seed)``; so does this module, which is what makes
the indices identical (the tests compare them with scikit-learn's own).

``train_test_split(n, train_size=0.8, random_state=88)``, as ``sklearn.model_selection.train_test_split`` without
``stratify``: n_train = floor(train_size · n), n_test = n - n_train; ``perm = RandomState(seed).permutation(n)``;
the test rows are ``perm[:n_test]`` and the training rows ``perm[n_test:]``.

``stratified_k_fold(y, k, seed)``, as ``StratifiedKFold(k, shuffle=True, random_state=seed)``: classes are numbered
by first appearance; fold sizes per class come from dealing the sorted labels round-robin into k folds; each class's
block of fold numbers is shuffled with one ``RandomState(seed)``, class after class.
``k_fold(n, k, seed)``, as ``KFold(k, shuffle=True, random_state=seed)``: shuffle 0..n-1, cut into k nearly equal runs.
"""
from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from ..i18n import t


def split_sizes(n: int, train_size: float) -> tuple[int, int]:
    """(n_train, n_test) for a fractional ``train_size``, with scikit-learn's rounding and checks."""
    if not 0.0 < train_size < 1.0:
        raise ValueError(t("app.split.train_size", train_size=train_size))
    n_train = math.floor(train_size * n)
    n_test = n - n_train
    if n_train == 0 or n_test == 0:
        raise ValueError(t("app.split.empty_train" if n_train == 0 else "app.split.empty_test", n=n,
                           train_size=train_size))
    return n_train, n_test


def train_test_split(n: int, train_size: float = 0.8, random_state: int = 88) -> tuple[np.ndarray, np.ndarray]:
    """(train_indices, test_indices) of rows 0..n-1, the order scikit-learn returns them in."""
    n_train, n_test = split_sizes(n, train_size)
    permutation = np.random.RandomState(random_state).permutation(n)
    return permutation[n_test:n_test + n_train], permutation[:n_test]


def k_fold(n: int, k: int, random_state: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(train_indices, test_indices) for each of k shuffled folds."""
    if not 2 <= k <= n:
        raise ValueError(t("app.split.folds", k=k, n=n))
    indices = np.arange(n)
    np.random.RandomState(random_state).shuffle(indices)
    sizes = np.full(k, n // k, dtype=int)
    sizes[: n % k] += 1
    start = 0
    for size in sizes:
        test = indices[start:start + size]
        mask = np.ones(n, dtype=bool)
        mask[test] = False
        yield np.flatnonzero(mask), np.sort(test)
        start += size


def stratified_k_fold(y: np.ndarray, k: int, random_state: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(train_indices, test_indices) for each of k shuffled folds that keep the class proportions."""
    y = np.asarray(y)
    _, first_index, inverse = np.unique(y, return_index=True, return_inverse=True)
    order_of_appearance = np.argsort(np.argsort(first_index))  # class code by first appearance in y
    encoded = order_of_appearance[inverse.reshape(-1)]
    n_classes = len(first_index)
    counts = np.bincount(encoded, minlength=n_classes)
    if k < 2:
        raise ValueError(t("app.split.cv_min", k=k))
    if np.all(counts < k):
        raise ValueError(t("app.split.class_folds", k=k, largest=counts.max()))
    sorted_codes = np.sort(encoded)
    allocation = np.array([np.bincount(sorted_codes[i::k], minlength=n_classes) for i in range(k)])
    rng = np.random.RandomState(random_state)
    test_folds = np.empty(len(y), dtype=np.int64)
    for c in range(n_classes):
        folds_for_class = np.repeat(np.arange(k), allocation[:, c])
        rng.shuffle(folds_for_class)
        test_folds[encoded == c] = folds_for_class
    for fold in range(k):
        yield np.flatnonzero(test_folds != fold), np.flatnonzero(test_folds == fold)
