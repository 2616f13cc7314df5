"""The attendee sheet uploaded from the hall's check-in page: same importer, that hall only.

Upload → preview (rows read, problems by row and column) → confirm, like the organisers' import
page; the file is kept server-side between the two steps under the hall's own key, so the link
holder confirms without uploading again. File uploads need a connection: unlike the head count
they are not queued in the browser.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.models import BridgePoint, utcnow
from app.sheets import stash
from app.sheets.births import year_only_message
from app.sheets.issues import FileRejected


def _owner(point: BridgePoint) -> str:
    return f"hall:{point.id}"


def _limits() -> dict[str, int]:
    return {
        "max_bytes": current_app.config["IMPORT_MAX_BYTES"],
        "max_rows": current_app.config["IMPORT_MAX_ROWS"],
    }


def is_sheet_request() -> bool:
    """A JSON body carries no file and no form: it is not parsed as one (a check-in burst)."""
    if request.is_json:
        return False
    return "sheet" in request.files or "sheet_stash" in request.form


def handle(point: BridgePoint) -> tuple[dict[str, Any], int]:
    """Template variables for the check-in page, and the status code."""
    if "sheet_stash" in request.form:
        return _confirm(point)
    upload = request.files.get("sheet")
    if upload is None or not upload.filename:
        return {"sheet_missing": True}, 422
    data = upload.read()
    try:
        preview = preview_attendees(point.event, data, upload.filename, point=point, **_limits())
    except FileRejected as exc:
        return {"sheet_rejected": exc.issues, "sheet_name": upload.filename}, 422
    stash_id = stash.put(data, upload.filename, preview.table.sha256, _owner(point), point.event_id)
    return {"sheet_preview": preview, "sheet_stash": stash_id}, 200


def _confirm(point: BridgePoint) -> tuple[dict[str, Any], int]:
    stash_id = request.form.get("sheet_stash", "")
    stored = stash.get(stash_id, _owner(point), point.event_id)
    if stored is None:
        return {"sheet_expired": True}, 410
    try:
        preview = preview_attendees(point.event, stored.data, stored.filename, point=point,
                                    **_limits())  # fmt: skip
        result = commit_attendees(preview, user=None, now=utcnow(),
                                  only_valid=request.form.get("only_valid") == "1",
                                  origin=f"checkin:{point.id}")  # fmt: skip
    except FileRejected as exc:
        db.session.rollback()
        return {"sheet_rejected": exc.issues, "sheet_name": stored.filename}, 422
    db.session.commit()
    stash.drop(stash_id)
    return {"sheet_result": result, "sheet_year_only": year_only_message(result.year_only)}, 200
