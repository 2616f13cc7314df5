"""`/checkin/<token>/entries`: the hall's latest entries ("Vừa ghi"), and a correction or
withdrawal of one (``app.halls.entries``), as JSON for the check-in page's script.

On the check-in blueprint: the link is the credential (no session, no CSRF, no rate limit).
A refusal names the field as the report's do, in the page's language; 404 and 410 for a link
that no longer opens, as for a report.
"""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.wrappers import Response

from app.extensions import db
from app.halls import checkin_fix, entries
from app.halls.checkin import bp, open_link
from app.halls.services import HallError
from app.models import utcnow
from app.realtime import publish_soon


@bp.route("/checkin/<token>/entries", methods=["GET"])
def entries_list(token: str) -> Response:
    hall = open_link(token)
    response = jsonify({"entries": entries.recent(hall, utcnow())})
    response.cache_control.no_store = True
    return response


@bp.route("/checkin/<token>/entries", methods=["POST"])
def entry_correct(token: str) -> tuple[Response, int]:
    hall = open_link(token)
    data = request.get_json(silent=True)
    try:
        if not isinstance(data, dict):
            raise HallError("body", entries.BAD_BODY)
        answer = entries.correct(hall, data, utcnow())
    except HallError as exc:
        db.session.rollback()
        status = exc.status if isinstance(exc, entries.EntryRefused) else 422
        errors: dict[str, list[str]] = {}
        for e in exc.all:
            errors.setdefault(e.field, []).append(e.localized())
        return jsonify({"error": "Not Found" if status == 404 else
                        "Conflict" if status == 409 else "Unprocessable Entity",
                        "status": status, "field": exc.field, "message": exc.localized(),
                        "errors": errors}), status  # fmt: skip
    db.session.commit()
    if answer.created:
        publish_soon(hall.event_id, "checkin", hall.id)
    message = checkin_fix.done(answer)
    body = {"received": True, "duplicate": not answer.created, "action": answer.action,
            "ref": answer.ref, "entry": answer.entry, "message": message}  # fmt: skip
    return jsonify(body), 201 if answer.created else 200
