"""Read-side SQL of the organiser pages: halls with their communes, unmatched names, aliases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.collation import sorted_vietnamese, vietnamese_key
from app.extensions import db
from app.models import BridgePoint, Event, HallAlias, OrgUnit, Participant, Target


def points(event: Event) -> list[BridgePoint]:
    """The event's halls with their communes loaded, in Vietnamese order of the commune names
    (a province has at most a few hundred communes: sorted here, SQLite can't collate them)."""
    found = db.session.scalars(
        select(BridgePoint)
        .join(OrgUnit, OrgUnit.id == BridgePoint.org_unit_id)
        .options(joinedload(BridgePoint.org_unit))
        .where(BridgePoint.event_id == event.id)
        .order_by(OrgUnit.code)
    )
    return sorted_vietnamese(found, key=lambda p: p.org_unit.name)


def point_of(event: Event, point_id: Any) -> BridgePoint | None:
    """A hall of this event by the id a form sent, or None (a foreign or made-up id)."""
    try:
        ident = int(point_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(
        select(BridgePoint).where(BridgePoint.id == ident, BridgePoint.event_id == event.id)
    )


def participant_of(event: Event, participant_id: Any) -> Participant | None:
    try:
        ident = int(participant_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(
        select(Participant)
        .join(Target, Target.id == Participant.target_id)
        .where(Participant.id == ident, Target.event_id == event.id)
    )


@dataclass(frozen=True)
class UnmatchedName:
    """One display name no hall claimed, with its sessions (rejoins and devices) together."""

    participant_id: int  # the first session's: what the assign form sends
    display_name: str
    sessions: int
    first_join: datetime
    platforms: str


def unmatched_names(event: Event) -> list[UnmatchedName]:
    """The platform participants of the event that matched no hall, one row per name; the names
    the organiser marked as no hall are left out (``not_hall_names``)."""
    return _hall_less_names(event, not_a_hall=False)


def not_hall_names(event: Event) -> list[UnmatchedName]:
    """The names the organiser marked as no hall (the host, a staff phone), to undo the mark."""
    return _hall_less_names(event, not_a_hall=True)


def _hall_less_names(event: Event, *, not_a_hall: bool) -> list[UnmatchedName]:
    rows = db.session.execute(
        select(
            Participant.display_name,
            func.min(Participant.id),
            func.count(Participant.id),
            func.min(Participant.joined_at),
            func.min(Target.kind),
        )
        .join(Target, Target.id == Participant.target_id)
        .where(
            Target.event_id == event.id,
            Participant.bridge_point_id.is_(None),
            Participant.not_a_hall.is_(not_a_hall),
        )
        .group_by(Participant.display_name)
        .order_by(func.min(Participant.joined_at), Participant.display_name)
    ).all()
    # min() keeps the column's UTC type, so first_join comes back aware on SQLite too.
    return [UnmatchedName(pid, name, n, first, kind) for name, pid, n, first, kind in rows]


@dataclass(frozen=True)
class RememberedName:
    alias_key: str
    commune: str
    created_at: datetime


def remembered_names(event: Event) -> list[RememberedName]:
    """Names organisers assigned by hand to this event's communes, here or at earlier events."""
    rows = db.session.execute(
        select(HallAlias.alias_key, OrgUnit.name, HallAlias.created_at)
        .join(OrgUnit, OrgUnit.id == HallAlias.org_unit_id)
        .join(BridgePoint, BridgePoint.org_unit_id == HallAlias.org_unit_id)
        .where(BridgePoint.event_id == event.id)
        .order_by(OrgUnit.code, HallAlias.alias_key)
    ).all()
    found = [RememberedName(key, name, at) for key, name, at in rows]
    return sorted(found, key=lambda r: (vietnamese_key(r.commune), vietnamese_key(r.alias_key)))


@dataclass(frozen=True)
class HallTotals:
    """An event's halls added up: the event's totals the live page and board show."""

    halls: int
    reporting: int  # halls with a head count
    present: int  # their latest head counts added up
    reports: int
    attendees: int


def event_totals(event_id: int) -> HallTotals:
    """The event's halls added up from the figures each hall keeps (``figures``): as many rows
    as halls, not reports."""
    row = db.session.execute(
        select(
            func.count(),
            func.count(BridgePoint.head_count),
            func.coalesce(func.sum(BridgePoint.head_count), 0),
            func.coalesce(func.sum(BridgePoint.reports), 0),
            func.coalesce(func.sum(BridgePoint.attendees_reported), 0),
        ).where(BridgePoint.event_id == event_id)
    ).one()
    return HallTotals(*(int(v) for v in row))
