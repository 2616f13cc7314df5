"""Attendees a sheet imports without their answer to the purpose text, told once for the file.

A row without a "Đồng ý" answer is imported as not asked, and nobody not asked is called or
matched with enrolments. A sheet with no such column at all imports every row that way; one
whose column is left empty on some rows, those rows. Either is a file-level warning (row None)
with the count of people concerned, on the preview and after the import: the import still goes
through, but the user learns it before the follow-up page shows them as not asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from app.sheets.issues import ImportIssue, _l, count
from app.sheets.reader import Table

FIELD = "consent"
NO_COLUMN = _l(
    "The file has no Đồng ý liên hệ (consent) column: %(num)s people are imported but were not "
    "asked, so they will not be on the list to call. Add a column 'Đồng ý' (Có/Không) if they "
    "were asked."
)
EMPTY_CELLS = _l(
    "The Đồng ý (consent) column is empty on %(num)s rows: these people are imported but were "
    "not asked, so they will not be on the list to call."
)


class Imported(Protocol):
    """A row that is (or would be) imported: its cells as read and its sheet."""

    values: dict[str, object]
    sheet: str | None


def not_asked(table: Table, rows: Iterable[Imported]) -> list[ImportIssue]:
    """The file-level warnings for ``rows`` (those imported) that carry no answer: one for the
    rows of sheets without the column, one for the rows that leave it empty; none when every
    row answers."""
    without = {s.name for s in table.sheets if FIELD not in s.headers}
    if not table.sheets and FIELD not in table.headers:  # a CSV: its one header line
        without = {None}
    no_column = empty = 0
    for row in rows:
        if row.values.get(FIELD) is not None:
            continue
        if _sheet_name(table, row.sheet) in without:
            no_column += 1
        else:
            empty += 1
    warnings = []
    if no_column:
        warnings.append(ImportIssue(None, FIELD, NO_COLUMN, {"num": count(no_column)}))
    if empty:
        warnings.append(ImportIssue(None, FIELD, EMPTY_CELLS, {"num": count(empty)}))
    return warnings


def _sheet_name(table: Table, sheet: str | None) -> str | None:
    """The name the row's sheet has in ``table.sheets`` (a workbook of one sheet leaves the
    rows unnamed: that sheet is the one)."""
    if sheet is None and len(table.sheets) == 1:
        return table.sheets[0].name
    return sheet
