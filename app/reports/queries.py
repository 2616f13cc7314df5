"""Read side of the managers' comparison: one fact row per event, then figures per channel.

Every view of the report (per channel, by month, by commune, by event, the Excel sheets, the CSV
and the printed month) is grouped from the same ``EventFact`` rows, so they cannot disagree.

What each figure counts:

- **reach** depends on the channel and is labelled with ``reach_kind``; kinds are never added:
  livestreams and posts count *views* (each target's latest view count, summed, as the event
  summary does); conferences and small groups count *people* present (each hall's latest head
  count; a hall without a head count counts the attendees identified there; an event without
  halls counts its identified attendees); offline channels count *copies* or *broadcasts*.
- **interactions**: reactions + comments + shares, as in the event summary.
- **identified**: distinct people touched (attendance sheets, check-ins, rosters, comment leads).
- **enrolments**: the credit the events earned under the attribution model (app.followup), from
  every touch of the people concerned, so that a later touch outside the report still takes its
  share under last-touch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select

from app.extensions import db
from app.followup.attribution import DEFAULT_MODEL, WINDOWS, find_conversions
from app.followup.queries import enrolments_of, touches_of
from app.followup.stats import Rate
from app.models import (
    OFFLINE_REACH_KIND,
    Attendance,
    AttendanceReport,
    BridgePoint,
    Campaign,
    Channel,
    Comment,
    EngagementSample,
    Event,
    OfflineActivity,
    OfflineKind,
    OrgKind,
    OrgUnit,
    Target,
)
from app.scoping import subtree_ids
from app.timeparse import VN, as_utc
from collectors.base import REACTION_TYPES

EVENT_REACH_KIND = {
    Channel.LIVESTREAM: "views",
    Channel.POST: "views",
    Channel.ONLINE_CONFERENCE: "people",
    Channel.CONFERENCE: "people",
    Channel.SMALL_GROUP: "people",
}
REACH_KIND = {
    **{c.value: k for c, k in EVENT_REACH_KIND.items()},
    **{k.value: v for k, v in OFFLINE_REACH_KIND.items()},
}
CHANNELS = tuple(REACH_KIND)  # display order: online, gatherings, then offline
OFFLINE = frozenset(k.value for k in OfflineKind)
PUBLIC_KEYS = ("events", "reach", "reach_kind", "interactions", "identified", "enrolments",
               "conversion", "cost_vnd", "cost_per_enrolment")  # fmt: skip


@dataclass(frozen=True)
class ReportFilter:
    """What the manager chose: an org unit (in their scope), a period, a campaign, a model."""

    unit: OrgUnit
    start: date | None = None
    end: date | None = None
    campaign: Campaign | None = None
    model: str = DEFAULT_MODEL
    window_days: int = 90

    def query_args(self) -> dict[str, str]:
        """The URL parameters that select this same report (for links and downloads)."""
        args = {"org_unit": self.unit.code}
        if self.start:
            args["from"] = self.start.isoformat()
        if self.end:
            args["to"] = self.end.isoformat()
        if self.campaign:
            args["campaign_id"] = str(self.campaign.id)
        if self.model != DEFAULT_MODEL:
            args["model"] = self.model
        return args


@dataclass
class EventFact:
    """One event's (or one offline entry's) figures; ``reach`` counts ``reach_kind``."""

    event_id: int | None
    title: str
    channel: str
    day: date | None
    commune_code: str | None  # None: held at province level
    commune_name: str | None
    cost_vnd: int = 0
    reach: int = 0
    interactions: int | None = 0
    identified: frozenset[int] = frozenset()
    enrolments: float = 0.0
    offline: bool = False
    identified_n: int | None = None  # from the rollups, which keep counts, not the people
    count: int = 1  # events this fact adds up (rollups grouped by channel, commune and month)

    @property
    def reach_kind(self) -> str:
        return REACH_KIND[self.channel]

    @property
    def identified_count(self) -> int:
        return len(self.identified) if self.identified_n is None else self.identified_n

    @property
    def month(self) -> date | None:
        return self.day.replace(day=1) if self.day else None


@dataclass
class Figures:
    """A group of facts (one channel, maybe one month or one commune) added up."""

    channel: str
    events: int = 0
    reach: int = 0
    interactions: int | None = 0
    people: set[int] = field(default_factory=set)
    enrolments: float = 0.0
    cost_vnd: int = 0
    # Distinct people counted by the database (rollup path) instead of ``people``.
    people_count: int | None = None

    @property
    def reach_kind(self) -> str:
        return REACH_KIND[self.channel]

    @property
    def offline(self) -> bool:
        return self.channel in OFFLINE

    @property
    def identified(self) -> int | None:
        if self.offline:
            return None
        return len(self.people) if self.people_count is None else self.people_count

    @property
    def rate(self) -> Rate | None:
        """Enrolments over people identified; None where nobody could be identified."""
        if self.offline or not self.identified:
            return None
        return Rate(self.enrolments, self.identified)

    @property
    def cost_per_enrolment(self) -> int | None:
        if self.offline or self.enrolments <= 0:
            return None
        return round(self.cost_vnd / self.enrolments)

    def add(self, fact: EventFact) -> None:
        if fact.reach_kind != self.reach_kind:  # the guard against mixing views and people
            raise ValueError(f"cannot add {fact.reach_kind} to {self.reach_kind}")
        self.events += fact.count
        self.reach += fact.reach
        if self.interactions is not None and fact.interactions is not None:
            self.interactions += fact.interactions
        else:
            self.interactions = None
        self.people |= fact.identified
        self.enrolments += fact.enrolments
        self.cost_vnd += fact.cost_vnd

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "channel": self.channel,
            "events": self.events,
            "reach": self.reach,
            "reach_kind": self.reach_kind,
            "interactions": self.interactions,
            "identified": self.identified,
            "enrolments": None if self.offline else round(self.enrolments, 2),
            "conversion": None if rate is None else round(rate.value, 4),
            "conversion_ci": None if rate is None else [round(x, 4) for x in rate.interval],
            "cost_vnd": self.cost_vnd,
            "cost_per_enrolment": self.cost_per_enrolment,
        }


def empty_figures(channel: str) -> Figures:
    return Figures(channel, interactions=None if channel in OFFLINE else 0)


def group(
    facts: Iterable[EventFact], key: Callable[[EventFact], Hashable]
) -> dict[Hashable, Figures]:
    """Facts added up per ``key`` (which must include the channel, so kinds stay apart)."""
    out: dict[Hashable, Figures] = {}
    for fact in facts:
        k = key(fact)
        if k not in out:
            out[k] = empty_figures(fact.channel)
        out[k].add(fact)
    return out


@dataclass
class ChannelReport:
    """Everything the dashboard, the exports and the printed month show, from one set of facts.

    ``people_counts`` (rollup path) gives distinct people per grouping ("channel", "month",
    "commune", "total") from the database, as the facts then carry counts, not people.
    """

    filter: ReportFilter
    facts: list[EventFact]
    people_counts: Callable[[str], dict[Hashable, int]] | None = None
    per_event: bool = True  # False: facts are groups of events; there is no list of events

    def _counted(self, grouping: str, grouped: dict[Hashable, Figures]) -> dict[Hashable, Figures]:
        if self.people_counts is not None:
            counts = self.people_counts(grouping)
            for key, figures in grouped.items():
                figures.people_count = counts.get(key, 0)
        return grouped

    def by_channel(self) -> list[Figures]:
        grouped = self._counted("channel", group(self.facts, lambda f: f.channel))
        return [grouped.get(c) or empty_figures(c) for c in CHANNELS]  # type: ignore[misc]

    def by_month(self) -> list[tuple[date, Figures]]:
        grouped = group((f for f in self.facts if f.month), lambda f: (f.month, f.channel))
        self._counted("month", grouped)
        order = {c: i for i, c in enumerate(CHANNELS)}
        keys = sorted(grouped, key=lambda k: (k[0], order[k[1]]))  # type: ignore[index]
        return [(k[0], grouped[k]) for k in keys]  # type: ignore[index]

    def by_commune(self) -> list[tuple[str | None, str | None, Figures]]:
        """(commune code, name, figures) per commune and channel; province level first."""
        grouped = group(self.facts, lambda f: (f.commune_code, f.commune_name, f.channel))
        self._counted("commune", grouped)
        order = {c: i for i, c in enumerate(CHANNELS)}
        keys = sorted(grouped, key=lambda k: (k[0] or "", order[k[2]]))  # type: ignore[index]
        return [(k[0], k[1], grouped[k]) for k in keys]  # type: ignore[index]

    def events(self) -> list[EventFact]:
        if not self.per_event:
            raise ValueError("this report was built without its list of events (per_event)")
        order = {c: i for i, c in enumerate(CHANNELS)}
        return sorted(
            self.facts, key=lambda f: (f.day or date.min, order[f.channel], f.event_id or 0)
        )

    def totals(self) -> dict[str, Any]:
        """Figures that may be added across channels; reach is not one of them."""
        online = [f for f in self.facts if not f.offline]
        if self.people_counts is not None:
            identified = self.people_counts("total").get((), 0)
        else:
            identified = len(set().union(*(f.identified for f in online))) if online else 0
        enrolments = sum(f.enrolments for f in online)
        cost = sum(f.cost_vnd for f in self.facts)
        rate = Rate(enrolments, identified)
        return {
            "events": sum(f.count for f in online),
            "identified": identified,
            "enrolments": round(enrolments, 2),
            "conversion": round(rate.value, 4) if identified else None,
            "cost_vnd": cost,
            "cost_per_enrolment": round(cost / enrolments) if enrolments > 0 else None,
        }


def event_start() -> Any:
    return func.coalesce(Event.actual_start, Event.planned_start)


def scoped_events(f: ReportFilter) -> Select[Any]:
    """Events of the unit's subtree (the unit is already checked against the user's scope)."""
    stmt = select(Event.id).where(Event.org_unit_id.in_(subtree_ids(f.unit)))
    if f.campaign is not None:
        stmt = stmt.where(Event.campaign_id == f.campaign.id)
    if f.start is not None:
        stmt = stmt.where(event_start() >= as_utc(datetime.combine(f.start, time())))
    if f.end is not None:
        stmt = stmt.where(
            event_start() < as_utc(datetime.combine(f.end + timedelta(days=1), time()))
        )
    return stmt


def use_rollups(f: ReportFilter, rollups: bool | None = None) -> bool:
    """Read the rollups? ``rollups`` forces it; else REPORTS_ROLLUPS ("auto": once built)."""
    from app.reports.rollups import build as rollup

    if f.window_days not in WINDOWS:
        return False  # the rollups keep the standard windows only
    if rollups is not None:
        return rollups
    setting = str(current_app.config.get("REPORTS_ROLLUPS", "auto")).lower()
    if setting in ("0", "off", "false", "no"):
        return False
    return rollup.ready()


def build_report(
    f: ReportFilter, rollups: bool | None = None, per_event: bool = True
) -> ChannelReport:
    """The report of ``f``, from the rollups when built (or as ``rollups`` says).

    ``per_event=False``: the caller shows no list of events, so the rollups may be added up by
    the database (the sources path always keeps its events).
    """
    if use_rollups(f, rollups):
        from app.reports.rollups.read import rollup_report

        return rollup_report(f, offline_facts(f), per_event)
    return ChannelReport(f, event_facts(f) + offline_facts(f))


def _event_rows(ids: Select[Any], *extra: Any, outer: Any = None) -> list[Any]:
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


def event_fact(row: Any, **figures: Any) -> EventFact:
    """The fact of one event row (``_event_rows``) with its figures."""
    commune = row.kind == OrgKind.COMMUNE
    return EventFact(
        event_id=row.id,
        title=row.title,
        channel=Channel(row.channel).value,
        day=row.start.astimezone(VN).date() if row.start else None,
        commune_code=row.code if commune else None,
        commune_name=row.name if commune else None,
        cost_vnd=int(row.cost_vnd or 0),
        **figures,
    )


def event_facts(f: ReportFilter) -> list[EventFact]:
    ids = scoped_events(f)
    rows = _event_rows(ids)
    if not rows:
        return []
    online = _online_totals(ids)
    present = _people_present(ids)
    people = _identified(ids)
    credit = _credit(people, f)
    facts = []
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
                reach=reach,
                interactions=interactions,
                identified=attendees,
                enrolments=credit.get(row.id, 0.0),
            )
        )
    return facts


def _latest_by_target(column: str, targets: Select[Any]) -> dict[int, int]:
    """Each target's latest non-null value of one sample column (as the event summary reads)."""
    s = EngagementSample
    col = getattr(s, column)
    rank = func.row_number().over(partition_by=s.target_id, order_by=s.sampled_at.desc())
    ranked = (
        select(s.target_id, col.label("value"), rank.label("rank"))
        .where(s.target_id.in_(targets), col.is_not(None))
        .subquery()
    )
    rows = db.session.execute(select(ranked.c.target_id, ranked.c.value).where(ranked.c.rank == 1))
    return {t: int(v) for t, v in rows}


def _online_totals(event_ids: Select[Any]) -> dict[int, tuple[int, int]]:
    """(views, reactions + comments + shares) per event, summed over its targets."""
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
            .where(Comment.target_id.in_(targets), Comment.deleted_at.is_(None))
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


def _people_present(event_ids: Select[Any]) -> dict[int, int]:
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


def _identified(event_ids: Select[Any]) -> dict[int, frozenset[int]]:
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
    conversions = find_conversions(touches, enrolments_of(everyone), f.window_days)
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
                cost_vnd=int(entry.cost_vnd or 0),
                reach=int(entry.quantity),
                interactions=None,
                offline=True,
            )
        )
    return facts


def month_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a YYYY-MM month; ValueError naming the period otherwise."""
    try:
        first = date.fromisoformat(f"{period}-01")
    except ValueError:
        raise ValueError(f"period: expected YYYY-MM, got {period!r}") from None
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def campaigns_in_scope(unit: OrgUnit) -> Sequence[Campaign]:
    return db.session.scalars(
        select(Campaign)
        .where(Campaign.org_unit_id.in_(subtree_ids(unit)))
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    ).all()
