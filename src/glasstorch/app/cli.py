"""The ``glasstorch`` command: ``train``, ``evaluate``, ``predict``, ``summary``, and the course companion's
``run``, ``explain`` and ``tour`` (added by ``glasstorch.companion.cli.register`` when that module is present).

Exit codes: 0 success; 2 a usage or input error (a clear message on stderr, nothing half-written); 130 Ctrl-C.
"""
from __future__ import annotations

import signal
import sys

_early: list = []  # SIGINTs held back while `python -m glasstorch.app.cli` loads the trainer; main reports them
if __name__ == "__main__":
    try:
        signal.signal(signal.SIGINT, lambda signum, frame: _early.append(signum))
    except ValueError:
        pass

import argparse  # noqa: E402
import importlib  # noqa: E402
from typing import Optional  # noqa: E402

from .. import i18n  # noqa: E402
from .config import ACTIVATIONS, DECIMALS, INITS, MISSING, OPTIMIZERS, REGRESSION_LOSSES, SCHEDULERS, TASKS  # noqa: E402
from .errors import InputError  # noqa: E402

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _widths(text: str) -> tuple[int, ...]:
    """'128,256' → (128, 256); '' or 'none' → () (no hidden layer)."""
    if text.strip().lower() in ("", "none", "0"):
        return ()
    try:
        widths = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated widths such as 128,256, got {text!r}") from None
    if any(w < 1 for w in widths):
        raise argparse.ArgumentTypeError(f"widths must be >= 1, got {text!r}")
    return widths


def _names(text: str) -> tuple[str, ...]:
    """'sex,embarked' → ('sex', 'embarked')."""
    names = tuple(part.strip() for part in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected comma-separated column names such as sex,embarked, got {text!r}")
    return names


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, except that the examples epilog keeps its lines."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("examples:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _examples(*lines: str) -> str:
    """The epilog of a command's --help: a few example command lines."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _shown_batch(text: str) -> int:
    """summary's --batch-size: -1 (torchsummary's 'any') or a size from 1 to 2**31."""
    value = -1 if text.strip() == "-1" else _positive_int(text)
    if value > 2 ** 31:
        raise argparse.ArgumentTypeError(f"expected -1 or a number from 1 to 2**31, got {value}")
    return value


def _add_train(subparsers) -> None:
    p = subparsers.add_parser(
        "train", help="train a classifier or regressor on a CSV (default: the course's phone prices)",
        description="Trains on a tabular CSV (default: the course's phone-price data, its last column as target) "
                    "and writes the model, metrics.json, curves.png and confusion.png into --out. Flags override "
                    "the recipe's values.",
        formatter_class=_Formatter,
        epilog=_examples("glasstorch train                       # the tuned recipe on the phone prices",
                         "glasstorch train --recipe course --out runs/course",
                         "glasstorch train --data titanic.csv --target survived --missing impute --drop name"))
    data = p.add_argument_group("data")
    data.add_argument("--data", metavar="CSV", help="the CSV to learn from: a header row, then rows of values; commas, "
                                                    "semicolons, tabs or bars between them. A column with no number in "
                                                    "it (male/female) is categorical, one-hot encoded (default: the "
                                                    "phone-price CSV, found or downloaded; see "
                                                    "glasstorch.datasets.phone_prices)")
    data.add_argument("--synthetic", type=_positive_int, metavar="N",
                      help="train on N synthetic phone-price rows instead (offline demo; labelled synthetic)")
    data.add_argument("--target", metavar="COLUMN", help="the target column (default: the last one)")
    data.add_argument("--task", choices=TASKS, help="default: inferred from the target column")
    data.add_argument("--categorical", type=_names, metavar="COLUMN[,COLUMN...]",
                      help="also one-hot encode these columns although they hold numbers (codes such as zip codes); "
                           "categories come from the training rows, an unseen one encodes as all zeros")
    data.add_argument("--features", type=_names, metavar="COLUMN[,COLUMN...]",
                      help="the feature columns to use (default: every column but the target)")
    data.add_argument("--drop", type=_names, metavar="COLUMN[,COLUMN...]",
                      help="columns to leave out (an ID, a leak), without editing the file")
    data.add_argument("--decimal", choices=DECIMALS, metavar=",|.",
                      help="the decimal mark of the CSV's numbers (default: detected; a semicolon file with "
                           "-1,332 has a decimal comma)")
    data.add_argument("--missing", choices=MISSING,
                      help="what an empty feature cell does: 'error' (default) stops with its row and column; "
                           "'impute' fills numbers with the training rows' mean and gives categories a '<missing>' "
                           "input, and also reads NA, N/A, nan, null, None and ? as missing")
    data.add_argument("--train-size", type=float, dest="train_size", help="fraction of rows to train on (0.8)")
    data.add_argument("--split-seed", type=int, dest="split_seed", help="random_state of the split (88)")
    data.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                      help="scale features to mean 0, std 1 (training-row statistics)")
    data.add_argument("--feature-alpha", type=float, dest="feature_alpha", metavar="P",
                      help="keep features whose univariate test on the training rows has p < P (1 keeps all)")
    model = p.add_argument_group("model")
    model.add_argument("--recipe", choices=("course", "tuned"), default="tuned", help="starting values (tuned)")
    model.add_argument("--hidden", type=_widths, metavar="W1,W2", help="hidden widths, e.g. 128,256; 'none' for linear")
    model.add_argument("--activation", choices=ACTIVATIONS)
    model.add_argument("--init", choices=INITS, help="weight initialisation (default: torch's)")
    model.add_argument("--dropout", type=float, metavar="P")
    model.add_argument("--batchnorm", action=argparse.BooleanOptionalAction, default=None)
    model.add_argument("--loss", choices=("cross_entropy", *REGRESSION_LOSSES))
    model.add_argument("--label-smoothing", type=float, dest="label_smoothing", metavar="E")
    optim = p.add_argument_group("optimisation")
    optim.add_argument("--optimizer", choices=OPTIMIZERS)
    optim.add_argument("--lr", type=float)
    optim.add_argument("--momentum", type=float, help="for --optimizer momentum (0.9)")
    optim.add_argument("--weight-decay", type=float, dest="weight_decay")
    optim.add_argument("--scheduler", choices=SCHEDULERS)
    optim.add_argument("--step-size", type=_positive_int, dest="step_size", help="StepLR's step_size")
    optim.add_argument("--gamma", type=float, help="StepLR/MultiStepLR/ExponentialLR's gamma")
    optim.add_argument("--milestones", type=_widths, help="MultiStepLR's epochs, e.g. 30,40")
    optim.add_argument("--epochs", type=_positive_int)
    optim.add_argument("--batch-size", type=_positive_int, dest="batch_size")
    optim.add_argument("--seed", type=int, help="glasstorch.manual_seed before building the model (0)")
    run = p.add_argument_group("run")
    run.add_argument("--cv", type=int, metavar="K", help="also K-fold cross-validate on the training rows")
    run.add_argument("--max-classes", type=_positive_int, dest="max_classes", metavar="N",
                     help="allow a classifier of up to N classes (default 100; more is usually a quantity: "
                          "--task regression)")
    run.add_argument("--out", metavar="DIR", help="output folder (default: runs/<timestamp>)")
    run.add_argument("--quiet", action="store_true", help="no progress; only the headline line on stdout")
    p.set_defaults(func=_lazy("train", "run_train"))


def _add_use(subparsers) -> None:
    p = subparsers.add_parser("evaluate", help="score a saved model",
                              description="Scores a saved model on its training run's held-out rows (same CSV) or on "
                                          "every row of another CSV, prints the metrics and writes them as JSON.",
                              formatter_class=_Formatter,
                              epilog=_examples("glasstorch evaluate --model runs/tuned/model.safetensors",
                                               "glasstorch evaluate --model runs/tuned/model.safetensors "
                                               "--data new.csv --quiet"))
    p.add_argument("--model", required=True, metavar="PATH")
    p.add_argument("--data", metavar="CSV", help="default: the CSV the model was trained on")
    p.add_argument("--all-rows", action="store_true", dest="all_rows",
                   help="score every row, even when the CSV is the training one")
    p.add_argument("--out", metavar="FILE",
                   help="where to write the metrics (default: evaluation.json beside the model)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_lazy("use", "run_evaluate"))

    p = subparsers.add_parser("predict", help="predict rows from a CSV or JSON file (or - for stdin)",
                              description="Prints each row's predicted label and class probabilities "
                                          "(regression: the value), as a table or JSON. Rows give the model's "
                                          "columns; categories as text (JSON: strings), and where the model was "
                                          "trained with --missing impute, missing values as empty cells or NA "
                                          "(JSON: null). A category not seen in training encodes as all zeros, "
                                          "with a note on stderr. Only the columns the model uses are needed; "
                                          "others are ignored, with a note.",
                              formatter_class=_Formatter,
                              epilog=_examples("glasstorch predict --model runs/tuned/model.safetensors --input "
                                               "phones.csv",
                                               "glasstorch predict --model runs/tuned/model.safetensors --input "
                                               "phones.csv --output predicted.csv --proba",
                                               "echo '{\"ram\": 2549, ...}' | glasstorch predict --model "
                                               "runs/tuned/model.safetensors --input - --json"))
    p.add_argument("--model", required=True, metavar="PATH")
    p.add_argument("--input", required=True, metavar="FILE", help="FILE.csv, FILE.json or - (stdin)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--output", metavar="FILE.csv",
                   help="write the input rows with a prediction column to FILE.csv (atomically) instead of printing")
    p.add_argument("--proba", action="store_true",
                   help="with --output: also a probability column per class, p(class)")
    p.set_defaults(func=_lazy("use", "run_predict"))

    p = subparsers.add_parser("summary", help="print a saved model's summary table",
                              description="Prints what a saved model is: task, classes, the columns and inputs it "
                                          "reads (categories, filled-in means, the columns predict needs), the "
                                          "preprocessing, how it was trained, and torchsummary's layer table.",
                              formatter_class=_Formatter,
                              epilog=_examples("glasstorch summary --model runs/tuned/model.safetensors",
                                               "glasstorch summary --model runs/tuned/model.safetensors "
                                               "--batch-size 16"))
    p.add_argument("--model", required=True, metavar="PATH")
    p.add_argument("--batch-size", type=_shown_batch, default=-1, dest="batch_size",
                   help="batch size shown (torchsummary's -1)")
    p.set_defaults(func=_lazy("use", "run_summary"))


def _version() -> str:
    """The installed distribution's version, else the package's own."""
    try:
        from importlib.metadata import PackageNotFoundError, version
        return version("glasstorch")
    except PackageNotFoundError:
        return importlib.import_module("glasstorch").__version__


class _Version(argparse.Action):
    """--version, looked up only when asked (so that starting the command stays fast)."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"glasstorch {_version()}")
        parser.exit()


def _lazy(module: str, function: str):
    """Import a command's module only when it runs (``glasstorch --help`` stays fast)."""
    def run(args) -> int:
        return getattr(importlib.import_module(f"{__package__}.{module}"), function)(args)
    return run


def _register_companion(subparsers) -> None:
    try:
        companion = importlib.import_module("glasstorch.companion.cli")
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith("glasstorch.companion"):
            return  # the course companion is not part of this build
        raise
    companion.register(subparsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="glasstorch", description="glasstorch: PyTorch's API on NumPy, "
                                     "and a trainer for the course's phone-price case study and any tabular CSV.",
                                     formatter_class=_Formatter,
                                     epilog=_examples("glasstorch train", "glasstorch tour --chapter 9",
                                                      "glasstorch COMMAND --help"))
    parser.add_argument("--version", action=_Version, help="print glasstorch's version and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_train(subparsers)
    _add_use(subparsers)
    _register_companion(subparsers)
    i18n.add_lang_option(parser)
    return parser


def main(argv: Optional[list[str]] = None, early_interrupts: Optional[list] = None) -> int:
    """Runs one command; returns its exit code. Ctrl-C at any moment (loading, parsing, reading, training, writing)
    ends in exit code 130 and one line saying what was kept, never a traceback: the SIGINT handler raising
    KeyboardInterrupt is installed first, and everything after it is inside the try. ``early_interrupts``: the
    SIGINTs the launcher (``_glasstorch_main``) held back while loading; if any, the command does not start."""
    previous = _install_interrupt_handler()
    command = None
    try:
        if early_interrupts:
            print("interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
        i18n.setup_cli(argv)  # --lang, $GLASSTORCH_LANG or the locale; stdout that never raises UnicodeEncodeError
        parser = build_parser()
        args = parser.parse_args(argv)
        command = getattr(args, "command", None)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USAGE
        return int(args.func(args) or 0)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; nothing was saved" if command == "train" else "interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `glasstorch predict ... | head`
        return 0
    except OSError as error:  # a file system that refuses (full, read-only...) after the checks: say so, no traceback
        print(f"error: {error.strerror or error}" + (f": {error.filename}" if error.filename else ""),
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _install_interrupt_handler():
    """SIGINT → KeyboardInterrupt (Python's own handler, also replacing the quiet exit used while loading); returns
    the handler to restore, or None off the main thread."""
    try:
        return signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:
        return None


if __name__ == "__main__":
    sys.exit(main(early_interrupts=_early))
