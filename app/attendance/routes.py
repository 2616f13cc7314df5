"""`/events/<id>/attendance/import`: upload an attendee sheet, see the preview, confirm.

Step one posts the file and gets the preview (rows, and every issue by row and column, in
Vietnamese); the upload is kept server-side (``stash``) under a random id carried by the confirm
form, so step two imports exactly the previewed file without uploading it again. An old commune
split between several of the event's communes is a choice on the preview; the answers come back
with the confirmation.

The organiser imports into its whole event. A commune's officer opens the same page for an event
of the province that they see in part (app.scoping), at any time after it: the sheet is then
their own hall's (``get_hall_in_part``), every row lands on that hall and their commune, and a
row naming another commune is refused; a commune without a hall there gets 404.

``/attendance/template.xlsx`` is the blank sheet to print, with the purpose text people answer
to; it holds no data, so hall officers get it from their check-in page without an account.
``/events/<id>/attendance/import-template.xlsx`` is the sheet to type a list into, with an
example row in one of the event's communes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.attendance.blank_sheet import attendee_import_template, attendee_template
from app.attendance.sheet import (
    ATTENDEE_COLUMNS,
    commit_attendees,
    preview_attendees,
)
from app.auth.access import role_required
from app.collation import sorted_vietnamese
from app.consent import CURRENT, PURPOSES
from app.extensions import db
from app.formatting import fmt_number
from app.models import BridgePoint, Event, OrgUnit, Role, utcnow
from app.scoping import get_event_view, get_hall_in_part
from app.sheets import stash
from app.sheets.births import year_only_message
from app.sheets.communes import posted_choices
from app.sheets.issues import FileRejected, ImportIssue
from app.sheets.reader import TOO_LARGE, mb

# The blueprint keeps the name "imports": ``imports.attendance_import`` is the endpoint that
# templates, the access table and scripts know.
bp = Blueprint("imports", __name__)

PREVIEW_ROWS = 300
LABELS = {c.name: c.label for c in ATTENDEE_COLUMNS}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_context_processor
def _column_labels() -> dict[str, Any]:
    """Column names (msgids) for issue tables, here and on the hall's check-in page."""
    return {"import_labels": LABELS}


@bp.route("/attendance/template.xlsx")
def attendee_template_download() -> Response:
    """The blank attendee sheet with the current purpose text (no personal data, no account)."""
    return Response(
        attendee_template(),
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="danh-sach-nguoi-tham-du.xlsx"'},
    )


@dataclass(frozen=True)
class Into:
    """Where a sheet goes: the whole event (its organiser), or one hall of it (``hall``: the
    commune officer's own, of an event they see in part)."""

    event: Event
    hall: BridgePoint | None


def _into(event_id: int) -> Into:
    """The event the user imports into, whole or by their own hall; else 404."""
    view = get_event_view(event_id, current_user)
    if view.whole:
        return Into(view.event, None)
    return Into(view.event, get_hall_in_part(view.event.id, current_user))


@bp.route("/events/<int:event_id>/attendance/import-template.xlsx")
@role_required(Role.OFFICER)
def attendee_import_template_download(event_id: int) -> Response:
    """The sheet to type attendees into, with an example row in one of this event's communes."""
    communes = _communes(_into(event_id))
    return Response(
        attendee_import_template(communes[0].name if communes else ""),
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="mau-nhap-nguoi-tham-du.xlsx"'},
    )


def limits() -> dict[str, int]:
    return {
        "max_bytes": current_app.config["IMPORT_MAX_BYTES"],
        "max_rows": current_app.config["IMPORT_MAX_ROWS"],
    }


@bp.route("/events/<int:event_id>/attendance/import", methods=["GET", "POST"])
@role_required(Role.OFFICER)
def attendance_import(event_id: int) -> Response | str | tuple[str, int]:
    into = _into(event_id)
    event = into.event
    if request.method == "GET":
        return _page(into)
    if request.form.get("stash"):
        return _confirm(into)
    upload = request.files.get("file")
    # A hall's sheet is that hall's commune's: no commune to choose.
    commune = "" if into.hall else (request.form.get("commune") or "").strip()
    version = request.form.get("consent_version") or CURRENT
    if upload is None or not upload.filename:
        return _page(into, error=_("Choose a file to upload."), commune=commune), 422
    data = upload.read()
    try:
        preview = preview_attendees(event, data, upload.filename, commune_code=commune or None,
                                    point=into.hall, **limits())  # fmt: skip
    except FileRejected as exc:
        return _page(into, rejected=exc.issues, filename=upload.filename, commune=commune), 422
    stash_id = stash.put(data, upload.filename, preview.table.sha256, _owner(), event.id, commune)
    return _page(into, preview=preview, stash_id=stash_id, commune=commune, version=version)


def _confirm(into: Into) -> Response | str | tuple[str, int]:
    event = into.event
    stash_id = request.form["stash"]
    stored = stash.get(stash_id, _owner(), event.id)
    if stored is None:
        return _page(into, error=_("The preview has expired; upload the file again.")), 410
    only_valid = request.form.get("only_valid") == "1"
    origin = "page" if into.hall is None else f"page:hall:{into.hall.id}"
    try:
        preview = preview_attendees(event, stored.data, stored.filename,
                                    commune_code=stored.commune or None, point=into.hall,
                                    choices=posted_choices(request.form), **limits())  # fmt: skip
        version = request.form.get("consent_version") or CURRENT
        result = commit_attendees(preview, user=current_user, now=utcnow(), only_valid=only_valid,
                                  origin=origin, consent_version=version)  # fmt: skip
    except FileRejected as exc:
        db.session.rollback()
        return _page(into, rejected=exc.issues, filename=stored.filename), 422
    db.session.commit()
    stash.drop(stash_id)
    if not result.created:
        flash(_("This file was already imported for this event; nothing was added."), "info")
    else:
        flash(ngettext("Imported %(n)s attendee from %(file)s.",
                       "Imported %(n)s attendees from %(file)s.", result.imported,
                       n=fmt_number(result.imported), file=stored.filename), "success")  # fmt: skip
        if result.left_out:
            flash(ngettext("%(n)s row with problems was left out.",
                           "%(n)s rows with problems were left out.", result.left_out,
                           n=fmt_number(result.left_out)), "info")  # fmt: skip
        if result.year_only:
            flash(year_only_message(result.year_only), "info")
        for warning in result.warnings:  # people imported without a consent answer
            flash(warning.localized(), "warning")
    return redirect(url_for("events.event_detail", event_id=event.id))


def _owner() -> str:
    return f"user:{current_user.id}"


def _communes(into: Into) -> list[OrgUnit]:
    """The communes of the event's halls, or every commune it may have halls in; in Vietnamese
    order of their names. A hall's sheet: that hall's commune alone (no other is named)."""
    from app.halls.services import communes_of, points_of

    if into.hall is not None:
        return [into.hall.org_unit]
    event = into.event
    points = points_of(event)
    communes = [p.org_unit for p in points] if points else communes_of(event)
    return sorted_vietnamese(communes, key=lambda u: u.name)


def _page(into: Into, **extra: Any) -> str:
    return render_template(
        "imports/attendees.html",
        event=into.event,
        hall=into.hall,
        communes=_communes(into),
        max_mb=mb(current_app.config["IMPORT_MAX_BYTES"]),
        preview_rows=PREVIEW_ROWS,
        purposes=PURPOSES,
        **{"version": CURRENT, **extra},
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge) -> tuple[str, int]:
    """A file over the request limit never reaches the view: say so in words, on the same page."""
    event_id = (request.view_args or {}).get("event_id")
    into = None
    if event_id and current_user.is_authenticated and current_user.has_role(Role.OFFICER):
        into = _into(int(event_id))
    size = request.content_length or 0
    limit = current_app.config["IMPORT_MAX_BYTES"]
    issue = ImportIssue(None, "", TOO_LARGE, {"size": mb(size), "limit": mb(limit)})
    if into is None:
        return issue.text(_), 413
    return _page(into, rejected=[issue]), 413
