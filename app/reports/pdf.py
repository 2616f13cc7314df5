"""The month's report as a PDF, for offices that send a file upward rather than a printout.

Drawn with fpdf2 from the same tables as the workbook (``workbook.tables``), so the PDF, the
Excel file and the printed page cannot disagree. Vietnamese needs a Unicode TrueType font: DejaVu
Sans Condensed is shipped in ``fonts/`` (Bitstream Vera licence) so no machine needs a font
package. Numbers are written the Vietnamese way (1.700; 12,5 %), dates dd/mm/yyyy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from fpdf import FPDF
from fpdf.fonts import FontFace

from app.formatting import fmt_percent
from app.labels import ATTRIBUTION_MODEL, month_label, report_column, vi_label
from app.reports import month_parent, month_section
from app.reports.facts import ChannelReport
from app.reports.letterhead import (
    cost_line,
    month_letterhead,
    planned_line,
    post_reach_line,
    taken_line,
)
from app.reports.parent_part import HallPart
from app.reports.pdf_letterhead import SIGNATURES_HEIGHT, draw_letterhead, draw_signatures
from app.reports.scope_words import enrolment_scope_line
from app.reports.still_live import live_line, of_report
from app.reports.workbook import Table, describe, tables
from app.timeparse import VN

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSansCondensed"
# The interval belongs to the workbook, not the paper; so does the posts' reach column, mostly
# empty on a page already wide, said in a line under the table instead (``post_reach_line``).
INTERVAL = {"Cận dưới 95%", "Cận trên 95%"}


def hidden() -> set[str]:
    """The headers of the workbook's columns the paper leaves out (in Vietnamese, read in the
    app's context)."""
    return {*INTERVAL, report_column("post_reach_sum")}


HEADING = FontFace(emphasis="BOLD", fill_color=(232, 238, 245))
PADDING = 0.8  # mm inside each cell
SECTION_GAP = 4  # mm under a section
# The rows a table carries over to the signatures' page when they would not fit under it: two,
# not one, so that the last page does not hold a lone line over the signatures.
CARRIED = 2
# The by-commune table's columns on the screen (reports/channels.html, _month_document.html):
# the paper shows these and no more (no code, interactions, conversion or cost per enrolment).
COMMUNE_COLUMNS = ("commune", "channel", "events", "reach", "reach_kind", "identified",
                   "enrolments", "cost_vnd")  # fmt: skip


def cell_text(value: Any, number_format: str) -> str:
    """One workbook value written as the printed page shows it."""
    if value is None:
        return "—"
    if isinstance(value, datetime | date):
        return value.strftime("%m/%Y" if number_format == "mm/yyyy" else "%d/%m/%Y")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if number_format.endswith("%"):
            return fmt_percent(value, "vi")  # as the page writes it
        if number_format in ("@", "0", ""):
            return str(value)
        return format_decimal(value, "#,##0.##", locale="vi")
    return str(value)


class MonthPdf(FPDF):
    """A4 landscape with the title on every page and "Trang x/y" at the foot."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report_title = title
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSansCondensed.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSansCondensed-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=14)
        self.set_margins(12, 12, 12)
        self.set_title(title)
        self.set_creator("Lan Tỏa")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FAMILY, size=7)
        self.cell(0, 5, f"{self.report_title} — Trang {self.page_no()}/{{nb}}", align="R")


def _visible(table: Table) -> tuple[list[int], list[str], list[str]]:
    leave_out = hidden()
    keep = [i for i, c in enumerate(table.columns) if c.header not in leave_out]
    return (
        keep,
        [table.columns[i].header for i in keep],
        [table.columns[i].number_format for i in keep],
    )


def _widths(pdf: MonthPdf, table: Table, keep: list[int], formats: list[str]) -> list[float]:
    """Column widths in mm across the page: a date column is never narrower than its widest
    date (a wrapped "24/11/202" / "6" reads as two numbers); the others share what is left."""
    scale = pdf.epw / sum(max(8, table.columns[i].width) for i in keep)
    widths = [max(8, table.columns[i].width) * scale for i in keep]
    fixed: dict[int, float] = {}
    for n, i in enumerate(keep):
        if "yyyy" in formats[n]:
            texts = [cell_text(row[i], formats[n]) for row in table.rows] or ["00/00/0000"]
            fixed[n] = max(pdf.get_string_width(t) for t in texts) + 2 * PADDING + 1.5
    if fixed:
        free = pdf.epw - sum(fixed.values())
        rest = sum(w for n, w in enumerate(widths) if n not in fixed)
        widths = [fixed.get(n, w * free / rest) for n, w in enumerate(widths)]
    return widths


def _table(pdf: MonthPdf, table: Table, rows: list[list[Any]]) -> None:
    keep, headers, formats = _visible(table)
    pdf.set_font(FAMILY, size=7.5)
    align = ["LEFT" if f in ("", "@") else "RIGHT" for f in formats]
    with pdf.table(
        col_widths=_widths(pdf, table, keep, formats),
        width=pdf.epw,
        text_align=align,
        headings_style=HEADING,
        line_height=4.2,
        repeat_headings=1,
        padding=PADDING,
    ) as grid:
        grid.row(headers)
        for row in rows:
            grid.row([cell_text(row[i], formats[n]) for n, i in enumerate(keep)])


def _heading(pdf: MonthPdf, heading: str, note: str) -> None:
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
    if note:  # what the section is not (its figures not in the totals above)
        pdf.set_font(FAMILY, size=8.5)
        pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")


def _room_after(pdf: MonthPdf, heading: str, table: Table, note: str, rows: list) -> float:
    """The height in mm left on the page under the whole section, drawn on trial."""
    with pdf.offset_rendering() as trial:
        _heading(trial, heading, note)
        _table(trial, table, rows)
        room = trial.page_break_trigger - trial.get_y()
    return room


def draw_section(
    pdf: MonthPdf, heading: str, table: Table, note: str = "", keep_with: float = 0
) -> None:
    """A heading over its table. ``keep_with``: the height in mm (the signatures) that must
    follow the table on its page; when it would not fit, the table's last ``CARRIED`` rows go
    over to the next page under the column headings (the whole section when it has no more),
    so that what follows never stands alone on a page."""
    rows = [*table.rows, *([table.totals] if table.totals is not None else [])]
    # A heading never ends a page without its table: if the heading, the header row and the
    # first row would not fit together, the heading starts the next page.
    with pdf.offset_rendering() as trial:
        _heading(trial, heading, note)
        _table(trial, table, rows[:1])
    if trial.page_break_triggered:
        pdf.add_page()
    kept = len(rows)
    if keep_with and _room_after(pdf, heading, table, note, rows) < keep_with + SECTION_GAP:
        kept = len(rows) - CARRIED
        if kept <= 0:  # too short to part: the whole section goes over
            pdf.add_page()
            kept = len(rows)
    _heading(pdf, heading, note)
    _table(pdf, table, rows[:kept])
    if kept < len(rows):
        pdf.add_page()
        _table(pdf, table, rows[kept:])
    pdf.ln(SECTION_GAP)


def _words_section(pdf: MonthPdf, heading: str, words: str, keep_with: float = 0) -> None:
    """A heading over a sentence instead of a table; with ``keep_with`` as ``draw_section``."""
    if keep_with:
        with pdf.offset_rendering() as trial:
            _heading(trial, heading, words)
            room = trial.page_break_trigger - trial.get_y()
        if trial.page_break_triggered or room < keep_with + SECTION_GAP:
            pdf.add_page()
    _heading(pdf, heading, words)
    pdf.ln(SECTION_GAP)


def month_pdf(
    report: ChannelReport, period: str, number: str | None = None, *, halls: Sequence[HallPart]
) -> bytes:
    """The printed month (letterhead; when the figures were read and which enrolments they
    count; by channel with its totals, then by commune in the screen's columns; a commune's
    halls at events of the units above, beside those totals; signatures) as PDF bytes;
    ``number`` fills the "Số: …" line."""
    title = describe(report)
    head = month_letterhead(report, period, datetime.now(VN).date(), number)
    pdf = MonthPdf(title)
    pdf.add_page()
    draw_letterhead(pdf, FAMILY, head)
    pdf.set_font(FAMILY, size=8.5)
    pdf.multi_cell(0, 5, title, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        6,
        f"Tháng {month_label(period)} · {attribution_line(report)}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(0, 6, taken_line(report), new_x="LMARGIN", new_y="NEXT")
    scope = enrolment_scope_line(report.filter.scheme)  # as the page says it
    pdf.multi_cell(0, 5, scope, new_x="LMARGIN", new_y="NEXT")
    by_channel, _, by_commune, _ = tables(report)
    draw_section(pdf, "Theo kênh", by_channel)  # its all-channels line (``totals_row``) last
    lines = (live_line(of_report(report)), planned_line(report), cost_line(report),
             post_reach_line(report))  # fmt: skip
    for line in lines:
        if line:
            pdf.set_font(FAMILY, size=8.5)
            pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    # What follows the channels, in order; the last keeps its last rows with the signatures.
    sections = []
    if by_commune.rows:
        sections.append(("Theo xã/phường", screen_columns(by_commune, COMMUNE_COLUMNS), ""))
    if halls:
        part = month_parent.document_table(list(halls))
        sections.append((part.name, part, part.note))
    livestreams = month_section.pdf_table(report.filter)
    if livestreams.rows:
        sections.append((livestreams.name, livestreams, ""))
    if not by_commune.rows:  # the page's sentence, not a table of headers alone
        words = month_parent.communes_empty_words(list(halls))
        _words_section(pdf, "Theo xã/phường", words, 0 if sections else SIGNATURES_HEIGHT)
    for index, (heading, table, note) in enumerate(sections):
        last = index == len(sections) - 1
        draw_section(pdf, heading, table, note, SIGNATURES_HEIGHT if last else 0)
    draw_signatures(pdf, FAMILY, head)
    return bytes(pdf.output())


def screen_columns(table: Table, keys: tuple[str, ...]) -> Table:
    """``table`` with only the columns the screen shows (``keys`` of ``labels.REPORT_COLUMN``),
    in that order, so the paper says what the page says."""
    index = {c.header: i for i, c in enumerate(table.columns)}
    keep = [index[report_column(key)] for key in keys]
    return Table(
        table.name,
        [table.columns[i] for i in keep],
        [[row[i] for i in keep] for row in table.rows],
        table.note,
        None if table.totals is None else [table.totals[i] for i in keep],
    )


def attribution_line(report: ChannelReport) -> str:
    """How enrolments were credited, in the monthly page's words ("Cách ghi nhận", "cửa sổ …
    ngày"), for the PDF and the Word file."""
    f = report.filter
    return f"Cách ghi nhận: {vi_label(ATTRIBUTION_MODEL, f.model)} · cửa sổ {f.window_days} ngày"
