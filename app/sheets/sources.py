"""Where a sheet's rows come from — a workbook's sheet or a CSV's records — streamed, bounded.

A ``RowSource`` holds the first rows (for the header scan) and hands out the rest on demand,
cut to the columns asked for: openpyxl's read-only mode with ``max_row``/``max_col`` for
workbooks (so a cell on row 1,048,576 does not make openpyxl fill in a million empty rows
before it), a CSV reader for text. Nothing holds more than the header scan in memory; the
reader (``app.sheets.reader``) decides how far to read. A workbook's unpacked size is checked
before openpyxl opens it, and a damaged workbook or CSV is refused with ``FileRejected``.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from app.sheets.headers import HEADER_SCAN_ROWS, Column, find_header
from app.sheets.issues import FileRejected, _l, count, mb

MAX_COLUMNS = 200
DELIMITERS = (",", ";", "\t")
HIDDEN_STATES = ("hidden", "veryHidden")  # a worksheet's sheet_state other than "visible"
# What openpyxl and zipfile raise on a damaged workbook (ParseError: malformed XML).
XLSX_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, zlib.error,
               ParseError)  # fmt: skip

BAD_XLSX = _l("The workbook cannot be read; save it again as .xlsx or CSV.")
BAD_CSV = _l("The CSV file cannot be read after row %(row)s (a quote left open?); save it again.")
TOO_LARGE_UNZIPPED = _l(
    "The workbook unpacks to %(size)s MB; the limit is %(limit)s MB. Save the list as CSV, or "
    "split it into smaller files."
)


@dataclass(frozen=True)
class RawCell:
    value: Any
    formula: bool = False


Rows = Callable[[int, int, int], Iterator[list[RawCell]]]


@dataclass
class RowSource:
    """A sheet read lazily: its first rows (values) to find the header in, then rows on demand.

    ``rows(first, width, limit)`` yields at most ``limit`` rows from spreadsheet row ``first``
    (1-based), each cut to the first ``width`` columns. A CSV's records are read once: ask for
    the rows after the header only once.
    """

    scan: list[list[Any]]
    rows: Rows


def check_unzipped(data: bytes, limit: int) -> None:
    """Refuse a workbook whose parts unpack to more than ``limit`` bytes, before opening it.

    The sizes are the ones the archive declares, and they are a true bound: zipfile stops each
    part at its declared size (a part that lies about it fails its CRC check).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except XLSX_ERRORS as exc:
        raise FileRejected.one(BAD_XLSX) from exc
    if size > limit:
        raise FileRejected.one(TOO_LARGE_UNZIPPED, size=count(round(size / 2**20)), limit=mb(limit))


def csv_source(text: str) -> RowSource:
    """The CSV's records streamed: the first ones kept for the header, the rest read once."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    records = _csv_records(reader)
    head = [row[:MAX_COLUMNS] for row in islice(records, HEADER_SCAN_ROWS)]

    def rows(first: int, width: int, limit: int) -> Iterator[list[RawCell]]:
        for row in islice(chain(head[first - 1 :], records), limit):
            yield [RawCell(v, v.startswith("=")) for v in row[:width]]

    return RowSource(list(head), rows)


def _csv_records(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # an unclosed quote swallowing the file, a huge field
            raise FileRejected.one(BAD_CSV, row=count(number)) from exc
        number += 1
        yield row


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one width (≥ 2)."""
    sample = text[:20_000].splitlines()[:30]
    best, best_rank = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(r)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        rank = (widths.count(common) if common > 1 else 0, common)
        if rank > best_rank:
            best, best_rank = delimiter, rank
    return best


class _Sheet(ReadOnlyWorksheet):
    """A read-only sheet that does not measure itself when the workbook opens.

    openpyxl takes a sheet's size from its ``<dimension>`` element and, when there is none
    (openpyxl's own write-only mode leaves it out, and so can anyone), parses the whole sheet
    to find out — while opening the workbook, before any row limit can apply: 5 s for a
    60,000-row sheet. Every read here passes ``max_row`` and ``max_col``; the size is not needed.
    """

    def _get_size(self) -> None:
        return None


class _Reader(ExcelReader):
    """openpyxl's reader in read-only mode, its worksheets made as ``_Sheet``."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


@contextmanager
def open_workbook(data: bytes) -> Iterator[Any]:
    """The workbook in openpyxl's read-only (streaming) mode, closed on leaving."""
    try:
        reader = _Reader(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        reader.read()
    except XLSX_ERRORS as exc:
        raise FileRejected.one(BAD_XLSX) from exc
    workbook = reader.wb
    try:
        yield workbook
    finally:
        workbook.close()


def xlsx_source(workbook: Any, columns: Sequence[Column]) -> tuple[str, RowSource]:
    """The first sheet with a recognisable header (the active sheet is tried first)."""
    sheets = list(workbook.worksheets)
    active = workbook.active
    if active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    first: tuple[str, RowSource] | None = None
    for sheet in sheets:
        source = _sheet_source(sheet)
        if first is None:
            first = (sheet.title, source)
        if find_header(source.scan, columns):
            return sheet.title, source
    return first or ("", RowSource([], lambda _first, _width, _limit: iter(())))


def xlsx_sheets(workbook: Any) -> Iterator[tuple[str, RowSource, bool]]:
    """Every worksheet in the workbook's order, each scanned for its header when reached, and
    whether the workbook hides it (Excel's "hidden", or "veryHidden" that only VBA undoes)."""
    for sheet in workbook.worksheets:
        yield sheet.title, _sheet_source(sheet), sheet.sheet_state in HIDDEN_STATES


def _sheet_source(sheet: Any) -> RowSource:
    found = sheet.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS)
    scan = [[c.value for c in row] for row in _guarded(found)]
    return RowSource(scan, _sheet_rows(sheet))


def _sheet_rows(sheet: Any) -> Rows:
    def rows(first: int, width: int, limit: int) -> Iterator[list[RawCell]]:
        # max_row also stops openpyxl from filling in the empty rows up to a far-away one.
        found = sheet.iter_rows(min_row=first, max_row=first + limit - 1, max_col=width)
        for row in _guarded(found):
            yield [RawCell(c.value, _formula(c)) for c in row]

    return rows


def _guarded(rows: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """openpyxl's rows; a damaged part (bad XML, a failed CRC) is an unreadable workbook."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except XLSX_ERRORS as exc:
            raise FileRejected.one(BAD_XLSX) from exc
        yield row


def _formula(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    return getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=")
    )
