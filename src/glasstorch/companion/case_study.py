"""Chapter 10 of the tour: the course's phone-price case study, with the course's recipe and the tuned one.

Both recipes come from glasstorch's trainer (``glasstorch.app``): the same data, the course's split
``train_test_split(train_size=0.8, random_state=88)``, a ``TabularClassifier`` fitted on the 1600 training rows and
scored once on the 400 held-out rows, with its learning curves drawn per epoch. Without the CSV the chapter says
where to put it and how to get it (the tour never downloads).
"""
from __future__ import annotations

from ..app import TabularClassifier, read_csv, train_test_split
from ..app.recipes import make_config
from ..app.train import describe_config
from ..datasets import DataNotFoundError, phone_prices
from . import plots

COURSE_REPORTS = "the course reports 0.6425 for its recipe (PyTorch 2.13 gives 0.655 with the same code)"


def run(tour) -> None:
    try:
        path = phone_prices(tour.data, download=False)
    except DataNotFoundError as error:
        print(error)
        print("Then run this chapter again: glasstorch tour --chapter 10 [--data PATH]")
        return
    table = read_csv(path)
    train_rows, test_rows = train_test_split(table.n_rows, train_size=0.8, random_state=88)
    x, y = table.features, table.target
    print(f"{path}: {table.n_rows} rows, {len(table.feature_names)} features, target '{table.target_name}' "
          f"with classes {sorted(set(y.tolist()))}; {len(train_rows)} training rows, {len(test_rows)} held out")
    for recipe in ("course", "tuned"):
        config = make_config(recipe, {"epochs": tour.epochs})
        print(f"\nrecipe {recipe}: {describe_config(config)}")
        model = TabularClassifier(config).fit(x[train_rows], y[train_rows], eval_set=(x[test_rows], y[test_rows]))
        accuracy = model.score(x[test_rows], y[test_rows])
        print(f"recipe {recipe}: accuracy {accuracy:.4f} on {len(test_rows)} held-out rows after {model.n_epochs_} "
              f"epochs ({model.train_seconds_:.1f} s)" + (f"; {COURSE_REPORTS}" if recipe == "course" else ""))
        curves = {key: [row[key] for row in model.history_] for key in
                  ("train_loss", "test_loss", "train_accuracy", "test_accuracy") if key in model.history_[0]}
        plots.training_curves(curves, tour.figure(f"{recipe}-recipe-curves"),
                              title=f"Phone prices, recipe '{recipe}': held-out accuracy {accuracy:.4f}")
    print("\nThe full trainer, with metrics.json, the confusion matrix and the saved model: glasstorch train --recipe "
          "course|tuned")
