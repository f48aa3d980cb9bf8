"""Chapter 9 of the tour: the course's phone-price case study, with the course's recipe and the tuned one.

Both recipes come from glasstorch's trainer (``glasstorch.app``): the same data, the course's split
``train_test_split(train_size=0.8, random_state=88)``, a ``TabularClassifier`` fitted on the 1600 training rows and
scored once on the 400 held-out rows, with its learning curves drawn per epoch. Without the CSV the chapter says
where to put it and how to get it (the tour never downloads), on stderr, and the tour exits with code 2.
"""
from __future__ import annotations

import sys

import numpy as np

from ..app import TabularClassifier, read_csv, train_test_split
from ..app.recipes import make_config
from ..app.train import describe_config
from ..datasets import DataNotFoundError, phone_prices
from ..i18n import t
from . import plots


MISSING_INPUT = 2  # what run returns without the data: the tour's exit code for missing input


def run(tour) -> int | None:
    try:
        path = phone_prices(tour.data, download=False)
    except DataNotFoundError as error:
        print(error, file=sys.stderr)
        print(t("case.run_again"), file=sys.stderr)
        return MISSING_INPUT
    table = read_csv(path)
    train_rows, test_rows = train_test_split(table.n_rows, train_size=0.8, random_state=88)
    x, y = table.features, table.target
    print(t("case.data", path=path, rows=table.n_rows, features=len(table.feature_names), target=table.target_name,
            classes=_labels(y), train=len(train_rows), test=len(test_rows)))
    for recipe in ("course", "tuned"):
        config = make_config(recipe, {"epochs": tour.epochs})
        print("\n" + t("case.recipe", recipe=recipe, config=describe_config(config)))
        model = TabularClassifier(config).fit(x[train_rows], y[train_rows], eval_set=(x[test_rows], y[test_rows]))
        accuracy = model.score(x[test_rows], y[test_rows])
        print(t("case.accuracy", recipe=recipe, accuracy=f"{accuracy:.4f}", test=len(test_rows),
                epochs=model.n_epochs_, seconds=f"{model.train_seconds_:.1f}")
              + (t("case.course_reports") if recipe == "course" else ""))
        curves = {key: [row[key] for row in model.history_] for key in
                  ("train_loss", "test_loss", "train_accuracy", "test_accuracy") if key in model.history_[0]}
        plots.training_curves(curves, tour.figure(f"{recipe}-recipe-curves"),
                              title_key="plots.case_study_curves", recipe=recipe, accuracy=f"{accuracy:.4f}")
    print("\n" + t("case.full_trainer"))
    print(t("case.summary"))


def _labels(y: np.ndarray) -> list:
    """The distinct labels as written in the CSV: [0, 1, 2, 3], not [0.0, 1.0, 2.0, 3.0]."""
    return [int(v) if isinstance(v, float) and v.is_integer() else v for v in np.unique(y).tolist()]
