"""Recipes: named starting configurations. Explicit command-line flags override their values one by one.

``course`` is the course's case study exactly: raw features (no standardisation), 20 → 128 → 256 → 4 with ReLU,
CrossEntropyLoss, SGD with lr 1e-3, batches of 8, 50 epochs, ``torch.manual_seed(0)``, the split
``train_test_split(train_size=0.8, random_state=88)``. The course reports 0.6425 held-out accuracy; PyTorch 2.13 gives
0.655 with the same code (glasstorch draws its random numbers differently, so its figure differs too).

``tuned`` is the best generic recipe found for this kind of data (see README: "What each change bought"). It names no
column; everything it learns (scaling, which features to keep) comes from the training rows only, inside each fold
under ``--cv``.
"""
from __future__ import annotations

from typing import Any

from ..i18n import t
from .config import TrainConfig

COURSE: dict[str, Any] = dict(
    hidden=(128, 256), activation="relu", init="default", dropout=0.0, batchnorm=False, loss=None,
    optimizer="sgd", lr=1e-3, weight_decay=0.0, scheduler="none", epochs=50, batch_size=8,
    standardize=False, feature_alpha=None, train_size=0.8, split_seed=88, seed=0,
)

TUNED: dict[str, Any] = dict(
    hidden=(), activation="relu", init="default", dropout=0.0, batchnorm=False, loss=None,
    optimizer="adam", lr=1.0, weight_decay=0.0, scheduler="cosine", epochs=3000, batch_size=2048,
    standardize=True, feature_alpha=0.1, train_size=0.8, split_seed=88, seed=0,
)

RECIPES: dict[str, dict[str, Any]] = {"course": COURSE, "tuned": TUNED}


def make_config(recipe: str, overrides: dict[str, Any] | None = None) -> TrainConfig:
    """The recipe's configuration with ``overrides`` (only the keys whose value is not None) applied."""
    if recipe not in RECIPES:
        raise ValueError(t("app.err.recipe", recipe=repr(recipe), choices=", ".join(RECIPES)))
    values = dict(RECIPES[recipe])
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return TrainConfig(recipe=recipe, **values)
