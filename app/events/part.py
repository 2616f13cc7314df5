"""An event seen in part: what a commune sees of the province's conference it takes part in.

Its own halls (state, head counts, the check-in link) and the attendees who live in it, each read
through ``app.scoping.in_part``, so nothing of another commune is even fetched; and, as the
province's page says it, a platform's start well off the plan (``app.events.start_gap``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.collation import sorted_vietnamese
from app.events.start_gap import event_start_gap
from app.extensions import db
from app.halls import window
from app.halls.links import checkin_url, event_over, expires_at
from app.halls.state import HallState, hall_states
from app.models import Attendance, BridgePoint, Event, OrgUnit, Person, User
from app.scoping import in_part

ATTENDEES_SHOWN = 500


@dataclass(frozen=True)
class OwnHall:
    state: HallState
    link: str | None  # None once revoked or expired: the link would open nothing
    expires: datetime | None
    # The commune's officers import the hall's attendee sheet from its reports' opening on,
    # however late (the link's end does not bound it); once the event is over no new link is
    # issued, so the import is the only way left.
    sheet_open: bool = False
    over: bool = False


@dataclass(frozen=True)
class Attendee:
    name: str
    birth_year: int | None
    hamlet: str
    commune: str
    hall: str
    seen_at: datetime


@dataclass(frozen=True)
class EventPart:
    halls: list[OwnHall]
    attendees: list[Attendee]
    more_attendees: bool
    start_gap: str = ""  # the platform's start off the plan, in words (or "")


def own_halls(event: Event, user: User, now: datetime) -> list[OwnHall]:
    states = {s.id: s for s in hall_states(event.id, now, only=in_part(BridgePoint, user))}
    points = {
        p.id: p
        for p in db.session.scalars(
            select(BridgePoint)
            .options(joinedload(BridgePoint.event))
            .where(BridgePoint.id.in_(list(states)))
        )
    }
    out = []
    for point in (points[i] for i in states):  # the halls' Vietnamese order
        expires = expires_at(point)
        usable = point.checkin_token and point.checkin_revoked_at is None
        usable = usable and (expires is None or now <= expires)
        link = checkin_url(point) if usable else None
        opened = window.not_open_yet(point.event, now) is None
        out.append(OwnHall(states[point.id], link, expires, opened, event_over(point.event, now)))
    return out


def own_attendees(event: Event, user: User) -> tuple[list[Attendee], bool]:
    """The event's attendees who live in the user's units, by name (each person once)."""
    hall_unit = OrgUnit.__table__.alias("hall_unit")
    stmt = (
        select(
            Person.id,
            Person.full_name,
            Person.birth_year,
            Person.hamlet,
            OrgUnit.name,
            hall_unit.c.name,
            Attendance.touched_at,
        )  # fmt: skip
        .join(Attendance, Attendance.person_id == Person.id)
        .join(OrgUnit, OrgUnit.id == Person.commune_id)
        .outerjoin(BridgePoint, BridgePoint.id == Attendance.bridge_point_id)
        .outerjoin(hall_unit, hall_unit.c.id == BridgePoint.org_unit_id)
        .where(Attendance.event_id == event.id, in_part(Person, user), Person.erased_at.is_(None))
        .order_by(Person.name_folded, Person.id, Attendance.touched_at)
    )
    seen: dict[int, Attendee] = {}
    # Columns only: the person's encrypted identifiers are not shown, so never decrypted.
    for person_id, name, birth_year, hamlet, commune, hall, at in db.session.execute(stmt):
        if person_id not in seen:
            seen[person_id] = Attendee(name, birth_year, hamlet, commune, hall or "", at)
        if len(seen) > ATTENDEES_SHOWN:
            break
    rows = list(seen.values())
    # The first ATTENDEES_SHOWN by folded name (SQL), shown in Vietnamese order (here).
    shown = sorted_vietnamese(rows[:ATTENDEES_SHOWN], key=lambda a: a.name)
    return shown, len(rows) > ATTENDEES_SHOWN


def event_part(event: Event, user: User, now: datetime) -> EventPart:
    attendees, more = own_attendees(event, user)
    return EventPart(own_halls(event, user, now), attendees, more, event_start_gap(event))
