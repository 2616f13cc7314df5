"""A report added up by the database from the rollup rows, for pages that list no events.

A province's year page, the API and a campaign's funnel show figures per channel, per month and
per commune, never one row per event. The database adds up the rollup rows into those three
groupings (``app.reports.rollups.sums``: from one index, no event joined), and each total becomes
its group's ``Figures`` once, without a fact per group. Events without a rollup row yet and the
offline entries join as facts, as in ``read``.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, func, select

from app.extensions import db
from app.models import Event, EventRollup, OrgKind, OrgUnit
from app.post_reach import added
from app.reports.facts import (
    ChannelReport,
    EventFact,
    Figures,
    ReportFilter,
    empty_figures,
)
from app.reports.rollups.read import event_facts_of, people_counter
from app.reports.rollups.sums import Totals, read_sums
from app.reports.sources import scoped_events
from app.scoping import subtree_ids

Groupings = dict[str, dict[Hashable, Figures]]


def grouped_report(f: ReportFilter, offline: list[EventFact]) -> ChannelReport:
    """The report of ``f`` without its list of events, summed by the database."""
    ids = scoped_events(f)
    groupings: Groupings = {"channel": {}, "month": {}, "commune": {}}
    _add_sums(groupings, ids, f)
    # Events without a rollup row yet (created since the last build) are computed one by one;
    # looked for only when some event has none (a year would otherwise probe 20,000 rows).
    extra = list(offline)
    if not all_rolled():
        extra = event_facts_of(ids.where(~exists().where(EventRollup.event_id == Event.id)), f)
        extra += offline
    for fact in extra:
        for name, key in _keys(fact.channel, fact.month, fact.commune_code, fact.commune_name):
            groupings[name].setdefault(key, empty_figures(fact.channel)).add(fact)
    return ChannelReport(
        f, extra, people_counts=people_counter(ids, f), per_event=False, grouped=groupings
    )


def all_rolled() -> bool:
    """Whether every event has its rollup row. A row is keyed by its event and deleted with it,
    so as many rows as events means none is missing: two counts of narrow indexes, in one
    statement (one snapshot), instead of looking up each event of the report."""
    events = select(func.count()).select_from(Event).scalar_subquery()
    rows = select(func.count()).select_from(EventRollup).scalar_subquery()
    return db.session.scalar(select(events - rows)) == 0


def _keys(
    channel: str, month: date | None, code: str | None, name: str | None
) -> list[tuple[str, Hashable]]:
    """The key of each grouping, as ``ChannelReport`` groups facts."""
    keys: list[tuple[str, Hashable]] = [("channel", channel), ("commune", (code, name, channel))]
    if month is not None:
        keys.append(("month", (month, channel)))
    return keys


def _communes(f: ReportFilter) -> dict[int, tuple[str | None, str | None]]:
    """Code and name of each commune of the unit's subtree (units above them: none)."""
    rows = db.session.execute(
        select(OrgUnit.id, OrgUnit.code, OrgUnit.name).where(
            OrgUnit.id.in_(subtree_ids(f.unit)), OrgUnit.kind == OrgKind.COMMUNE
        )
    )
    return {i: (code, name) for i, code, name in rows}


def _add_sums(groupings: Groupings, ids: Select[Any], f: ReportFilter) -> None:
    """Add the database's totals into the three groupings, once per key."""
    communes = _communes(f)
    totals = read_sums(ids, f)
    for channel, total in totals.by_channel.items():
        _add(groupings["channel"], channel, channel, total)
    for (month, channel), total in totals.by_month.items():
        if month is not None:  # an event without a start has no month
            _add(groupings["month"], (date.fromisoformat(f"{month}-01"), channel), channel, total)
    for (unit_id, channel), total in totals.by_unit.items():
        code, name = communes.get(unit_id, (None, None))  # units above the communes: one row
        _add(groupings["commune"], (code, name, channel), channel, total)


def _add(grouping: dict[Hashable, Figures], key: Hashable, channel: str, total: Totals) -> None:
    figures = grouping.get(key)
    if figures is None:
        figures = grouping[key] = empty_figures(channel)
    events, reach, interactions, credit, cost, planned, planned_cost, posts, *costed = total
    costed_events, costed_credit, planned_costed = costed
    figures.events += int(events)
    figures.reach += int(reach)
    if figures.interactions is not None or int(interactions):  # None: none read (NO_INTERACTIONS)
        figures.interactions = (figures.interactions or 0) + int(interactions)
    figures.enrolments += float(credit)
    figures.cost_vnd += int(cost)
    figures.costed += int(costed_events)
    figures.costed_enrolments += float(costed_credit)
    figures.planned += int(planned)
    figures.planned_cost_vnd += int(planned_cost)
    figures.planned_costed += int(planned_costed)
    figures.post_reach = added((figures.post_reach, None if posts is None else int(posts)))
