"""Univariate feature screening, learned from the training rows only.

A column is kept when a one-way test says it carries information about the target at significance ``alpha``:
for classification the ANOVA F-test (do the class means of the column differ?), for regression the F-test of the
correlation with the target. Nothing here knows any column by name; the test sees only the training rows it is given.

    F (classification) = [Σ_k n_k (x̄_k - x̄)² / (K - 1)] / [Σ_k Σ_i∈k (x_i - x̄_k)² / (n - K)],  df = (K-1, n-K)
    F (regression)     = r² / (1 - r²) · (n - 2),                                                 df = (1, n - 2)
    p = P(F_{d1,d2} ≥ F) = I_{d2 / (d2 + d1·F)}(d2/2, d1/2)        (I: the regularised incomplete beta function)
"""
from __future__ import annotations

import math

import numpy as np


def _incomplete_beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) by the modified Lentz method (converges fast for x < (a+1)/(a+b+2))."""
    tiny, eps = 1e-300, 1e-15
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 1000):
        # even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))
        numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + numerator * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + numerator / c
        c = c if abs(c) > tiny else tiny
        result *= d * c
        # odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
        numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + numerator * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + numerator / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        result *= step
        if abs(step - 1.0) < eps:
            break
    return result


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) = B(x; a, b) / B(a, b) for a, b > 0 and 0 ≤ x ≤ 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _incomplete_beta_fraction(a, b, x) / a
    # symmetry I_x(a, b) = 1 - I_{1-x}(b, a) keeps the fraction in its fast-converging range
    return 1.0 - math.exp(log_front) * _incomplete_beta_fraction(b, a, 1.0 - x) / b


def f_survival(f: float, d1: float, d2: float) -> float:
    """P(F ≥ f) for Snedecor's F distribution with (d1, d2) degrees of freedom."""
    if not np.isfinite(f):
        return 0.0 if f > 0 else 1.0
    if f <= 0.0:
        return 1.0
    return regularized_incomplete_beta(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))


def anova_f(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column ANOVA F statistic and p-value of x (n, d) against integer class labels y (n,)."""
    x = np.asarray(x, dtype=np.float64)
    classes = np.unique(y)
    n, k = len(y), len(classes)
    grand = x.mean(axis=0)
    between = np.zeros(x.shape[1])
    within = np.zeros(x.shape[1])
    for c in classes:
        rows = x[y == c]
        mean = rows.mean(axis=0)
        between += len(rows) * (mean - grand) ** 2
        within += ((rows - mean) ** 2).sum(axis=0)
    d1, d2 = k - 1, n - k
    with np.errstate(divide="ignore", invalid="ignore"):
        f = (between / d1) / (within / d2)
    f = np.where(within == 0, np.where(between > 0, np.inf, 0.0), f)
    return f, np.array([f_survival(v, d1, d2) for v in f])


def correlation_f(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column F statistic and p-value of the correlation between x (n, d) and a numeric target y (n,)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    xc, yc = x - x.mean(axis=0), y - y.mean()
    denominator = np.sqrt((xc ** 2).sum(axis=0) * (yc ** 2).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(denominator > 0, (xc * yc[:, None]).sum(axis=0) / denominator, 0.0)
        r2 = np.minimum(r ** 2, 1.0)
        d2 = len(y) - 2
        f = np.where(r2 < 1.0, r2 / (1.0 - r2) * d2, np.inf)
    return f, np.array([f_survival(v, 1, d2) for v in f])


def select_features(x: np.ndarray, y: np.ndarray, task: str, alpha: float) -> np.ndarray:
    """Indices of the columns whose univariate test has p < alpha (all columns when none passes)."""
    _, p = anova_f(x, y) if task == "classification" else correlation_f(x, y)
    keep = np.flatnonzero(p < alpha)
    return keep if len(keep) else np.arange(x.shape[1])
