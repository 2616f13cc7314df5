"""The monthly report's section of finished livestreams: the page's rows and the PDF's table.

Each finished livestream of the report (its unit's subtree, month and campaign) with the figures
of the event page and its ratio to the median of its office's previous finished livestreams, for
views and interactions. The page goes through the catalog (``month_livestream_rows``, a template
global, so the printed month's route needs no change); the PDF, like the workbook, is written in
Vietnamese whatever the language.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l

from app.formatting import fmt_date, ratio_form, ratio_number
from app.labels import LIVESTREAM_METRIC, in_vietnamese, report_column, vi_label
from app.reports import bp
from app.reports.after_livestream import figure_cells, missing_note, ratio_text
from app.reports.facts import ReportFilter
from app.reports.livestream_compare import METRICS
from app.reports.livestreams import NOT_HELD, LivestreamComparison, month_livestreams
from app.reports.workbook import COUNT, Column, Table

RATIOS = ("views", "interactions")  # the figures whose ratio to the office's median is shown
# The files' headers are the page's (``app.labels``), in Vietnamese.
PDF_RATIOS = {"views": "views_vs_median", "interactions": "interactions_vs_median"}
HEADING = _l("Finished livestreams of the month")
SHEET = "Livestream đã kết thúc"  # sheet names: at most 31 characters
NOT_REPORTED = "chưa có"
NOT_HELD_YET = "chưa diễn ra"
# A ratio to the median in the workbook as on the page and the paper (``formatting.ratio_form``):
# "1,4 lần", one decimal; 0 as "0 lần"; a non-zero ratio below 0,05 "dưới 0,1 lần", never
# "0,0 lần". The cell holds the ratio itself, unrounded.
RATIO_FORMAT = '[=0]0" lần";[<0.05]"dưới 0,1 lần";#,##0.0" lần"'
# A livestream its office had none finished before: no median, so its ratios are a dash; the
# event page says why (events/_after_livestream.html), the month's note says it too.
NO_EARLIER_NOTE = _l("No earlier finished livestream of its office to compare with")


def month_note(c: LivestreamComparison, *, vietnamese: bool = False) -> str:
    """The row's note: why it has no figures or views (``missing_note``), and that nothing is
    compared when its office had no earlier finished livestream; "" when neither."""
    notes = [missing_note(c.current, views=True), "" if c.earlier else NO_EARLIER_NOTE]
    return "; ".join(in_vietnamese(n) if vietnamese else str(n) for n in notes if n)


def month_livestream_rows(f: ReportFilter) -> list[dict[str, Any]]:
    """The page's rows: day, title, unit, the figures and the ratios, as text."""
    return [
        {
            "event_id": c.current.event_id,
            "day": fmt_date(c.current.day),
            "title": c.current.title,
            "unit": c.current.org_unit_name,
            "cells": figure_cells(c.current),
            "ratios": [ratio_text(c.metric(m).ratio) for m in RATIOS],
            "earlier": len(c.earlier),
            "note": month_note(c),
        }
        for c in month_livestreams(f)
    ]


def _vi(value: float | None, metric: str, missing: str | None) -> str:
    if value is None:
        if missing == NOT_HELD:
            return NOT_HELD_YET
        return NOT_REPORTED if metric == "views" or missing else "—"
    return format_decimal(round(value, 2), "#,##0.##", locale="vi")


def _vi_ratio(c: LivestreamComparison, metric: str) -> str:
    """The ratio as the page writes it in Vietnamese (``after_livestream.ratio_text``)."""
    ratio = c.metric(metric).ratio
    if ratio is None:
        return "—"
    kind, value = ratio_form(ratio)
    number = ratio_number(value, "vi")
    return f"dưới {number} lần" if kind == "under" else f"{number} lần"


def _columns(figure_format: str, ratio_format: str) -> list[Column]:
    return [
        Column(report_column("date"), "dd/mm/yyyy" if figure_format != "@" else "@", 11),
        Column(report_column("livestream"), "@" if figure_format == "@" else "", 40),
        Column(report_column("org_unit"), "@" if figure_format == "@" else "", 22),
        *(Column(vi_label(LIVESTREAM_METRIC, m), figure_format, 14) for m in METRICS),
        *(Column(report_column(PDF_RATIOS[m]), ratio_format, 14) for m in RATIOS),
        Column(report_column("earlier"), figure_format, 12),
        Column(report_column("note"), "@" if figure_format == "@" else "", 22),
    ]


def pdf_table(f: ReportFilter) -> Table:
    """The section as text cells written the Vietnamese way, for ``pdf.month_pdf``."""
    rows = [
        [
            c.current.day.strftime("%d/%m/%Y") if c.current.day else "—",
            c.current.title,
            c.current.org_unit_name,
            *(_vi(getattr(c.current, m), m, c.current.missing) for m in METRICS),
            *(_vi_ratio(c, m) for m in RATIOS),
            str(len(c.earlier)),
            month_note(c, vietnamese=True),
        ]
        for c in month_livestreams(f)
    ]
    # Text cells, right-aligned figures: any format but "" and "@" aligns right in the PDF.
    columns = _columns("#,##0", "#,##0")
    return Table(in_vietnamese(HEADING), columns, rows)


def workbook_table(f: ReportFilter) -> Table:
    """The section as a sheet of the monthly workbook: real numbers and dates, an empty cell
    where there is no figure (views no platform reported, a livestream with nothing collected
    or not held yet) or no ratio, never text in a number column: the last column, a text one,
    says why (``month_note``); user text made safe."""
    rows = [
        [
            c.current.day,
            c.current.title,
            c.current.org_unit_name,
            *(getattr(c.current, m) for m in METRICS),
            *(c.metric(m).ratio for m in RATIOS),
            len(c.earlier),
            month_note(c, vietnamese=True) or None,
        ]  # fmt: skip
        for c in month_livestreams(f)
    ]
    # Whole numbers "#,##0" ("#,##0.##" shows 12 as "12,"); a fractional credit (linear or
    # time-decay attribution) gets "#,##0.00" cell by cell from ``channels_workbook``.
    return Table(SHEET, _columns(COUNT, RATIO_FORMAT), rows)


@bp.app_context_processor
def _month_section_globals() -> dict[str, Any]:
    return {"month_livestream_rows": month_livestream_rows}
