"""``glasstorch evaluate``, ``predict`` and ``summary``: using a saved model, which carries everything it needs
(configuration, preprocessing, label names)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import numpy as np

import glasstorch as torch

from .csvread import peek_header
from .data import InputError, read_features
from .validate import MAX_FILE_BYTES, check_range, check_target, read_regular_file, write_error
from .fileio import write_json
from .modelfile import encoder_of, load_model
from .notices import ignored_note, shorten
from .predictions import write_predictions
from .progress import say
from .sources import load_phone_or_csv, reload
from .split import train_test_split
from .phrases import count, headline, metric_lines, task_name
from .train import score_report
from ..i18n import t


def _rows_to_evaluate(args, document: dict[str, Any], model):
    """(table, row indices, description): the training run's held-out rows when the data is the same file (or the
    same synthetic rows) as in training, else every row of the given CSV. Only the columns the model uses are read
    (and required)."""
    training = document.get("training", {})
    source = training.get("data", {})
    config = document["config"]
    table = None
    reading = reading_for(document, model)
    if args.data is not None:
        header = peek_header(args.data)
        absent = [n for n in reading["features"] if n not in header]
        if absent:
            raise InputError(t("app.err.columns_mismatch", path=args.data, absent=", ".join(absent),
                               columns=", ".join(reading["features"])))
    if args.data is None:
        table = reload(source, document["target_name"], **reading)
    else:
        table = load_phone_or_csv(args.data, document["target_name"], **reading)
    same = (table.synthetic and source.get("kind") == "synthetic") or (
        table.sha256 is not None and table.sha256 == source.get("sha256"))
    if same and not args.all_rows:
        _, test_rows = train_test_split(table.n_rows, config["train_size"], config["split_seed"])
        return table, test_rows, "held-out rows"
    return table, np.arange(table.n_rows), f"rows of {table.source}"


def reading_for(document: dict[str, Any], model=None) -> dict[str, Any]:
    """read_csv's options for rows a model will read: its own categorical columns, missing-cell policy and decimal
    mark, nothing detected anew; with ``model``, only the columns it uses."""
    encoder = encoder_of(document)
    reading = {"categorical": [encoder.names[j] for j in encoder.categorical], "missing": encoder.missing,
               "detect": False, "decimal": document["config"].get("decimal")}
    if model is not None:
        reading["features"] = model.used_columns_
    return reading


def _fill(model) -> dict[str, Any]:
    """A value of the right kind for each column, standing in for a column the model does not use."""
    encoder = model.columns_
    return {name: (encoder.categories_[j][0] if encoder.categories_.get(j) else "") if j in encoder.categorical
            else encoder.fill_.get(j, 0.0) for j, name in enumerate(encoder.names)}


def _model_matrix(table, model) -> np.ndarray:
    """The table's columns (the model's used ones) spread into the model's column order, the others filled."""
    names = model.columns_.names
    fill = _fill(model)
    text = table.features.dtype == object or any(isinstance(fill[n], str) for n in names
                                                 if n not in table.feature_names)
    x = np.empty((table.n_rows, len(names)), dtype=object if text else np.float64)
    for j, name in enumerate(names):
        if name in table.feature_names:
            x[:, j] = table.features[:, table.feature_names.index(name)]
        else:
            x[:, j] = fill[name]
    return x


def note_unseen(model, x: np.ndarray) -> None:
    """One line on stderr naming the category values that encode as all zeros (not seen in the training rows)."""
    unseen = model.columns_.unseen(x)
    if not unseen:
        return
    parts = [t("app.note.unseen_item", name=name, rows=count(n, "rows"),
               value=t("app.note.missing_value") if value is None else repr(value)) for name, value, n in unseen]
    print(t("app.note.unseen", values=shorten(parts, 8, None)), file=sys.stderr)


def _check_numbers(model, x: np.ndarray) -> None:
    """Numeric cells beyond float32 are refused (the network would read them as infinite)."""
    encoder = model.columns_
    check_range(x, encoder.names, [j for j in range(len(encoder.names)) if j not in set(encoder.categorical)])


def run_evaluate(args) -> int:
    model, document = load_model(args.model)
    if document["target_name"] is None:
        raise InputError(t("app.err.no_target_name"))
    table, rows, where = _rows_to_evaluate(args, document, model)
    x, y = _model_matrix(table, model)[rows], table.target[rows]
    task = document["task"]
    if task == "regression" and y.dtype == object:
        raise InputError(t("app.err.target_not_numeric", column=document["target_name"]))
    check_target(y, document["target_name"], labels_allowed=task == "classification" and
                 any(isinstance(c, str) for c in document["classes"]))
    _check_numbers(model, x)
    if not args.quiet:
        note_unseen(model, x)
    metrics = score_report(model, task, x, y)
    metrics.update({"task": task, "recipe": document["config"].get("recipe"),
                    "n_train": document.get("training", {}).get("n_train"), "n_test": len(rows),
                    "epochs": document.get("training", {}).get("epochs_completed"),
                    "train_seconds": None, "synthetic": table.synthetic, "data": table.source,
                    "evaluated_on": where, "model": str(args.model)})
    out = _write_evaluation(args, metrics)
    say(t("app.line.evaluated", model=args.model, rows=count(len(rows), where)), args.quiet)
    if not args.quiet:
        _print_metrics(metrics)
        if out is not None:
            say(t("app.line.wrote", path=out))
    print(headline(metrics, task, len(rows), table.synthetic, where))
    return 0


def _write_evaluation(args, metrics: dict[str, Any]) -> Optional[Path]:
    """Writes the metrics to --out (a failure is an error), else to evaluation.json beside the model; where that
    cannot be written (a read-only medium, a full disk), to ./evaluation.json, saying so; failing that, nowhere,
    saying why (the metrics are printed anyway). Returns where they went."""
    if args.out:
        try:
            return write_json(args.out, metrics)
        except OSError as error:
            raise InputError(write_error(args.out, error)) from None
    beside = Path(args.model).parent / "evaluation.json"
    try:
        return write_json(beside, metrics)
    except OSError as error:
        reason = f"{error.strerror or error}"
    fallback = Path("evaluation.json")
    if fallback.resolve() != beside.resolve():
        try:
            write_json(fallback, metrics)
            print(t("app.note.wrote_instead", path=beside, reason=reason, fallback=fallback.resolve()), file=sys.stderr)
            return fallback
        except OSError as error:
            reason += t("app.note.nor_here", reason=error.strerror or error)
    print(t("app.note.not_written", path=beside, reason=reason), file=sys.stderr)
    return None


def _print_metrics(metrics: dict[str, Any]) -> None:
    for line in metric_lines(metrics):
        print(line)
    if metrics["task"] == "classification":
        print(t("app.line.confusion"))
        for line in metrics["confusion"]:
            print("  " + " ".join(f"{v:5d}" for v in line))


def _read_input(spec: str) -> tuple[str, str]:
    if spec == "-":
        text = sys.stdin.read(MAX_FILE_BYTES + 1)
        if len(text) > MAX_FILE_BYTES:
            raise InputError(t("app.err.stdin_too_big", limit=f"{MAX_FILE_BYTES:,}"))
        return "stdin", text
    text = read_regular_file(spec, "input file").decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise InputError(t("app.err.empty", path=spec))
    return spec, text


def run_predict(args) -> int:
    model, document = load_model(args.model)
    source, text = _read_input(args.input)
    reading = reading_for(document)
    ignored: list[str] = []
    x = read_features(source, text, document["feature_names"], document["target_name"], reading["categorical"],
                      reading["missing"], needed=model.used_columns_, fill=_fill(model), decimal=reading["decimal"],
                      ignored=ignored)
    note = ignored_note(ignored)
    if note is not None:
        print(note, file=sys.stderr)
    _check_numbers(model, x)
    note_unseen(model, x)
    classification = document["task"] == "classification"
    predictions = model.predict(x)
    probabilities = model.predict_proba(x) if classification else None
    if getattr(args, "output", None):
        path = write_predictions(args.output, source, text, predictions, probabilities if args.proba else None,
                                 model.classes_ if classification else (), decimal=reading["decimal"] or ".")
        print(t("app.line.predicted_proba" if args.proba and classification else "app.line.predicted", path=path,
                rows=count(len(predictions), "rows")))
        return 0
    if classification:
        labels = predictions.tolist()
        records = [{"row": i + 1, "prediction": label,
                    "probabilities": {str(c): round(float(p), 6) for c, p in zip(model.classes_, probs)}}
                   for i, (label, probs) in enumerate(zip(labels, probabilities))]
        if args.json:
            print(json.dumps(records, ensure_ascii=False))
            return 0
        names = [f"p({c})" for c in model.classes_]
        width = max(10, *(len(str(label)) for label in labels))
        print(f"{'row':>5}  {'prediction':<{width}}  " + "  ".join(f"{n:>8}" for n in names))
        for record, probs in zip(records, probabilities):
            print(f"{record['row']:>5}  {str(record['prediction']):<{width}}  "
                  + "  ".join(f"{p:>8.4f}" for p in probs))
        return 0
    if args.json:
        print(json.dumps([{"row": i + 1, "prediction": float(v)} for i, v in enumerate(predictions)]))
        return 0
    print(f"{'row':>5}  prediction")
    for i, value in enumerate(predictions):
        print(f"{i + 1:>5}  {value:.6g}")
    return 0


def run_summary(args) -> int:
    model, document = load_model(args.model)
    config = document["config"]
    names = document["feature_names"]
    inputs = model.columns_.input_names_
    used = [str(name) for name in model.selected_features_]
    print(t("app.summary.model", path=args.model))
    print(t("app.summary.task", task=task_name(document["task"]), recipe=config.get("recipe"),
            target=document["target_name"]))
    if document["task"] == "classification":
        print(t("app.summary.classes", classes=shorten([str(c) for c in model.classes_], 20)))
    if model.columns_.trivial:
        print(t("app.summary.features", n=len(names), used=len(used))
              + ("" if len(used) == len(names) else t("app.paren", text=shorten(used, 20))))
    else:
        encoder = model.columns_
        print(t("app.summary.inputs", description=encoder.describe(), used=len(used))
              + ("" if len(used) == len(inputs) else t("app.paren", text=shorten(used, 20))))
        for j in encoder.categorical:
            print(t("app.summary.one_hot", name=encoder.names[j],
                    categories=shorten(encoder.categories_[j]) or t("app.summary.nothing"))
                  + (t("app.summary.and_missing") if j in encoder.missing_input_ else ""))
        if encoder.missing == "impute":
            _print_fills(encoder)
    if len(model.used_columns_) < len(names):
        print(t("app.summary.columns", columns=shorten(model.used_columns_, 20)))
    scaling = t("app.summary.standardised") if config.get("standardize") else t("app.model.raw")
    print(t("app.summary.preprocessing", scaling=scaling))
    training = document.get("training", {})
    if training:
        stopped = training.get("stopped")
        print(t("app.summary.trained", rows=count(training.get("n_train"), "rows"),
                epochs=count(training.get("epochs_completed"), "epochs"))
              + (t("app.summary.stopped", why=t(f"app.stopped.{stopped}") if stopped in ("interrupted", "diverged")
                   else stopped) if stopped else ""))
    torch.summary(model.network_, input_size=(len(used),), batch_size=args.batch_size)
    return 0


def _print_fills(encoder) -> None:
    """The means that fill missing numbers: those that filled cells in training, then the others (which would fill
    a missing cell in new rows). A model file from before the counts were kept lists every mean as one."""
    means = sorted(encoder.fill_.items())
    if not encoder.missing_counts_:
        filled = ", ".join(f"{encoder.names[j]} {v:.4g}" for j, v in means)
        print(t("app.summary.fills", fills=filled or t("app.summary.no_numeric")))
        return
    had = [t("app.summary.fill_cells", name=encoder.names[j], mean=f"{v:.4g}", n=encoder.missing_counts_[j])
           for j, v in means if encoder.missing_counts_.get(j)]
    other = [f"{encoder.names[j]} {v:.4g}" for j, v in means if not encoder.missing_counts_.get(j)]
    print(t("app.summary.fills", fills=shorten(had) if had else t("app.summary.none_missing")))
    if other:
        print(t("app.summary.kept_means", fills=shorten(other)))
