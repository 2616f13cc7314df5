"""A campaign's progress: new participants against its goal, by commune and by week, and the
funnel from reach to enrolment (its "called" stage: leads an officer reached,
app.followup.lead_work).

Progress counts every new enrolment of the campaign's scheme paid in its area during its dates,
whatever brought it (what the goal is set on); the funnel's last stage counts only the enrolments
attributed to the campaign's events.

A campaign run by a unit above the user's (the province's, seen from a commune) is read in part
(``part``): the enrolments paid in the user's unit and below, and the funnel and reach of their
own events of it (``app.scoping.get_campaign_view``); the goal stays the campaign's, so no share
of it is claimed for one commune's figures.

The weeks run from the campaign's first week to the current one in Vietnam (its last once it
ended), each with its count, 0 included: a week without enrolments is news, not a gap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select

from app.events.status import shown_status
from app.extensions import db
from app.followup.call_scope import unit_name
from app.followup.lead_work import people_called
from app.followup.queries import COUNTING
from app.models import Attendance, Campaign, Enrolment, Event, Link, OrgKind, OrgUnit, utcnow
from app.reports.facts import ReportFilter, is_held
from app.reports.reconcile import CreditReconciliation, reconcile
from app.reports.report import build_report, credited
from app.reports.still_live import StillLive, still_live
from app.scoping import subtree_ids
from app.timeparse import VN

PART_NOTE = _l(
    "Only the part of %(unit)s is shown: new participants who paid there, and the campaign's "
    "events of %(unit)s. The goal is the whole campaign's, set by %(owner)s."
)


def in_sentence(unit: OrgUnit) -> str:
    """A unit's name inside a sentence: "xã Anh Sơn", "tỉnh Nghệ An"."""
    if unit.kind == OrgKind.COMMUNE:
        return unit_name(unit)
    return unit.name[:1].lower() + unit.name[1:]


def part_note(campaign: Campaign, part: OrgUnit) -> str:
    """What the campaign's page says above the figures of ``part`` alone."""
    return str(PART_NOTE) % {"unit": in_sentence(part), "owner": campaign.org_unit.name}


@dataclass
class CampaignProgress:
    enrolled: int
    goal: int
    by_commune: list[tuple[str, str, int]]  # code, name, new enrolments ("" code: unknown)
    weeks: list[tuple[date, int]]  # Monday of the week, new enrolments
    funnel: dict[str, float]  # people: "identified", then "enrolled" among them
    reach: dict[str, int]  # counts apart, each its own unit: views, interactions, present, called
    part: OrgUnit | None = None  # the unit whose part alone is counted; None: the whole campaign
    # From the channel and monthly reports' credit of the same activities to the funnel's.
    reconciled: CreditReconciliation | None = None
    # Of ``enrolled``, those whose person was at none of the campaign's events (``not_at_any``).
    not_at_activities: int = 0
    # Its events still under way: their reach is the latest read, and will still grow.
    live: StillLive = field(default_factory=StillLive)

    @property
    def share_of_goal(self) -> float | None:
        """The share of the goal reached; None in part (the goal is the whole campaign's)."""
        return self.enrolled / self.goal if self.goal and self.part is None else None


@dataclass(frozen=True)
class EventRow:
    """One event of the campaign's list, and whether it is held at the page's moment: its cost
    shows as spent, else as planned, as the reports count it (``facts.is_held``). Its status is
    the one the events list shows and filters (``app.events.status.shown_status``)."""

    event: Event
    held: bool
    status: str


def event_rows(events: Iterable[Event], now: datetime) -> list[EventRow]:
    return [EventRow(e, is_held(e.start, now), shown_status(e, now)) for e in events]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_list(campaign: Campaign, per_week: dict[date, int], today: date) -> list[tuple[date, int]]:
    """Every week (its Monday) from the campaign's start to ``today``'s week, or its end's once
    it ended (none before it starts); any later week that holds enrolments too, so the weeks
    add up to the progress."""
    end = min(today, campaign.ends_on)
    last = monday(end) if end >= campaign.starts_on else date.min
    if per_week:
        last = max(last, max(per_week))
    weeks, week = [], monday(campaign.starts_on)
    while week <= last:
        weeks.append((week, per_week.get(week, 0)))
        week += timedelta(days=7)
    return weeks


def counted(campaign: Campaign, part: OrgUnit | None = None) -> tuple[ColumnElement[bool], ...]:
    """What the goal counts: new enrolments of the campaign's scheme paid in its area during its
    dates (an index range on ``paid_on``); in ``part``'s area alone when it is given (a unit
    inside the campaign's)."""
    area = subtree_ids(part or campaign.org_unit)
    e = Enrolment
    return (
        e.is_new.is_(True),
        e.scheme == campaign.scheme,
        e.paid_on >= campaign.starts_on,
        e.paid_on <= campaign.ends_on,
        or_(e.commune_id.in_(area), e.org_unit_id.in_(area)),
    )


def enrolled_so_far(campaign: Campaign, part: OrgUnit | None = None) -> int:
    """The progress figure alone (the home screen's), without the funnel's report; of
    ``part``'s area alone when it is given."""
    stmt = select(func.count()).select_from(Enrolment).where(*counted(campaign, part))
    return int(db.session.scalar(stmt) or 0)


def not_at_any(campaign: Campaign, part: OrgUnit | None = None) -> int:
    """Of the new participants the goal counts, those no counting link ties to a person seen at
    one of the campaign's events (sheet, check-in, roster, comment lead): counted one by one,
    so it says why attribution cannot reach them, where "goal minus attributed" would mix
    them with people credited outside the dates or the window."""
    seen = (
        select(Link.enrolment_id)
        .join(Attendance, Attendance.person_id == Link.person_id)
        .join(Event, Event.id == Attendance.event_id)
        .where(Link.status.in_(COUNTING), Event.campaign_id == campaign.id)
    )
    stmt = (
        select(func.count())
        .select_from(Enrolment)
        .where(*counted(campaign, part), Enrolment.id.not_in(seen))
    )
    return int(db.session.scalar(stmt) or 0)


def campaign_progress(
    campaign: Campaign, *, now: datetime | None = None, part: OrgUnit | None = None
) -> CampaignProgress:
    """The page's figures at ``now`` (aware; default the app's clock), whose Vietnamese day
    ends the weeks; ``part``'s alone when it is given (its enrolments, its events)."""
    now = now or utcnow()
    today = now.astimezone(VN).date()
    e = Enrolment
    rows = db.session.execute(
        select(e.commune_id, e.paid_on, func.count())
        .where(*counted(campaign, part))
        .group_by(e.commune_id, e.paid_on)
    ).all()
    per_commune: dict[int | None, int] = defaultdict(int)
    per_week: dict[date, int] = defaultdict(int)
    for commune_id, paid_on, n in rows:
        per_commune[commune_id] += n
        per_week[monday(paid_on)] += n
    names = dict(
        (i, (c, nm))
        for i, c, nm in db.session.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.name).where(
                OrgUnit.id.in_([k for k in per_commune if k is not None])
            )
        )
    )
    by_commune = sorted(
        ((*names.get(k, ("", "")), n) for k, n in per_commune.items()),
        key=lambda r: (-r[2], r[0]),
    )
    f = ReportFilter(
        unit=part or campaign.org_unit,
        campaign=campaign,
        window_days=campaign.attribution_window_days,
    )
    report = build_report(f, per_event=False, now=now)
    channels = report.by_channel()
    totals = report.totals()
    funnel = {"identified": totals["identified"], "enrolled": totals["enrolments"]}
    reach = {
        "views": sum(c.reach for c in channels if c.reach_kind == "views"),
        "interactions": totals["interactions"],
        "present": sum(c.reach for c in channels if c.reach_kind == "people"),
        "called": people_called(campaign.id, part),
    }
    return CampaignProgress(
        enrolled=sum(per_commune.values()),
        goal=campaign.goal,
        by_commune=by_commune,
        weeks=week_list(campaign, per_week, today),
        funnel=funnel,
        reach=reach,
        part=part,
        reconciled=reconcile(f, lambda gs: credited(gs, now), campaign=totals["enrolments"]),
        not_at_activities=not_at_any(campaign, part),
        live=still_live(f, now),
    )
