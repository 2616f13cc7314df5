"""Reading an uploaded XLSX or CSV into numbered rows keyed by a column spec.

``read_table(data, filename, columns)`` is the whole API: it refuses a file that cannot be
imported at all with ``FileRejected`` (too large, not a spreadsheet, legacy encoding, missing
columns, no rows), and otherwise returns every non-empty row under its spreadsheet row number,
with the cell-level issues found on the way (formulas, unparsable cells, garbled text). What the
values mean is the caller's business: attendee sheets and enrolment exports pass their own specs.

The work per file is bounded, whatever the file claims: a workbook's unpacked size is checked
before openpyxl opens it (zip bombs), rows are streamed (openpyxl's read-only mode, a CSV reader)
and never held beyond the header scan, only the header's columns are read, and reading stops at
the row limit — data rows, plus at most ``MAX_BLANK_ROWS`` empty ones — with a clear refusal
rather than silently dropping what follows. A 2 KB workbook with a cell on row 1,048,576 is
therefore read up to row ~10,000 and refused, never expanded into a million rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.identity.encodings import looks_legacy
from app.sheets import cells
from app.sheets.decoding import UndecodableText, decode_text
from app.sheets.headers import HEADER_SCAN_ROWS, CellError, Column, find_header, header_key
from app.sheets.issues import FileRejected, ImportIssue, _l, count, mb
from app.sheets.sources import (
    BAD_XLSX,
    MAX_COLUMNS,
    RawCell,
    RowSource,
    check_unzipped,
    csv_source,
    open_workbook,
    sniff_delimiter,
    xlsx_source,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 5_000
# Ordinary workbooks unpack to 5–10 times their size (a 5,000-row attendee sheet: 0.2 MB → 1.7 MB);
# zip bombs to thousands of times. Unless told otherwise, a workbook may unpack to five times the
# upload limit.
UNZIPPED_PER_BYTE = 5
# Empty rows read after the header before giving up: templates drawn down a few thousand rows pass,
# a stray cell on row 1,048,576 does not make us walk a million empty rows.
MAX_BLANK_ROWS = 10_000
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
LEGACY_SHARE = 0.2  # this share of rows in an old font encoding rejects the whole file

TOO_LARGE = _l("The file is %(size)s MB; the limit is %(limit)s MB.")
EMPTY = _l("The file is empty.")
OLD_XLS = _l("Old .xls workbooks cannot be read: save the file as .xlsx or CSV.")
BAD_TEXT = _l("The file is neither a workbook nor text in a known encoding.")
LEGACY_FILE = _l(
    "The text is in an old Vietnamese font encoding (TCVN3/ABC or VNI): convert the file to "
    "Unicode (for example with Unikey's converter) and upload it again."
)
LEGACY_CELL = _l("Garbled text: typed in an old font encoding (TCVN3/ABC or VNI)?")
NO_HEADER = _l("No header row with the expected columns in the first %(n)s rows.")
MISSING = _l("Missing columns: %(columns)s.")
NO_ROWS = _l("The file has a header row but no data rows.")
TOO_MANY_ROWS = _l("More than %(limit)s rows; split the file.")
TOO_MANY_BLANK = _l(
    "More than %(limit)s empty rows: reading stopped at row %(row)s. Delete the empty rows and "
    "any stray cell far below the list, then upload the file again."
)
FORMULA = _l("Formulas are not allowed; paste the values instead.")


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number the spreadsheet shows (1-based, header rows counted)
    values: dict[str, Any]  # spec name → parsed value (None where the cell had an issue)


@dataclass
class Table:
    filename: str
    sha256: str
    kind: str  # "xlsx" | "csv"
    encoding: str | None  # CSV only
    sheet: str | None  # XLSX only
    header_row: int  # 1-based number of the (last) header row
    headers: dict[str, str]  # spec name → header text as written
    rows: list[SheetRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)

    def issues_by_row(self) -> dict[int | None, list[ImportIssue]]:
        out: dict[int | None, list[ImportIssue]] = {}
        for issue in self.issues:
            out.setdefault(issue.row, []).append(issue)
        return out


def check_size(size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse an oversized file before reading a byte of it (also used on Content-Length)."""
    if size > max_bytes:
        raise FileRejected.one(TOO_LARGE, size=mb(size), limit=mb(max_bytes))


def read_table(
    data: bytes,
    filename: str,
    columns: Sequence[Column],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_unzipped: int | None = None,
) -> Table:
    """The file's rows under ``columns``; raises FileRejected when nothing can be imported.

    ``max_unzipped`` bounds a workbook's unpacked size (default: ``UNZIPPED_PER_BYTE`` times
    ``max_bytes``).
    """
    check_size(len(data), max_bytes)
    if not data.strip():
        raise FileRejected.one(EMPTY)
    sha256 = hashlib.sha256(data).hexdigest()
    if data.startswith(OLE_MAGIC):
        raise FileRejected.one(OLD_XLS)
    if data.startswith(ZIP_MAGIC):
        check_unzipped(data, max_unzipped or UNZIPPED_PER_BYTE * max_bytes)
        with open_workbook(data) as workbook:
            sheet, source = xlsx_source(workbook, columns)
            table = _table(source, columns, max_rows)
        kind, encoding = "xlsx", None
    else:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            raise FileRejected.one(BAD_XLSX)
        try:
            text, encoding = decode_text(data)
        except UndecodableText as exc:
            raise FileRejected.one(BAD_TEXT) from exc
        if "\x00" in text:
            raise FileRejected.one(BAD_TEXT)
        kind, sheet = "csv", None
        table = _table(csv_source(text), columns, max_rows)
    table.filename, table.sha256, table.kind = filename, sha256, kind
    table.encoding, table.sheet = encoding, sheet
    return table


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _nothing_more(source: RowSource) -> bool:
    """No content after the scanned rows, within the empty-row budget."""
    after = source.rows(len(source.scan) + 1, MAX_COLUMNS, MAX_BLANK_ROWS + 1)
    read = 0
    for row in after:
        if any(not _blank(c.value) for c in row):
            return False
        read += 1
    return read <= MAX_BLANK_ROWS


def _table(source: RowSource, columns: Sequence[Column], max_rows: int) -> Table:
    scan = source.scan
    legacy_header = any(isinstance(v, str) and looks_legacy(v) for row in scan for v in row)
    match = find_header(scan, columns)
    if match is None or match.missing(columns):
        if legacy_header:
            raise FileRejected.one(LEGACY_FILE)
        if match is None:
            if all(_blank(v) for row in scan for v in row) and _nothing_more(source):
                raise FileRejected.one(EMPTY)
            raise FileRejected(
                [
                    ImportIssue(None, "", NO_HEADER, {"n": HEADER_SCAN_ROWS}),
                    _missing_issue([c for c in columns if c.required]),
                ]
            )
        raise FileRejected([_missing_issue(match.missing(columns))])
    headers = {}
    for name, index in match.positions.items():
        texts = [scan[match.last_row - k][index] for k in range(match.rows_used)]
        headers[name] = next((str(t) for t in texts if not _blank(t)), name)
    table = Table("", "", "", None, None, match.last_row + 1, headers)
    by_name = {c.name: c for c in columns}
    legacy_rows = blank_rows = 0
    first = match.last_row + 2  # the spreadsheet's number of the row under the header
    width = max(match.positions.values()) + 1  # the columns right of the header's are not read
    # Data rows up to the limit and empty rows up to theirs; the row after both raises below.
    budget = max_rows + MAX_BLANK_ROWS + 1
    for number, row in enumerate(source.rows(first, width, budget), start=first):
        picked = {n: row[i] if i < len(row) else RawCell(None) for n, i in match.positions.items()}
        if all(_blank(c.value) for c in picked.values()):
            blank_rows += 1
            if blank_rows > MAX_BLANK_ROWS:
                raise FileRejected.one(
                    TOO_MANY_BLANK, limit=count(MAX_BLANK_ROWS), row=count(number)
                )
            continue
        if len(table.rows) >= max_rows:
            raise FileRejected.one(TOO_MANY_ROWS, limit=count(max_rows))
        parsed, legacy = _row(number, picked, by_name, table.issues)
        legacy_rows += legacy
        table.rows.append(SheetRow(number, parsed))
    if not table.rows:
        raise FileRejected.one(NO_ROWS)
    if legacy_rows and legacy_rows >= LEGACY_SHARE * len(table.rows):
        row_issues = [i for i in table.issues if i.message == LEGACY_CELL][:20]
        raise FileRejected([ImportIssue(None, "", LEGACY_FILE), *row_issues])
    return table


def _row(
    number: int,
    picked: dict[str, RawCell],
    by_name: dict[str, Column],
    issues: list[ImportIssue],
) -> tuple[dict[str, Any], bool]:
    parsed: dict[str, Any] = {}
    legacy = False
    for name, cell in picked.items():
        column = by_name[name]
        shown = cells.text(cell.value)[:80]
        if cell.formula:
            issues.append(ImportIssue(number, name, FORMULA, value=shown))
            parsed[name] = None
            continue
        if isinstance(cell.value, str) and looks_legacy(cell.value):
            issues.append(ImportIssue(number, name, LEGACY_CELL, value=shown))
            parsed[name] = None
            legacy = True
            continue
        try:
            parsed[name] = column.parse(cell.value) if column.parse else cells.text(cell.value)
        except CellError as exc:
            issues.append(ImportIssue(number, name, exc.message, exc.params, value=shown))
            parsed[name] = None
    return parsed, legacy


def _missing_issue(missing: Sequence[Column]) -> ImportIssue:
    # The labels are msgids too: a list parameter is translated item by item.
    return ImportIssue(None, "", MISSING, {"columns": [c.label for c in missing]})


__all__ = ["Column", "FileRejected", "ImportIssue", "RawCell", "SheetRow", "Table", "header_key"]
__all__ += ["check_size", "check_unzipped", "count", "mb", "read_table", "sniff_delimiter"]
