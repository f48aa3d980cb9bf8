"""Checks that turn hostile or impossible input into one clear :class:`InputError` (exit code 2) before any work:
files that are not regular files (``/dev/zero``, a FIFO) or are too large, JSON that nests or numbers beyond reason,
target cells that are not numbers, data beyond float32, splits that leave a side empty, and networks that would not
fit in memory.

Limits (each a constant here, each named in its message):

    a file read whole (CSV, JSON, model)      ≤ MAX_FILE_BYTES (1 GiB)
    a JSON number                             ≤ MAX_JSON_DIGITS digits and finite as a float
    a cell the float32 network reads          |v| ≤ FLOAT32_MAX (3.4028235e38)
    classes of a classifier                   ≤ MAX_CLASSES (100) unless --max-classes says more
    synthetic rows                            ≤ MAX_SYNTHETIC_ROWS (1,000,000)
    training memory (estimate below)          ≤ half the machine's physical memory

Training memory estimate, in bytes: 4 · P · (3 + s) + 4 · Σh · (4·b + 2·n) + 20 · k · N, with P the network's
parameter count, s the optimizer's state slots per parameter (Adam 2, momentum/AdaGrad/RMSProp 1, SGD 0), 3 for the
weights, their gradients and the last good epoch's copy, Σh the summed layer widths, b the batch size, n the larger of
the training and held-out row counts (each epoch scores them all at once), and the encoded data: k inputs (one per
category of a one-hot column) for N rows, as float64 twice (encoded, scaled) and float32 once.
"""
from __future__ import annotations

import errno
import json
import math
import os
import stat
from typing import Any, Optional, Sequence

import numpy as np

from ..i18n import t
from .errors import InputError

MAX_FILE_BYTES = 1 << 30
MAX_JSON_DIGITS = 400
FLOAT32_MAX = float(np.finfo(np.float32).max)
MAX_CLASSES = 100
MAX_SYNTHETIC_ROWS = 1_000_000
NA_TEXTS = ("na", "n/a", "nan", "null", "none", "?", "")


def _what(what: str) -> str:
    """'CSV file', 'model file', 'input file', 'file' in the reader's language."""
    key = {"CSV file": "csv", "model file": "model", "input file": "input", "file": "file"}.get(what)
    return t(f"app.err.what.{key}") if key else what


# ---- files ---------------------------------------------------------------------------------------------------------

def _open_regular(shown: str, what: str, limit: int) -> tuple[int, int]:
    """(descriptor, size) of a regular file of at most ``limit`` bytes, opened without blocking (a FIFO with no writer
    would block a plain open forever) and checked with fstat before any read; InputError otherwise."""
    try:
        descriptor = os.open(shown, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(t("app.err.no_file", path=shown)) from None
    except IsADirectoryError:
        raise InputError(t("app.err.folder", path=shown, what=_what(what))) from None
    except OSError as error:
        raise InputError(t("app.err.cannot_read", what=_what(what), path=shown, reason=error.strerror or error)) from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(t("app.err.folder", path=shown, what=_what(what)))
        if not stat.S_ISREG(info.st_mode):
            kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                    "a character device" if stat.S_ISCHR(info.st_mode) else
                    "a block device" if stat.S_ISBLK(info.st_mode) else
                    "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
            raise InputError(f"{shown} is {kind}, not a regular {what}: glasstorch reads only regular files "
                             "(copy the data into a file first)")
        if info.st_size > limit:
            raise InputError(f"{shown} is {info.st_size:,} bytes, more than the {limit:,} bytes glasstorch reads "
                             f"into memory as one {what}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, info.st_size


def check_regular_file(path: str | os.PathLike, what: str = "file", limit: int = MAX_FILE_BYTES) -> int:
    """The size of ``path`` after the checks of :func:`read_regular_file`, reading nothing: for readers that stream
    a file themselves (they should then read at most this many bytes)."""
    descriptor, size = _open_regular(os.fspath(path), what, limit)
    os.close(descriptor)
    return size


def read_regular_file(path: str | os.PathLike, what: str = "file", limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. A device (``/dev/zero``), a FIFO or a socket is
    refused without blocking (opened non-blocking, checked with fstat before any read), and so is a larger file;
    a missing or unreadable file says so. The read itself stops at ``limit`` + 1 bytes whatever the file claims."""
    shown = os.fspath(path)
    descriptor, _ = _open_regular(shown, what, limit)
    try:
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(descriptor, min(1 << 24, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as error:
        raise InputError(t("app.err.cannot_read", what=_what(what), path=shown, reason=error.strerror or error)) from None
    finally:
        os.close(descriptor)
    if total > limit:
        raise InputError(f"{shown} grew beyond the {limit:,} bytes glasstorch reads into memory as one {what}")
    return b"".join(chunks)


def write_error(path: str | os.PathLike, error: OSError) -> str:
    """'cannot write into runs/a: No space left on device' (with a hint for the usual causes)."""
    hint = {errno.ENOSPC: " (the disk is full)", errno.EROFS: " (a read-only file system)",
            errno.EACCES: " (no permission)", errno.EDQUOT: " (over the disk quota)"}.get(error.errno, "")
    return f"cannot write into {os.fspath(path)}: {error.strerror or error}{hint}"


# ---- JSON ----------------------------------------------------------------------------------------------------------

def _json_int(source: str):
    def parse(text: str) -> int:
        digits = len(text.lstrip("-"))
        if digits > MAX_JSON_DIGITS:
            raise InputError(f"{source}: a number with {digits:,} digits is out of range")
        value = int(text)
        try:
            float(value)
        except OverflowError:
            raise InputError(f"{source}: the number {text[:20]}... ({digits} digits) is out of range") from None
        return value
    return parse


def loads_json(text: str, source: str) -> Any:
    """json.loads with clear errors: a malformed document, a number too large for a float, nesting deeper than
    Python's recursion allows (``[[[[...``) each raise InputError naming ``source``."""
    try:
        return json.loads(text, parse_int=_json_int(source))
    except json.JSONDecodeError as error:
        raise InputError(f"{source} is not valid JSON: {error}") from None
    except RecursionError:
        raise InputError(f"{source}: the JSON nests too deeply to be rows of values") from None
    except ValueError as error:  # e.g. a float literal Python refuses
        raise InputError(f"{source} is not valid JSON: {error}") from None


# ---- cells ---------------------------------------------------------------------------------------------------------

def _parse(text: str) -> Optional[float]:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def check_target(values: Optional[np.ndarray], name: str, labels_allowed: bool) -> None:
    """A target column read as text (some cell is not a finite number) is refused, naming the first bad cell, when:
    a cell is NaN or infinite (``nan``, ``1e309``), a cell is a missing-value spelling (``NA``, ``?``), or the column
    mixes numbers and words (``abc`` among prices) and ``labels_allowed`` is False (no explicit ``--task
    classification``). Numeric targets beyond float32 are refused too (``check_range``)."""
    if values is None:
        return
    if values.dtype != object:
        check_range(values.reshape(-1, 1), [name], what="target")
        return
    texts = [str(v) for v in values]
    numbers = [_parse(text) for text in texts]
    finite = [v is not None and math.isfinite(v) for v in numbers]
    if not any(finite):
        return  # labels (yes/no, setosa/virginica...): any text is a class
    for r, (text, number) in enumerate(zip(texts, numbers)):
        where = t("app.err.where", row=r + 1, column=name)
        if number is not None and not math.isfinite(number):
            raise InputError(t("app.err.target_not_finite", where=where, text=repr(text)))
        if text.strip().lower() in NA_TEXTS:
            raise InputError(t("app.err.target_missing", where=where, text=repr(text)))
    first_number = finite.index(True)
    if labels_allowed:
        return
    r = next(r for r, v in enumerate(numbers) if v is None)
    raise InputError(t("app.err.target_not_number", row=r + 1, column=name, text=repr(texts[r]),
                       other_row=first_number + 1, other=repr(texts[first_number])))


def check_range(x: np.ndarray, names: Sequence[str], columns: Optional[Sequence[int]] = None,
                what: str = "feature") -> None:
    """Refuses a numeric cell beyond float32 (|v| > 3.4e38: the network computes in float32, where it would be
    infinite), naming the row and column. ``columns``: the numeric columns of an object array (default: all)."""
    if x.size == 0:
        return
    if x.dtype == object:
        index = [j for j in range(x.shape[1]) if columns is None or j in set(columns)]
        block = np.array([[v if isinstance(v, (int, float, np.number)) and not isinstance(v, bool) else np.nan
                           for v in row] for row in x[:, index]], dtype=np.float64).reshape(len(x), len(index))
    else:
        index = list(range(x.shape[1]))
        block = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    with np.errstate(invalid="ignore"):
        beyond = np.abs(block) > FLOAT32_MAX
    if beyond.any():
        r, j = np.argwhere(beyond)[0]
        raise InputError(f"row {r + 1}, column '{names[index[j]]}': {float(block[r, j])!r} is out of range: the network "
                         f"computes in float32, whose largest value is {FLOAT32_MAX:.7g} (is the {what} in the right "
                         "unit?)")


def check_classes_count(target: np.ndarray, name: str, limit: Optional[int]) -> None:
    """A classifier of more than ``limit`` (default MAX_CLASSES) classes is refused: most often a quantity read as
    labels; --max-classes N allows more."""
    count = len(np.unique(target)) if target.dtype != object else len(set(target.tolist()))
    limit = MAX_CLASSES if limit is None else limit
    if count > limit:
        raise InputError(f"the target '{name}' has {count:,} distinct values: too many classes for a classifier "
                         f"(limit {limit}). If it is a quantity, use --task regression; if these really are "
                         f"classes, pass --max-classes {count}")


def check_split(n_rows: int, train_size: float, task: str) -> None:
    """Both sides of the split hold rows (regression needs two training rows to fit a line)."""
    n_train = math.floor(train_size * n_rows)
    n_test = n_rows - n_train
    needed = 2 if task == "regression" else 1
    if n_train < needed or n_test < 1:
        raise InputError(f"--train-size {train_size:g} of {n_rows} row{'s' if n_rows != 1 else ''} gives "
                         f"{n_train} training and {n_test} held-out rows; both need rows"
                         + (" (regression at least two training rows)" if task == "regression" else "")
                         + ": use more rows or another --train-size")


def check_synthetic_rows(n: int) -> None:
    if not 20 <= n <= MAX_SYNTHETIC_ROWS:
        raise InputError(f"--synthetic needs between 20 and {MAX_SYNTHETIC_ROWS:,} rows, got {n:,}")


# ---- memory --------------------------------------------------------------------------------------------------------

_OPTIMIZER_SLOTS = {"sgd": 0, "momentum": 1, "adagrad": 1, "rmsprop": 1, "adam": 2, "adamw": 2}


def physical_memory() -> Optional[int]:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def training_bytes(widths: Sequence[int], optimizer: str, batch_size: int, n_rows: int, batchnorm: bool,
                   data_rows: int = 0) -> int:
    """The estimate in the module docstring; ``widths`` = inputs, hidden..., outputs; ``data_rows``: N."""
    parameters = sum(a * b + b for a, b in zip(widths, widths[1:])) + (4 * sum(widths[1:-1]) if batchnorm else 0)
    activations = sum(widths[1:])
    return 4 * parameters * (3 + _OPTIMIZER_SLOTS.get(optimizer, 2)) + \
        4 * activations * (4 * min(batch_size, n_rows) + 2 * n_rows) + 20 * widths[0] * data_rows


def check_memory(hidden: Sequence[int], n_inputs: int, n_outputs: int, optimizer: str, batch_size: int,
                 n_rows: int, batchnorm: bool, data_rows: int = 0, available: Optional[int] = None) -> None:
    """Refuses a run whose training would need more than half the machine's memory, before allocating anything:
    a network too wide (--hidden) or data too wide once encoded (a column of thousands of categories)."""
    available = physical_memory() if available is None else available
    if not available:
        return
    widths = [n_inputs, *hidden, n_outputs]
    need = training_bytes(widths, optimizer, batch_size, n_rows, batchnorm, data_rows)
    if need > available // 2:
        data = 20 * n_inputs * data_rows
        culprit = (f"{n_inputs:,} encoded inputs for {data_rows:,} rows (one per category of a categorical column): "
                   "drop or merge columns with many distinct values" if data > need / 2 else
                   f"--hidden {','.join(str(h) for h in hidden)}: use narrower layers")
        raise InputError(f"training would need about {need / 2 ** 30:,.1f} GiB of memory, more than half of this "
                         f"machine's {available / 2 ** 30:,.1f} GiB; {culprit}")
