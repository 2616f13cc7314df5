"""A commune's part in the events of the units above it (``parent_part``) in the channels
report's files: a sheet of its workbook and a CSV view of its own.

The page shows the section on a commune's report only, so the files carry it for a commune only
(an empty sheet when it had no hall in the period, as the page's empty table). Its figures stay
beside the report: no other sheet's total takes them, and the sheet's note says so.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.halls.unusual import unsure_words
from app.labels import REPORT_CHANNEL, in_vietnamese, report_column, vi_label
from app.models import OrgKind, User
from app.reports.facts import ChannelReport
from app.reports.parent_part import NOT_HELD, HallPart, parent_halls
from app.reports.workbook import COUNT, Column, Table

SHEET = "Điểm cầu tại sự kiện cấp trên"  # sheet names: at most 31 characters, no "/"
CSV_VIEW = "halls"
NOT_ADDED = _l(
    "These events are counted under the unit that organised them. This sheet is the commune's "
    "part in them: it is not added to the totals of the other sheets."
)


def hall_table(halls: list[HallPart]) -> Table:
    """The page's columns and rows, in Vietnamese; titles and unit names made spreadsheet-safe.
    An unusual head count has the page's words beside it (``unsure_words``), in Vietnamese. A
    hall at an event not held yet has empty number cells, never text in them: the last column,
    a text one, says "chưa diễn ra" (``HallPart.note``)."""
    columns = [
        Column(report_column("date"), "dd/mm/yyyy", 12),
        Column(report_column("title"), width=40),
        Column(report_column("channel"), width=22),
        Column(report_column("organiser"), width=28),
        Column(report_column("head_count"), COUNT),
        Column(report_column("head_count_check"), width=26),
        Column(report_column("expected"), COUNT),
        Column(report_column("identified_at_hall"), COUNT),
        Column(report_column("enrolled_after"), COUNT),
        Column(report_column("note"), width=16),
    ]
    rows = [
        [h.day, h.title, vi_label(REPORT_CHANNEL, h.channel), h.organiser,
         h.head_count, in_vietnamese(LazyString(unsure_words, h.head_count, h.expected)),
         h.expected, h.identified, h.enrolled, "" if h.held else in_vietnamese(NOT_HELD)]
        for h in halls
    ]  # fmt: skip
    return Table(SHEET, columns, rows, in_vietnamese(NOT_ADDED))


def hall_tables(report: ChannelReport, user: User) -> list[Table]:
    """The sheet for a commune's report, none for another unit's (the page has no section)."""
    if report.filter.unit.kind != OrgKind.COMMUNE:
        return []
    return [hall_table(parent_halls(report.filter, user))]
