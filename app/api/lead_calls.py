"""Call outcomes in /api/v1/, recorded once per submission (``app.followup.call_log``).

``POST /events/<id>/leads/<person_id>/calls`` records a call of a person's lead; ``POST
/events/<id>/comments/<comment_id>/calls`` of the lead of the comment's author (registered as a
person if not yet). The body holds ``idempotency_key`` (8 to 80 letters, digits, - or _, the same
for every retry of one submission), ``sent_at`` and ``clock`` (ISO times: when the officer pressed
save, and the phone's time as this request left), and any of the lead's fields as ``PATCH
.../leads/<person_id>`` takes them (a ``call_back`` with its ``next_call_on``). The first
arrival answers 201, a retry of its key 200 with ``duplicate`` true and what the first stored,
changing nothing. A person outside the caller's part answers 404, a viewer 403, a refused value
422 naming it; messages are English (the pages say them in their own words).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import request
from flask.views import MethodView
from flask_babel import force_locale
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from app.api.routes import blp
from app.events.services import FieldError
from app.extensions import db
from app.followup.call_log import Duplicate, record_call, stored
from app.followup.call_scope import CallScope, call_scope
from app.followup.lead_assign import NotAllowed, NotAssignable, NotInPart, assignee_names, may_work
from app.followup.lead_work import comment_people, person_of_comment, work_dict
from app.languages import interface_locale
from app.models import LeadCall, LeadWork, utcnow
from app.timeparse import as_utc

NOT_IN_PART = "This person is not among the people of your part of this event."
NOT_AN_OFFICER = "Recording calls needs the officer role or higher."
# What the body carries beside the lead's fields.
ENVELOPE = ("idempotency_key", "sent_at", "clock")


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise FieldError("json", "send a JSON object with idempotency_key and the call's fields")
    return body


def _time(body: dict[str, Any], field: str) -> datetime | None:
    value = body.get(field)
    if value in (None, ""):
        return None
    try:
        return as_utc(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        raise FieldError(field, f"{value!r} is not an ISO time") from None


def _in_part(scope: CallScope, person_id: int | None) -> int:
    if person_id is None or person_id not in scope.kept([person_id]):
        abort(404, message=NOT_IN_PART)
    return person_id


def _record(scope: CallScope, person_id: int, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    event = scope.event
    key = body.get("idempotency_key")
    changes = {k: v for k, v in body.items() if k not in ENVELOPE}
    try:
        call, created = record_call(event, person_id, current_user, key, changes, now=utcnow(),
                                    sent_at=_time(body, "sent_at"),
                                    clock=_time(body, "clock"))  # fmt: skip
    except Duplicate:
        db.session.rollback()
        call, created = stored(current_user.id, key), False
        if call is None:  # pragma: no cover - a unique key that fails is stored
            raise
    except NotInPart:
        db.session.rollback()
        abort(404, message=NOT_IN_PART)
    except NotAllowed:
        db.session.rollback()
        abort(403, message=NOT_AN_OFFICER)
    except NotAssignable:
        db.session.rollback()
        raise  # the blueprint's FieldError answer: 422 naming the field
    db.session.commit()
    return _answer(scope, call, created), 201 if created else 200


def _answer(scope: CallScope, call: LeadCall, created: bool) -> dict[str, Any]:
    event = scope.event
    work = db.session.get(LeadWork, _work_id(call))
    with force_locale(interface_locale()):
        body = work_dict(work, call.person_id, assignee_names(event, current_user))
    return {**body, "call_id": call.id, "duplicate": not created,
            "called_at": call.called_at.isoformat()}  # fmt: skip


def _work_id(call: LeadCall) -> int | None:
    return db.session.scalar(
        select(LeadWork.id).where(LeadWork.event_id == call.event_id,
                                  LeadWork.person_id == call.person_id)
    )  # fmt: skip


@blp.route("/events/<int:event_id>/leads/<int:person_id>/calls")
class PersonCallsView(MethodView):
    def post(self, event_id: int, person_id: int) -> tuple[dict[str, Any], int]:
        """Record a call of a person's lead once per ``idempotency_key``."""
        scope = call_scope(event_id, current_user)
        if not may_work(current_user):
            abort(403, message=NOT_AN_OFFICER)
        return _record(scope, _in_part(scope, person_id), _body())


@blp.route("/events/<int:event_id>/comments/<int:comment_id>/calls")
class CommentCallsView(MethodView):
    def post(self, event_id: int, comment_id: int) -> tuple[dict[str, Any], int]:
        """Record a call of the lead of the comment's author once per ``idempotency_key``."""
        scope = call_scope(event_id, current_user)
        if not may_work(current_user):
            abort(403, message=NOT_AN_OFFICER)
        body = _body()
        known_person = comment_people(scope.event.id, [comment_id]).get(comment_id)
        if scope.part is not None:
            # A commenter not yet made a person is nobody's part; don't register them for it.
            _in_part(scope, known_person)
        known = stored(current_user.id, str(body.get("idempotency_key") or ""))
        if known is not None and (known.event_id, known.person_id) == (event_id, known_person):
            # A retry: its commenter was made a person by the first arrival, whose call stands.
            return _answer(scope, known, False), 200
        person_id = person_of_comment(scope.event, comment_id)
        return _record(scope, person_id, body)
