"""The monthly report's section of a commune's part in the events of the units above it.

The report counts an event under the unit that organised it, so a commune whose month was a
hall at the province's online conference read all zeros and "Không có hoạt động". This section
shows that hall with the channels report's figures (``parent_part.parent_halls``, read once per
request or build and handed to every form: the page, the printed file, the PDF, the Word file
and the workbook) beside the commune's own tables, never added to its totals: the province's
report already counts the conference's people once, under the province, and a figure added to
both would be counted twice by whoever sums the two. The printed forms carry the section only
when the commune had such a hall; a month with none reads as before.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.labels import in_vietnamese
from app.reports.parent_part import HallPart
from app.reports.parent_sheet import hall_table
from app.reports.workbook import Table

HEADING = _l("The commune's halls at events of the units above")
NOT_ADDED = _l(
    "These events are counted under the unit that organised them. The figures below are this "
    "commune's part in them and are not added to the totals above."
)


# What the by-commune table says when it has no row: a commune that only relayed the units
# above's events did organise nothing itself, which is not the same as an empty month.
OWN_NONE = _l(
    "The commune organised no activity of its own in this period; its halls at events of the "
    "units above are below."
)
NOTHING = _l("Nothing in this period.")


def communes_empty_words(halls: list[HallPart]) -> str:
    """The sentence the by-commune table reads when it has no row, as the page writes it."""
    return in_vietnamese(OWN_NONE if halls else NOTHING)


def document_table(halls: list[HallPart]) -> Table:
    """The section for the PDF and the Word file: the channels workbook's columns and rows
    (``parent_sheet.hall_table``), under the page's heading and its note, in Vietnamese. A
    text column empty on every row (no unusual count to check, every event held) is left out:
    on paper an empty column reads as a form left unfilled."""
    table = hall_table(halls)
    keep = [
        i
        for i, column in enumerate(table.columns)
        if column.number_format or any(row[i] not in (None, "") for row in table.rows)
    ]
    return Table(
        in_vietnamese(HEADING),
        [table.columns[i] for i in keep],
        [[row[i] for i in keep] for row in table.rows],
        in_vietnamese(NOT_ADDED),
    )


def workbook_tables(halls: list[HallPart]) -> list[Table]:
    """The monthly workbook's sheet of the halls (the channels workbook's), when there are any."""
    return [hall_table(halls)] if halls else []
