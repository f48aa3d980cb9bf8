"""The ``glasstorch`` console script. It lives outside the ``glasstorch`` package so that it runs before
``import glasstorch`` (NumPy, the library, the trainer: up to a second on a busy machine): its first statement holds
Ctrl-C back, so a Ctrl-C while the program is still loading ends in exit code 130 and one line, never in a
KeyboardInterrupt traceback from the middle of an import (nor in an ImportError that a library made of it)."""
import signal

_early: list = []  # SIGINTs that arrived while loading; glasstorch.app.cli.main reports them


def _hold(signum, frame):
    _early.append(signum)


try:
    signal.signal(signal.SIGINT, _hold)
except ValueError:  # not the main thread (an embedding program): nothing to hold
    pass


def main():
    from glasstorch.app.cli import main as run  # noqa: PLC0415 (deliberately after the handler)
    return run(early_interrupts=_early)


if __name__ == "__main__":
    raise SystemExit(main())
