"""Managers' pages: the channel comparison, its exports, a campaign, the printable month, the
offline channel form and the folder of generated reports.

Who may see what: the comparison, its exports, the campaign page and the printed month carry
only aggregates of the user's own subtree (no personal data), so every logged-in role may read
them; offline quantities are entered by officers and above; the folder of generated report files
is for managers and above, as those files are what a manager sends upward.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import labels, shared_store
from app.auth.access import role_required
from app.chart_words import chart_words
from app.events.queries import campaign_events
from app.events.services import FieldError
from app.extensions import db
from app.models import Campaign, OfflineActivity, OrgKind, Role, utcnow
from app.reports import bp, files, parent_sheet, printable, still_live
from app.reports import campaign as campaign_view
from app.reports.campaign_book import campaign_workbook
from app.reports.filenames import campaign_stem, channels_stem, month_stem
from app.reports.forms import OfflineForm
from app.reports.offline import OFFLINE_WRITER, create_offline
from app.reports.params import ONE_OF, ParamError, campaigns_in_scope, month_for, parse_filter
from app.reports.parent_part import HallPart, parent_halls
from app.reports.pdf import month_pdf
from app.reports.periods import month_in, quick_periods
from app.reports.reconcile_words import campaign_lines, event_reconcile_lines
from app.reports.report import build_report
from app.reports.scope_words import enrolment_scope
from app.reports.word import DOCX, month_docx
from app.reports.workbook import CSV_VIEWS, channels_csv, channels_workbook, table_csv
from app.scoping import campaigns_seen, get_campaign_view, scoped, units_to_pick
from app.timeparse import VN
from dashboards import channels as charts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVENTS_PER_PAGE = 50
MIMETYPES = {".xlsx": XLSX, ".csv": "text/csv", ".html": "text/html", ".pdf": "application/pdf"}
# What the files list calls each file: its format, not its name ("bao-cao-nghe-an-2026-10.xlsx").
FILE_FORMATS = {"xlsx": "Excel", "csv": "CSV", "pdf": "PDF"}  # the page to print opens instead


@bp.app_context_processor
def _report_labels() -> dict[str, Any]:
    """The labels translated once per render (a page's rows repeat them hundreds of times)."""
    return {
        "report_labels": {
            "channels": {k: str(v) for k, v in labels.REPORT_CHANNEL.items()},
            "reach": {k: labels.reach_word(k) for k in labels.REACH_KIND},  # as the files
        },
        "attribution_models": {k: str(v) for k, v in labels.ATTRIBUTION_MODEL.items()},
        "enrolment_scope": enrolment_scope,
        "reconcile_lines": campaign_lines,
        "event_reconcile_lines": event_reconcile_lines,
        "still_live_line": lambda live: still_live.live_line(live, vietnamese=False),
    }


@bp.route("/reports/channels")
@login_required
def channels() -> Any:
    try:
        f = parse_filter(request.args, current_user)
        # A province's page lists communes, not events: its rollups may be added up in the database.
        report = build_report(f, per_event=f.unit.kind == OrgKind.COMMUNE)
    except ParamError as exc:
        return render_template(
            "reports/channels.html",
            error=exc,
            report=None,
            units=units_to_pick(current_user),
            campaigns=campaigns_in_scope(current_user.org_unit),
            args=request.args,
            quick_periods=quick_periods(utcnow()),
        ), 422
    rows = [f.as_dict() for f in report.by_channel()]
    months = [(m, f.as_dict()) for m, f in report.by_month()]
    words = chart_words()
    figures = {
        "enrolments": charts.enrolments_figure(rows, words=words),
        "cost": charts.cost_per_enrolment_figure(rows, words=words),
        "views": charts.reach_figure(rows, "views", words=words),
        "people": charts.reach_figure(rows, "people", words=words),
        "trend": charts.trend_figure(months, words=words),
    }
    month = month_in(report.filter.start, report.filter.end, utcnow().astimezone(VN).date())
    live = still_live.of_report(report)
    return render_template(
        "reports/channels.html",
        error=None,
        report=report,
        live=live,
        live_line=still_live.live_line(live, vietnamese=False),
        rows=rows,
        totals=report.totals(),
        figures=figures,
        # A commune's halls at the province's events: beside its report, never counted in it.
        parent_halls=parent_halls(report.filter, current_user),
        units=units_to_pick(current_user),
        campaigns=campaigns_in_scope(current_user.org_unit),
        args=report.filter.query_args(),
        quick_periods=quick_periods(utcnow()),
        month_args={"org_unit": report.filter.unit.code, "period": month.strftime("%Y-%m")},
        month_label=month.strftime("%m/%Y"),
    )


def _refused(exc: ParamError) -> Response:
    """A link whose parameter is wrong (a file or the printed month): the error page says which."""
    page = render_template("error.html", code=422, message=exc.localized())
    return Response(page, status=422, mimetype="text/html")


def _report_or_422() -> Any:
    try:
        return build_report(parse_filter(request.args, current_user))
    except ParamError as exc:
        abort(_refused(exc))


@bp.route("/reports/channels.xlsx")
@login_required
def channels_xlsx() -> Response:
    report = _report_or_422()
    f = report.filter
    name = f"{channels_stem(f.unit, f.start, f.end)}.xlsx"
    return Response(
        # A commune's halls at the province's events: a sheet beside the others, as on the page.
        channels_workbook(report, parent_sheet.hall_tables(report, current_user)),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/reports/channels.csv")
@login_required
def channels_csv_export() -> Response:
    view = request.args.get("view", "channels")
    views = (*CSV_VIEWS, parent_sheet.CSV_VIEW)
    if view not in views:
        return _refused(ParamError("view", ONE_OF, {"choices": ", ".join(views)}))
    report = _report_or_422()
    f = report.filter
    name = f"{channels_stem(f.unit, f.start, f.end, view)}.csv"
    if view == parent_sheet.CSV_VIEW:
        # Another unit's report has no such section: its CSV is the header row alone.
        halls = parent_halls(report.filter, current_user)
        body = table_csv(parent_sheet.hall_table(halls), report)
    else:
        body = channels_csv(report, view)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/reports/campaigns/<int:campaign_id>")
@login_required
def campaign_page(campaign_id: int) -> str:
    """Progress against the goal, the funnel, and the campaign's events (a page at a time); of
    a campaign run by a unit above the user's, their own part alone."""
    view = get_campaign_view(campaign_id, current_user)
    campaign, part = view.campaign, None if view.whole else current_user.org_unit
    now = utcnow()
    progress = campaign_view.campaign_progress(campaign, now=now, part=part)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    events = db.paginate(
        campaign_events(campaign, current_user), page=page, per_page=EVENTS_PER_PAGE,
        error_out=False,
    )  # fmt: skip
    words = chart_words()
    return render_template(
        "reports/campaign.html",
        campaign=campaign,
        part=part,
        part_note=campaign_view.part_note(campaign, part) if part else None,
        progress=progress,
        events=events,
        rows=campaign_view.event_rows(events.items, now),
        figures={
            # In part, no goal line: the goal is the whole campaign's, not one unit's.
            "progress": charts.progress_figure(
                progress.weeks, 0 if part else campaign.goal, words=words
            ),
            "funnel": charts.funnel_figure(progress.funnel, words=words),
        },
    )


@bp.route("/reports/campaigns/<int:campaign_id>.xlsx")
@login_required
def campaign_xlsx(campaign_id: int) -> Response:
    """The campaign's page as a workbook: the same figures, the same part, every event seen."""
    view = get_campaign_view(campaign_id, current_user)
    campaign, part = view.campaign, None if view.whole else current_user.org_unit
    now = utcnow()
    progress = campaign_view.campaign_progress(campaign, now=now, part=part)
    events = db.session.scalars(campaign_events(campaign, current_user)).unique().all()
    body = campaign_workbook(campaign, progress, campaign_view.event_rows(events, now), now)
    name = f"{campaign_stem(campaign.name, part)}.xlsx"
    return Response(
        body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _month_or_422() -> tuple[Any, str, list[HallPart]]:
    """The month's report, its period and, for a commune, its halls at events of the units above
    (read once, for the page or the file: the channels report's figures, beside the totals)."""
    period = request.args.get("period") or datetime.now(VN).strftime("%Y-%m")
    try:
        start, end = month_for(period)
        args = {**request.args, "from": start.isoformat(), "to": end.isoformat()}
        report = build_report(parse_filter(args, current_user))
    except ParamError as exc:
        abort(_refused(exc))
    return report, period, parent_halls(report.filter, current_user)


def _document_number() -> str | None:
    """The "Số: …" line's number when the user typed one (?number=125/BC-BHXH)."""
    return request.args.get("number") or None


@bp.route("/reports/monthly")
@login_required
def monthly() -> Any:
    report, period, halls = _month_or_422()
    return printable.render_month_page(report, period, _document_number(), halls=halls)


@bp.route("/reports/monthly.pdf")
@login_required
def monthly_pdf() -> Response:
    report, period, halls = _month_or_422()
    name = f"{month_stem(report.filter.unit, period)}.pdf"
    return Response(
        month_pdf(report, period, _document_number(), halls=halls),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/reports/monthly.docx")
@login_required
def monthly_docx() -> Response:
    """The month's report as a Word document, for offices that edit it before signing."""
    report, period, halls = _month_or_422()
    name = f"{month_stem(report.filter.unit, period)}.docx"
    return Response(
        month_docx(report, period, _document_number(), halls=halls),
        mimetype=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/reports/offline", methods=["GET", "POST"])
@role_required(OFFLINE_WRITER)
def offline() -> Any:
    form = OfflineForm()
    campaigns = db.session.scalars(
        campaigns_seen(select(Campaign), current_user).order_by(Campaign.starts_on.desc())
    ).all()
    form.campaign_id.choices = [("", _("(none)"))] + [(str(c.id), c.name) for c in campaigns]
    communes = [
        u for u in units_to_pick(current_user, OrgKind.COMMUNE) if u.kind == OrgKind.COMMUNE
    ]
    form.org_unit.choices = [(u.code, u.name) for u in communes]
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                create_offline(form.data_for_service(), current_user)
            except FieldError as exc:
                db.session.rollback()
                getattr(form, exc.field).errors = [exc.message]
                status = 422
            else:
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("reports.offline"))
        else:
            status = 422
    stmt = scoped(select(OfflineActivity), OfflineActivity, current_user)
    entries = db.session.scalars(
        stmt.order_by(OfflineActivity.period_start.desc(), OfflineActivity.id.desc()).limit(100)
    ).all()
    page = render_template(
        "reports/offline.html", form=form, entries=entries, kind_labels=labels.OFFLINE_KIND
    )
    return page, status


@bp.route("/reports/files")
@role_required(Role.MANAGER)
def report_files() -> Any:
    folder = files.reports_folder(shared_store.root())
    name = request.args.get("name")
    if name:
        path = files.file_for(folder, name, current_user)
        if path is None:
            abort(404)
        # Read whole (report files are small): no file handle outlives the request.
        disposition = "inline" if path.suffix == ".html" else "attachment"
        return Response(
            path.read_bytes(),
            mimetype=MIMETYPES.get(path.suffix, "application/octet-stream"),
            headers={"Content-Disposition": f'{disposition}; filename="{path.name}"'},
        )
    return render_template(
        "reports/files.html", listing=files.listing(folder, current_user), file_formats=FILE_FORMATS
    )
