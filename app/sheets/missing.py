"""What a file refused for its columns is told besides which are missing.

"Missing columns: New or renewal." alone leaves the user guessing: did the reader see their
header at all, and what should the column be called? So the refusal also shows the header row
as it was read, and for each missing column the header names the reader accepts for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from app.sheets.headers import Column, HeaderMatch
from app.sheets.issues import ImportIssue, _l

HEADER_HAS = _l("The header row read (row %(row)s) has these columns: %(headers)s.")
HEADER_BLANK = _l("The header row read (row %(row)s) is empty.")
NAMED = _l("This column may be headed: %(names)s (capitals and accents do not matter).")
# The same of a workbook's sheet left unread: said beside the notice that names the sheet, where
# no Column cell names the column.
SHEET_HEADER_HAS = _l(
    "The header row read on sheet %(sheet)s (row %(row)s) has these columns: %(headers)s."
)
SHEET_HEADER_BLANK = _l("The header row read on sheet %(sheet)s (row %(row)s) is empty.")
SHEET_NAMED = _l(
    "The column %(column)s may be headed: %(names)s (capitals and accents do not matter)."
)
MAX_SHOWN = 40  # header cells listed; a sheet 200 columns wide is cut with "…"


def explain_missing(
    scan: Sequence[Sequence[Any]],
    match: HeaderMatch | None,
    missing: Sequence[Column],
    sheet: str | None = None,
) -> list[ImportIssue]:
    """The header row read (when one was found) and the accepted names of each missing column.

    Issues name the column by ``field`` so the report's Column cell shows its label. ``sheet``:
    the workbook's sheet left unread for them (the file read its other sheets); its issues name
    the sheet and the column in their words too, for they may be shown as notices alone."""
    issues: list[ImportIssue] = []
    where = {"sheet": sheet} if sheet is not None else {}
    if match is not None:
        texts = header_cells(scan, match)
        row = match.last_row + 1
        if texts:
            has = SHEET_HEADER_HAS if sheet is not None else HEADER_HAS
            params = {**where, "row": row, "headers": quoted(texts)}
            issues.append(ImportIssue(None, "", has, params, sheet=sheet))
        else:
            blank = SHEET_HEADER_BLANK if sheet is not None else HEADER_BLANK
            issues.append(ImportIssue(None, "", blank, {**where, "row": row}, sheet=sheet))
    for column in missing:
        names = {"names": quoted(a[:1].upper() + a[1:] for a in column.aliases)}
        if sheet is not None:
            params = {**where, "column": [column.label], **names}
            issues.append(ImportIssue(None, column.name, SHEET_NAMED, params, sheet=sheet))
        else:
            issues.append(ImportIssue(None, column.name, NAMED, names))
    return issues


def header_cells(scan: Sequence[Sequence[Any]], match: HeaderMatch) -> list[str]:
    """Each column's header text as written, left to right: the lower row of a two-row header
    first (as the columns are read), its group heading where the lower cell is blank."""
    rows = [scan[match.last_row - k] for k in range(match.rows_used)]
    width = max(len(r) for r in rows)
    texts = []
    for index in range(width):
        cells = [r[index] for r in rows if index < len(r)]
        text = next((str(c).strip() for c in cells if c is not None and str(c).strip()), "")
        if text:
            texts.append(" ".join(text.split()))
    return texts


def quoted(texts: Iterable[str]) -> str:
    """“Họ và tên”, “Năm sinh”, …: names as written, never translated (not msgids)."""
    items = [f"“{t}”" for t in texts]
    if len(items) > MAX_SHOWN:
        items = [*items[:MAX_SHOWN], "…"]
    return ", ".join(items)
