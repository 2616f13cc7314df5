"""What matters today for the user's unit, read for the home screen.

Every list starts from ``app.scoping`` (events seen whole or, for a commune, the province's in
part), and each figure comes from the read model that owns it: live numbers from
``app.live.summary`` (``summary_after``, which reads again only the targets that moved since this
process last read them, so a home screen reloaded during a livestream costs what a delta costs),
halls from ``app.halls.state``, alerts from ``app.status.alerts``, a campaign's progress from
``app.reports.campaign``. Nothing is recomputed here. Every list is bounded (the events by their
indexed status and planned start), so the page costs about the same for a commune and for a
province with thousands of events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import joinedload

from app.events.status import UNDATED_LENGTH
from app.extensions import db
from app.halls.meeting import tracks_meeting
from app.halls.state import HallState, hall_states
from app.live.summary import EventSummary, summary_after
from app.models import BridgePoint, Campaign, Event, EventStatus, OrgUnit, Role, User
from app.reports.campaign import enrolled_so_far, not_at_any
from app.reports.parent_part import has_parent_halls
from app.scoping import (
    campaigns_seen,
    in_part,
    participating_event_ids,
    unit_in_scope,
    visible_events,
)
from app.status.alerts import Alert, collection_alerts
from app.timeparse import VN

UPCOMING_DAYS = 7
SHOWN = 15  # events per list; the list's link shows the rest
UNDER_WAY_SHOWN = 10  # each one reads its live summary
CAMPAIGNS_SHOWN = 10


@dataclass(frozen=True)
class UnderWay:
    """An event under way: its live numbers if the user sees it whole, and its halls (all of
    them, or the user's own when they see only their part)."""

    event: Event
    whole: bool
    summary: EventSummary | None
    halls: list[HallState]

    @property
    def halls_missing(self) -> list[HallState]:
        """The halls to call: not connected to the meeting (a head count alone does not
        connect one); in person, where there is no meeting, those with no head count yet."""
        if tracks_meeting(self.event):
            return [h for h in self.halls if not h.connected]
        return [h for h in self.halls if not h.reported]


@dataclass(frozen=True)
class Listed:
    events: list[Event]
    more: bool  # more than shown: the list links to the whole list


@dataclass(frozen=True)
class CampaignLine:
    campaign: Campaign
    enrolled: int  # of ``part`` alone when it is given
    days_left: int
    part: OrgUnit | None = None  # run by a unit above: the user's unit, whose part is counted
    not_at_activities: int = 0  # of ``enrolled``, at none of its events (``not_at_any``)

    @property
    def share(self) -> float | None:
        """The share of the goal; None in part (the goal is the whole campaign's)."""
        if self.part is not None or not self.campaign.goal:
            return None
        return self.enrolled / self.campaign.goal


@dataclass(frozen=True)
class Home:
    today: date
    under_way: list[UnderWay]
    more_under_way: bool
    today_events: Listed
    upcoming: Listed
    alerts: list[Alert]
    campaigns: list[CampaignLine]
    part: set[int]  # ids of the listed events the user sees only in part
    # A commune's halls took part in a unit above's events, which its own report does not count.
    parent_halls: bool = False
    # Scheduled events past their planned hours that no one set as ended (newest first).
    overdue: Listed = Listed([], False)
    mends_collection: bool = False  # may act on the alerts (``COLLECTION_MENDERS``)

    upcoming_days: int = UPCOMING_DAYS

    @property
    def upcoming_until(self) -> date:
        return self.today + timedelta(days=self.upcoming_days)

    @property
    def halls_missing(self) -> list[UnderWay]:
        return [u for u in self.under_way if u.halls_missing]


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Midnight to midnight in Vietnam, as aware times."""
    start = datetime.combine(day, time(), tzinfo=VN)
    return start, datetime.combine(day + timedelta(days=1), time(), tzinfo=VN)


def _events(user: User, taking_part: list[int]) -> Select[Any]:
    return visible_events(select(Event), user, taking_part).options(joinedload(Event.org_unit))


def under_way_filter(now: datetime) -> ColumnElement[bool]:
    """Live, or scheduled and inside its planned hours (an in-person conference has no target
    to say it went live): ``app.events.status.shown_status``'s live and under way, in SQL."""
    in_hours = or_(
        Event.planned_end > now,
        and_(Event.planned_end.is_(None), Event.planned_start > now - UNDATED_LENGTH),
    )
    scheduled_now = and_(
        Event.status == EventStatus.SCHEDULED, Event.planned_start <= now, in_hours
    )
    return or_(Event.status == EventStatus.LIVE, scheduled_now)


def _under_way(user: User, now: datetime, taking_part: list[int]) -> tuple[list[UnderWay], bool]:
    stmt = (
        _events(user, taking_part)
        .where(under_way_filter(now))
        .order_by(Event.planned_start.nulls_last(), Event.id)
        .limit(UNDER_WAY_SHOWN + 1)
    )
    events = list(db.session.scalars(stmt))
    out = []
    for event in events[:UNDER_WAY_SHOWN]:
        if unit_in_scope(event.org_unit, user):
            summary = summary_after(event.id)
            out.append(UnderWay(event, True, summary, summary.halls or []))
        else:
            own = hall_states(event.id, now, only=in_part(BridgePoint, user))
            out.append(UnderWay(event, False, None, own))
    return out, len(events) > UNDER_WAY_SHOWN


def overdue_filter(now: datetime) -> ColumnElement[bool]:
    """Still scheduled, its planned hours over: ``app.events.status.shown_status``'s overdue,
    in SQL."""
    over = or_(
        Event.planned_end <= now,
        and_(Event.planned_end.is_(None), Event.planned_start <= now - UNDATED_LENGTH),
    )
    return and_(Event.status == EventStatus.SCHEDULED, Event.planned_start <= now, over)


def _overdue(user: User, now: datetime, taking_part: list[int]) -> Listed:
    stmt = (
        _events(user, taking_part)
        .where(overdue_filter(now))
        .order_by(Event.planned_start.desc(), Event.id.desc())
        .limit(SHOWN + 1)
    )
    events = list(db.session.scalars(stmt))
    return Listed(events[:SHOWN], len(events) > SHOWN)


def _listed(
    user: User, taking_part: list[int], start: datetime, end: datetime, leave_out: set[int]
) -> Listed:
    stmt = _events(user, taking_part).where(Event.planned_start >= start, Event.planned_start < end)
    if leave_out:
        stmt = stmt.where(Event.id.not_in(leave_out))
    stmt = stmt.order_by(Event.planned_start, Event.id).limit(SHOWN + 1)
    events = list(db.session.scalars(stmt))
    return Listed(events[:SHOWN], len(events) > SHOWN)


def running_campaigns(user: User, today: date) -> list[CampaignLine]:
    """The campaigns running today that the user sees: their subtree's, counted whole, and those
    of the units above, counted in their unit's part (as the campaign's page reads them)."""
    stmt = (
        campaigns_seen(select(Campaign), user)
        .where(Campaign.starts_on <= today, Campaign.ends_on >= today)
        .options(joinedload(Campaign.org_unit))
        .order_by(Campaign.ends_on, Campaign.id)
        .limit(CAMPAIGNS_SHOWN)
    )
    lines = []
    for c in db.session.scalars(stmt):
        part = None if unit_in_scope(c.org_unit, user) else user.org_unit
        days_left = (c.ends_on - today).days
        lines.append(
            CampaignLine(c, enrolled_so_far(c, part), days_left, part, not_at_any(c, part))
        )
    return lines


# Collection is mended by connecting and checking accounts (app.connect: a manager and above);
# an officer or a viewer can only pass its alerts on, and is shown none when there are none.
COLLECTION_MENDERS = Role.MANAGER


def home_for(user: User, now: datetime) -> Home:
    """The home screen of ``user`` at ``now`` (aware; "today" is Vietnam's day)."""
    today = now.astimezone(VN).date()
    start, end = local_day_bounds(today)
    taking_part = participating_event_ids(user)  # read once for the three lists
    under_way, more = _under_way(user, now, taking_part)
    overdue = _overdue(user, now, taking_part)
    shown = {u.event.id for u in under_way} | {e.id for e in overdue.events}
    today_events = _listed(user, taking_part, start, end, shown)
    upcoming = _listed(user, taking_part, end, end + timedelta(days=UPCOMING_DAYS), shown)
    listed = [u.event for u in under_way] + today_events.events + upcoming.events + overdue.events
    return Home(
        today=today,
        under_way=under_way,
        more_under_way=more,
        today_events=today_events,
        upcoming=upcoming,
        alerts=collection_alerts(user, now),
        campaigns=running_campaigns(user, today),
        part={e.id for e in listed if not unit_in_scope(e.org_unit, user)},
        parent_halls=has_parent_halls(user, now),
        overdue=overdue,
        mends_collection=user.has_role(COLLECTION_MENDERS),
    )
