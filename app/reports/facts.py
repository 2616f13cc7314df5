"""Report facts and figures, pure: one fact row per event, then figures per grouping.

Every view of the report (per channel, by month, by commune, by event, the Excel sheets, the CSV
and the printed month) is grouped from the same ``EventFact`` rows, so they cannot disagree. The
rows come from the source tables (``app.reports.sources``) or from the rollups
(``app.reports.rollups.read``); ``app.reports.report`` chooses which. Nothing here reads the
database: this is the arithmetic of reach, conversion, cost per enrolment and totals.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_

from app.collation import vietnamese_key
from app.followup.attribution import DEFAULT_MODEL
from app.followup.stats import Rate
from app.models import OFFLINE_REACH_KIND, Campaign, Channel, OfflineKind, OrgUnit, utcnow
from app.post_reach import added
from app.reports.costs import Planned, cost_figures

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
# Reactions, comments and shares are read from the platforms' streams and posts: a meeting (in a
# room, a small group, or on Zoom or Teams) has none, as a leaflet has none. Their interactions
# are None, shown "—", not 0, unless some were read (a meeting relayed by a stream keeps that
# stream's).
NO_INTERACTIONS = OFFLINE | {
    Channel.CONFERENCE.value,
    Channel.ONLINE_CONFERENCE.value,
    Channel.SMALL_GROUP.value,
}
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
    # The moment the figures are read (aware; ``build_report`` sets it, tests pass their own):
    # an event counts as held, and its cost as spent, once its start has passed by then.
    as_of: datetime | None = None
    # The scheme whose enrolments count when not the campaign's, for a page that sets its figure
    # beside another page's (``reconcile``); EVERY_SCHEME counts every scheme's.
    counted_scheme: str | None = None

    @property
    def now(self) -> datetime:
        """``as_of``, else the app's clock (a caller that did not go through ``build_report``)."""
        return self.as_of if self.as_of is not None else utcnow()

    @property
    def scheme(self) -> str | None:
        """The scheme whose enrolments count: the campaign's (app.followup.attribution), unless
        ``counted_scheme`` says otherwise."""
        if self.counted_scheme is not None:
            return self.counted_scheme or None
        return None if self.campaign is None else str(self.campaign.scheme)

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


EVERY_SCHEME = ""  # ``ReportFilter.counted_scheme``: every scheme's enrolments, as a unit's report


@dataclass
class EventFact:
    """One event's (or one offline entry's) figures; ``reach`` counts ``reach_kind``."""

    event_id: int | None
    title: str
    channel: str
    day: date | None
    commune_code: str | None  # None: held at province level
    commune_name: str | None
    cost_vnd: int | None = 0  # None: not entered (``app.reports.costs``), not free
    reach: int = 0
    interactions: int | None = 0
    identified: frozenset[int] = frozenset()
    enrolments: float = 0.0
    offline: bool = False
    identified_n: int | None = None  # from the rollups, which keep counts, not the people
    count: int = 1  # events this fact adds up (rollups grouped by channel, commune and month)
    # Events not held yet at the report's moment (their start still ahead, ``is_held``) and their
    # cost: kept out of ``count`` and ``cost_vnd``, shown apart as planned; their ``reach`` and
    # ``interactions`` are 0 (an audience counts once the event is held).
    planned: int = 0
    planned_cost_vnd: int | None = 0
    # A post's people reached (``app.post_reach``), beside its views; None: not a post, or not
    # read yet. A fact grouping several posts (rollups) carries their reach added up.
    post_reach: int | None = None

    def __post_init__(self) -> None:
        if self.channel in NO_INTERACTIONS and not self.interactions:  # none read: "—", not 0
            self.interactions = None

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
    cost_vnd: int = 0  # the costs entered (``app.reports.costs``)
    costed: int = 0  # events of ``events`` with a cost entered
    costed_enrolments: float = 0.0  # the credit those earned, the cost per enrolment's divisor
    # Distinct people counted by the database (rollup path) instead of ``people``.
    people_count: int | None = None
    planned: int = 0  # events not held yet, not in ``events``
    planned_cost_vnd: int = 0  # their costs entered, not in ``cost_vnd``
    planned_costed: int = 0  # those of ``planned`` with a cost entered
    # The posts' reach added up (``app.post_reach``: not people reached, as one person shown
    # two posts counts twice); None: no post of the group has its reach read.
    post_reach: int | None = None

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

    def cost(self) -> dict[str, Any]:
        """Its cost, the events with and without one and the cost per enrolment of those with."""
        credit = None if self.offline else self.costed_enrolments
        return cost_figures(self.cost_vnd, self.costed, self.events, credit)

    @property
    def cost_per_enrolment(self) -> int | None:
        return self.cost()["cost_per_enrolment"]

    def add(self, fact: EventFact) -> None:
        if fact.reach_kind != self.reach_kind:  # the guard against mixing views and people
            raise ValueError(f"cannot add {fact.reach_kind} to {self.reach_kind}")
        self.events += fact.count
        self.reach += fact.reach
        if fact.interactions is not None:  # None: none to count; "—" while nothing adds any
            self.interactions = (self.interactions or 0) + fact.interactions
        self.people |= fact.identified
        self.enrolments += fact.enrolments
        if fact.cost_vnd is not None:  # None: not entered, counted in neither cost nor credit
            self.cost_vnd += fact.cost_vnd
            self.costed += fact.count
            self.costed_enrolments += fact.enrolments
        self.planned += fact.planned
        if fact.planned_cost_vnd is not None:
            self.planned_cost_vnd += fact.planned_cost_vnd
            self.planned_costed += fact.planned
        self.post_reach = added((self.post_reach, fact.post_reach))

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
            **self.cost(),  # cost_vnd (None: none entered), events with and without, per enrolment
            # Events of the period not held yet at the report's moment: in neither figure above.
            "planned_events": self.planned,
            "planned_cost_vnd": self.planned_cost_vnd,
            "planned_without_cost": self.planned - self.planned_costed,
            # The posts' reach added up (posts only; null elsewhere or before any read).
            "post_reach": self.post_reach,
        }


GROUP_KEYS: dict[str, Callable[[EventFact], Hashable]] = {
    "channel": lambda f: f.channel,
    "commune": lambda f: (f.commune_code, f.commune_name, f.channel),
}


def empty_figures(channel: str) -> Figures:
    return Figures(channel, interactions=None if channel in NO_INTERACTIONS else 0)


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


def is_held(start: datetime | None, now: datetime) -> bool:
    """The rule of every report: an event is held, its cost spent, its audience counted and the
    people identified there and their enrolments credited, once its start (the actual one, else
    the planned one) is at or before ``now``, the moment the report is read. One without a start
    is planned, not dated. The status does not decide: a meeting in a hall no collector follows
    stays "scheduled" once held.

    People are identified before the start in real offices, so the rule is needed for them too:
    a hall checks its attendees in from two hours before (``app.halls.window``), an attendee
    sheet is imported in the same window, a comment on a livestream's or a post's announcement
    becomes a person whenever it comes (``app.attendance.lead_people`` has no window), and a
    conference checked in and then postponed keeps its check-ins. Until the start they are
    nobody's figure, and what such an event earned is not moved to another event either: it
    shows once the event is held."""
    return start is not None and start <= now


def held_sql(start: ColumnElement[datetime], now: datetime) -> ColumnElement[bool]:
    """``is_held`` for the database, over a start column (the rollups' ``start_at``): a NULL
    start compares as NULL, which ``CASE`` and ``COUNT`` read as not held."""
    return start <= now


def upcoming_sql(start: ColumnElement[datetime], now: datetime) -> ColumnElement[bool]:
    """``not is_held`` for the database: a start still ahead, or none (which ``held_sql`` reads
    as NULL, so its negation cannot say it)."""
    return or_(start.is_(None), start > now)


@dataclass
class ChannelReport:
    """Everything the dashboard, the exports and the printed month show, from one set of facts.

    ``people_counts`` (rollup path): distinct people per grouping ("channel", "month", "commune",
    "total") from the database. ``grouped`` (rollup path without events): the figures per
    grouping, already added up. Each grouping is computed once per report, however many times a
    page or file asks; ``kept``: other such answers (``still_live.of_report``).
    """

    filter: ReportFilter
    facts: list[EventFact]
    people_counts: Callable[[str], dict[Hashable, int]] | None = None
    per_event: bool = True  # False: facts are groups of events; there is no list of events
    grouped: dict[str, dict[Hashable, Figures]] | None = None
    # When its figures were read (UTC; ``build_report`` sets it): a file kept from last month
    # and one downloaded after an enrolment import must say which is older.
    taken_at: datetime | None = None
    _groupings: dict[str, dict[Hashable, Figures]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    kept: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _grouping(self, name: str) -> dict[Hashable, Figures]:
        if name not in self._groupings:
            if self.grouped is not None:
                grouped = self.grouped[name]
            elif name == "month":
                grouped = group((f for f in self.facts if f.month), lambda f: (f.month, f.channel))
            else:
                grouped = group(self.facts, GROUP_KEYS[name])
            if self.people_counts is not None:
                counts = self.people_counts(name)
                for key, figures in grouped.items():
                    figures.people_count = counts.get(key, 0)
            self._groupings[name] = grouped
        return self._groupings[name]

    def by_channel(self) -> list[Figures]:
        grouped = self._grouping("channel")
        return [grouped.get(c) or empty_figures(c) for c in CHANNELS]

    def by_month(self) -> list[tuple[date, Figures]]:
        grouped = self._grouping("month")
        order = {c: i for i, c in enumerate(CHANNELS)}
        keys = sorted(grouped, key=lambda k: (k[0], order[k[1]]))  # type: ignore[index]
        return [(k[0], grouped[k]) for k in keys]  # type: ignore[index]

    def by_commune(self) -> list[tuple[str | None, str | None, Figures]]:
        """(commune code, name, figures) per commune and channel; province level first, then
        the communes in Vietnamese order of their names."""
        grouped = self._grouping("commune")
        order = {c: i for i, c in enumerate(CHANNELS)}
        keys = sorted(
            grouped,
            key=lambda k: (k[0] is not None, vietnamese_key(k[1]), k[0] or "", order[k[2]]),  # type: ignore[index]
        )
        return [(k[0], k[1], grouped[k]) for k in keys]  # type: ignore[index]

    def events(self) -> list[EventFact]:
        if not self.per_event:
            raise ValueError("this report was built without its list of events (per_event)")
        order = {c: i for i, c in enumerate(CHANNELS)}
        return sorted(
            self.facts, key=lambda f: (f.day or date.min, order[f.channel], f.event_id or 0)
        )

    def planned(self) -> Planned:
        """What the figures leave out as planned: the events whose start is still ahead at
        ``taken_at``, and their cost (offline entries are recorded once done: none planned)."""
        channels = self.by_channel()
        return Planned(
            sum(c.planned for c in channels),
            sum(c.planned_cost_vnd for c in channels),
            sum(c.planned - c.planned_costed for c in channels),
        )

    def totals(self) -> dict[str, Any]:
        """Figures that may be added across channels; reach is not one of them."""
        if self.people_counts is not None:
            identified = self.people_counts("total").get((), 0)
        else:
            online = [f for f in self.facts if not f.offline]
            identified = len(set().union(*(f.identified for f in online))) if online else 0
        # Interactions add up over the online channels only (offline ones have none); the cost
        # over every channel's activities with a cost entered, per enrolment over their credit.
        channels = list(self._grouping("channel").values())
        online = [c for c in channels if not c.offline]
        events = sum(c.events for c in online)
        interactions = sum(c.interactions or 0 for c in online)
        enrolments = sum(c.enrolments for c in online)
        cost = [sum(c.cost_vnd for c in channels), sum(c.costed for c in channels),
                sum(c.events for c in channels),
                sum(c.costed_enrolments for c in online)]  # fmt: skip
        rate = Rate(enrolments, identified)
        return {
            "events": events,
            "interactions": interactions,
            "identified": identified,
            "enrolments": round(enrolments, 2),
            "conversion": round(rate.value, 4) if identified else None,
            **cost_figures(*cost),
        }


def month_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a YYYY-MM month; ValueError naming the period otherwise."""
    try:
        first = date.fromisoformat(f"{period}-01")
    except ValueError:
        raise ValueError(f"period: expected YYYY-MM, got {period!r}") from None
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)
