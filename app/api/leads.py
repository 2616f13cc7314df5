"""Leads an officer works through, in /api/v1/: read their status and assignee, change them.

``PATCH /events/<id>/leads/<person_id>`` changes a person's lead; ``PATCH
/events/<id>/comments/<comment_id>/lead`` the lead of the comment's author (registered as a person
if not yet), what the live page's comment cards send. The body holds any of ``status`` (a code,
or its Vietnamese label), ``assignee_id`` (null: nobody), ``notes``, ``next_call_on``; a
``call_back`` names its day (``next_call_on`` sent, or the lead's own from today on). Browser
sessions send the CSRF token, scripts a Bearer token; a refused value answers 422 naming it.

A commune's officer on the province's event works its commune's people's leads alone, and gives
them only to the commune's officers (``app.followup.lead_assign``): another person answers 404,
another unit's user 422, a viewer 403, each with its ``message`` in Vietnamese.

The statuses' labels (``status_label``, ``statuses[].label``) are words for people, given in the
caller's interface language as the pages are (``app.languages.interface_locale``: the session's
choice, else the account's, else Vietnamese); ``status`` stays the code scripts compare.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_babel import force_locale
from flask_login import current_user
from flask_smorest import abort

from app.api.routes import blp
from app.events.services import FieldError
from app.extensions import db
from app.followup.call_scope import CallScope, call_scope, people_communes
from app.followup.lead_assign import (
    NOT_AN_OFFICER,
    NOT_IN_PART,
    NotAllowed,
    NotAssignable,
    NotInPart,
    assignee_choices,
    assignee_names,
    commune_officers,
    may_work,
)
from app.followup.lead_status import status_choices
from app.followup.lead_work import (
    comment_people,
    person_of_comment,
    update_lead,
    work_dict,
    work_of_event,
)
from app.followup.numbers_left import comments_with_a_number
from app.languages import interface_locale
from app.models import Event, LeadWork

MAX_COMMENT_IDS = 500


def _comment_ids() -> list[int]:
    raw = request.args.get("comment_ids", "")
    parts = [p for p in raw.split(",") if p.strip()]
    if not all(p.strip().isdigit() for p in parts) or len(parts) > MAX_COMMENT_IDS:
        abort(422, message=f"comment_ids: up to {MAX_COMMENT_IDS} comment ids, comma-separated",
              errors={"query": {"comment_ids": ["invalid"]}})  # fmt: skip
    return [int(p) for p in parts]


def _commune_assignees(scope: CallScope, person_ids: set[int]) -> dict[str, Any]:
    """For the event seen whole: the communes of these people (``people_communes``) and, per
    commune, the officers their leads may also go to."""
    communes = people_communes(scope.event.id, person_ids)
    wanted = {c for cs in communes.values() for c in cs}
    groups = commune_officers(scope, current_user, wanted)
    return {
        "lead_communes": {str(p): sorted(cs) for p, cs in communes.items()},
        "commune_assignees": [
            {"commune_id": g.unit.id, "commune": g.unit.name, "label": g.label(),
             "assignees": [{"id": i, "name": n} for i, n in g.names.items()]}
            for g in groups
        ],
    }  # fmt: skip


def _leads_body(scope: CallScope, work: dict[int, LeadWork], names: dict[int, str],
                people: dict[int, int | None], masked: bool) -> dict[str, Any]:  # fmt: skip
    event = scope.event
    persons = {*work, *(p for p in people.values() if p is not None)}
    numbered = comments_with_a_number(people)
    return {
        "may_work": may_work(current_user),
        "me": current_user.id,
        "statuses": status_choices(),
        "assignees": [
            {"id": i, "name": n} for i, n in assignee_choices(event, current_user).items()
        ],
        "leads": [work_dict(w, pid, names, masked=masked) for pid, w in work.items()],
        # ``left_a_number``: whether the author left one, so a card offers a call's outcomes
        "comments": {
            str(cid): {
                **work_dict(work.get(pid) if pid else None, pid, names, masked=masked),
                "left_a_number": cid in numbered,
            }
            for cid, pid in people.items()
        },
        **_commune_assignees(scope, persons),
    }


@blp.route("/events/<int:event_id>/leads")
class EventLeadsView(MethodView):
    def get(self, event_id: int) -> dict[str, Any]:
        """The event's worked leads, the statuses and who may be assigned (``assignees``; the
        province also gives a commune's people to that commune's officers: ``lead_communes``,
        ``commune_assignees``); with ``?comment_ids=1,2`` also the lead of each of these
        comments."""
        scope = call_scope(event_id, current_user)
        event = scope.event
        work = work_of_event(event.id)
        names = assignee_names(event, current_user)  # the holders' names too, for the leads
        people = comment_people(event.id, _comment_ids())
        if scope.part is not None:  # a commune's part: its own people's leads alone
            mine = scope.kept({*work, *(p for p in people.values() if p is not None)})
            work = {pid: w for pid, w in work.items() if pid in mine}
            people = {cid: pid for cid, pid in people.items() if pid in mine}
        masked = not may_work(current_user)  # notes masked as on the follow-up list
        with force_locale(interface_locale()):
            return _leads_body(scope, work, names, people, masked)


def _check_kept(scope: CallScope, person_id: int | None) -> None:
    """404 for a lead outside the user's part of the event, as for an event they cannot see."""
    if person_id is None or person_id not in scope.kept([person_id]):
        abort(404, message=str(NOT_IN_PART))


def _changes() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body:
        raise FieldError(
            "json", "send a JSON object with status, assignee_id, notes or next_call_on"
        )
    return body


def _answer(event: Event, person_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    try:
        work: LeadWork = update_lead(event, person_id, current_user, changes)
    except NotInPart:
        db.session.rollback()
        abort(404, message=str(NOT_IN_PART))
    except NotAllowed:
        db.session.rollback()
        abort(403, message=str(NOT_AN_OFFICER))
    except NotAssignable:
        db.session.rollback()
        raise  # the blueprint's FieldError answer: 422 naming the field, as every field error
    db.session.commit()
    with force_locale(interface_locale()):
        return work_dict(work, person_id, assignee_names(event, current_user))


@blp.route("/events/<int:event_id>/leads/<int:person_id>")
class PersonLeadView(MethodView):
    def patch(self, event_id: int, person_id: int) -> dict[str, Any]:
        """Change a person's lead of the event."""
        scope = call_scope(event_id, current_user)
        _check_kept(scope, person_id)
        return _answer(scope.event, person_id, _changes())


@blp.route("/events/<int:event_id>/comments/<int:comment_id>/lead")
class CommentLeadView(MethodView):
    def patch(self, event_id: int, comment_id: int) -> dict[str, Any]:
        """Change the lead of the comment's author (every comment of theirs is that lead)."""
        scope = call_scope(event_id, current_user)
        event = scope.event
        if not may_work(current_user):
            abort(403, message=str(NOT_AN_OFFICER))
        changes = _changes()
        if scope.part is not None:
            # A commenter not yet made a person is nobody's part; don't register them for it.
            known = comment_people(event.id, [comment_id]).get(comment_id)
            _check_kept(scope, known)
        person_id = person_of_comment(event, comment_id)
        return {**_answer(event, person_id, changes), "comment_id": comment_id}
