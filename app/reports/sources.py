"""Report facts read from the source tables: events, samples, halls, touches, offline entries.

``event_facts`` gives one fact per event in scope. The rollups (``app.reports.rollups.build``)
store the same figures per event, read by the same functions here (views, interactions, people
present and identified) and credited by the same attribution, so both paths give the same report.

What each figure counts:

- **reach** depends on the channel and is labelled with ``reach_kind``; kinds are never added:
  livestreams and posts count *views* (each target's latest view count, summed, as the event
  summary does); conferences and small groups count *people* present (each hall's latest head
  count; a hall without a head count counts the attendees identified there; an event without
  halls counts its identified attendees); offline channels count *copies* or *broadcasts*.
- **post_reach**: a post's people reached (``app.post_reach``), beside its views; not one of
  the reach kinds, and never added across channels.
- **interactions**: reactions + comments + shares, as in the event summary.
- reach and interactions count once the event is held (below): a hall's head count sent before
  the start, or comments under a livestream not started, are not an audience yet.
- **identified**: distinct people touched (attendance sheets, check-ins, rosters, comment leads),
  counted distinct across events, not per event, and the **enrolments** credited to an event,
  count once the event is held too: a hall checks its people in from two hours before the start
  and a comment lead on an announcement comes days before (``facts.is_held`` lists the ways).
- **cost** not entered is unknown, not 0 (``app.reports.costs``): a group's cost adds the costs
  entered and says how many activities have none; its cost per enrolment is over those with one.
- **events** and **cost**: only the events held by the moment the report is read
  (``ReportFilter.now``, ``facts.is_held``): their start, the actual one else the planned one,
  has passed. The period's others are *planned*, counted apart with their cost (a livestream
  planned for next week, its cost already typed in, is neither an activity held nor money spent
  yet). The status does not decide: a meeting in a hall no collector follows stays "scheduled"
  once held.
- **enrolments**: the credit the events earned under the attribution model (app.followup), from
  every touch of the people concerned, so that a later touch outside the report still takes its
  share under last-touch; a campaign's report counts the enrolments of its scheme only.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db
from app.followup.attribution import find_conversions, of_scheme
from app.followup.queries import enrolments_of, touches_of
from app.models import (
    Attendance,
    AttendanceReport,
    BridgePoint,
    Channel,
    Comment,
    EngagementSample,
    Event,
    OfflineActivity,
    OrgKind,
    OrgUnit,
    Target,
    counted_comment,
)
from app.post_reach import post_reach
from app.reports.facts import EVENT_REACH_KIND, EventFact, ReportFilter, is_held
from app.scoping import subtree_ids
from app.timeparse import VN, as_utc
from collectors.base import REACTION_TYPES

# An event's figures before it is held (``event_fact``).
NOTHING_YET: dict[str, Any] = {"reach": 0, "interactions": 0, "identified": frozenset(),
                               "enrolments": 0.0}  # fmt: skip


def event_start() -> Any:
    return func.coalesce(Event.actual_start, Event.planned_start)


def scoped_events(f: ReportFilter) -> Select[Any]:
    """Events of the unit's subtree (the unit is already checked against the user's scope)."""
    return of_period(select(Event.id).where(Event.org_unit_id.in_(subtree_ids(f.unit))), f)


def of_period(stmt: Select[Any], f: ReportFilter) -> Select[Any]:
    """``stmt`` (which reads ``Event``) kept to the events of ``f``'s campaign and period."""
    if f.campaign is not None:
        stmt = stmt.where(Event.campaign_id == f.campaign.id)
    if f.start is not None:
        stmt = stmt.where(event_start() >= as_utc(datetime.combine(f.start, time())))
    if f.end is not None:
        stmt = stmt.where(
            event_start() < as_utc(datetime.combine(f.end + timedelta(days=1), time()))
        )
    return stmt


def event_rows(ids: Select[Any], *extra: Any, outer: Any = None) -> list[Any]:
    stmt = (
        select(
            Event.id,
            Event.title,
            Event.channel,
            Event.cost_vnd,
            event_start().label("start"),
            OrgUnit.kind,
            OrgUnit.code,
            OrgUnit.name,
            *extra,
        )
        .join(OrgUnit, OrgUnit.id == Event.org_unit_id)
        .where(Event.id.in_(ids))
        .order_by(Event.id)
    )
    if outer is not None:
        stmt = stmt.outerjoin(*outer)
    return list(db.session.execute(stmt).all())


def event_fact(row: Any, now: datetime, **figures: Any) -> EventFact:
    """The fact of one event row (``event_rows``) with its figures; one not held by ``now``
    counts as planned, its cost as planned, neither as an activity held nor money spent, and
    its audience (views, people present, interactions), people identified and credit as none
    yet: a hall's head count or names sent before the start are no one at a meeting held. A
    cost not entered stays None, held or planned (``app.reports.costs``)."""
    commune = row.kind == OrgKind.COMMUNE
    cost = None if row.cost_vnd is None else int(row.cost_vnd)  # None: not entered
    done = is_held(row.start, now)
    if not done:
        figures = {**figures, **NOTHING_YET}
        if "identified_n" in figures:  # the rollups' count of the people
            figures["identified_n"] = 0
    return EventFact(
        event_id=row.id,
        title=row.title,
        channel=Channel(row.channel).value,
        day=row.start.astimezone(VN).date() if row.start else None,
        commune_code=row.code if commune else None,
        commune_name=row.name if commune else None,
        cost_vnd=cost if done else 0,
        count=1 if done else 0,
        planned=0 if done else 1,
        planned_cost_vnd=0 if done else cost,
        **figures,
    )


def event_facts(f: ReportFilter) -> list[EventFact]:
    return event_facts_of(scoped_events(f), f)


def event_facts_of(ids: Select[Any], f: ReportFilter) -> list[EventFact]:
    """The facts of the events ``ids`` (scoped by the caller), credited under ``f``'s model."""
    rows = event_rows(ids)
    if not rows:
        return []
    online = online_totals(ids)
    present = people_present(ids)
    people = people_identified(ids)
    posts = post_reach(ids)
    credit = _credit(people, f)
    facts = []
    now = f.now
    for row in rows:
        views, interactions = online.get(row.id, (0, 0))
        attendees = people.get(row.id, frozenset())
        if EVENT_REACH_KIND[Channel(row.channel)] == "views":
            reach = views
        else:
            reach = present.get(row.id, len(attendees))
        facts.append(
            event_fact(
                row,
                now,
                reach=reach,
                interactions=interactions,
                identified=attendees,
                enrolments=credit.get(row.id, 0.0),
                post_reach=posts.get(row.id),
            )
        )
    return facts


def _latest_by_target(column: str | Any, targets: Select[Any]) -> dict[int, int]:
    """Each target's latest non-null value of one sample column, or of an expression of the
    sample (as the event summary reads)."""
    s = EngagementSample
    col = getattr(s, column) if isinstance(column, str) else column
    rank = func.row_number().over(partition_by=s.target_id, order_by=s.sampled_at.desc())
    ranked = (
        select(s.target_id, col.label("value"), rank.label("rank"))
        .where(s.target_id.in_(targets), col.is_not(None))
        .subquery()
    )
    rows = db.session.execute(select(ranked.c.target_id, ranked.c.value).where(ranked.c.rank == 1))
    return {t: int(v) for t, v in rows}


def online_totals(event_ids: Select[Any]) -> dict[int, tuple[int, int]]:
    """(views, reactions + comments + shares) per event, summed over its targets; the comments
    are the audience's (``counted_comment``), not the page's own replies."""
    targets = select(Target.id).where(Target.event_id.in_(event_ids))
    event_of = dict(
        db.session.execute(select(Target.id, Target.event_id).where(Target.id.in_(targets))).all()
    )
    if not event_of:
        return {}
    views = _latest_by_target("views", targets)
    shares = _latest_by_target("shares", targets)
    total = _latest_by_target("reactions_total", targets)
    by_type = [_latest_by_target(f"reactions_{k}", targets) for k in REACTION_TYPES]
    comments = dict(
        db.session.execute(
            select(Comment.target_id, func.count(Comment.id))
            .where(Comment.target_id.in_(targets), counted_comment())
            .group_by(Comment.target_id)
        ).all()
    )
    out: dict[int, tuple[int, int]] = {}
    for target_id, event_id in event_of.items():
        reactions = total.get(target_id, 0) or sum(m.get(target_id, 0) for m in by_type)
        engaged = reactions + int(comments.get(target_id, 0)) + shares.get(target_id, 0)
        v, e = out.get(event_id, (0, 0))
        out[event_id] = (v + views.get(target_id, 0), e + engaged)
    return out


def people_present(event_ids: Select[Any]) -> dict[int, int]:
    """People present per event with halls: latest head counts, else the hall's attendees."""
    halls = dict(
        db.session.execute(
            select(BridgePoint.id, BridgePoint.event_id).where(BridgePoint.event_id.in_(event_ids))
        ).all()
    )
    if not halls:
        return {}
    r = AttendanceReport
    rank = func.row_number().over(
        partition_by=r.bridge_point_id, order_by=(r.reported_at.desc(), r.id.desc())
    )
    ranked = (
        select(r.bridge_point_id, r.head_count, rank.label("rank"))
        .where(r.bridge_point_id.in_(list(halls)), r.head_count.is_not(None))
        .subquery()
    )
    counts = dict(
        db.session.execute(
            select(ranked.c.bridge_point_id, ranked.c.head_count).where(ranked.c.rank == 1)
        ).all()
    )
    attendees = dict(
        db.session.execute(
            select(Attendance.bridge_point_id, func.count(func.distinct(Attendance.person_id)))
            .where(Attendance.bridge_point_id.in_(list(halls)))
            .group_by(Attendance.bridge_point_id)
        ).all()
    )
    out: dict[int, int] = defaultdict(int)
    for hall_id, event_id in halls.items():
        out[event_id] += int(counts[hall_id]) if hall_id in counts else attendees.get(hall_id, 0)
    return dict(out)


def people_identified(event_ids: Select[Any]) -> dict[int, frozenset[int]]:
    people: dict[int, set[int]] = defaultdict(set)
    for person_id, event_id in db.session.execute(
        select(Attendance.person_id, Attendance.event_id).where(Attendance.event_id.in_(event_ids))
    ):
        people[event_id].add(person_id)
    return {e: frozenset(p) for e, p in people.items()}


def _credit(people: dict[int, frozenset[int]], f: ReportFilter) -> dict[int, float]:
    """Each event's share of the conversions of the people it touched, under ``f.model``."""
    everyone: set[int] = set().union(*people.values()) if people else set()
    if not everyone:
        return {}
    touches = touches_of(everyone)
    enrolments = of_scheme(enrolments_of(everyone), f.scheme)
    conversions = find_conversions(touches, enrolments, f.window_days)
    credit: dict[int, float] = defaultdict(float)
    for conversion in conversions:
        for event_id, share in conversion.credit(f.model).items():
            credit[event_id] += share
    return {e: round(v, 6) for e, v in credit.items()}


def offline_facts(f: ReportFilter) -> list[EventFact]:
    """Offline entries as facts: a row counts as one entry; a leaflet as a copy."""
    o = OfflineActivity
    stmt = (
        select(o, OrgUnit.kind, OrgUnit.code, OrgUnit.name)
        .join(OrgUnit, OrgUnit.id == o.org_unit_id)
        .where(o.org_unit_id.in_(subtree_ids(f.unit)))
        .order_by(o.period_start, o.id)
    )
    if f.campaign is not None:
        stmt = stmt.where(o.campaign_id == f.campaign.id)
    if f.start is not None:
        stmt = stmt.where(o.period_start >= f.start)
    if f.end is not None:
        stmt = stmt.where(o.period_start <= f.end)
    facts = []
    for entry, kind, code, name in db.session.execute(stmt):
        commune = kind == OrgKind.COMMUNE
        facts.append(
            EventFact(
                event_id=None,
                title=entry.note or "",
                channel=entry.kind.value,
                day=entry.period_start,
                commune_code=code if commune else None,
                commune_name=name if commune else None,
                cost_vnd=None if entry.cost_vnd is None else int(entry.cost_vnd),
                reach=int(entry.quantity),
                interactions=None,
                offline=True,
            )
        )
    return facts
