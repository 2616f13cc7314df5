"""`/checkin/<token>`: the hall officer's page and its JSON twin.

No account and no session: the secret in the link is the only credential, so the blueprint is
exempt from CSRF (a forger would need the secret itself). Every submission carries an idempotency
key, generated in the browser and reused by every retry, so a report never counts twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from app.extensions import csrf, db
from app.halls import checkin_sheet as sheet
from app.halls import links, services
from app.models import utcnow
from app.realtime import publish_soon

bp = Blueprint("checkin", __name__)
csrf.exempt(bp)
FORM_ROWS = 5


def _hall(token: str):  # type: ignore[no-untyped-def]
    point = links.hall_for_token(token, utcnow())
    if point is None:
        abort(404)
    return point


@bp.route("/checkin/<token>", methods=["GET"])
def page(token: str) -> str:
    point = _hall(token)
    return _page(point, token)


def _page(point: Any, token: str, **extra: Any) -> str:
    latest = services.latest_head_count(point)
    return render_template(
        "halls/checkin.html",
        point=point,
        token=token,
        latest=latest,
        rows=range(FORM_ROWS),
        key=uuid.uuid4().hex,
        **extra,
    )


@bp.route("/checkin/<token>", methods=["POST"])
def submit(token: str) -> Response | tuple[Response | str, int] | str:
    point = _hall(token)
    if sheet.is_sheet_request():  # the attendee sheet as a file: preview, then confirm
        extra, status = sheet.handle(point)
        return _page(point, token, **extra), status
    as_json = request.is_json
    data = request.get_json(silent=True) if as_json else _from_form()
    if not isinstance(data, dict):
        return _error(point, token, as_json, "body", _("Send a JSON object."))
    try:
        head = data.get("head_count")
        head_count = None if head in (None, "") else int(head)
    except (TypeError, ValueError):
        return _error(point, token, as_json, "head_count", _("The head count must be a number."))
    attendees = data.get("attendees") or []
    if not isinstance(attendees, list) or not all(isinstance(a, dict) for a in attendees):
        return _error(point, token, as_json, "attendees", _("Attendees must be a list of rows."))
    try:
        key = str(data.get("idempotency_key") or "")
        sent_at = services.parse_sent_at(data.get("sent_at"))  # the page's own clock
        report, created = services.record_report(
            point, key, head_count, attendees, utcnow(), sent_at=sent_at
        )
    except services.HallError as exc:
        db.session.rollback()
        return _error(point, token, as_json, exc.field, exc.message)
    db.session.commit()
    if created:  # a retry changed nothing: the live page has it already
        publish_soon(point.event_id, "checkin")
    if as_json:
        body = {"received": True, "duplicate": not created, "report_id": report.id,
                "head_count": report.head_count, "attendees": report.attendees}  # fmt: skip
        return jsonify(body), 201 if created else 200
    return _page(point, token, received=report, duplicate=not created)


def _from_form() -> dict[str, Any]:
    """The HTML form's fields as the JSON body would carry them; empty rows are skipped."""
    form = request.form
    rows = []
    for i in range(int(form.get("rows", FORM_ROWS) or FORM_ROWS)):
        row = {
            f: form.get(f"{f}-{i}", "").strip()
            for f in ("name", "birth", "phone", "cccd", "hamlet")
        }
        if any(row.values()):
            rows.append(row)
    return {"idempotency_key": form.get("idempotency_key"), "head_count": form.get("head_count"),
            "attendees": rows}  # fmt: skip


def _error(point: Any, token: str, as_json: bool, field: str, message: str):  # type: ignore[no-untyped-def]
    if as_json:
        return jsonify({"error": "Unprocessable Entity", "status": 422, "field": field,
                        "message": f"{field}: {message}"}), 422  # fmt: skip
    return _page(point, token, error=f"{field}: {message}"), 422


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge) -> tuple[str, int]:
    """An oversized sheet is refused before it is read: say so on the hall's page."""
    from app.sheets.issues import ImportIssue
    from app.sheets.reader import TOO_LARGE, mb

    token = (request.view_args or {}).get("token", "")
    point = _hall(token)
    limit = current_app.config["IMPORT_MAX_BYTES"]
    issue = ImportIssue(None, "", TOO_LARGE, {"size": mb(request.content_length or 0),
                                               "limit": mb(limit)})  # fmt: skip
    return _page(point, token, sheet_rejected=[issue]), 413
