"""English: the trainer CLI (``glasstorch train/evaluate/predict/summary``) and argparse's own words; merged into en.py."""

APP = {
    # ---- argparse's own words (msgids of argparse's gettext calls, the same text in English)
    "argparse.usage": "usage: ",
    "argparse.options": "options",
    "argparse.positional": "positional arguments",
    "argparse.help": "show this help message and exit",
    "argparse.required": "the following arguments are required: %s",
    "argparse.error": "%(prog)s: error: %(message)s\n",
    "argparse.argument": "argument %(argument_name)s: %(message)s",
    "argparse.invalid_choice": "invalid choice: %(value)r (choose from %(choices)s)",
    "argparse.invalid_value": "invalid %(type)s value: %(value)r",
    "argparse.unrecognized": "unrecognized arguments: %s",
    "argparse.expected_one": "expected one argument",
    "argparse.expected_at_most_one": "expected at most one argument",
    "argparse.expected_at_least_one": "expected at least one argument",
    "argparse.ambiguous": "ambiguous option: %(option)s could match %(matches)s",
    "argparse.not_allowed": "not allowed with argument %s",
    "argparse.one_required": "one of the arguments %s is required",
    "argparse.ignored": "ignored explicit argument %r",
    "argparse.unknown_parser": "unknown parser %(parser_name)r (choices: %(choices)s)",
    "argparse.expected_n": "expected %s argument",
    "argparse.expected_n_plural": "expected %s arguments",

    # ---- glasstorch --help
    "app.examples": "examples:",
    "app.description": "glasstorch: PyTorch's API on NumPy, and a trainer for the course's phone-price case study "
                       "and any tabular CSV.",
    "app.version": "print glasstorch's version and exit",
    "app.error": "error: {message}",
    "app.interrupted": "interrupted",
    "app.interrupted_train": "interrupted; nothing was saved",
    "app.bad_widths": "expected comma-separated widths such as 128,256, got {text}",
    "app.widths_positive": "widths must be >= 1, got {text}",
    "app.bad_names": "expected comma-separated column names such as sex,embarked, got {text}",
    "app.bad_whole": "expected a whole number, got {text}",
    "app.bad_positive": "expected a number >= 1, got {value}",
    "app.bad_batch": "expected -1 or a number from 1 to 2**31, got {value}",

    # ---- glasstorch train --help
    "app.train.help": "train a classifier or regressor on a CSV (default: the course's phone prices)",
    "app.train.description": "Trains on a tabular CSV (default: the course's phone-price data, its last column as "
                             "target) and writes the model, metrics.json, curves.png and confusion.png into --out. "
                             "Flags override the recipe's values.",
    "app.train.example1": "glasstorch train                       # the tuned recipe on the phone prices",
    "app.group.data": "data",
    "app.group.model": "model",
    "app.group.optimisation": "optimisation",
    "app.group.run": "run",
    "app.train.data": "the CSV to learn from: a header row, then rows of values; commas, semicolons, tabs or bars "
                      "between them. A column with no number in it (male/female) is categorical, one-hot encoded "
                      "(default: the phone-price CSV, found or downloaded; see glasstorch.datasets.phone_prices)",
    "app.train.synthetic": "train on N synthetic phone-price rows instead (offline demo; labelled synthetic)",
    "app.train.target": "the target column (default: the last one)",
    "app.train.task": "default: inferred from the target column",
    "app.train.categorical": "also one-hot encode these columns although they hold numbers (codes such as zip "
                             "codes); categories come from the training rows, an unseen one encodes as all zeros",
    "app.train.features": "the feature columns to use (default: every column but the target)",
    "app.train.drop": "columns to leave out (an ID, a leak), without editing the file",
    "app.train.decimal": "the decimal mark of the CSV's numbers (default: detected; a semicolon file with -1,332 has "
                         "a decimal comma)",
    "app.train.missing": "what an empty feature cell does: 'error' (default) stops with its row and column; 'impute' "
                         "fills numbers with the training rows' mean and gives categories a '<missing>' input, and "
                         "also reads NA, N/A, nan, null, None and ? as missing",
    "app.train.train_size": "fraction of rows to train on (0.8)",
    "app.train.split_seed": "random_state of the split (88)",
    "app.train.standardize": "scale features to mean 0, std 1 (training-row statistics)",
    "app.train.feature_alpha": "keep features whose univariate test on the training rows has p < P (1 keeps all)",
    "app.train.recipe": "starting values (tuned)",
    "app.train.hidden": "hidden widths, e.g. 128,256; 'none' for linear",
    "app.train.activation": "the hidden layers' activation function (default: the recipe's)",
    "app.train.init": "weight initialisation (default: torch's)",
    "app.train.dropout": "dropout probability after each hidden layer",
    "app.train.batchnorm": "batch normalisation after each hidden layer",
    "app.train.loss": "the loss function (default: cross_entropy for a classifier, mse for a regressor)",
    "app.train.label_smoothing": "cross-entropy's label_smoothing",
    "app.train.optimizer": "the optimizer (default: the recipe's)",
    "app.train.lr": "the learning rate",
    "app.train.momentum": "for --optimizer momentum (0.9)",
    "app.train.weight_decay": "the optimizer's weight_decay (L2 penalty)",
    "app.train.scheduler": "the learning-rate schedule",
    "app.train.step_size": "StepLR's step_size",
    "app.train.gamma": "StepLR/MultiStepLR/ExponentialLR's gamma",
    "app.train.milestones": "MultiStepLR's epochs, e.g. 30,40",
    "app.train.epochs": "the number of epochs",
    "app.train.batch_size": "the batch size",
    "app.train.seed": "glasstorch.manual_seed before building the model (0)",
    "app.train.cv": "also K-fold cross-validate on the training rows",
    "app.train.max_classes": "allow a classifier of up to N classes (default 100; more is usually a quantity: "
                             "--task regression)",
    "app.train.out": "output folder (default: runs/<timestamp>)",
    "app.train.quiet": "no progress; only the headline line on stdout",

    # ---- evaluate, predict, summary --help
    "app.model": "the saved model (model.safetensors)",
    "app.evaluate.help": "score a saved model",
    "app.evaluate.description": "Scores a saved model on its training run's held-out rows (same CSV) or on every row "
                                "of another CSV, prints the metrics and writes them as JSON.",
    "app.evaluate.data": "default: the CSV the model was trained on",
    "app.evaluate.all_rows": "score every row, even when the CSV is the training one",
    "app.evaluate.out": "where to write the metrics (default: evaluation.json beside the model)",
    "app.evaluate.quiet": "print only the headline line",
    "app.predict.help": "predict rows from a CSV or JSON file (or - for stdin)",
    "app.predict.description": "Prints each row's predicted label and class probabilities (regression: the value), "
                               "as a table or JSON. Rows give the model's columns; categories as text (JSON: "
                               "strings), and where the model was trained with --missing impute, missing values as "
                               "empty cells or NA (JSON: null). A category not seen in training encodes as all zeros, "
                               "with a note on stderr. Only the columns the model uses are needed; others are "
                               "ignored, with a note.",
    "app.predict.input": "FILE.csv, FILE.json or - (stdin)",
    "app.predict.json": "print JSON instead of a table",
    "app.predict.output": "write the input rows with a prediction column to FILE.csv (atomically) instead of "
                          "printing",
    "app.predict.proba": "with --output: also a probability column per class, p(class)",
    "app.summary.help": "print a saved model's summary table",
    "app.summary.description": "Prints what a saved model is: task, classes, the columns and inputs it reads "
                               "(categories, filled-in means, the columns predict needs), the preprocessing, how it "
                               "was trained, and torchsummary's layer table.",
    "app.summary.batch_size": "batch size shown (torchsummary's -1)",
    "app.model_or_run": "the saved model: model.safetensors, or the run folder holding it",
    "app.export.help": "export a saved model to ONNX or PyTorch",
    "app.export.description": "Writes a saved model in a format that runs without glasstorch. onnx: model.onnx, "
                              "whose graph holds the preprocessing (feature selection, the one-hot encoding of "
                              "categories, the means filling missing numbers, the standardisation), the network and "
                              "the outputs. Its inputs: 'features', float32 [N, numeric columns], the data's numeric "
                              "columns in the data's order (the target left out), raw as in the CSV (NaN for a "
                              "missing cell where the model imputes); for a model with categorical columns also "
                              "'categories', string [N, categorical columns], their cells as text (stripped; \"\" "
                              "for a missing cell; a category not seen in training encodes as all zeros). Outputs: "
                              "'probabilities' (float32), 'class_index' (int64) and 'label' for a classifier; 'value' "
                              "(float64, in the target's units) for a regression. torch: model.pth, the network's "
                              "state_dict in PyTorch's format (torch.load, then load_state_dict(strict=True)), and "
                              "model.py: the network as a torch.nn.Module class, the preprocessing's constants and "
                              "prepare(rows), which applies it (the network itself reads prepared inputs, not the "
                              "raw columns).",
    "app.export.format": "onnx (needs pip install 'glasstorch[onnx]') or torch (model.pth and model.py)",
    "app.export.out": "the folder to write (default: beside the run, RUN-onnx or RUN-torch); a previous export of "
                      "the same format there is replaced",
    "app.export.needs_onnx": "--format onnx needs the onnx package, which is not installed: "
                             "pip install 'glasstorch[onnx]'",
    "app.export.unsupported_layer": "cannot export the layer {layer}: the exporters know {supported}",
    "app.line.exported": "exported {model} to {out} ({files})",
    # ---- train: progress and result lines (stderr), the headline (stdout), plot titles
    "app.count.row": "{n} row",
    "app.count.rows": "{n} rows",
    "app.count.feature": "{n} feature",
    "app.count.features": "{n} features",
    "app.count.training_row": "{n} training row",
    "app.count.training_rows": "{n} training rows",
    "app.count.held_out_row": "{n} held-out row",
    "app.count.held_out_rows": "{n} held-out rows",
    "app.count.row_of": "{n} row of {source}",
    "app.count.rows_of": "{n} rows of {source}",
    "app.sep": ", ",
    "app.task.classification": "classification",
    "app.task.regression": "regression",
    "app.line.synthetic": "data: {n} SYNTHETIC phone-price rows (made up by make_phone_prices, seed {seed})",
    "app.line.data": "data: {source} ({rows}, {features}, target '{target}')",
    "app.line.features": "features: {description}",
    "app.line.task": "task: {task}{inferred} · recipe: {recipe} · {train}, {held_out} (train_size {train_size}, "
                     "random_state {split_seed})",
    "app.line.inferred": " (inferred; --task to change)",
    "app.line.model": "model: hidden {hidden} · {optimizer} lr {lr} · batch {batch_size} · {epochs} epochs · "
                      "seed {seed} · {extras}",
    "app.model.hidden": "{widths}, {activation}",
    "app.model.linear": "none (linear)",
    "app.model.dropout": "dropout {p}",
    "app.model.batchnorm": "batchnorm",
    "app.model.weight_decay": "weight decay {value}",
    "app.model.scheduler": "scheduler {name}",
    "app.model.standardised": "standardised",
    "app.model.raw": "raw features",
    "app.model.screening": "feature screening p<{alpha}",
    "app.bar.train": "train",
    "app.bar.fold": "fold {i}/{k}",
    "app.bar.loss": "loss",
    "app.bar.test_loss": "held-out loss",
    "app.bar.test_accuracy": "held-out acc",
    "app.bar.test_r2": "held-out r2",
    "app.line.fold": "fold {i}/{k}: {metric} {score}",
    "app.report.header": "class      precision  recall  f1      support",
    "app.report.cv": "{k}-fold cross-validation on the training rows: {metric} {mean} ± {std}",
    "app.report.trained": "trained in {seconds} s; wrote {out}/{files}",
    "app.headline.accuracy": "accuracy {value} on {rows}{tag}",
    "app.headline.r2": "r2 {value} on {rows}{tag}",
    "app.headline.synthetic": " (synthetic data)",
    "app.plot.synthetic": " (SYNTHETIC data)",
    "app.plot.curves": "{recipe} recipe{tag}",
    "app.plot.confusion": "held-out confusion matrix{tag} (accuracy {accuracy})",
    "app.line.no_confusion": "confusion.png not drawn: {n} classes are more than the {most} a figure can show "
                             "legibly (the counts are in metrics.json)",
    "app.interrupted.finished": "interrupted; the run had finished and is saved in {out}",
    "app.interrupted.nothing": "interrupted; nothing was saved ({why})",
    "app.interrupted.unchanged": "{out} is unchanged",
    "app.interrupted.not_created": "{out} was not created",
    "app.interrupted.first_epoch": "interrupted before the first epoch ended; nothing was saved ({out} is unchanged "
                                   "or absent)",
    "app.interrupted.after": "interrupted after {n} complete epoch(s); the model so far is saved in {path}, with "
                             "{kept} of those epochs",
    "app.files.and": " and ",
    "app.diverged": "error: training diverged: the loss became NaN or infinite in epoch {epoch}. Try a lower learning "
                    "rate (--lr {lower}; it was {lr}). The last good model ({state}) is saved in {path}, with {kept}",
    "app.diverged.after": "the model after epoch {n}",
    "app.diverged.initial": "the initial model",
    "app.cv.diverged": "cross-validation fold {i}: the loss became NaN or infinite in epoch {epoch}; try a lower "
                       "learning rate (--lr {lower})",

    # ---- evaluate
    "app.line.evaluated": "evaluated {model} on {rows}",
    "app.line.wrote": "wrote {path}",
    "app.line.confusion": "confusion (rows: true, columns: predicted):",
    "app.metric.accuracy": "accuracy",
    # ---- bad input: the most common errors (files, cells, columns, the target)
    "app.err.no_file": "no such file: {path}",
    "app.err.folder": "{path} is a folder, not a {what}",
    "app.err.cannot_read": "cannot read {what} {path}: {reason}",
    "app.err.empty": "{path} is empty",
    "app.err.no_rows": "{path} has a header but no data rows",
    "app.err.header_unnamed": "{path}: column {n} of the header has no name",
    "app.err.header_repeats": "{path}: the header repeats column names: {names}",
    "app.err.line_values": "{path}: line {line} has {n} values but the header has {columns} columns",
    "app.err.where_line": "row {row} (line {line}), column '{column}'",
    "app.err.where": "row {row}, column '{column}'",
    "app.err.cell_empty": "{where}: the cell is empty; every feature cell needs a value",
    "app.err.cell_empty_hint": " (--missing impute fills empty cells in: numbers with the training rows' mean, "
                               "categories with a '<missing>' category)",
    "app.err.not_number": "{where}: {text} is not a number",
    "app.err.model_numeric": "{message}; the model reads column '{column}' as numeric",
    "app.err.na_hint": "{message}; if it marks a missing value, --missing impute fills it in",
    "app.err.other_numbers": "{message}, but other cells of '{column}' are (row {row}: {text}), so the column is "
                             "numeric: fix the cell, or pass --categorical {column} to treat every value of "
                             "'{column}' as a category",
    "app.err.must_be_numeric": "{message}; feature columns must be numeric, or named by --categorical",
    "app.err.flag_no_column": "--{flag} {name}: {path} has no column '{name}'; its columns are: {columns}",
    "app.err.flag_target": "--{flag} {name}: '{name}' is the target column, not a feature",
    "app.err.categorical_left_out": "--categorical {name}: '{name}' is left out by --features/--drop",
    "app.err.no_features": "{path} has no feature columns besides the target '{target}'",
    "app.err.no_features_left": "--features/--drop leave no feature column",
    "app.err.one_column": "{path} has one column ('{name}'): it needs feature columns and a target column",
    "app.err.no_target": "{path} has no column '{target}'; its columns are: {columns}",
    "app.err.target_empty": "row {row} (line {line}), column '{column}': the target cell is empty",
    "app.err.target_not_finite": "{where}: {text} is not a finite number; a target must be a finite value",
    "app.err.target_missing": "{where}: the target is missing ({text}); a row without a target cannot be learned "
                              "from: remove the row or fill the cell in",
    "app.err.target_not_number": "row {row}, column '{column}': {text} is not a number, but other cells of "
                                 "'{column}' are (row {other_row}: {other}), so the target is numeric: fix the cell "
                                 "(or, if every value is a class label, pass --task classification)",
    "app.err.json_null": "{where}: the value is missing (null)",
    "app.err.json_missing": "{where}: the value is missing ({text})",
    "app.err.what.csv": "CSV file",
    "app.err.what.model": "model file",
    "app.err.what.input": "input file",
    "app.err.what.file": "file",
    "app.err.regression_target": "{where}: {text} is not a number; a regression target must be numeric",
    "app.cfg.finite": "{name} must be a finite number, got {value}",
    "app.cfg.one_of": "{name} must be one of {choices}, got {value}",
    "app.cfg.at_least_1": "{name} must be >= 1, got {value}",
    "app.cfg.unit": "{name} must be in [0, 1), got {value}",
    "app.cfg.positive": "{name} must be > 0, got {value}",
    "app.cfg.non_negative": "{name} must be >= 0, got {value}",
    "app.cfg.alpha": "{name} must be in (0, 1], got {value}",
    "app.cfg.fraction": "{name} must be a fraction in (0, 1), got {value}",
    "app.cfg.cv": "--cv needs at least 2 folds, got {value}",
    "app.cfg.features_and_drop": "--features and --drop cannot be combined: name the columns to keep or those to "
                                 "leave out",
    "app.cfg.split_seed": "{name} must be in [0, 2**32) (NumPy's RandomState), got {value}",
    "app.cfg.seed": "{name} must be in [-2**63, 2**64) (as torch.manual_seed), got {value}",
    "app.cfg.milestones": "{name} must be epochs >= 1, got {value}",
    "app.note.unseen": "note: not seen in the training rows, so encoded as all zeros: {values}",
    "app.line.predicted": "wrote {path}: {rows} with their prediction",
    "app.line.predicted_proba": "wrote {path}: {rows} with their prediction and class probabilities",
    "app.summary.model": "model: {path}",
    "app.summary.task": "task: {task} · recipe: {recipe} · target: {target}",
    "app.summary.classes": "classes: {classes}",
    "app.summary.features": "features: {n} in the data, {used} used",
    "app.summary.columns": "columns the model uses (what predict needs): {columns}",
    "app.summary.standardised": "standardised with training-row mean and std",
    "app.summary.preprocessing": "preprocessing: {scaling}",
    # ---- the rarer messages: --out, splits and folds, the estimators, notes and warnings, summary's details
    "app.more": " and {n} more",
    "app.paren": " ({text})",
    "app.count.column": "{n} column",
    "app.count.columns": "{n} columns",
    "app.count.epoch": "{n} epoch",
    "app.count.epochs": "{n} epochs",
    "app.out.file": "--out {out} is a file, not a folder",
    "app.out.below_file": "--out {out} lies below {parent}, which is a file, not a folder",
    "app.out.foreign_run": "--out {out} holds files that are not a glasstorch run's ({files}); a run replaces its folder "
                       "as a whole, so give a new folder or a previous run's",
    "app.out.foreign_export": "--out {out} holds files that are not a glasstorch export's ({files}); an export "
                              "replaces its folder as a whole, so give a new folder or a previous export's",
    "app.out.locked": "another glasstorch run (pid {pid}) is writing into {out}; wait for it to finish or choose "
                      "another --out (if no such run exists, remove {lock})",
    "app.out.lock_reappears": "could not lock {out}: {lock} keeps reappearing",
    "app.split.train_size": "train_size={train_size} should be a float in the (0, 1) range",
    "app.split.empty_train": "with {n} rows and train_size={train_size}, the training set would be empty",
    "app.split.empty_test": "with {n} rows and train_size={train_size}, the held-out set would be empty",
    "app.split.folds": "cannot make {k} folds of {n} rows (need 2 <= k <= rows)",
    "app.split.cv_min": "cross-validation needs at least 2 folds, got {k}",
    "app.split.class_folds": "{k} folds need at least {k} rows of some class; the largest class has {largest}",
    "app.err.cv": "--cv {k}: {message}",
    "app.err.synthetic_columns": "{flag} names columns of a --data CSV; the synthetic rows are all numeric",
    "app.err.not_saved": "{message}; nothing was saved ({why})",
    "app.err.output_folder": "--output {path} is a folder; name a file such as predictions.csv",
    "app.err.rows_read_back": "{source}: {n} rows read back for {m} predictions",
    "app.err.unseen_label": "row {row}: label {label} was not seen in training (classes: {classes})",
    "app.err.recipe": "unknown recipe {recipe}; choose one of {choices}",
    "app.err.columns_mismatch": "{path}: columns do not match the model's (missing: {absent}); the model uses: "
                                "{columns}",
    "app.err.no_target_name": "this model has no target column name; evaluate needs labelled rows",
    "app.err.target_not_numeric": "the target column '{column}' is not numeric",
    "app.err.stdin_too_big": "stdin holds more than the {limit} characters glasstorch reads as one input",
    "app.cfg.loss_regression": "loss {loss} is a regression loss; classification uses cross_entropy",
    "app.cfg.loss_classification": "loss {loss} is a classification loss; regression uses {losses}",
    "app.fit.unknown_categorical": "config.categorical names {name}, which is not among the feature_names ({names})",
    "app.fit.error": "fit: {message}",
    "app.fit.shape": "expected rows with {n} features, got shape {shape}",
    "app.fit.not_fitted": "this {name} is not fitted yet: call fit(x, y) first",
    "app.fit.single_class": "the target has a single class ({label}): a classifier needs two",
    "app.enc.index": "categorical column index {index} is out of range for {n} columns",
    "app.enc.missing_cell": "row {row}, column '{column}' is missing (NaN or None); missing='impute' fills missing "
                            "cells in",
    "app.enc.describe": "{columns} columns → {inputs} inputs ({parts})",
    "app.enc.categorical": "{k} categorical, one-hot",
    "app.enc.numeric": "all numeric",
    "app.enc.imputed_n": "{n} missing cells imputed",
    "app.enc.imputed": "missing cells imputed",
    "app.enc.sep": "; ",
    "app.doubt.distinct_text": "its {k} values in {n} rows are (nearly) all distinct, as in an ID or a name",
    "app.doubt.distinct_ints": "its values are {n} distinct integers ({low} to {high}), as in an ID",
    "app.doubt.many_classes": "it holds {k} distinct integers from {low} to {high}, read as {k} classes; it looks "
                              "like {what}",
    "app.doubt.year": "a year",
    "app.doubt.count": "a count or a code",
    "app.warn.target": "warning: the target is the last column, '{target}', because --target was not given, but "
                       "{why}. If that is not what to predict, name the target with --target COLUMN (columns: "
                       "{columns})",
    "app.note.dropped_one": "note: left out 1 column whose values are (nearly) all distinct, an ID or free text that "
                            "one-hot encoding cannot learn from: {parts}; --categorical {names} keeps it",
    "app.note.dropped_many": "note: left out {n} columns whose values are (nearly) all distinct, an ID or free text "
                             "that one-hot encoding cannot learn from: {parts}; --categorical {names} keeps them",
    "app.note.dropped_part": "'{name}' ({why})",
    "app.note.ignored": "note: ignored {columns} the model does not use: {names}",
    "app.note.unseen_item": "{name}={value} ({rows})",
    "app.note.missing_value": "(missing)",
    "app.note.wrote_instead": "note: could not write {path} ({reason}); wrote {fallback} instead",
    "app.note.nor_here": "; nor ./evaluation.json: {reason}",
    "app.note.not_written": "note: the metrics were not written to a file ({path}: {reason}); pass --out FILE",
    "app.report.regression": "r2 {r2}  mae {mae}  mse {mse}  rmse {rmse}",
    "app.summary.inputs": "features: {description}, {used} used",
    "app.summary.one_hot": "  {name}: one-hot over {categories}",
    "app.summary.nothing": "nothing",
    "app.summary.and_missing": " and <missing>",
    "app.summary.trained": "trained on {rows} for {epochs}",
    "app.summary.stopped": " (stopped: {why})",
    "app.stopped.interrupted": "interrupted",
    "app.stopped.diverged": "diverged",
    "app.summary.fills": "  missing numbers filled with the training rows' mean: {fills}",
    "app.summary.no_numeric": "no numeric column",
    "app.summary.none_missing": "none were missing",
    "app.summary.fill_cells": "{name} {mean} ({n} cells)",
    "app.summary.kept_means": "  no missing numbers in training, the mean kept for new rows: {fills}",
    # ---- the engine (--engine, --device) and several processes (torchrun)
    "app.group.engine": "engine",
    "app.train.engine": "what computes the run: glasstorch (NumPy on the CPU; default) or torch (PyTorch, if "
                        "installed: GPUs, and several processes under torchrun)",
    "app.train.device": "where --engine torch computes: cpu, cuda, mps or auto (CUDA, else MPS, else the CPU; "
                        "default); glasstorch computes on the CPU (cpu or auto)",
    "app.engine.no_torch": "--engine torch needs PyTorch, which is not installed here: pip install 'glasstorch[torch]' "
                           "(for a GPU build see https://pytorch.org/get-started), or leave out --engine to train "
                           "with glasstorch",
    "app.engine.no_device": "--device {device}: PyTorch {version} finds no {device} device on this machine; use "
                            "--device cpu, or --device auto to take the best one available",
    "app.engine.glasstorch_cpu": "--device {device} needs --engine torch: glasstorch computes on the CPU only "
                                 "(--device cpu or auto)",
    "app.engine.glasstorch_processes": "{n} processes were started for this run (WORLD_SIZE={n}, e.g. by torchrun), "
                                       "but glasstorch trains in one process: add --engine torch, or run without "
                                       "torchrun",
    "app.engine.mps_processes": "--device mps cannot train in several processes ({n} were started): PyTorch's "
                                "process groups do not run on MPS; start one process, or use --device cpu",
    "app.engine.peer_failed": "another process of this run stopped at a check (its message says why), so this one "
                              "stops too",
    "app.line.engine": "engine: PyTorch {version} on {device} · processes: {n} (each takes batches of {batch})",
}
