"""Read-side queries of the events pages; every one starts from app.scoping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import joinedload

from app.events.status import shown_status_sql
from app.extensions import db
from app.models import (
    Attendance,
    BridgePoint,
    Campaign,
    Event,
    ImportBatch,
    OrgUnit,
    User,
    utcnow,
)
from app.scoping import campaigns_seen, scoped, subtree_ids, unit_in_scope, visible_events
from app.timeparse import as_utc


def event_list(
    user: User,
    *,
    channel: str | None = None,
    status: str | None = None,
    unit: OrgUnit | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    now: datetime | None = None,
) -> Select[Any]:
    stmt = visible_events(select(Event), user).options(
        joinedload(Event.org_unit), joinedload(Event.campaign)
    )
    if channel:
        stmt = stmt.where(Event.channel == channel)
    if status:
        # What the rows show (``shown_status``), not the stored status: "live" takes the
        # scheduled events under way by their schedule, "overdue" those past their end.
        stmt = stmt.where(shown_status_sql(status, now or utcnow()))
    if unit is not None:
        stmt = stmt.where(Event.org_unit_id.in_(subtree_ids(unit)))
    if date_from:
        stmt = stmt.where(Event.planned_start >= as_utc(datetime.combine(date_from, time())))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time())
        stmt = stmt.where(Event.planned_start < as_utc(end))
    return stmt.order_by(Event.planned_start.desc().nulls_last(), Event.id.desc())


def campaigns_for(user: User) -> list[Campaign]:
    """The campaigns the user sees: their subtree's, and those run by the units above theirs."""
    stmt = campaigns_seen(select(Campaign), user).options(joinedload(Campaign.org_unit))
    return list(db.session.scalars(stmt.order_by(Campaign.starts_on.desc(), Campaign.id.desc())))


def runs_above(campaign: Campaign, user: User) -> bool:
    """Whether a campaign the user sees is run by a unit above theirs (seen in part, not theirs
    to change)."""
    return not unit_in_scope(campaign.org_unit, user)


def unit_by_code(code: str) -> OrgUnit | None:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def campaign_events(campaign: Campaign, user: User) -> Select[Any]:
    """The campaign's events the user may see, newest first."""
    stmt = scoped(select(Event), Event, user).where(Event.campaign_id == campaign.id)
    return stmt.options(joinedload(Event.org_unit)).order_by(
        Event.planned_start.desc().nulls_last(), Event.id.desc()
    )


@dataclass(frozen=True)
class Attendees:
    """Who the event's records say came: people by how they were seen, and the sheets imported."""

    people: int  # each person once, however many ways they were seen
    by_source: list[tuple[str, int]]  # (Attendance.source, people), most first
    imports: list[ImportBatch]  # attendee sheets, newest first
    # People present as the reports count them, for a conference or small group held without
    # halls (its attendee sheets and check-ins say who came); None otherwise: with halls, the
    # hall board shows their head counts.
    present: int | None = None


def present_without_halls(event: Event, now: datetime | None = None) -> int | None:
    """The reports' "people present" of a conference or small group held that has no halls, read
    by the reports' own functions (``app.reports.sources``); None for any other event."""
    from app.reports.facts import is_held  # app.reports reads the events' queries
    from app.reports.sources import people_identified, people_present

    if not event.channel.has_halls or not is_held(event.actual_start or event.planned_start,
                                                  now or utcnow()):  # fmt: skip
        return None
    if db.session.scalar(select(BridgePoint.id).where(BridgePoint.event_id == event.id).limit(1)):
        return None
    ids = select(Event.id).where(Event.id == event.id)
    counted = people_present(ids)
    return counted.get(event.id, len(people_identified(ids).get(event.id, frozenset())))


def followed_live(targets: int, halls: int) -> bool:
    """Whether the live page has anything to follow: a collection target, or halls sending their
    head counts. Every link to the live page asks this (event page, home, the live page itself).
    A livestream or post with neither (its links not tracked yet) would show counters at nought;
    a conference or small group with neither (people met in one room, the attendee sheet
    imported afterwards) has nothing that arrives live: its people present are on the event
    page."""
    return bool(targets) or bool(halls)


def attendees_of(event: Event) -> Attendees:
    """The event's attendance in three small reads (a sheet imported weeks after the event shows
    here at once: its rows are dated by the event, not by the import)."""
    event_id = event.id
    mine = Attendance.event_id == event_id
    people = db.session.scalar(select(func.count(distinct(Attendance.person_id))).where(mine))
    rows = db.session.execute(
        select(Attendance.source, func.count(distinct(Attendance.person_id)))
        .where(mine)
        .group_by(Attendance.source)
    ).all()
    imports = db.session.scalars(
        select(ImportBatch)
        .where(ImportBatch.event_id == event_id, ImportBatch.kind == "attendees")
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
    ).all()
    by_source = sorted(((s, int(n)) for s, n in rows), key=lambda r: (-r[1], r[0]))
    return Attendees(int(people or 0), by_source, list(imports), present_without_halls(event))
