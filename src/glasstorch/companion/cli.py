"""The companion's subcommands, added to the ``glasstorch`` command by the app's CLI through ``register``:

    glasstorch run [--figures DIR] SCRIPT.py [ARGS...]   run a PyTorch script with glasstorch standing in for torch
    glasstorch explain [--digits N]                      the course's backpropagation example, in numbers
    glasstorch tour [--out DIR] [--chapter N ...]        the course chapter by chapter: results and plots

``python -m glasstorch.companion`` offers the same three subcommands on their own.
"""
from __future__ import annotations

import argparse

__all__ = ["register", "main"]


def register(subparsers) -> None:
    """Adds ``run``, ``explain`` and ``tour`` to an argparse subparsers object; each sets ``func`` to its handler."""
    run = subparsers.add_parser("run", help="run a PyTorch script with glasstorch standing in for torch",
                                description="Runs SCRIPT.py as `python SCRIPT.py ARGS...` would, with `import torch` "
                                            "and `import torchsummary` giving glasstorch.")
    run.add_argument("--figures", metavar="DIR", help="save the figures that plt.show() would show into DIR as PNG")
    run.add_argument("script", help="the Python script to run")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script (its sys.argv[1:])")
    run.set_defaults(func=_run)

    explain = subparsers.add_parser("explain", help="the course's backpropagation example, explained in numbers",
                                    description="Builds the course's 2-2-2 sigmoid network in float64 and prints every "
                                                "value, every local derivative, the chain rule for each weight and "
                                                "one gradient-descent step (learning rate 0.5).")
    explain.add_argument("--digits", type=int, default=8, help="decimals shown (default 8)")
    explain.set_defaults(func=_explain)

    tour = subparsers.add_parser("tour", help="walk the course chapter by chapter, printing results and saving plots")
    tour.add_argument("--out", default="tour", metavar="DIR", help="folder for the plots (default ./tour)")
    tour.add_argument("--chapter", type=int, action="append", metavar="N",
                      help="run only chapter N (repeatable); see --list")
    tour.add_argument("--list", action="store_true", help="list the chapters and exit")
    tour.add_argument("--epochs", type=int, default=None,
                      help="epochs for the case study's recipes (default: each recipe's own)")
    tour.add_argument("--data", metavar="CSV", default=None, help="the phone-price CSV for the case study")
    tour.set_defaults(func=_tour)


def _run(args) -> int:
    from .runner import run_script

    return run_script(args.script, args.args, figures=args.figures)


def _explain(args) -> int:
    from .backprop import worked_example

    worked_example(digits=args.digits)
    return 0


def _tour(args) -> int:
    from .tour import list_chapters, run_tour

    if args.list:
        list_chapters()
        return 0
    return run_tour(out=args.out, chapters=args.chapter, epochs=args.epochs, data=args.data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m glasstorch.companion",
                                     description="glasstorch's course companion: run, explain, tour")
    subparsers = parser.add_subparsers(dest="command", required=True)
    register(subparsers)
    args = parser.parse_args(argv)
    return args.func(args)
