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


def document_table(halls: list[HallPart]) -> Table:
    """The section for the PDF and the Word file: the channels workbook's columns and rows
    (``parent_sheet.hall_table``), under the page's heading and its note, in Vietnamese."""
    table = hall_table(halls)
    return Table(in_vietnamese(HEADING), table.columns, table.rows, in_vietnamese(NOT_ADDED))


def workbook_tables(halls: list[HallPart]) -> list[Table]:
    """The monthly workbook's sheet of the halls (the channels workbook's), when there are any."""
    return [hall_table(halls)] if halls else []
