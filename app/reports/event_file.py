"""A finished livestream's figures as an Excel file, from its own page.

An officer reports the livestream the day it ends; the month's report was the only export. The
file is the page's "after the livestream" section: this livestream's figures beside the median,
ratio and rank of the office's earlier ones, and those earlier livestreams, through the one
workbook writer of the reports (``workbook.tables_workbook``).
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.formatting import fmt_datetime
from app.labels import LIVESTREAM_METRIC, label
from app.models import utcnow
from app.reports import bp
from app.reports.after_livestream import livestream_after
from app.reports.filenames import event_stem
from app.reports.letterhead import office_name
from app.reports.livestream_compare import METRICS
from app.reports.workbook import Column, Table, tables_workbook
from app.scoping import get_event_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def event_workbook(view: Any, title: str, office: str, taken: str) -> bytes:
    """The section's two tables as sheets: this livestream, then the earlier ones."""
    c = view.comparison
    figures = Table(
        _("This livestream"),
        [Column(_("Figure"), width=28), Column(_("This livestream"), width=18),
         Column(_("Median of the previous ones"), width=22),
         Column(_("Compared with the median"), width=20), Column(_("Rank"), width=12)],
        [[r["label"], r["value"], r["median"], r["ratio"], r["rank"]] for r in view.rows],
        note=view.note,
    )  # fmt: skip
    sheets = [figures]
    if c.earlier:
        columns = [Column(_("Date"), width=12), Column(_("Title"), width=40)]
        columns += [Column(label(LIVESTREAM_METRIC, m), width=14) for m in METRICS]
        rows = [[e["day"], e["title"], *e["cells"]] for e in view.earlier]
        sheets.append(Table(_("The previous livestreams"), columns, rows))
    return tables_workbook(title, taken, sheets, office=office)


@bp.route("/events/<int:event_id>/livestream.xlsx")
@login_required
def event_livestream_xlsx(event_id: int) -> Any:
    event_view = get_event_view(event_id, current_user)
    if not event_view.whole:
        abort(404)  # a unit taking part sees its own part, not the organiser's figures
    event = event_view.event
    after = livestream_after(event)
    if after is None:  # not a finished livestream (an old link): its page says what there is
        flash(_("This event has no finished livestream to report yet."), "info")
        return redirect(url_for("events.event_detail", event_id=event.id))
    title = _("After the livestream: %(title)s", title=event.title)
    taken = _("Figures as read at %(time)s", time=fmt_datetime(utcnow()))
    body = event_workbook(after, title, office_name(event.org_unit), taken)
    day = after.comparison.current.day
    name = f"{event_stem('livestream', event, day)}.xlsx"
    return Response(
        body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
