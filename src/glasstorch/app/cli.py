"""The ``glasstorch`` command: ``train``, ``evaluate``, ``predict``, ``summary``, ``export``, and the course companion's
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
from ..i18n import t  # noqa: E402
from ..i18n.argparse_words import argparse_in_language  # noqa: E402
from .config import (ACTIVATIONS, DECIMALS, DEVICES, ENGINES, INITS, MISSING, OPTIMIZERS,  # noqa: E402
                     REGRESSION_LOSSES, SCHEDULERS, TASKS)
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
        raise argparse.ArgumentTypeError(t("app.bad_widths", text=repr(text))) from None
    if any(w < 1 for w in widths):
        raise argparse.ArgumentTypeError(t("app.widths_positive", text=repr(text)))
    return widths


def _names(text: str) -> tuple[str, ...]:
    """'sex,embarked' → ('sex', 'embarked')."""
    names = tuple(part.strip() for part in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(t("app.bad_names", text=repr(text)))
    return names


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("app.bad_whole", text=repr(text))) from None
    if value < 1:
        raise argparse.ArgumentTypeError(t("app.bad_positive", value=value))
    return value


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, except that the examples epilog keeps its lines."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith(t("app.examples")):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _examples(*lines: str) -> str:
    """The epilog of a command's --help: a few example command lines."""
    return t("app.examples") + "\n" + "\n".join(f"  {line}" for line in lines)


def _shown_batch(text: str) -> int:
    """summary's --batch-size: -1 (torchsummary's 'any') or a size from 1 to 2**31."""
    value = -1 if text.strip() == "-1" else _positive_int(text)
    if value > 2 ** 31:
        raise argparse.ArgumentTypeError(t("app.bad_batch", value=value))
    return value


def _add_train(subparsers) -> None:
    p = subparsers.add_parser(
        "train", help=t("app.train.help"), description=t("app.train.description"),
        formatter_class=_Formatter,
        epilog=_examples(t("app.train.example1"),
                         "glasstorch train --recipe course --out runs/course",
                         "glasstorch train --data titanic.csv --target survived --missing impute --drop name"))
    data = p.add_argument_group(t("app.group.data"))
    data.add_argument("--data", metavar="CSV", help=t("app.train.data"))
    data.add_argument("--synthetic", type=_positive_int, metavar="N",
                      help=t("app.train.synthetic"))
    data.add_argument("--target", metavar="COLUMN", help=t("app.train.target"))
    data.add_argument("--task", choices=TASKS, help=t("app.train.task"))
    data.add_argument("--categorical", type=_names, metavar="COLUMN[,COLUMN...]",
                      help=t("app.train.categorical"))
    data.add_argument("--features", type=_names, metavar="COLUMN[,COLUMN...]",
                      help=t("app.train.features"))
    data.add_argument("--drop", type=_names, metavar="COLUMN[,COLUMN...]",
                      help=t("app.train.drop"))
    data.add_argument("--decimal", choices=DECIMALS, metavar=",|.",
                      help=t("app.train.decimal"))
    data.add_argument("--missing", choices=MISSING,
                      help=t("app.train.missing"))
    data.add_argument("--train-size", type=float, dest="train_size", help=t("app.train.train_size"))
    data.add_argument("--split-seed", type=int, dest="split_seed", help=t("app.train.split_seed"))
    data.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                      help=t("app.train.standardize"))
    data.add_argument("--feature-alpha", type=float, dest="feature_alpha", metavar="P",
                      help=t("app.train.feature_alpha"))
    model = p.add_argument_group(t("app.group.model"))
    model.add_argument("--recipe", choices=("course", "tuned"), default="tuned", help=t("app.train.recipe"))
    model.add_argument("--hidden", type=_widths, metavar="W1,W2", help=t("app.train.hidden"))
    model.add_argument("--activation", choices=ACTIVATIONS, help=t("app.train.activation"))
    model.add_argument("--init", choices=INITS, help=t("app.train.init"))
    model.add_argument("--dropout", type=float, metavar="P", help=t("app.train.dropout"))
    model.add_argument("--batchnorm", action=argparse.BooleanOptionalAction, default=None,
                       help=t("app.train.batchnorm"))
    model.add_argument("--loss", choices=("cross_entropy", *REGRESSION_LOSSES), help=t("app.train.loss"))
    model.add_argument("--label-smoothing", type=float, dest="label_smoothing", metavar="E",
                       help=t("app.train.label_smoothing"))
    optim = p.add_argument_group(t("app.group.optimisation"))
    optim.add_argument("--optimizer", choices=OPTIMIZERS, help=t("app.train.optimizer"))
    optim.add_argument("--lr", type=float, help=t("app.train.lr"))
    optim.add_argument("--momentum", type=float, help=t("app.train.momentum"))
    optim.add_argument("--weight-decay", type=float, dest="weight_decay", help=t("app.train.weight_decay"))
    optim.add_argument("--scheduler", choices=SCHEDULERS, help=t("app.train.scheduler"))
    optim.add_argument("--step-size", type=_positive_int, dest="step_size", help=t("app.train.step_size"))
    optim.add_argument("--gamma", type=float, help=t("app.train.gamma"))
    optim.add_argument("--milestones", type=_widths, help=t("app.train.milestones"))
    optim.add_argument("--epochs", type=_positive_int, help=t("app.train.epochs"))
    optim.add_argument("--batch-size", type=_positive_int, dest="batch_size", help=t("app.train.batch_size"))
    optim.add_argument("--seed", type=int, help=t("app.train.seed"))
    run = p.add_argument_group(t("app.group.run"))
    run.add_argument("--cv", type=int, metavar="K", help=t("app.train.cv"))
    run.add_argument("--max-classes", type=_positive_int, dest="max_classes", metavar="N",
                     help=t("app.train.max_classes"))
    run.add_argument("--out", metavar="DIR", help=t("app.train.out"))
    run.add_argument("--quiet", action="store_true", help=t("app.train.quiet"))
    engine = p.add_argument_group(t("app.group.engine"))
    engine.add_argument("--engine", choices=ENGINES, help=t("app.train.engine"))
    engine.add_argument("--device", choices=DEVICES, help=t("app.train.device"))
    p.set_defaults(func=_lazy("train", "run_train"))


def _model_command(subparsers, name: str, *examples: str, positional: bool = False):
    """A command that reads a saved model: its help and description from the catalogue (app.NAME.*), its examples
    as the epilog, and the required --model option (``positional``: the MODEL argument, a file or run folder)."""
    p = subparsers.add_parser(name, help=t(f"app.{name}.help"), description=t(f"app.{name}.description"),
                              formatter_class=_Formatter, epilog=_examples(*examples))
    if positional:
        p.add_argument("model", metavar="MODEL", help=t("app.model_or_run"))
    else:
        p.add_argument("--model", required=True, metavar="PATH", help=t("app.model"))
    return p


def _add_use(subparsers) -> None:
    p = _model_command(subparsers, "evaluate", "glasstorch evaluate --model runs/tuned/model.safetensors",
                       "glasstorch evaluate --model runs/tuned/model.safetensors --data new.csv --quiet")
    p.add_argument("--data", metavar="CSV", help=t("app.evaluate.data"))
    p.add_argument("--all-rows", action="store_true", dest="all_rows",
                   help=t("app.evaluate.all_rows"))
    p.add_argument("--out", metavar="FILE",
                   help=t("app.evaluate.out"))
    p.add_argument("--quiet", action="store_true", help=t("app.evaluate.quiet"))
    p.set_defaults(func=_lazy("use", "run_evaluate"))

    p = _model_command(subparsers, "predict",
                       "glasstorch predict --model runs/tuned/model.safetensors --input phones.csv",
                       "glasstorch predict --model runs/tuned/model.safetensors --input phones.csv "
                       "--output predicted.csv --proba",
                       "echo '{\"ram\": 2549, ...}' | glasstorch predict --model runs/tuned/model.safetensors "
                       "--input - --json")
    p.add_argument("--input", required=True, metavar="FILE", help=t("app.predict.input"))
    p.add_argument("--json", action="store_true", help=t("app.predict.json"))
    p.add_argument("--output", metavar="FILE.csv",
                   help=t("app.predict.output"))
    p.add_argument("--proba", action="store_true",
                   help=t("app.predict.proba"))
    p.set_defaults(func=_lazy("use", "run_predict"))

    p = _model_command(subparsers, "summary", "glasstorch summary --model runs/tuned/model.safetensors",
                       "glasstorch summary --model runs/tuned/model.safetensors --batch-size 16")
    p.add_argument("--batch-size", type=_shown_batch, default=-1, dest="batch_size",
                   help=t("app.summary.batch_size"))
    p.set_defaults(func=_lazy("use", "run_summary"))

    p = _model_command(subparsers, "export", "glasstorch export runs/tuned --format onnx",
                       "glasstorch export runs/tuned/model.safetensors --format torch --out deploy/phones",
                       positional=True)
    p.add_argument("--format", required=True, choices=("onnx", "torch"), help=t("app.export.format"))
    p.add_argument("--out", metavar="DIR", help=t("app.export.out"))
    p.set_defaults(func=_lazy("export", "run_export"))


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
    parser = argparse.ArgumentParser(prog="glasstorch", description=t("app.description"),
                                     formatter_class=_Formatter,
                                     epilog=_examples("glasstorch train", "glasstorch tour --chapter 9",
                                                      "glasstorch COMMAND --help"))
    parser.add_argument("--version", action=_Version, help=t("app.version"))
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
            print(t("app.interrupted"), file=sys.stderr)
            return EXIT_INTERRUPTED
        i18n.setup_cli(argv)  # --lang, $GLASSTORCH_LANG or the locale; stdout that never raises UnicodeEncodeError
        with argparse_in_language():  # argparse's own words ("usage:", "options"...) in the same language
            parser = build_parser()
            args = parser.parse_args(argv)
            command = getattr(args, "command", None)
            if not getattr(args, "func", None):
                parser.print_help()
                return EXIT_USAGE
        return int(args.func(args) or 0)
    except InputError as error:
        print(t("app.error", message=error), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(t("app.interrupted_train") if command == "train" else t("app.interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `glasstorch predict ... | head`
        return 0
    except OSError as error:  # a file system that refuses (full, read-only...) after the checks: say so, no traceback
        print(t("app.error", message=f"{error.strerror or error}" + (f": {error.filename}" if error.filename else "")),
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
