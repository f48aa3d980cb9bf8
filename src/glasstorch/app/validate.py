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
from .phrases import count as counted

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
            kind = ("validate.kind.fifo" if stat.S_ISFIFO(info.st_mode) else
                    "validate.kind.char_device" if stat.S_ISCHR(info.st_mode) else
                    "validate.kind.block_device" if stat.S_ISBLK(info.st_mode) else
                    "validate.kind.socket" if stat.S_ISSOCK(info.st_mode) else "validate.kind.other")
            raise InputError(t("validate.not_regular", path=shown, kind=t(kind), what=_what(what)))
        if info.st_size > limit:
            raise InputError(t("validate.too_large", path=shown, size=f"{info.st_size:,}", limit=f"{limit:,}",
                               what=_what(what)))
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
        raise InputError(t("validate.grew", path=shown, limit=f"{limit:,}", what=_what(what)))
    return b"".join(chunks)


def write_error(path: str | os.PathLike, error: OSError) -> str:
    """'cannot write into runs/a: No space left on device' (with a hint for the usual causes)."""
    hint = {errno.ENOSPC: "validate.hint.disk_full", errno.EROFS: "validate.hint.read_only",
            errno.EACCES: "validate.hint.permission", errno.EDQUOT: "validate.hint.quota"}.get(error.errno)
    return t("validate.cannot_write", path=os.fspath(path), reason=error.strerror or error,
             hint=t(hint) if hint else "")


# ---- JSON ----------------------------------------------------------------------------------------------------------

def _json_int(source: str):
    def parse(text: str) -> int:
        digits = len(text.lstrip("-"))
        if digits > MAX_JSON_DIGITS:
            raise InputError(t("validate.json_digits", source=source, digits=f"{digits:,}"))
        value = int(text)
        try:
            float(value)
        except OverflowError:
            raise InputError(t("validate.json_number", source=source, start=text[:20], digits=digits)) from None
        return value
    return parse


def loads_json(text: str, source: str) -> Any:
    """json.loads with clear errors: a malformed document, a number too large for a float, nesting deeper than
    Python's recursion allows (``[[[[...``) each raise InputError naming ``source``."""
    try:
        return json.loads(text, parse_int=_json_int(source))
    except json.JSONDecodeError as error:
        raise InputError(t("validate.json_invalid", source=source, error=error)) from None
    except RecursionError:
        raise InputError(t("validate.json_deep", source=source)) from None
    except ValueError as error:  # e.g. a float literal Python refuses
        raise InputError(t("validate.json_invalid", source=source, error=error)) from None


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
        raise InputError(t("validate.out_of_range", where=t("app.err.where", row=r + 1, column=names[index[j]]),
                           value=repr(float(block[r, j])), largest=f"{FLOAT32_MAX:.7g}",
                           what=t("validate.what.target" if what == "target" else "validate.what.feature")))


def check_classes_count(target: np.ndarray, name: str, limit: Optional[int]) -> None:
    """A classifier of more than ``limit`` (default MAX_CLASSES) classes is refused: most often a quantity read as
    labels; --max-classes N allows more."""
    count = len(np.unique(target)) if target.dtype != object else len(set(target.tolist()))
    limit = MAX_CLASSES if limit is None else limit
    if count > limit:
        raise InputError(t("validate.too_many_classes", name=name, count=f"{count:,}", limit=limit, n=count))


def check_split(n_rows: int, train_size: float, task: str) -> None:
    """Both sides of the split hold rows (regression needs two training rows to fit a line)."""
    n_train = math.floor(train_size * n_rows)
    n_test = n_rows - n_train
    needed = 2 if task == "regression" else 1
    if n_train < needed or n_test < 1:
        raise InputError(t("validate.split", train_size=f"{train_size:g}", rows=counted(n_rows, "rows"),
                           n_train=n_train, n_test=n_test,
                           regression=t("validate.split_regression") if task == "regression" else ""))


def check_synthetic_rows(n: int) -> None:
    if not 20 <= n <= MAX_SYNTHETIC_ROWS:
        raise InputError(t("validate.synthetic_rows", most=f"{MAX_SYNTHETIC_ROWS:,}", n=f"{n:,}"))


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
        culprit = (t("validate.memory.inputs", n_inputs=f"{n_inputs:,}", rows=f"{data_rows:,}") if data > need / 2
                   else t("validate.memory.hidden", hidden=",".join(str(h) for h in hidden)))
        raise InputError(t("validate.memory", need=f"{need / 2 ** 30:,.1f}", available=f"{available / 2 ** 30:,.1f}",
                           culprit=culprit))
