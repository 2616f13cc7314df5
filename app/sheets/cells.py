"""Cell parsers: what Excel and CSV really hand over, turned into the text a validator reads.

Excel stores numbers, not text: a birth date arrives as a datetime (a date-formatted cell) or a
serial day count (a General-formatted one), a year as 1975.0, a phone or CCCD without its
leading 0. These helpers undo that; the rules about what is valid stay in the validators.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.sheets.headers import CellError
from app.sheets.issues import _l
from app.timeparse import excel_date

YEARS = range(1900, 2101)
SERIALS = range(2101, 100_000)  # after the years: 1905-10-01 … 2173


def text(value: Any) -> str:
    """Any cell as trimmed text; 3.0 → "3" (Excel's numbers), None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def birth(value: Any) -> str:
    """A year, a dd/mm/yyyy text, a real date or an Excel serial → "1975" or "17/05/1975"."""
    if isinstance(value, datetime | date):
        return text(value)
    if isinstance(value, bool):
        raise CellError(_l("Write the year (1975) or the date (17/05/1975)."))
    if isinstance(value, int | float):
        if float(value).is_integer() and int(value) in YEARS:
            return str(int(value))
        if int(value) in SERIALS:
            return text(excel_date(value))
        raise CellError(_l("Write the year (1975) or the date (17/05/1975)."))
    written = text(value)
    if written.isdigit() and int(written) in SERIALS and len(written) == 5:
        return text(excel_date(int(written)))  # a CSV saved from a General-formatted column
    return written


def digits_id(length: int) -> Any:
    """A parser for numeric identifiers: a number cell lost its leading zero, so pad it back."""

    def parse(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            written = str(value)
            return written.zfill(length) if len(written) == length - 1 else written
        return text(value)

    return parse


def phone(value: Any) -> str:
    """A phone typed in a number cell: 912345678.0 → "912345678" (normalize_phone adds the 0)."""
    return text(value)
