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
MAX_SHOWN = 40  # header cells listed; a sheet 200 columns wide is cut with "…"


def explain_missing(
    scan: Sequence[Sequence[Any]], match: HeaderMatch | None, missing: Sequence[Column]
) -> list[ImportIssue]:
    """The header row read (when one was found) and the accepted names of each missing column.

    Issues name the column by ``field`` so the report's Column cell shows its label."""
    issues: list[ImportIssue] = []
    if match is not None:
        texts = header_cells(scan, match)
        row = match.last_row + 1
        if texts:
            issues.append(ImportIssue(None, "", HEADER_HAS, {"row": row, "headers": quoted(texts)}))
        else:
            issues.append(ImportIssue(None, "", HEADER_BLANK, {"row": row}))
    for column in missing:
        names = [a[:1].upper() + a[1:] for a in column.aliases]
        issues.append(ImportIssue(None, column.name, NAMED, {"names": quoted(names)}))
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
