"""The channel report read from ``event_rollups``: one row per event instead of the sources.

Figures that add up (reach, interactions, credit, cost) and a post's reach come from the rollup
rows. People identified do not add up across events (one person at two events counts once), so
they are read from ``people_rollups`` when the period is a calendar month or year, less those
identified only at events not held yet at the report's moment, and otherwise counted distinct by
the database per grouping from the touches of the events held (``held_people``); either is asked
only for the groupings a view shows. An event without a rollup row yet (created since the last
build, nothing collected) is computed from the sources, so nothing goes missing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select

from app.extensions import db
from app.models import Channel, Event, EventRollup, OrgKind, OrgUnit
from app.reports.facts import EVENT_REACH_KIND, ChannelReport, EventFact, ReportFilter, month_bounds
from app.reports.rollups import held_people, people_cells
from app.reports.rollups.build import DEFAULT_CREDIT, compute
from app.reports.sources import event_fact, event_rows, scoped_events
from app.scoping import subtree_ids

ALL = people_cells.ALL_CHANNELS


def rollup_report(f: ReportFilter, offline: list[EventFact]) -> ChannelReport:
    """The report from the rollups, one fact per event (``grouped`` adds them up instead)."""
    ids = scoped_events(f)
    return ChannelReport(f, event_facts_of(ids, f) + offline, people_counts=people_counter(ids, f))


def credit_share(f: ReportFilter) -> Any:
    """The chosen model's share, read by the database: the default's column, else extracted
    from the JSON (never parsed in Python); a campaign's, among its scheme's enrolments only
    (NULL where that scheme earned the event nothing)."""
    if f.scheme is not None:  # one path, one JSON_EXTRACT (nested keys re-quote each level)
        path = (f.scheme, str(f.window_days), f.model)
        return EventRollup.credit_by_scheme[path].as_float()
    if (str(f.window_days), f.model) == DEFAULT_CREDIT:
        return EventRollup.credit_default
    return EventRollup.credit[str(f.window_days)][f.model].as_float()


def computed_share(row: dict[str, Any], f: ReportFilter) -> float:
    """``credit_share`` of a row ``compute`` made (an event without a stored row yet)."""
    credit = row["credit"] if f.scheme is None else row["credit_by_scheme"].get(f.scheme, {})
    return float(credit.get(str(f.window_days), {}).get(f.model, 0.0))


def event_facts_of(ids: Select[Any], f: ReportFilter) -> list[EventFact]:
    """The facts of the events ``ids`` from their rollup rows (else computed from the sources)."""
    rows = event_rows(
        ids,
        EventRollup.event_id.label("rolled"),
        EventRollup.views,
        EventRollup.interactions,
        EventRollup.present,
        EventRollup.identified,
        EventRollup.post_reach,
        credit_share(f).label("credit"),
        outer=(EventRollup, EventRollup.event_id == Event.id),
    )
    missing = [r.id for r in rows if r.rolled is None]
    computed: dict[int, dict[str, Any]] = {}
    if missing:
        computed = {r["event_id"]: r for r in compute(missing)}
    facts = []
    now = f.now
    for row in rows:
        if row.rolled is not None:
            figures: Any = row
            enrolments = row.credit or 0.0
        else:
            figures = _Row(computed[row.id])
            enrolments = computed_share(computed[row.id], f)
        if EVENT_REACH_KIND[Channel(row.channel)] == "views":
            reach = figures.views
        else:
            reach = figures.present if figures.present is not None else figures.identified
        facts.append(
            event_fact(
                row,
                now,
                reach=int(reach),
                interactions=int(figures.interactions),
                identified_n=int(figures.identified),
                enrolments=float(enrolments),
                post_reach=figures.post_reach if row.channel == Channel.POST else None,
            )
        )
    return facts


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def people_counter(ids: Select[Any], f: ReportFilter) -> Callable[[str], dict[Hashable, int]]:
    """Distinct people per grouping at the events held at ``f``'s moment: from ``people_rollups``
    for a calendar month or year, less those identified only at events still ahead
    (``held_people``), else counted by the database; each grouping asked once."""
    cache: dict[str, dict[Hashable, int]] = {}
    cells = StoredPeople.for_filter(f)
    ahead: list[int] | None = None  # the events still ahead with people: looked up once

    def counts(grouping: str) -> dict[Hashable, int]:
        nonlocal ahead
        if grouping not in cache:
            stored = cells.grouping(grouping) if cells else None
            if stored is None:
                cache[grouping] = held_people.distinct_people(ids, grouping, f.now)
            else:
                if ahead is None:
                    ahead = held_people.touched_ahead(ids, f)
                early = held_people.identified_before_held(ids, grouping, ahead, f.now)
                cache[grouping] = {k: n - early.get(k, 0) for k, n in stored.items()}
        return cache[grouping]

    return counts


@dataclass
class StoredPeople:
    """The stored cells of one report: its unit, its calendar period and its campaign."""

    unit: OrgUnit
    period: str  # "2026", "2026-10" or "*" (all time)
    months: tuple[str, ...] | None  # None: every month stored
    campaign_id: int
    # The unit's own cells, read once for the total, the channels and the months.
    _tree: dict[tuple[int, str, str, str], int] | None = field(default=None, repr=False)

    @classmethod
    def for_filter(cls, f: ReportFilter) -> StoredPeople | None:
        """None unless the period is a calendar year or month or unbounded (cells keep no other)."""
        campaign_id = f.campaign.id if f.campaign else people_cells.ALL_CAMPAIGNS
        if f.start is None and f.end is None:
            return cls(f.unit, people_cells.ALL_TIME, None, campaign_id)
        if f.start is None or f.end is None:
            return None
        year = f"{f.start.year:04d}"
        if (f.start, f.end) == (date(f.start.year, 1, 1), date(f.start.year, 12, 31)):
            months = tuple(f"{year}-{m:02d}" for m in range(1, 13))
            return cls(f.unit, year, months, campaign_id)
        month = f.start.strftime("%Y-%m")
        if (f.start, f.end) == month_bounds(month):
            return cls(f.unit, month, (month,), campaign_id)
        return None

    def grouping(self, name: str) -> dict[Hashable, int] | None:
        """The counts of one grouping, keyed as ``held_people.keyed`` keys them; None: not kept."""
        if name == "total":
            return {(): self._tree_cells().get((self.unit.id, "tree", self.period, ALL), 0)}
        if name == "channel":
            cells = self._tree_cells()
            return {ch: n for (_, _, p, ch), n in cells.items() if p == self.period and ch != ALL}
        if name == "month":
            return {
                (date.fromisoformat(f"{p}-01"), ch): n
                for (_, _, p, ch), n in self._tree_cells().items()
                if (p in self.months if self.months is not None else len(p) == 7) and ch != ALL
            }
        return self._by_commune()

    def _tree_cells(self) -> dict[tuple[int, str, str, str], int]:
        """The unit's cells of the period and of its months, in one read (a page asks for the
        total, the channels and the months: three groupings of the same cells)."""
        if self._tree is None:
            tree = [(self.unit.id, "tree")]
            if self.months is None:  # all time: every month stored, and the all-time cells
                self._tree = people_cells.read(tree, None, self.campaign_id)
                self._tree.update(people_cells.read(tree, [self.period], self.campaign_id))
            else:
                periods = sorted({self.period, *self.months})
                self._tree = people_cells.read(tree, periods, self.campaign_id)
        return self._tree

    def _by_commune(self) -> dict[Hashable, int] | None:
        units = db.session.execute(
            select(OrgUnit.id, OrgUnit.kind, OrgUnit.code, OrgUnit.name).where(
                OrgUnit.id.in_(subtree_ids(self.unit))
            )
        ).all()
        communes = {u.id: (u.code, u.name) for u in units if u.kind == OrgKind.COMMUNE}
        above = [u.id for u in units if u.kind != OrgKind.COMMUNE]
        wanted = [(c, "tree") for c in communes] + [(u, "own") for u in above]
        rows = people_cells.read(wanted, [self.period], self.campaign_id)
        if len({u for (u, s, _, _) in rows if s == "own"}) > 1:
            return None  # people at several units above the communes do not add up: count them
        out: dict[Hashable, int] = {}
        for (unit_id, scope, _, ch), n in rows.items():
            if ch != ALL:
                code, name = communes[unit_id] if scope == "tree" else (None, None)
                out[(code, name, ch)] = n
        return out
