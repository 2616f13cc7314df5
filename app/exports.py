"""Spreadsheet-safe output: user text never becomes a formula in Excel or LibreOffice.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return that a spreadsheet
strips first) is run as a formula when a CSV is opened (OWASP "CSV injection"); prefixing a single
quote shows it as text. Numbers stay numbers: only strings are neutralised.

A workbook stores each cell's type, so only a string openpyxl would write as a formula (one
starting with ``=``) needs care there: it is written as a text cell with Excel's hidden quote
prefix (``text_cell``, ``workbook_bytes``), shown as typed. A visible quote before "+84 …" in a
call list's notes was the CSV remedy leaking into the workbooks.

Two CSV dialects, chosen by who reads the file (README, "CSV files"):
- ``excel_csv_text`` for people: it opens in columns in Excel set to Vietnamese (the offices'
  Windows), so UTF-8 with a BOM, ``;`` between cells, decimal comma (0,5), no thousands separator
  (Excel reads 1700 as a number and shows it 1.700), days dd/mm/yyyy;
- ``csv_text`` for tools (the API's machine columns): ``,``, a decimal point, ISO days.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

APP_NAME = "Lan Tỏa"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def new_workbook(title: str, creator: str = APP_NAME, *, write_only: bool = False) -> Workbook:
    """Every workbook the app writes: its file properties say what it is and who made it (the
    office whose report it is, or Lan Tỏa), in Vietnamese, never openpyxl's "openpyxl"."""
    book = Workbook(write_only=write_only)
    book.properties.creator = book.properties.lastModifiedBy = creator
    book.properties.title = title
    return book


def safe_cell(value: Any) -> Any:
    """The value itself, or for a string that a spreadsheet would run, the string quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cell(sheet: Any, value: Any) -> Any:
    """``value`` for a row of a write-only ``sheet``: a string openpyxl would take for a formula
    becomes a text cell shown as typed; anything else is itself."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        keep_as_text(cell)
        return cell
    return value


def workbook_bytes(book: Workbook) -> bytes:
    """The file of ``book``, no cell of it a formula: the app writes none, so any formula cell
    is user text (a title or a note starting with "=") and is written as text."""
    if not book.write_only:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        keep_as_text(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def keep_as_text(cell: Any) -> None:
    """Write ``cell`` as text whatever its value looks like."""
    cell.data_type = "s"
    cell.quotePrefix = True  # Excel's own "this is text": hidden, never shown or typed


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A UTF-8 CSV (with BOM, so Excel reads Vietnamese correctly) with every cell made safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return out.getvalue()


def excel_cell(value: Any) -> str:
    """One value as Excel set to Vietnamese reads it: 0,5 and 1700 numbers, 03/12/2026 a day."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return str(safe_cell(value))


def excel_csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV for people: BOM, ``;``, decimal comma, dd/mm/yyyy, every cell made safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([excel_cell(v) for v in row])
    return out.getvalue()
