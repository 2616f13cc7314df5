"""The month's report as officers send it upward: one HTML page with a print stylesheet.

Rendered without a request (the ``flask reports build`` command writes it to a file too), so the
template is standalone: no navigation, no user, styles inline.
"""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import force_locale

from app.reports.facts import ChannelReport
from app.reports.letterhead import month_letterhead
from app.reports.workbook import describe
from app.timeparse import VN


def render_month(report: ChannelReport, period: str, number: str | None = None) -> str:
    """The page; ``number`` fills the "Số: …" line (blank dots otherwise, editable on screen).

    Always in Vietnamese, as the PDF and the Word file: it is the document sent upward, printed
    from the browser, whatever language its sender reads the app in.
    """
    with force_locale("vi"):
        return _render_month(report, period, number)


def _render_month(report: ChannelReport, period: str, number: str | None) -> str:
    return render_template(
        "reports/monthly.html",
        report=report,
        period=period,
        head=month_letterhead(report, period, datetime.now(VN).date(), number),
        title=describe(report),
        rows=[f.as_dict() for f in report.by_channel()],
        communes=report.by_commune(),
        totals=report.totals(),
    )
