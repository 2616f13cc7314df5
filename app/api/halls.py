"""Halls (bridge points) of an event in /api/v1/: set them from the org-unit tree, list their
links and states (connected to the meeting, head count sent), list the platform participants and
assign one to a hall, or mark its name as no hall."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validates_schema
from sqlalchemy import select

from app import audit
from app.api.routes import blp, require_role
from app.extensions import db
from app.halls import queries, services
from app.halls.links import BornExpired, checkin_url, expires_at, has_link, renew_link
from app.halls.roster import assign, mark_not_a_hall
from app.halls.state import HallState, hall_states
from app.models import BridgePoint, Event, Participant, Role, Target, utcnow
from app.realtime import publish_soon
from app.scoping import get_scoped

ORGANISER = Role.OFFICER


class BridgePointsIn(Schema):
    communes = fields.Raw(required=True)  # a list of commune codes, or "all"
    expected = fields.Dict(keys=fields.String(), values=fields.Integer(), load_default=dict)

    @validates_schema
    def _communes(self, data: dict[str, Any], **_: Any) -> None:
        value = data.get("communes")
        ok = value == "all" or (isinstance(value, list) and all(isinstance(c, str) for c in value))
        if not ok:
            raise ValidationError('a list of commune codes, or "all"', field_name="communes")


def _states(event: Event) -> dict[int, HallState]:
    return {s.id: s for s in hall_states(event.id, utcnow())}


def _out(point: Any, state: HallState | None) -> dict[str, Any]:
    """A hall with its link and its state: ``connected`` only when the meeting platform saw it
    join (a matched participant), ``status`` one of ``app.halls.state.STATUSES``.

    ``checkin_url`` and ``expires_at`` are null for a hall added once its event was over: it has
    no link (``services.set_bridge_points``)."""
    latest = services.latest_head_count(point)
    linked = has_link(point)
    expires = expires_at(point) if linked else None
    return {
        "id": point.id,
        "commune": point.org_unit.code,
        "name": point.org_unit.name,
        "expected": point.expected_attendance,
        "contact_name": point.contact_name,
        "checkin_url": checkin_url(point) if linked else None,
        "revoked": point.checkin_revoked_at is not None,
        "expires_at": expires.isoformat() if expires else None,
        "head_count": latest.head_count if latest else None,
        "reported_at": latest.reported_at.isoformat() if latest else None,
        "connected": state.connected if state else False,
        "first_join": state.first_join.isoformat() if state and state.first_join else None,
        "status": state.status if state else "not_connected",
    }


@blp.route("/events/<int:event_id>/bridge-points")
class BridgePoints(MethodView):
    def get(self, event_id: int) -> list[dict[str, Any]]:
        """The halls with their secret check-in links (organisers only), in Vietnamese order of
        the commune names, as the pages list them."""
        event = get_scoped(Event, event_id, current_user)
        require_role(ORGANISER)
        states = _states(event)
        return [_out(p, states.get(p.id)) for p in services.points_of(event)]

    @blp.arguments(BridgePointsIn)
    def post(self, data: dict[str, Any], event_id: int) -> tuple[list[dict[str, Any]], int]:
        """Create or update halls: `{"communes": ["17506", …] | "all", "expected": {code: n}}`.

        Halls added once the event is over (its links worked until a day after its end) get no
        check-in link: `checkin_url` is null. Their head counts and participants can still be
        recorded; correct the event's dates, then `…/renew` gives such a hall a link."""
        event = get_scoped(Event, event_id, current_user)
        require_role(ORGANISER)
        try:
            points = services.set_bridge_points(event, data["communes"], data["expected"])
        except services.HallError as exc:
            db.session.rollback()
            abort(
                422,
                message=f"{exc.field}: {exc.message}",
                errors={"json": {exc.field: [exc.message]}},
            )
        db.session.commit()
        states = _states(event)
        return [_out(p, states.get(p.id)) for p in points], 201


@blp.route("/events/<int:event_id>/bridge-points/<int:bridge_point_id>/renew")
class RenewLink(MethodView):
    def post(self, event_id: int, bridge_point_id: int) -> dict[str, Any]:
        """A new check-in link for the hall (the old one stops working). Refused (409) once the
        event is over: the new link would be expired from birth."""
        event = get_scoped(Event, event_id, current_user)
        require_role(ORGANISER)
        point = db.session.get(BridgePoint, bridge_point_id)
        if point is None or point.event_id != event.id:
            abort(404, message=f"no bridge point {bridge_point_id} in event {event.id}")
        try:
            renew_link(point)
        except BornExpired as exc:
            abort(409, message=exc.localized(), errors={"json": {"event": ["event_over"]}})
        audit.record("bridge_point.renew", current_user, "bridge_point", point.id)
        db.session.commit()
        return _out(point, _states(event).get(point.id))


class AssignIn(Schema):
    bridge_point_id = fields.Integer(required=True)


def _participant_out(p: Any, points: dict[int, Any]) -> dict[str, Any]:
    point = points.get(p.bridge_point_id)
    return {
        "id": p.id,
        "display_name": p.display_name,
        "joined_at": p.joined_at.isoformat(),
        "left_at": p.left_at.isoformat() if p.left_at else None,
        "bridge_point_id": p.bridge_point_id,
        "commune": point.org_unit.code if point else None,
        "not_a_hall": p.not_a_hall,
    }


@blp.route("/events/<int:event_id>/participants")
class EventParticipants(MethodView):
    def get(self, event_id: int) -> list[dict[str, Any]]:
        """Platform participants of the event; `?unmatched=1` lists those no hall claimed yet
        and not marked as no hall."""
        event = get_scoped(Event, event_id, current_user)
        require_role(ORGANISER)
        stmt = (
            select(Participant)
            .join(Target, Target.id == Participant.target_id)
            .where(Target.event_id == event.id)
            .order_by(Participant.joined_at, Participant.id)
        )
        if request.args.get("unmatched") in ("1", "true"):
            stmt = stmt.where(
                Participant.bridge_point_id.is_(None), Participant.not_a_hall.is_(False)
            )
        points = {p.id: p for p in services.points_of(event)}
        return [_participant_out(p, points) for p in db.session.scalars(stmt)]


@blp.route("/events/<int:event_id>/participants/<int:participant_id>/assign")
class AssignParticipant(MethodView):
    @blp.arguments(AssignIn)
    def post(self, data: dict[str, Any], event_id: int, participant_id: int) -> dict[str, Any]:
        """Assign a participant to a hall; the name is remembered for later conferences."""
        event = get_scoped(Event, event_id, current_user)
        require_role(ORGANISER)
        participant = _participant_or_404(event, participant_id)
        point = db.session.get(BridgePoint, data["bridge_point_id"])
        if point is None or point.event_id != event.id:
            abort(422, message="bridge_point_id: not a bridge point of this event",
                  errors={"json": {"bridge_point_id": ["unknown"]}})  # fmt: skip
        moved = assign(event.id, participant, point, current_user.id)
        db.session.commit()
        publish_soon(event.id, "assignment")
        return {"assigned": moved, "bridge_point_id": point.id, "commune": point.org_unit.code}


def _participant_or_404(event: Event, participant_id: int) -> Participant:
    participant = queries.participant_of(event, participant_id)
    if participant is None:
        abort(404, message=f"no participant {participant_id} in event {event.id}")
    return participant


@blp.route("/events/<int:event_id>/participants/<int:participant_id>/not-a-hall")
class NotAHall(MethodView):
    """The host's room, a staff phone, a presenter: its name leaves the unmatched list for this
    event (every hall-less session under the exact name, and later ones), with no hall."""

    def post(self, event_id: int, participant_id: int) -> dict[str, Any]:
        """Mark the participant's name as no hall."""
        return _mark(event_id, participant_id, marked=True)

    def delete(self, event_id: int, participant_id: int) -> dict[str, Any]:
        """Undo the mark: the name is listed as unmatched again."""
        return _mark(event_id, participant_id, marked=False)


def _mark(event_id: int, participant_id: int, *, marked: bool) -> dict[str, Any]:
    event = get_scoped(Event, event_id, current_user)
    require_role(ORGANISER)
    participant = _participant_or_404(event, participant_id)
    changed = mark_not_a_hall(event.id, participant, marked)
    action = "participant.not_a_hall" if marked else "participant.not_a_hall_undo"
    audit.record(action, current_user, "event", event.id,
                 display_name=participant.display_name, participants=changed)  # fmt: skip
    db.session.commit()
    return {"not_a_hall": marked, "changed": changed, "display_name": participant.display_name}
