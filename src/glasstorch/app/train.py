"""``glasstorch train``: read the rows, split them as the course does, (cross-validate,) train, and write the model,
metrics.json, curves.png and confusion.png into the run's folder.

The held-out rows are scored after each epoch only to draw the learning curves; nothing is chosen from them, and the
final score is taken once, after training.
"""
from __future__ import annotations

import datetime
import math
import sys
from pathlib import Path
from typing import Any, Optional

import numpy as np

from ..i18n import t
from ..i18n.fonts import pt
from .config import TrainConfig
from .data import InputError, Table, check_classes, dropped_reason, infer_task
from .encoding import ColumnEncoder
from .engine import Engine, select
from .estimator import estimator_for
from .fileio import write_json, write_text
from .metrics import classification_report, regression_report
from .modelfile import MODEL_FILE, save_model
from .notices import dropped_note, target_warning
from .phrases import count, describe_config, files_list, headline, metric_lines, task_name
from .plots import confusion, learning_curves
from .progress import EpochBar, say
from .recipes import make_config
from .rundir import RunFolder, check_out
from .sources import describe, load_phone_or_csv, synthetic_table
from .split import k_fold, stratified_k_fold, train_test_split
from .validate import (check_classes_count, check_memory, check_range, check_split, check_target,
                       write_error)

EXIT_INTERRUPTED = 130
MAX_CONFUSION_PLOT = 30  # classes; above this confusion.png is not drawn (unreadable, and its size grows as K²)
FLAG_FIELDS = ("task", "hidden", "activation", "init", "optimizer", "lr", "momentum", "weight_decay", "scheduler",
               "step_size", "gamma", "milestones", "dropout", "batchnorm", "epochs", "batch_size", "loss",
               "label_smoothing", "standardize", "feature_alpha", "train_size", "split_seed", "seed", "cv",
               "categorical", "missing", "features", "drop", "decimal", "engine", "device")


def config_from_args(args) -> TrainConfig:
    overrides = {name: getattr(args, name, None) for name in FLAG_FIELDS}
    try:
        return make_config(args.recipe, overrides).validate()
    except ValueError as error:
        raise InputError(str(error)) from None


def resolve_task(config: TrainConfig, table: Table, max_classes: Optional[int] = None) -> str:
    """The run's task (``config.task`` or inferred), after refusing a target that cannot be learned: a cell that is
    not a finite number in a numeric target (``abc``, ``nan``, ``1e309`` among prices: named by row and column, not
    made a class), a value beyond float32, or more classes than ``max_classes`` (default MAX_CLASSES)."""
    if config.task == "regression" and table.target.dtype == object:
        bad = next(i for i, v in enumerate(table.target) if not _is_number(v))
        where = t("app.err.where", row=bad + 1, column=table.target_name)
        raise InputError(t("app.err.regression_target", where=where, text=repr(table.target[bad])))
    check_target(table.target, table.target_name, labels_allowed=config.task == "classification")
    task = config.task or infer_task(table.target)
    if task == "classification":
        check_classes(table.target, table.target_name)
        check_classes_count(table.target, table.target_name, max_classes)
    return task


def _is_number(value: Any) -> bool:
    """A finite number ('nan' and 'inf' are not)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError, OverflowError):
        return False


def default_out() -> Path:
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    out = Path("runs") / stamp
    suffix = 1
    while out.exists():
        suffix += 1
        out = Path("runs") / f"{stamp}_{suffix}"
    return out


def cross_validate(config: TrainConfig, task: str, x: np.ndarray, y: np.ndarray, quiet: bool,
                   table: Optional[Table] = None) -> list[float]:
    """K folds of the training rows (stratified for classification), each fitted from scratch, column encoding
    (categories, imputed means), scaling and feature screening included; returns each fold's accuracy (or R²)."""
    try:
        folds = list(stratified_k_fold(y, config.cv, config.seed) if task == "classification"
                     else k_fold(len(y), config.cv, config.seed))
    except ValueError as error:
        raise InputError(t("app.err.cv", k=config.cv, message=error)) from None
    scores = []
    for i, (fit_rows, test_rows) in enumerate(folds, start=1):
        with EpochBar(config.epochs, t("app.bar.fold", i=i, k=config.cv), quiet) as bar:
            model = estimator_for(task, config).fit(x[fit_rows], y[fit_rows], on_epoch=bar.update,
                                                    **columns_of(table))
        if model.stopped_ == "interrupted":
            raise KeyboardInterrupt
        if model.stopped_ == "diverged":
            raise InputError(t("app.cv.diverged", i=i, epoch=model.diverged_epoch_, lower=f"{config.lr / 10:g}"))
        scores.append(model.score(x[test_rows], y[test_rows]))
        say(t("app.line.fold", i=i, k=config.cv, metric=t("app.metric.accuracy") if task == "classification" else "r2",
              score=f"{scores[-1]:.4f}"), quiet)
    return scores


def columns_of(table: Optional[Table]) -> dict[str, Any]:
    """fit's ``categorical`` and ``feature_names`` for a table's columns."""
    if table is None:
        return {}
    return {"categorical": table.categorical_columns, "feature_names": table.feature_names}


def reading_of(config: TrainConfig) -> dict[str, Any]:
    """read_csv's options for a run."""
    return {"categorical": config.categorical, "missing": config.missing, "decimal": config.decimal,
            "features": config.features or None, "drop": config.drop}


def note_reading(table: Table, config: TrainConfig, quiet: bool) -> TrainConfig:
    """Says how numbers were read and which columns were left out. Returns the configuration with a detected decimal
    comma fixed in it, so that evaluate and predict read numbers the same way."""
    fmt = table.number_format
    if fmt is not None and (not fmt.plain or fmt.forced):
        say(fmt.describe(), quiet)
    note = dropped_note(table.dropped)
    if note is not None:
        say(note, quiet)
    if fmt is not None and fmt.decimal == "," and config.decimal is None:
        config = config.replace(decimal=",")
    return config


def describe_columns(table: Table, train_rows: np.ndarray, config: TrainConfig) -> tuple[Optional[str], int]:
    """('features: 7 columns → 10 inputs (2 categorical, one-hot; 177 missing cells imputed)', or None when the
    columns go in unchanged (all numeric, nothing imputed); the number of inputs the network will read)."""
    if not table.categorical and config.missing == "error":
        return None, len(table.feature_names)
    encoder = ColumnEncoder(table.feature_names, table.categorical_columns, config.missing)
    try:
        encoder.fit(table.features[train_rows])
    except ValueError as error:
        raise InputError(str(error)) from None
    return t("app.line.features", description=encoder.describe(table.n_missing)), len(encoder.input_names_)


def fit_recipe(recipe: str = "tuned", data: Optional[str] = None, **overrides: Any) -> tuple[Any, dict[str, Any]]:
    """Trains a recipe on the course's split of ``data`` (default: the phone-price CSV) without writing files;
    returns (fitted estimator, held-out metrics). ``overrides`` are TrainConfig fields (e.g. ``epochs=5``).
    For programs such as the course tour: ``model, metrics = fit_recipe("course", epochs=5)``."""
    try:
        config = make_config(recipe, overrides).validate()
    except ValueError as error:
        raise InputError(str(error)) from None
    table = load_phone_or_csv(data, None, **reading_of(config))
    config = config.replace(task=resolve_task(config, table))
    train_rows, test_rows = train_test_split(table.n_rows, config.train_size, config.split_seed)
    x, y = table.features, table.target
    model = estimator_for(config.task, config).fit(x[train_rows], y[train_rows], eval_set=(x[test_rows], y[test_rows]),
                                                   **columns_of(table))
    metrics = score_report(model, config.task, x[test_rows], y[test_rows])
    metrics.update({"task": config.task, "recipe": recipe, "n_train": len(train_rows), "n_test": len(test_rows),
                    "epochs": model.n_epochs_, "train_seconds": model.train_seconds_, "history": model.history_})
    return model, metrics


def _read(args, config: TrainConfig) -> tuple[Table, TrainConfig]:
    """The rows (and the configuration with what reading them fixed: a detected decimal comma)."""
    if args.synthetic is not None:
        if config.categorical or config.features or config.drop:
            flag = "--categorical" if config.categorical else "--features" if config.features else "--drop"
            raise InputError(t("app.err.synthetic_columns", flag=flag))
        table = synthetic_table(args.synthetic, config.seed)
        say(t("app.line.synthetic", n=args.synthetic, seed=config.seed), args.quiet)
        return table, config
    table = load_phone_or_csv(args.data, args.target, **reading_of(config))
    say(t("app.line.data", source=table.source, rows=count(table.n_rows, "rows"),
          features=count(len(table.feature_names), "features"), target=table.target_name), args.quiet)
    return table, note_reading(table, config, args.quiet)


def run_train(args) -> int:
    """Every check first (flags, the engine, --out, the data, the split, the memory), then training into a staging
    folder that is swapped in as --out at the end (see :mod:`glasstorch.app.rundir`).

    Under torchrun every process runs this: all make the same checks (one failing stops them all), train together
    (see :mod:`glasstorch.app.engine`), and only the first (rank 0) prints progress and writes the run's folder."""
    config = config_from_args(args)
    engine = select(config.engine, config.device)
    with engine.processes():
        lead = engine.rank == 0
        args.quiet = args.quiet or not lead
        with engine.together():
            out, config, table, train_rows, test_rows = _check(args, config, engine)
        if not lead:
            return _exit_code(_fit(args, config, table, train_rows, test_rows)[0])
        return _train(args, out, config, table, train_rows, test_rows, engine)


def _check(args, config: TrainConfig, engine: Engine) -> tuple[Path, TrainConfig, Table, np.ndarray, np.ndarray]:
    """The run's checks, in the order that fails fastest; (--out, the configuration, the rows, the split)."""
    out = Path(args.out) if args.out else default_out()
    if engine.rank == 0:
        check_out(out)
    table, config = _read(args, config)
    task = resolve_task(config, table, getattr(args, "max_classes", None))
    if args.synthetic is None and args.target is None and engine.rank == 0:  # a guessed last column looking wrong
        warning = target_warning(table, task)
        if warning is not None:
            print(warning, file=sys.stderr, flush=True)
    try:
        config = config.replace(task=task).validate()  # e.g. --loss mse on a target inferred to be classes
    except ValueError as error:
        raise InputError(str(error)) from None
    check_split(table.n_rows, config.train_size, task)
    numeric = [j for j in range(len(table.feature_names)) if j not in set(table.categorical_columns)]
    check_range(table.features, table.feature_names, numeric)
    train_rows, test_rows = train_test_split(table.n_rows, config.train_size, config.split_seed)
    columns, n_inputs = describe_columns(table, train_rows, config)
    if columns is not None:
        say(columns, args.quiet)
    if task == "classification":
        check_classes(table.target[train_rows], table.target_name)
    n_outputs = len(np.unique(table.target[train_rows])) if task == "classification" else 1
    check_memory(config.hidden, n_inputs, n_outputs, config.optimizer, config.batch_size,
                 max(len(train_rows), len(test_rows)), config.batchnorm, table.n_rows * (1 + bool(config.cv)))
    say(t("app.line.task", task=task_name(task), inferred="" if args.task else t("app.line.inferred"),
          recipe=config.recipe, train=count(len(train_rows), "training rows"),
          held_out=count(len(test_rows), "held-out rows"), train_size=config.train_size,
          split_seed=config.split_seed), args.quiet)
    say(describe_config(config), args.quiet)
    if engine.name != "glasstorch":
        say(t("app.line.engine", version=engine.version, device=engine.device, n=engine.world_size,
              batch=config.batch_size), args.quiet)
    return out, config, table, train_rows, test_rows


def _train(args, out: Path, config: TrainConfig, table: Table, train_rows: np.ndarray, test_rows: np.ndarray,
           engine: Engine) -> int:
    """Trains into a staging folder swapped in as ``out``; the exit code."""
    run = RunFolder(out)
    unchanged = t("app.interrupted.unchanged" if out.exists() else "app.interrupted.not_created", out=out)
    try:
        with run:
            return _train_into(run, args, config, table, train_rows, test_rows, engine)
    except KeyboardInterrupt:
        print(t("app.interrupted.finished", out=out) if run.committed else t("app.interrupted.nothing", why=unchanged),
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        if run.committed:
            raise
        raise InputError(t("app.err.not_saved", message=write_error(out, error), why=unchanged)) from None


def _fit(args, config: TrainConfig, table: Table, train_rows: np.ndarray, test_rows: np.ndarray):
    """Cross-validates (with --cv) and trains; (the fitted estimator, the folds' scores or None)."""
    task = config.task
    x, y = table.features, table.target
    cv_scores = cross_validate(config, task, x[train_rows], y[train_rows], args.quiet, table) if config.cv else None
    model = estimator_for(task, config)
    with EpochBar(config.epochs, t("app.bar.train"), args.quiet) as bar:
        model.fit(x[train_rows], y[train_rows], eval_set=(x[test_rows], y[test_rows]), on_epoch=bar.update,
                  **columns_of(table))
    return model, cv_scores


def _exit_code(model) -> int:
    """The exit code of a run that ended as ``model.stopped_`` says (the first process's, for the others)."""
    return {"interrupted": EXIT_INTERRUPTED, "diverged": 2}.get(model.stopped_, 0)


def _train_into(run: RunFolder, args, config: TrainConfig, table: Table, train_rows: np.ndarray,
                test_rows: np.ndarray, engine: Engine) -> int:
    """Cross-validates, trains, writes every file into the staging folder and swaps it in; returns the exit code."""
    task, out = config.task, run.shown
    x, y = table.features, table.target
    model, cv_scores = _fit(args, config, table, train_rows, test_rows)
    if model.stopped_ == "interrupted" and model.n_epochs_ == 0:
        print(t("app.interrupted.first_epoch", out=out), file=sys.stderr)
        return EXIT_INTERRUPTED
    training = {"data": describe(table, config.seed), "n_train": len(train_rows), "n_test": len(test_rows),
                "epochs_completed": model.n_epochs_, "stopped": model.stopped_, "synthetic": table.synthetic,
                **engine.record()}
    save_model(model, run.path(MODEL_FILE), table.feature_names, table.target_name, training)
    written = [MODEL_FILE]
    metrics = score_report(model, task, x[test_rows], y[test_rows])
    metrics.update({"task": task, "recipe": config.recipe, "n_train": len(train_rows), "n_test": len(test_rows),
                    "epochs": model.n_epochs_, "stopped": model.stopped_,
                    "train_seconds": round(model.train_seconds_, 3), "synthetic": table.synthetic,
                    "data": describe(table, config.seed), **engine.record(), "config": config.to_dict(),
                    "features_used": [str(name) for name in model.selected_features_]})
    if table.dropped:
        metrics["dropped_columns"] = {name: dropped_reason(distinct, present, "en")  # language-neutral file
                                      for name, distinct, present in table.dropped}
    if table.number_format is not None and not table.number_format.plain:
        metrics["number_format"] = {"decimal": table.number_format.decimal,
                                    "thousands": table.number_format.thousands}
    if table.categorical or config.missing == "impute":
        metrics["encoding"] = encoding_summary(model.columns_, table.n_missing)
    if cv_scores is not None:
        name = "accuracy" if task == "classification" else "r2"
        metrics[f"cv_{name}_mean"] = float(np.mean(cv_scores))
        metrics[f"cv_{name}_std"] = float(np.std(cv_scores))
        metrics[f"cv_{name}_folds"] = [float(s) for s in cv_scores]
        metrics["cv_folds"] = config.cv
    write_json(run.path("metrics.json"), metrics)
    written.append("metrics.json")
    if model.history_:
        write_history(run.path("history.csv"), model.history_)
        tag = pt("app.plot.synthetic") if table.synthetic else ""
        learning_curves(model.history_, run.path("curves.png"), pt("app.plot.curves", recipe=config.recipe, tag=tag),
                        task)
        written += ["history.csv", "curves.png"]
    if task == "classification" and model.stopped_ is None:
        if len(model.classes_) <= MAX_CONFUSION_PLOT:
            tag = pt("app.plot.synthetic") if table.synthetic else ""
            confusion(metrics["confusion"], model.classes_, run.path("confusion.png"),
                      pt("app.plot.confusion", tag=tag, accuracy=f"{metrics['accuracy']:.4f}"))
            written.append("confusion.png")
        else:
            say(t("app.line.no_confusion", n=len(model.classes_), most=MAX_CONFUSION_PLOT), args.quiet)
    run.commit()
    kept = files_list(written)
    if model.stopped_ == "interrupted":
        print(t("app.interrupted.after", n=model.n_epochs_, path=out / MODEL_FILE, kept=kept), file=sys.stderr)
        return EXIT_INTERRUPTED
    if model.stopped_ == "diverged":
        state = t("app.diverged.after", n=model.n_epochs_) if model.n_epochs_ else t("app.diverged.initial")
        print(t("app.diverged", epoch=model.diverged_epoch_, lower=f"{config.lr / 10:g}", lr=f"{config.lr:g}",
                state=state, path=out / MODEL_FILE, kept=kept), file=sys.stderr)
        return 2
    print_report(metrics, out, written, args.quiet)
    print(headline(metrics, task, len(test_rows), table.synthetic))
    return 0


def encoding_summary(encoder: ColumnEncoder, n_missing: Optional[int]) -> dict[str, Any]:
    """What metrics.json says about the column encoding."""
    return {"description": encoder.describe(n_missing, "en"), "columns": len(encoder.names),
            "inputs": encoder.input_names_, "categorical": [encoder.names[j] for j in encoder.categorical],
            "missing": encoder.missing, "missing_cells": n_missing}


def write_history(path: Path, history: list[dict[str, Any]]) -> None:
    """One CSV line per epoch: the numbers behind curves.png."""
    if not history:
        return
    keys = list(history[0])
    lines = [",".join(keys)] + [",".join(f"{row[k]:.6g}" if isinstance(row[k], float) else str(row[k]) for k in keys)
                                for row in history]
    write_text(path, "\n".join(lines) + "\n")


def score_report(model, task: str, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    if task == "classification":
        codes = model.encoder_.transform(y, unknown=-100)
        return classification_report(codes, model.decision_function(x).argmax(axis=1), model.classes_)
    return regression_report(np.asarray(y, dtype=np.float64), model.predict(x))


def print_report(metrics: dict[str, Any], out: Path, written: list[str], quiet: bool) -> None:
    if quiet:
        return
    for line in metric_lines(metrics):
        say(line, quiet)
    if "cv_folds" in metrics:
        key = "accuracy" if metrics["task"] == "classification" else "r2"
        shown = t("app.metric.accuracy") if key == "accuracy" else key
        say(t("app.report.cv", k=metrics["cv_folds"], metric=shown, mean=f"{metrics[f'cv_{key}_mean']:.4f}",
              std=f"{metrics[f'cv_{key}_std']:.4f}"), quiet)
    say(t("app.report.trained", seconds=f"{metrics['train_seconds']:.1f}", out=out, files=", ".join(written)), quiet)
