"""Follow-up figures in /api/v1/: an event's conversion, and the links for administrators."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from app.api.routes import blp, require_role
from app.audit import record
from app.exports import csv_text
from app.extensions import db
from app.followup.attribution import DEFAULT_MODEL, MODELS, WINDOWS
from app.followup.queries import default_window, event_follow_up
from app.models import Enrolment, Event, ImportBatch, Link, Role
from app.scoping import get_scoped, scoped

LINK_COLUMNS = (
    "link_id",
    "person_id",
    "person_sources",
    "enrolment_id",
    "enrolment_file",
    "enrolment_sheet",  # empty unless the file had several sheets read
    "enrolment_row",
    "enrolment_source_id",
    "method",
    "score",
    "status",
    "reviewed_at",
)


@blp.route("/events/<int:event_id>/conversion")
class EventConversionView(MethodView):
    def get(self, event_id: int) -> dict[str, Any]:
        """Identified attendees, conversions in the window and the credit under each model."""
        event = get_scoped(Event, event_id, current_user)
        model = request.args.get("model", DEFAULT_MODEL)
        if model not in MODELS:
            abort(422, message=f"model: must be one of {', '.join(MODELS)}")
        raw_window = request.args.get("window")
        if raw_window is None:
            window = default_window(event)
        elif raw_window.isdigit() and int(raw_window) in WINDOWS:
            window = int(raw_window)
        else:
            abort(422, message=f"window: must be one of {', '.join(map(str, WINDOWS))} days")
        return event_follow_up(event, window, model).as_dict()


@blp.route("/links")
class LinksView(MethodView):
    def get(self) -> Any:
        """Every person ↔ enrolment link with both sides' source references (administrators)."""
        require_role(Role.ADMIN)
        if request.args.get("format", "csv") != "csv":
            abort(422, message="format: only csv is offered")
        rows = _link_rows()
        record("links.export", current_user, "link", "", rows=len(rows))
        db.session.commit()
        body = csv_text(LINK_COLUMNS, rows)
        return Response(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="links.csv"'},
        )


def _link_rows() -> list[list[Any]]:
    """The links of the people inside the administrator's unit, with their visits to its events."""
    from app.models import Attendance, Person

    people = scoped(select(Person.id), Person, current_user)
    events = scoped(select(Event.id), Event, current_user)
    sources: dict[int, list[str]] = {}
    for person_id, source, ref, event_id in db.session.execute(
        select(
            Attendance.person_id, Attendance.source, Attendance.source_ref, Attendance.event_id
        ).where(Attendance.person_id.in_(people), Attendance.event_id.in_(events))
    ):
        sources.setdefault(person_id, []).append(f"event {event_id}/{source}/{ref}".rstrip("/"))
    stmt = (
        select(
            Link,
            Enrolment.source_sheet,
            Enrolment.source_row,
            Enrolment.source_ref,
            ImportBatch.filename,
        )
        .join(Enrolment, Enrolment.id == Link.enrolment_id)
        .join(ImportBatch, ImportBatch.id == Enrolment.import_batch_id)
        .where(Link.person_id.in_(people))
        .order_by(Link.id)
    )
    return [
        [
            link.id,
            link.person_id,
            "; ".join(sources.get(link.person_id, [])),
            link.enrolment_id,
            filename,
            sheet or "",
            row,
            ref or "",
            link.method,
            round(link.score, 4),
            link.status.value,
            link.reviewed_at.isoformat() if link.reviewed_at else "",
        ]
        for link, sheet, row, ref, filename in db.session.execute(stmt)
    ]
