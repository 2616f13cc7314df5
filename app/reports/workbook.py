"""The comparison as an Excel workbook (one sheet per view) and as CSV, from one set of tables.

A post's people reached (``app.post_reach``) has a column of its own beside the reach (a post's
views): per event "Số người tiếp cận", per channel, month or commune the posts' reach added up
("Tổng lượt tiếp cận của các bài đăng"), empty for every other channel. It is the figure the
channels page shows (``Figures.post_reach``), and stays when no post's reach was read in the
period (every row empty, as the page shows none): "not read" is not 0, and a sheet whose columns
moved from one month to the next would put figures under the wrong header for whoever copies
them into a sheet of their own (the paper, read once, leaves it out: ``pdf.hidden``).

Headers are Vietnamese; counts and money are numbers formatted ``#,##0`` (Excel shows the
thousands separator of the reader's locale: 1.700 on a Vietnamese Windows), a split credit
``#,##0.00``; conversion is a percentage; days and months are real dates (dd/mm/yyyy, mm/yyyy).
Text that comes from users (event titles, notes) never runs as a formula: the CSV quotes it
(``app.exports.safe_cell``), the workbook writes it as a text cell (``app.exports.text_cell``).

Each sheet's head says what the printed month says: the title, then when the figures were read
("Số liệu tính đến …", ``letterhead.taken_line``) and the sheet's note (which enrolments it
counts), then the column headers on row ``HEADER_ROW``. The CSV stays one header row and data,
so that tools read it as they did: the moment of reading is its last column, the same on each row.

The table by channel ends, in every file as on the page, with the all-channels line
(``totals_row``): the figures of ``ChannelReport.totals``, the page's own, never added up again
here; its ratios are those of the summed parts, empty where a denominator is 0 (never averaged
over the channels); its reach and the posts' reach stay empty (different units, not people).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from app.exports import excel_csv_text, keep_as_text, new_workbook, text_cell, workbook_bytes
from app.labels import REPORT_COLUMN, in_vietnamese, reach_word, report_column
from app.reports.facts import REACH_KIND, ChannelReport, Figures
from app.reports.letterhead import cost_line, office_name, planned_line, taken_line
from app.reports.scope_words import enrolment_scope_line
from app.reports.still_live import live_line, of_report
from app.timeparse import VN
from dashboards.theme import WORDS as VI_WORDS

# The figure columns: a key of ``app.labels.REPORT_COLUMN`` (the page's words) or, for the
# interval only the workbook carries, the header itself.
FIGURE_HEADERS = ("events", "reach", "reach_kind", "post_reach_sum", "interactions",
                  "identified", "enrolments", "conversion", "Cận dưới 95%", "Cận trên 95%",
                  "cost_vnd", "cost_per_enrolment")  # fmt: skip
# number_format of each figure column, in FIGURE_HEADERS order ("" for text).
# Whole numbers "#,##0" (never "#,##0.##", which Excel shows "2." for 2); a credit split between
# events (2,5 enrolments) is written "#,##0.00" cell by cell.
FIGURE_FORMATS = ("#,##0", "#,##0", "", "#,##0", "#,##0", "#,##0", "#,##0", "0.0%", "0.0%",
                  "0.0%", "#,##0", "#,##0")  # fmt: skip
COUNT = "#,##0"
DECIMAL = "#,##0.00"
HEADER_ROW = 3  # the title, the line of when and what, then the headers
TAKEN_COLUMN = "Số liệu tính đến"  # the CSV's last column: when the figures were read


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str = ""  # "" text; "dd/mm/yyyy" etc. for dates
    width: int = 14


@dataclass
class Table:
    """One view of the report: a sheet in the workbook, or the whole CSV."""

    name: str
    columns: list[Column]
    rows: list[list[Any]]
    note: str = ""  # said under the title, after when the figures were read
    totals: list[Any] | None = None  # the line under the rows (the all-channels line), if any


def _channel(code: str) -> str:
    """A channel as the charts name it in Vietnamese: the workbook goes upward in Vietnamese."""
    return VI_WORDS[f"channel.{code}"]


def _reach(kind: str) -> str:
    return reach_word(kind, vietnamese=True)  # the page's words (app.labels), in Vietnamese


def figure_cells(fig: Figures, reach_words: dict[str, str] | None = None) -> list[Any]:
    """A group's figure cells; ``reach_words``: the reach kinds' words, read once per file."""
    d = fig.as_dict()
    ci = d["conversion_ci"] or [None, None]
    enrolments = d["enrolments"]
    if enrolments is not None and float(enrolments).is_integer():
        enrolments = int(enrolments)
    # The posts' reach added up sits beside their views, empty for every other channel.
    kind = d["reach_kind"]
    words = reach_words[kind] if reach_words is not None else _reach(kind)
    return [d["events"], d["reach"], words, d["post_reach"],
            d["interactions"], d["identified"], enrolments, d["conversion"], ci[0], ci[1],
            d["cost_vnd"], d["cost_per_enrolment"]]  # fmt: skip


def _header(key: str) -> str:
    return report_column(key) if key in REPORT_COLUMN else key


def _figure_columns() -> list[Column]:
    return [Column(_header(h), f, 16) for h, f in zip(FIGURE_HEADERS, FIGURE_FORMATS, strict=True)]


def tables(report: ChannelReport) -> list[Table]:
    channel = Column(report_column("channel"), width=22)
    province = report_column("province_level")
    # Each label put in Vietnamese once per file, not once per row (a month holds 1,700 events).
    reach = {kind: _reach(kind) for kind in set(REACH_KIND.values())}
    not_held = in_vietnamese(_l("not held yet"))
    # A livestream or conference under way: its figures are the latest read, not final.
    live = of_report(report).event_ids if report.per_event else frozenset()
    still = in_vietnamese(_l("still live"))
    by_channel = Table(
        "Theo kênh",
        [channel, *_figure_columns()],
        [[_channel(f.channel), *figure_cells(f, reach)] for f in report.by_channel()],
    )
    by_channel.totals = totals_row(report, by_channel)
    by_month = Table(
        "Theo tháng",
        [Column("Tháng", "mm/yyyy", 10), channel, *_figure_columns()],
        [[m, _channel(f.channel), *figure_cells(f, reach)] for m, f in report.by_month()],
    )
    by_commune = Table(
        "Theo xã",
        [
            Column("Mã xã", "@", 8),
            Column(report_column("commune"), width=28),
            channel,
            *_figure_columns(),
        ],  # fmt: skip
        [
            [
                code or "",
                name or province,
                _channel(f.channel),
                *figure_cells(f, reach),
            ]  # fmt: skip
            for code, name, f in report.by_commune()
        ],
    )
    events = Table(
        "Theo hoạt động",
        [
            Column(report_column("date"), "dd/mm/yyyy", 12),
            channel,
            Column(report_column("title"), width=40),
            Column(report_column("commune"), width=24),
            Column(report_column("reach"), COUNT),
            Column(report_column("reach_kind")),
            Column(report_column("post_reach"), COUNT),
            Column(report_column("interactions"), COUNT),
            Column(report_column("identified"), COUNT),
            Column(report_column("enrolments"), COUNT),
            Column(report_column("cost_vnd"), COUNT),
            Column(report_column("note"), width=18),
        ],  # fmt: skip
        [
            [
                f.day,
                _channel(f.channel),
                f.title,
                f.commune_name or province,
                # An event still ahead has no audience and no cost spent yet: its number cells
                # are empty (never text: the columns stay numbers to add up and filter) and its
                # note says why, in the page's words.
                None if f.planned else f.reach,
                reach[f.reach_kind],
                f.post_reach,  # a post's people reached; empty for other channels and unread
                None if f.planned else f.interactions,
                None if f.offline else f.identified_count,
                None if f.offline else _number(f.enrolments),
                None if f.planned else f.cost_vnd,
                not_held if f.planned else (still if f.event_id in live else None),
            ]  # fmt: skip
            for f in report.events()
        ],
    )
    scope = enrolment_scope_line(report.filter.scheme)
    for table in (by_channel, by_month, by_commune, events):
        table.note = scope
    return [by_channel, by_month, by_commune, events]


def totals_row(report: ChannelReport, table: Table) -> list[Any]:
    """The "all channels" line under ``table`` (by channel), in its columns: the page's figures
    (``report.totals()``, the figures that may be added across channels), nothing else: the
    interval and the posts' reach are left empty, the reach says why it is not added up."""
    totals = report.totals()
    by_key = {
        "channel": report_column("all_channels"),
        "events": totals["events"],
        "reach": None,  # "—", as on the page
        "reach_kind": report_column("reach_not_added"),
        "interactions": totals["interactions"],
        "identified": totals["identified"],
        "enrolments": _number(totals["enrolments"]),
        "conversion": totals["conversion"],  # None when nobody was identified
        "cost_vnd": totals["cost_vnd"],
        "cost_per_enrolment": totals["cost_per_enrolment"],  # None without an enrolment
    }
    by_header = {report_column(key): value for key, value in by_key.items()}
    return [by_header.get(c.header) for c in table.columns]


def cell_format(value: Any, number_format: str) -> str:
    """The column's format, or two decimals for a fraction in a column of whole numbers."""
    if number_format == COUNT and isinstance(value, float) and not value.is_integer():
        return DECIMAL
    return number_format


def _number(value: float) -> int | float:
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value


def describe(report: ChannelReport) -> str:
    """The report's title line: unit, period and campaign, in Vietnamese."""
    f = report.filter
    parts = [f"Báo cáo so sánh kênh truyền thông — {f.unit.name}"]
    if f.start or f.end:
        start = f.start.strftime("%d/%m/%Y") if f.start else "…"
        end = f.end.strftime("%d/%m/%Y") if f.end else "…"
        parts.append(f"từ {start} đến {end}")
    if f.campaign:
        parts.append(f"chiến dịch {f.campaign.name}")
    return ", ".join(parts)


def channels_workbook(report: ChannelReport, extra: Sequence[Table] = ()) -> bytes:
    """The report's sheets, then ``extra`` ones (the monthly build adds its livestreams)."""
    sheets = tables(report)
    lines = [[line] for line in (live_line(of_report(report)), planned_line(report),
                                 cost_line(report)) if line]  # fmt: skip
    # Under the table by channel's totals, as the printed month says it; a cost not entered is
    # an empty cell (never 0), and the cost line says what the sums leave out.
    after = {sheets[0].name: [[], *lines]} if lines else {}
    return tables_workbook(
        describe(report), taken_line(report), [*sheets, *extra], after,
        office=office_name(report.filter.unit),
    )  # fmt: skip


def tables_workbook(
    title: str,
    taken: str,
    sheets: Sequence[Table],
    after: dict[str, list[list[Any]]] | None = None,
    *,
    office: str,
) -> bytes:
    """One sheet per table: ``title`` on top, then when the figures were read (``taken``) and the
    table's note, the bold headers on row ``HEADER_ROW``, the rows, its totals in bold, then the
    lines of ``after`` given for its name. The file's properties: ``title``, made by ``office``.

    Written row by row (openpyxl's write-only mode): a month's sheet of 1,700 events is not held
    as cell objects, sorted and walked again at save. A cell is an object only where it carries a
    style (a title, a header, a number format)."""
    book = new_workbook(title, office, write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for table in sheets:
        sheet = book.create_sheet(table.name)
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        heading = _text(sheet, title)
        heading.font = Font(bold=True, size=13)
        sheet.append([heading])
        info = _text(sheet, " · ".join(t for t in (taken, table.note) if t))
        info.font = Font(italic=True)
        sheet.append([info])
        headers = []
        for column in table.columns:
            cell = _text(sheet, column.header)
            cell.font, cell.alignment = bold, wrap
            headers.append(cell)
        sheet.append(headers)
        formats = [c.number_format for c in table.columns]
        styles: Styles = {}
        for row in table.rows:
            sheet.append([_value(sheet, v, f, styles) for v, f in zip(row, formats, strict=True)])
        if table.totals is not None:  # the page's all-channels line, in bold as its <tfoot>
            line = [_cell(sheet, v, f) if f else _text(sheet, v)
                    for v, f in zip(table.totals, formats, strict=True)]  # fmt: skip
            for cell in line:
                cell.font = bold
            sheet.append(line)
        for line in (after or {}).get(table.name, []):
            sheet.append([text_cell(sheet, v) for v in line])
    return workbook_bytes(book)


@dataclass(frozen=True)
class Formatted:
    """A value with a format of its own, in a column whose rows differ (a sheet of figures and
    their labels: a count, a share, a day)."""

    value: Any
    number_format: str = ""  # "" text
    bold: bool = False  # a total, or a caption over lines of its own
    wrap: bool = False  # words longer than their column, beside a figure they may not run over


def _value(sheet: Any, value: Any, number_format: str, styles: Styles | None = None) -> Any:
    if isinstance(value, Formatted):
        cell = _cell(sheet, value.value, value.number_format)
        if value.bold:
            cell.font = Font(bold=True)
        if value.wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    return _cell(sheet, value, number_format, styles) if number_format else text_cell(sheet, value)


# The style of each number format, made once per sheet: setting a cell's format looks the format
# up in the workbook's table each time, 20,000 times for a province's month.
Styles = dict[str, StyleArray]


def _cell(
    sheet: Any, value: Any, number_format: str, styles: Styles | None = None
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    if number_format:
        number_format = cell_format(value, number_format)
        if styles is None or (style := styles.get(number_format)) is None:
            cell.number_format = number_format
            if styles is not None:
                styles[number_format] = StyleArray(cell._style)
        else:
            cell._style = StyleArray(style)
    if cell.data_type == "f":  # user text that looks like a formula stays text
        keep_as_text(cell)
    return cell


def _text(sheet: Any, value: Any) -> WriteOnlyCell:
    """A cell of ``value`` to be styled (a title, a header, a total's words)."""
    return _cell(sheet, value, "")


CSV_VIEWS = ("channels", "month", "commune", "event")


def channels_csv(report: ChannelReport, view: str = "channels") -> str:
    """One view as a CSV for Excel set to Vietnamese (``app.exports.excel_csv_text``): months
    mm/yyyy and days dd/mm/yyyy as the workbook shows them, numbers with a decimal comma."""
    return table_csv(tables(report)[CSV_VIEWS.index(view)], report)


def table_csv(table: Table, report: ChannelReport) -> str:
    """``table`` as a CSV with a last column saying when ``report``'s figures were read
    (dd/mm/yyyy HH:MM, Vietnam time, as Excel reads a moment)."""
    at = report.taken_at.astimezone(VN).replace(tzinfo=None) if report.taken_at else None
    months = {i for i, c in enumerate(table.columns) if c.number_format == "mm/yyyy"}
    rows: Sequence[Sequence[Any]] = [
        [*(v.strftime("%m/%Y") if i in months and isinstance(v, date) else v
           for i, v in enumerate(row)), at]
        for row in [*table.rows, *([table.totals] if table.totals is not None else [])]
    ]  # fmt: skip
    return excel_csv_text([*(c.header for c in table.columns), TAKEN_COLUMN], rows)
