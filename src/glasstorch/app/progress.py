"""Progress on stderr: a tqdm bar that advances once per epoch with the latest loss and scores, and status lines.
``--quiet`` turns both off, leaving stdout's one headline line for scripts."""
from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm

from ..i18n import t


def say(message: str, quiet: bool = False) -> None:
    """A status line on stderr (stdout is kept for results)."""
    if not quiet:
        print(message, file=sys.stderr, flush=True)


class EpochBar:
    """``with EpochBar(epochs, "train", quiet) as bar: fit(..., on_epoch=bar.update)``."""

    def __init__(self, epochs: int, label: str, quiet: bool) -> None:
        self._bar = None if quiet else tqdm(total=epochs, desc=label, unit="epoch", file=sys.stderr,
                                            dynamic_ncols=True, leave=True)

    def update(self, row: dict[str, Any]) -> None:
        if self._bar is None:
            return
        shown = {t("app.bar.loss"): f"{row['train_loss']:.4f}"}
        for key in ("test_loss", "test_accuracy", "test_r2"):
            if key in row:
                shown[t(f"app.bar.{key}")] = f"{row[key]:.4f}"
        self._bar.set_postfix(shown, refresh=False)
        self._bar.update(1)

    def __enter__(self) -> "EpochBar":
        return self

    def __exit__(self, *exc_info) -> None:
        if self._bar is not None:
            self._bar.close()
