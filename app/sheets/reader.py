"""Reading an uploaded XLSX or CSV into numbered rows keyed by a column spec.

``read_table(data, filename, columns)`` is the whole API: it refuses a file that cannot be
imported at all with ``FileRejected`` (too large, not a spreadsheet, legacy encoding, missing
columns, no rows), and otherwise returns every non-empty row under its spreadsheet row number,
with the cell-level issues found on the way (formulas, unparsable cells, garbled text). What the
values mean is the caller's business: attendee sheets and enrolment exports pass their own specs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.identity.encodings import looks_legacy
from app.sheets import cells
from app.sheets.decoding import UndecodableText, decode_text
from app.sheets.headers import HEADER_SCAN_ROWS, CellError, Column, find_header, header_key
from app.sheets.issues import FileRejected, ImportIssue, _l

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 5_000
MAX_COLUMNS = 200
DELIMITERS = (",", ";", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
LEGACY_SHARE = 0.2  # this share of rows in an old font encoding rejects the whole file

TOO_LARGE = _l("The file is %(size)s MB; the limit is %(limit)s MB.")
EMPTY = _l("The file is empty.")
OLD_XLS = _l("Old .xls workbooks cannot be read: save the file as .xlsx or CSV.")
BAD_XLSX = _l("The workbook cannot be read; save it again as .xlsx or CSV.")
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


@dataclass(frozen=True)
class RawCell:
    value: Any
    formula: bool = False


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


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
) -> Table:
    """The file's rows under ``columns``; raises FileRejected when nothing can be imported."""
    check_size(len(data), max_bytes)
    if not data.strip():
        raise FileRejected.one(EMPTY)
    sha256 = hashlib.sha256(data).hexdigest()
    if data.startswith(OLE_MAGIC):
        raise FileRejected.one(OLD_XLS)
    if data.startswith(ZIP_MAGIC):
        sheet, raw = _xlsx_rows(data, columns)
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
        kind, sheet, raw = "csv", None, _csv_rows(text)
    table = _table(raw, columns, max_rows)
    table.filename, table.sha256, table.kind = filename, sha256, kind
    table.encoding, table.sheet = encoding, sheet
    return table


def _csv_rows(text: str) -> list[list[RawCell]]:
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[RawCell(v, v.startswith("=")) for v in row[:MAX_COLUMNS]] for row in reader]


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


def _xlsx_rows(data: bytes, columns: Sequence[Column]) -> tuple[str, list[list[RawCell]]]:
    """The rows of the first sheet with a recognisable header (the active sheet is tried first)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileRejected.one(BAD_XLSX) from exc
    try:
        sheets = list(workbook.worksheets)
        active = workbook.active
        if active in sheets:
            sheets.remove(active)
            sheets.insert(0, active)
        first: tuple[str, list[list[RawCell]]] | None = None
        for sheet in sheets:
            rows = list(_sheet_rows(sheet))
            if first is None:
                first = (sheet.title, rows)
            if find_header([[c.value for c in r] for r in rows], columns):
                return sheet.title, rows
        return first or ("", [])
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileRejected.one(BAD_XLSX) from exc
    finally:
        workbook.close()


def _sheet_rows(sheet: Any) -> Iterator[list[RawCell]]:
    for row in sheet.iter_rows(max_col=MAX_COLUMNS):
        out = []
        for cell in row:
            value = getattr(cell, "value", None)
            formula = getattr(cell, "data_type", None) == "f" or (
                isinstance(value, str) and value.startswith("=")
            )
            out.append(RawCell(value, formula))
        yield out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(raw: list[list[RawCell]], columns: Sequence[Column], max_rows: int) -> Table:
    values = [[c.value for c in row] for row in raw]
    scan = values[:HEADER_SCAN_ROWS]
    legacy_header = any(isinstance(v, str) and looks_legacy(v) for row in scan for v in row)
    match = find_header(values, columns)
    if match is None or match.missing(columns):
        if legacy_header:
            raise FileRejected.one(LEGACY_FILE)
        if match is None:
            if not any(not _blank(v) for row in values for v in row):
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
        texts = [values[match.last_row - k][index] for k in range(match.rows_used)]
        headers[name] = next((str(t) for t in texts if not _blank(t)), name)
    table = Table("", "", "", None, None, match.last_row + 1, headers)
    by_name = {c.name: c for c in columns}
    legacy_rows = 0
    for offset, row in enumerate(raw[match.last_row + 1 :]):
        number = match.last_row + 2 + offset
        picked = {n: row[i] if i < len(row) else RawCell(None) for n, i in match.positions.items()}
        if all(_blank(c.value) for c in picked.values()):
            continue
        if len(table.rows) >= max_rows:
            raise FileRejected.one(TOO_MANY_ROWS, limit=f"{max_rows:,}".replace(",", "."))
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


__all__ = ["Column", "FileRejected", "ImportIssue", "SheetRow", "Table", "header_key"]
__all__ += ["check_size", "read_table", "sniff_delimiter"]
