"""Reading a CSV file (or CSV text) into columns with pandas' C parser, keeping the trainer's rules and messages.

The separator is the one the header line uses (a comma, else a semicolon, a tab or a bar). The file must be UTF-8
(a BOM is dropped). Cells are read as pandas reads them: a column whose every cell is a finite number arrives as
float64 (:attr:`Frame.numeric`), any other column as its cells' text (:attr:`Frame.texts`), so that the caller decides
what a word, an empty cell or a missing-value spelling means. A row of empty cells is skipped, as a blank line is;
rows are numbered from 1 after the header, lines as the file's records (``line`` in messages).

Decimal commas and thousands separators (``1.234,5`` in a semicolon file, ``"1,234"`` quoted in a comma file) are
detected from the cells that did not read as numbers (:mod:`glasstorch.app.numbers`); ``decimal=","`` or ``"."`` forces
the decimal mark. A file too large to read in the memory available is refused before it is read
(:data:`MEMORY_FACTOR`).
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Sequence

import numpy as np
import pandas as pd

from . import validate
from ..i18n import t
from .errors import InputError
from .numbers import NumberFormat, detect_number_format

CHUNK = 1 << 22  # bytes per read while hashing and checking UTF-8
SAMPLE_ROWS = 10_000  # rows read first to find the number format
MEMORY_FACTOR = 6  # reading a CSV and training on it takes up to ~6x its size in memory (pandas ~5x, the matrix)
SEPARATORS = ",;\t|"


def available_memory() -> Optional[int]:
    """Bytes of memory available to a new allocation (Linux: MemAvailable), or None when it cannot be told."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return t("csv.bytes", n=f"{n:.0f}") if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def check_size(path: Path, size: int) -> None:
    """Refuses, before reading, a file whose reading would need more than the memory available:
    size × MEMORY_FACTOR > available memory."""
    available = available_memory()
    if available is not None and size * MEMORY_FACTOR > available:
        raise InputError(t("csv.too_big", path=path, size=_size(size), factor=MEMORY_FACTOR,
                           need=_size(size * MEMORY_FACTOR), available=_size(available), name=path.name))


def file_facts(path: str | Path) -> tuple[str, str]:
    """(sha256 of the bytes, the start of the text) after checking that the file exists, is not empty, fits in
    memory and is UTF-8 throughout; reads the file in chunks, never whole."""
    path = Path(path)
    size = validate.check_regular_file(path, "CSV file", validate.MAX_FILE_BYTES)  # never /dev/zero or a FIFO
    check_size(path, size)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    start, offset, blank = "", 0, True
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            digest.update(chunk)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise InputError(t("csv.not_utf8", path=path, offset=offset + error.start)) from None
            if blank and text.strip():
                blank = False
            if len(start) < CHUNK:
                start += text
            if not chunk:
                break
            offset += len(chunk)
    if blank:
        raise InputError(t("app.err.empty", path=path))
    return digest.hexdigest(), start.removeprefix("\ufeff")


def separator(text: str) -> str:
    """The separator the header line uses: a comma, else a semicolon (Excel's CSV where the decimal mark is a comma),
    a tab or a bar; a comma when the header has none of them (one column)."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    return next((d for d in SEPARATORS if d in header), ",")


def _header(start: str, sep: str, source: str) -> tuple[list[str], list[str], int]:
    """The header's cells as written and stripped, and the number of lines before it (blank ones)."""
    skipped = 0
    reader = csv.reader(io.StringIO(start), delimiter=sep)
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                break
            skipped = reader.line_num
        else:
            raise InputError(t("app.err.empty", path=source))
    except csv.Error as error:
        raise InputError(t("csv.unreadable", source=source, error=error)) from None
    header = [name.strip() for name in cells]
    for i, name in enumerate(header):
        if not name:
            raise InputError(t("app.err.header_unnamed", path=source, n=i + 1))
    duplicates = sorted({n for n in header if header.count(n) > 1})
    if duplicates:
        raise InputError(t("app.err.header_repeats", path=source, names=", ".join(duplicates)))
    return cells, header, skipped


@dataclass
class Frame:
    """A CSV's header and columns: ``numeric`` (name → float64 array, every cell a finite number) and ``texts``
    (name → object array of the cells' text); ``line_of(row)`` finds a data row's line."""
    source: str
    header: list[str]
    numeric: dict[str, np.ndarray]
    texts: dict[str, np.ndarray]
    n_rows: int
    sep: str
    number_format: NumberFormat
    sha256: Optional[str] = None
    _path: Optional[Path] = None
    _text: Optional[str] = None
    _lines: Optional[np.ndarray] = field(default=None, repr=False)

    def column(self, name: str) -> np.ndarray:
        return self.numeric[name] if name in self.numeric else self.texts[name]

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of each non-blank record after the header, as the csv module reads them."""
        handle = io.StringIO(self._text) if self._text is not None else \
            open(self._path, encoding="utf-8-sig", newline="")
        with handle:
            seen_header = False
            for i, cells in enumerate(csv.reader(handle, delimiter=self.sep)):
                if not any(c.strip() for c in cells):
                    continue
                if not seen_header:
                    seen_header = True
                    continue
                yield i + 1, cells

    def line_of(self, row: int) -> int:
        """The line of data row ``row`` (0-based), counted as the csv module counts records."""
        if self._lines is None:
            self._lines = np.fromiter((line for line, _ in self.records()), dtype=np.int64)
        return int(self._lines[row])


def _read(handle, sep: str, skipped: int, fmt: NumberFormat, **options) -> pd.DataFrame:
    marks = {"decimal": fmt.decimal, "thousands": fmt.thousands} if not fmt.plain and sep not in \
        (fmt.decimal, fmt.thousands) else {}
    return pd.read_csv(handle, sep=sep, header=0, skiprows=skipped, na_filter=False, skip_blank_lines=True,
                       encoding="utf-8-sig", **marks, **options)


def _irregular_fields(records: Iterator[tuple[int, list[str]]], n_columns: int, source: str,
                      pandas_error: Exception | str) -> InputError:
    """The first record whose length differs from the header's (the csv module's reading), as an InputError."""
    try:
        for line, cells in records:
            if len(cells) != n_columns:
                return InputError(t("app.err.line_values", path=source, line=line, n=len(cells), columns=n_columns))
    except csv.Error as error:
        return InputError(t("csv.unreadable", source=source, error=error))
    return InputError(t("csv.unreadable", source=source, error=pandas_error))


def read_frame(path: Optional[str | Path] = None, text: Optional[str] = None, *, source: Optional[str] = None,
               as_text: Sequence[str] = (), decimal: Optional[str] = None, missing: Sequence[str] = (),
               as_text_all: bool = False) -> Frame:
    """Reads a CSV file (``path``) or CSV ``text``. The columns in ``as_text`` are kept as text whatever they hold
    (codes such as zip codes). ``decimal``: None
    detects the number format, "," or "." forces the decimal mark. ``missing``: lower-case spellings of a missing
    value, ignored when detecting the number format. ``as_text_all`` keeps every column as text."""
    if path is not None:
        source = source or str(path)
        digest, start = file_facts(path)
    else:
        digest, start = None, text.removeprefix("\ufeff")
        if not start.strip():
            raise InputError(t("app.err.empty", path=source))
    sep = separator(start)
    raw, header, skipped = _header(start, sep, source)
    if as_text_all:
        as_text = header
    frame = Frame(source, header, {}, {}, 0, sep, NumberFormat(), digest, Path(path) if path is not None else None,
                  None if path is not None else start)
    fmt = NumberFormat(",", ".", forced=True) if decimal == "," else NumberFormat(forced=decimal == ".")

    def load(names: Sequence[str], fmt: NumberFormat, text_columns: Sequence[str], nrows: Optional[int] = None
             ) -> tuple[dict[str, pd.Series], int]:
        """The named columns; all columns are tokenised (pandas' usecols would let a record with too many values
        pass)."""
        handle = path if path is not None else io.StringIO(start)
        dtype = {raw[header.index(n)]: str for n in text_columns}
        try:
            data = _read(handle, sep, skipped, fmt, dtype=dtype or None, nrows=nrows)
        except pd.errors.ParserError as error:
            raise _irregular_fields(frame.records(), len(header), source, error) from None
        except (UnicodeDecodeError, ValueError) as error:
            raise InputError(t("csv.unreadable", source=source, error=error)) from None
        if data.shape[1] != len(header):
            raise _irregular_fields(frame.records(), len(header), source, t("csv.columns_differ"))
        return {header[i]: data.iloc[:, i] for i in range(len(header)) if header[i] in set(names)}, len(data)

    text_columns = [n for n in as_text if n in header]

    def detect(texts: dict[str, Optional[np.ndarray]]) -> NumberFormat:
        return detect_number_format({n: _distinct(column, 2000) for n, column in texts.items() if column is not None}, sep, missing)

    if decimal is None:  # the format from the first rows, so that a decimal-comma file is read once, as numbers
        fmt = detect(_split(*load(header, fmt, text_columns, SAMPLE_ROWS), text_columns)[1])
    numeric, texts, n_rows = _split(*load(header, fmt, text_columns), text_columns)
    if decimal is None and fmt.plain and n_rows > SAMPLE_ROWS:  # marks that appear only after the first rows
        fmt = detect(texts)
        if not fmt.plain:  # read again with them (numbers with a '.' may mean thousands)
            numeric, texts, n_rows = _split(*load(header, fmt, text_columns), text_columns)
    frame.number_format, frame.n_rows = fmt, n_rows
    irregular = [n for n, t in texts.items() if t is None]
    if irregular:  # bools, huge integers, inf or mixed chunks: those columns again, as plain text
        again, _ = load(irregular, fmt, irregular)
        for name in irregular:
            texts[name] = again[name].to_numpy(dtype=object)
    frame.numeric = numeric
    frame.texts = {name: values for name, values in texts.items() if values is not None}
    _drop_blank_rows(frame)
    if frame.n_rows == 0:
        raise InputError(t("app.err.no_rows", path=source))
    _check_short_rows(frame)
    return frame


def _split(data: dict[str, pd.Series], n_rows: int, as_text: Sequence[str]
           ) -> tuple[dict[str, np.ndarray], dict[str, Optional[np.ndarray]], int]:
    """Columns of finite numbers → float64 arrays; string columns → object arrays of text; anything else → None
    (to be read again as text); and the number of rows."""
    numeric: dict[str, np.ndarray] = {}
    texts: dict[str, Optional[np.ndarray]] = {}
    for name in list(data):
        column = data.pop(name)
        kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else None
        if kind is not None and kind in "iuf" and name not in as_text:
            values = column.to_numpy(dtype=np.float64)
            if kind in "iu" or np.isfinite(values).all():
                numeric[name] = values
            else:
                texts[name] = None
        elif isinstance(column.dtype, pd.StringDtype) or (kind == "O" and _all_str(column)):
            texts[name] = column.to_numpy(dtype=object)
        else:
            texts[name] = None
    return numeric, texts, n_rows


def _all_str(column: pd.Series) -> bool:
    return bool(pd.api.types.infer_dtype(column, skipna=False) in ("string", "empty"))


def _distinct(values: np.ndarray, limit: int) -> list[str]:
    seen = pd.unique(values[: limit * 20]) if len(values) > limit * 20 else pd.unique(values)
    return [str(v).strip() for v in seen[:limit]]


def _drop_blank_rows(frame: Frame) -> None:
    """Skips rows whose every cell is empty or spaces, as blank lines are (only possible when every column is
    text)."""
    if frame.numeric:
        return
    blank = np.ones(frame.n_rows, dtype=bool)
    for values in frame.texts.values():
        blank &= _stripped(values) == ""
        if not blank.any():
            return
    keep = ~blank
    for name in frame.texts:
        frame.texts[name] = frame.texts[name][keep]
    frame.n_rows = int(keep.sum())
    frame._lines = None


def _check_short_rows(frame: Frame) -> None:
    """A record with fewer values than the header reads as empty trailing cells: when the last column has empty
    cells, the csv module counts those records' values."""
    last = frame.header[-1]
    if last in frame.numeric or not (frame.texts[last] == "").any():
        return
    for line, cells in frame.records():
        if len(cells) != len(frame.header):
            raise InputError(t("app.err.line_values", path=frame.source, line=line, n=len(cells),
                               columns=len(frame.header)))


def _stripped(values: np.ndarray) -> np.ndarray:
    """The cells' text with surrounding spaces removed (object array)."""
    codes, uniques = pd.factorize(values)
    return np.array([str(u).strip() for u in uniques], dtype=object)[codes] if len(uniques) else values


def peek_header(path: str | Path) -> list[str]:
    """The header of a CSV file (its names, stripped), reading only its start."""
    path = Path(path)
    if not path.is_file():
        raise InputError(t("app.err.no_file", path=path))
    with open(path, "rb") as handle:
        start = handle.read(CHUNK).decode("utf-8-sig", errors="replace")
    return _header(start, separator(start), str(path))[1]
