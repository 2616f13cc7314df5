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

A workbook's first sheet with the header is read; with ``every_sheet``, every sheet with it
(offices keep one sheet per commune), each row under its sheet's own number and, when several
sheets are read, its sheet's name. A sheet left unread is said so, never dropped in silence; a
hidden sheet (lookup lists, an old copy) is left unread, unless no visible sheet has the header.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.identity.encodings import looks_legacy
from app.sheets.cell_reads import FORMULA, LEGACY_CELL, CellReader
from app.sheets.decoding import UndecodableText, decode_text
from app.sheets.headers import (
    HEADER_SCAN_ROWS,
    Column,
    HeaderMatch,
    find_header,
    header_key,
)
from app.sheets.issues import FileRejected, ImportIssue, _l, count, mb
from app.sheets.missing import explain_missing
from app.sheets.sources import (
    BAD_XLSX,
    MAX_COLUMNS,
    RawCell,
    RowSource,
    check_unzipped,
    csv_source,
    open_workbook,
    sniff_delimiter,
    xlsx_sheets,
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
NO_HEADER = _l("No header row with the expected columns in the first %(n)s rows.")
MISSING = _l("Missing columns: %(columns)s.")
NO_ROWS = _l("The file has a header row but no data rows.")
TOO_MANY_ROWS = _l("More than %(limit)s rows; split the file.")
TOO_MANY_BLANK = _l(
    "More than %(limit)s empty rows: reading stopped at row %(row)s. Delete the empty rows and "
    "any stray cell far below the list, then upload the file again."
)
SHEET_MISSING = _l("Sheet %(sheet)s was not read: its header lacks %(columns)s.")
SHEET_NO_HEADER = _l(
    "Sheet %(sheet)s was not read: no header row with the expected columns in its first %(n)s rows."
)
SHEET_HIDDEN = _l("Sheet %(sheet)s was not read: it is hidden in the workbook.")


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number the spreadsheet shows (1-based, header rows counted)
    values: dict[str, Any]  # spec name → parsed value (None where the cell had an issue)
    sheet: str | None = None  # named when the workbook had several sheets read

    @property
    def at(self) -> tuple[str, int]:
        """The row's identity in the file: numbers repeat from one sheet to the next."""
        return (self.sheet or "", self.number)


@dataclass(frozen=True)
class SheetRead:
    """A workbook sheet whose rows were read."""

    name: str
    header_row: int  # 1-based number of its (last) header row
    rows: int
    headers: dict[str, str] = field(default_factory=dict)  # spec name → this sheet's header


@dataclass
class Table:
    filename: str
    sha256: str
    kind: str  # "xlsx" | "csv"
    encoding: str | None  # CSV only
    sheet: str | None  # XLSX only: the (first) sheet read
    header_row: int  # 1-based number of the (last) header row (of the first sheet read)
    headers: dict[str, str]  # spec name → header text as written
    rows: list[SheetRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    sheets: list[SheetRead] = field(default_factory=list)  # XLSX only, in the workbook's order
    notices: list[ImportIssue] = field(default_factory=list)  # sheets left unread, nothing lost

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
    every_sheet: bool = False,
) -> Table:
    """The file's rows under ``columns``; raises FileRejected when nothing can be imported.

    ``max_unzipped`` bounds a workbook's unpacked size (default: ``UNZIPPED_PER_BYTE`` times
    ``max_bytes``). ``every_sheet``: read every sheet of a workbook whose header has the
    required columns (one sheet per commune), not just the first; ``max_rows`` bounds them all.
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
            if every_sheet:
                table = _every_sheet(workbook, columns, max_rows)
            else:
                name, source = xlsx_source(workbook, columns)
                table = _table(source, columns, max_rows)
                table.sheets = [SheetRead(name, table.header_row, len(table.rows), table.headers)]
        kind, encoding, sheet = "xlsx", None, table.sheets[0].name
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


def _has_content(source: RowSource) -> bool:
    """Anything at all on the sheet (within the empty-row budget): a sheet worth a notice."""
    return any(not _blank(v) for row in source.scan for v in row) or not _nothing_more(source)


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
    match = _header(source, columns)
    table = Table("", "", "", None, None, match.last_row + 1, _header_texts(source, match))
    legacy_rows = _read_rows(source, match, _reader(columns), max_rows, table)
    _check_rows(table, legacy_rows)
    return table


def _every_sheet(workbook: Any, columns: Sequence[Column], max_rows: int) -> Table:
    """Every visible sheet whose header has the required columns, in the workbook's order.

    A sheet left unread is reported: one whose header has some of the columns but not all
    (surely a list) as an issue, so its people are not lost without the user's say; any other
    sheet with content (instructions, lists of something else) as a notice. A hidden sheet is
    put out of the way on purpose (lookup lists, last month's copy): a notice too — unless no
    visible sheet has the header, when the hidden ones that have it are read, as they always
    were, so that no file that imported before stops importing.
    """
    readable: list[tuple[str, RowSource, HeaderMatch]] = []
    hidden: list[tuple[str, RowSource, HeaderMatch]] = []  # hidden sheets with the header
    issues: list[ImportIssue] = []
    notices: list[ImportIssue] = []
    for name, source, is_hidden in xlsx_sheets(workbook):
        match = find_header(source.scan, columns)
        complete = match if match is not None and not match.missing(columns) else None
        if is_hidden:
            if complete is not None:
                hidden.append((name, source, complete))
            if complete is not None or _has_content(source):
                notices.append(_sheet_issue(SHEET_HIDDEN, name))
        elif complete is not None:
            readable.append((name, source, complete))
        elif match is not None:
            # As a one-sheet file refused for its columns: the header read, the names accepted.
            missing = match.missing(columns)
            issues.append(_sheet_issue(SHEET_MISSING, name, columns=[c.label for c in missing]))
            issues.extend(explain_missing(source.scan, match, missing, sheet=name))
        elif _has_content(source):
            notices.append(_sheet_issue(SHEET_NO_HEADER, name, n=HEADER_SCAN_ROWS))
    if not readable and hidden:  # the list lives on hidden sheets only: read them after all
        readable = hidden
        read = {name for name, _source, _match in hidden}
        notices = [n for n in notices if n.sheet not in read]
    if not readable:  # nothing to read: refused as a one-sheet workbook would be
        name, source = xlsx_source(workbook, columns)
        table = _table(source, columns, max_rows)
        table.sheets = [SheetRead(name, table.header_row, len(table.rows), table.headers)]
        return table
    several = len(readable) > 1
    first_name, _source, first_match = readable[0]
    table = Table("", "", "", None, first_name, first_match.last_row + 1, {})
    reader = _reader(columns)  # one for the file: its sheets repeat each other's values
    legacy_rows = 0
    for name, source, match in readable:
        headers = _header_texts(source, match)
        for key, text in headers.items():
            table.headers.setdefault(key, text)
        before = len(table.rows)
        sheet = name if several else None  # one sheet read: its rows need no name
        legacy_rows += _read_rows(source, match, reader, max_rows, table, sheet)
        table.sheets.append(SheetRead(name, match.last_row + 1, len(table.rows) - before, headers))
    table.issues[:0] = issues
    table.notices = notices
    _check_rows(table, legacy_rows)
    return table


def _sheet_issue(message: str, sheet: str, **params: Any) -> ImportIssue:
    return ImportIssue(None, "", message, {"sheet": sheet, **params}, sheet=sheet)


def _header(source: RowSource, columns: Sequence[Column]) -> HeaderMatch:
    """The sheet's header; FileRejected when it has none, or lacks required columns."""
    scan = source.scan
    legacy_header = any(isinstance(v, str) and looks_legacy(v) for row in scan for v in row)
    match = find_header(scan, columns)
    if match is None or match.missing(columns):
        if legacy_header:
            raise FileRejected.one(LEGACY_FILE)
        if match is None:
            if all(_blank(v) for row in scan for v in row) and _nothing_more(source):
                raise FileRejected.one(EMPTY)
            required = [c for c in columns if c.required]
            raise FileRejected(
                [
                    ImportIssue(None, "", NO_HEADER, {"n": HEADER_SCAN_ROWS}),
                    _missing_issue(required),
                    *explain_missing(scan, None, required),
                ]
            )
        missing = match.missing(columns)
        raise FileRejected([_missing_issue(missing), *explain_missing(scan, match, missing)])
    return match


def _header_texts(source: RowSource, match: HeaderMatch) -> dict[str, str]:
    """Spec name → the header text as written (the lower row of a two-row header first)."""
    headers = {}
    for name, index in match.positions.items():
        texts = [source.scan[match.last_row - k][index] for k in range(match.rows_used)]
        headers[name] = next((str(t) for t in texts if not _blank(t)), name)
    return headers


def _reader(columns: Sequence[Column]) -> CellReader:
    """The file's one reader: each distinct value is read once, whichever sheet it is on."""
    return CellReader({c.name: c for c in columns})


def _read_rows(
    source: RowSource,
    match: HeaderMatch,
    reader: CellReader,
    max_rows: int,
    table: Table,
    sheet: str | None = None,
) -> int:
    """Add the data rows under ``match`` to ``table`` (``max_rows`` counts the rows already
    there), read through the file's ``reader``; returns how many were in an old font encoding."""
    legacy_rows = blank_rows = 0
    first = match.last_row + 2  # the spreadsheet's number of the row under the header
    width = max(match.positions.values()) + 1  # the columns right of the header's are not read
    # Data rows up to the limit and empty rows up to theirs; the row after both raises below.
    budget = max_rows - len(table.rows) + MAX_BLANK_ROWS + 1
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
        parsed, legacy = reader.row(number, picked, table.issues, sheet)
        legacy_rows += legacy
        table.rows.append(SheetRow(number, parsed, sheet))
    return legacy_rows


def _check_rows(table: Table, legacy_rows: int) -> None:
    """Refuse a table without rows, or mostly in an old font encoding."""
    if not table.rows:
        raise FileRejected.one(NO_ROWS)
    if legacy_rows and legacy_rows >= LEGACY_SHARE * len(table.rows):
        row_issues = [i for i in table.issues if i.message == LEGACY_CELL][:20]
        raise FileRejected([ImportIssue(None, "", LEGACY_FILE), *row_issues])


def _missing_issue(missing: Sequence[Column]) -> ImportIssue:
    # The labels are msgids too: a list parameter is translated item by item.
    return ImportIssue(None, "", MISSING, {"columns": [c.label for c in missing]})


__all__ = ["Column", "FileRejected", "ImportIssue", "RawCell", "SheetRead", "SheetRow", "Table"]
__all__ += ["FORMULA", "LEGACY_CELL", "header_key"]
__all__ += ["check_size", "check_unzipped", "count", "mb", "read_table", "sniff_delimiter"]
