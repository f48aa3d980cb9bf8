"""The companion's subcommands, added to the ``glasstorch`` command by the app's CLI through ``register``:

    glasstorch run [--figures DIR] SCRIPT.py [ARGS...]   run a PyTorch script with glasstorch standing in for torch
    glasstorch explain [--digits N] [--draw FILE.svg]    the course's backpropagation example, in numbers
    glasstorch tour [--out DIR] [--chapter N ...]        the course chapter by chapter: results and plots

Each takes ``--lang zh|en`` (see :mod:`glasstorch.i18n`).

``python -m glasstorch.companion`` offers the same three subcommands on their own.
"""
from __future__ import annotations

import argparse
import sys

from .. import i18n
from ..i18n import t

__all__ = ["register", "main"]


def register(subparsers) -> None:
    """Adds ``run``, ``explain`` and ``tour`` to an argparse subparsers object; each sets ``func`` to its handler."""
    run = subparsers.add_parser("run", help=t("cli.run.help"), description=t("cli.run.description"))
    run.add_argument("--figures", metavar="DIR", help=t("cli.run.figures"))
    run.add_argument("script", help=t("cli.run.script"))
    run.add_argument("args", nargs=argparse.REMAINDER, help=t("cli.run.args"))
    run.set_defaults(func=_run)

    explain = subparsers.add_parser("explain", help=t("cli.explain.help"), description=t("cli.explain.description"))
    explain.add_argument("--digits", type=int, default=8, help=t("cli.explain.digits"))
    explain.add_argument("--draw", metavar="FILE", default=None, help=t("cli.explain.draw"))
    explain.set_defaults(func=_explain)

    tour = subparsers.add_parser("tour", help=t("cli.tour.help"), description=t("cli.tour.description"))
    tour.add_argument("--out", default="tour", metavar="DIR", help=t("cli.tour.out"))
    tour.add_argument("--chapter", type=int, action="append", metavar="N", help=t("cli.tour.chapter"))
    tour.add_argument("--list", action="store_true", help=t("cli.tour.list"))
    tour.add_argument("--epochs", type=int, default=None, help=t("cli.tour.epochs"))
    tour.add_argument("--data", metavar="CSV", default=None, help=t("cli.tour.data"))
    tour.add_argument("--source", action="store_true", help=t("cli.tour.source"))
    tour.set_defaults(func=_tour)


def _run(args) -> int:
    from .runner import run_script

    return run_script(args.script, args.args, figures=args.figures)


def _explain(args) -> int:
    from .backprop import worked_example

    if args.draw:
        from ..viz.scene import output_format

        try:
            output_format(args.draw)
        except ValueError as error:
            print(t("app.error", message=error), file=sys.stderr)
            return 2
    worked_example(digits=args.digits, draw=args.draw)
    if args.draw:
        print(t("cli.explain.drawn", path=args.draw))
    return 0


def _tour(args) -> int:
    from .tour import list_chapters, run_tour

    if args.source:
        from .reading import print_source

        print_source()
        return 0
    if args.list:
        list_chapters()
        return 0
    return run_tour(out=args.out, chapters=args.chapter, epochs=args.epochs, data=args.data)


def main(argv: list[str] | None = None) -> int:
    from ..i18n.argparse_words import argparse_in_language

    i18n.setup_cli(argv)
    with argparse_in_language():  # argparse's own words in the same language
        parser = argparse.ArgumentParser(prog="python -m glasstorch.companion", description=t("cli.companion"))
        subparsers = parser.add_subparsers(dest="command", required=True)
        register(subparsers)
        i18n.add_lang_option(parser)
        args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `python -m glasstorch.companion tour | head`: the reader has gone; as glasstorch's main
        return 0
