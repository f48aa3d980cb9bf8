"""How a CSV writes its numbers: the decimal mark and the thousands separator, detected from cells that did not
read as plain numbers (``-1,332`` in a semicolon file, ``1.234,5``, ``"1,234,567"`` quoted in a comma file)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..i18n import t
from .errors import InputError


@dataclass
class NumberFormat:
    """How numbers are written: the decimal mark, the thousands separator (None: none), and what showed it."""
    decimal: str = "."
    thousands: Optional[str] = None
    evidence: Optional[tuple[str, str]] = None  # (column, cell) that showed the format; None when forced or plain
    forced: bool = False

    @property
    def plain(self) -> bool:
        return self.decimal == "." and self.thousands is None

    def to_float(self, text: str) -> Optional[str]:
        """The cell in Python's number syntax (separators removed, the decimal mark a point)."""
        if self.thousands:
            text = text.replace(self.thousands, "")
        return text.replace(self.decimal, ".") if self.decimal != "." else text

    def describe(self) -> str:
        """'numbers: decimal comma (detected: column 'x' has '1,5'; --decimal . to read them otherwise)'."""
        marks = [t("numbers.decimal_comma" if self.decimal == "," else "numbers.decimal_point")]
        if self.thousands:
            marks.append(t("numbers.thousands",
                           mark=t("numbers.comma") if self.thousands == "," else repr(self.thousands)))
        how = t("numbers.forced") if self.forced else \
            t("numbers.detected_in", column=self.evidence[0], cell=repr(self.evidence[1])) if self.evidence else \
            t("numbers.detected")
        other = "." if self.decimal == "," else ","
        return t("numbers.line", marks=t("numbers.and").join(marks), how=how, other=other)


_INT = r"[+-]?\d+"
_DECIMAL_COMMA = re.compile(r"[+-]?(\d+|\d{1,3}(\.\d{3})+)?,\d+$")
_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+$")
_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"[+-]?\d{1,3},\d{3}$")  # 1,234: a decimal comma or a thousands separator
_PLAIN = re.compile(rf"{_INT}$|[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$|{_INT}[eE][+-]?\d+$")


def detect_number_format(columns: dict[str, list[str]], sep: str, missing: Sequence[str]) -> NumberFormat:
    """The number format shown by text columns (name → distinct stripped cells, a sample): a column all of whose cells
    are numbers written with a decimal comma (or '.' thousands groups) shows a decimal comma; one with comma
    thousands groups (1,234,567 or 1,234.5) shows a comma thousands separator. A lone 1,234 is either: a decimal
    comma in a semicolon file, a thousands separator otherwise. Cells spelling a missing value are skipped."""
    comma = thousands = None
    ambiguous = None
    dot_groups = False
    for name, cells in columns.items():
        cells = [c for c in cells if c.lower() not in missing]
        if not cells or not any("," in c for c in cells):
            continue
        if all(_DECIMAL_COMMA.match(c) or _DOT_GROUPS.match(c) or re.fullmatch(_INT, c) for c in cells):
            example = next(c for c in cells if "," in c)
            if all(_AMBIGUOUS.match(c) or "," not in c for c in cells) and not any(_DOT_GROUPS.match(c)
                                                                                    for c in cells):
                ambiguous = ambiguous or (name, example)
            else:
                comma = comma or (name, next((c for c in cells if "," in c and not _AMBIGUOUS.match(c)), example))
                dot_groups = dot_groups or any("." in c for c in cells)
        elif all(_COMMA_GROUPS.match(c) or _PLAIN.match(c) for c in cells):
            thousands = thousands or (name, next(c for c in cells if "," in c))
    if comma and thousands:
        raise InputError(t("numbers.two_ways", comma_column=comma[0], comma=repr(comma[1]),
                           thousands_column=thousands[0], thousands=repr(thousands[1])))
    if comma or (ambiguous and not thousands and sep == ";"):
        return NumberFormat(",", "." if dot_groups else None, comma or ambiguous)
    if thousands or ambiguous:
        return NumberFormat(".", ",", thousands or ambiguous)
    return NumberFormat()
