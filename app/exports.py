"""Spreadsheet-safe output: user text never becomes a formula in Excel or LibreOffice.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return that a spreadsheet
strips first) is run as a formula when a CSV is opened (OWASP "CSV injection"); prefixing a single
quote shows it as text. Numbers stay numbers: only strings are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value itself, or for a string that a spreadsheet would run, the string quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A UTF-8 CSV (with BOM, so Excel reads Vietnamese correctly) with every cell made safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return out.getvalue()
