"""The month's report as officers send it upward: one HTML page with a print stylesheet.

Two wrappings of one document (``_month_document.html``, always Vietnamese): ``render_month``
is standalone (the ``flask reports build`` command writes it to a file without a request: no
navigation, no user, styles inline); ``render_month_page`` puts it in the app's layout with a
month picker, in the interface's language. Both take the commune's halls at events of the units
above (``parent_part.parent_halls``, read by the caller once for every form of the month).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from app.reports.facts import ChannelReport
from app.reports.letterhead import (
    cost_line,
    month_letterhead,
    planned_line,
    post_reach_line,
    taken_line,
)
from app.reports.month_parent import communes_empty_words
from app.reports.parent_part import HallPart
from app.reports.periods import quick_periods
from app.reports.still_live import live_line, of_report
from app.reports.workbook import describe
from app.timeparse import VN


def render_month(
    report: ChannelReport, period: str, number: str | None = None, *, halls: Sequence[HallPart]
) -> str:
    """The page; ``number`` fills the "Số: …" line (blank dots otherwise, editable on screen).

    Always in Vietnamese, as the PDF and the Word file: it is the document sent upward, printed
    from the browser, whatever language its sender reads the app in.
    """
    with force_locale("vi"):
        return render_template("reports/monthly.html", **_context(report, period, number, halls))


def render_month_page(
    report: ChannelReport, period: str, number: str | None = None, *, halls: Sequence[HallPart]
) -> str:
    """The app's page: menu, month picker and buttons in the user's language, the Vietnamese
    document in it."""
    with force_locale("vi"):
        context = _context(report, period, number, halls)
        document = Markup(render_template("reports/_month_document.html", **context))
    months = recent_months(datetime.now(VN).date())
    if period not in months:
        months = sorted({*months, period}, reverse=True)
    # A year's figures are the channels report's: a link to it with this year chosen.
    year = next(p for p in quick_periods(datetime.now(VN)) if p.key == "this_year")
    year_args = year.args({"org_unit": report.filter.unit.code})
    return render_template(
        "reports/monthly_page.html", document=document, months=months, year_args=year_args,
        excel_args=month_range_args(report.filter.unit.code, period), **context,
    )  # fmt: skip


def month_range_args(org_unit: str, period: str) -> dict[str, str]:
    """The channels report's arguments for this month: its Excel is the month's figures as a
    workbook (the page's document has no sheet form of its own)."""
    year, month = (int(part) for part in period.split("-"))
    last = calendar.monthrange(year, month)[1]
    return {"org_unit": org_unit, "from": f"{period}-01", "to": f"{period}-{last:02d}"}


def recent_months(today: date, count: int = 24) -> list[str]:
    """The month picker's choices, newest first: "2026-12", "2026-11", …"""
    index = today.year * 12 + today.month - 1
    return [f"{(index - n) // 12}-{(index - n) % 12 + 1:02d}" for n in range(count)]


def _context(
    report: ChannelReport, period: str, number: str | None, halls: Sequence[HallPart]
) -> dict[str, Any]:
    return dict(
        report=report,
        period=period,
        head=month_letterhead(report, period, datetime.now(VN).date(), number),
        title=describe(report),
        taken=taken_line(report),
        live=live_line(of_report(report)),
        planned=planned_line(report),
        cost_note=cost_line(report),
        post_reach=post_reach_line(report),
        rows=[f.as_dict() for f in report.by_channel()],
        communes=report.by_commune(),
        totals=report.totals(),
        parent_halls=list(halls),  # beside the commune's tables, never in its totals
        communes_empty=communes_empty_words(list(halls)),
    )
