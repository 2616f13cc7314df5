"""A report added up by the database from the rollup rows, for pages that list no events.

A province's year page, the API and a campaign's funnel show figures per channel, per month and
per commune, never one row per event. The database sums the rollup rows once per channel, unit
and local month, from the rows alone: each keeps its event's month in Vietnam (so no start is
converted per row), unit, channel, campaign and cost (so no event is joined), and a year or
month is read from ``ix_event_rollups_month_sums`` alone. Those sums are then added into the
three groupings directly, without a fact per group. Events without a rollup row yet and the
offline entries join as facts, as in ``read``.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any

from sqlalchemy import Float, Select, String, cast, exists, func, select, text, type_coerce

from app.extensions import db
from app.models import Event, EventRollup, OrgKind, OrgUnit
from app.reports.facts import (
    EVENT_REACH_KIND,
    ChannelReport,
    EventFact,
    Figures,
    ReportFilter,
    empty_figures,
    month_bounds,
)
from app.reports.rollups.read import credit_share, event_facts_of, people_counter
from app.reports.sources import scoped_events
from app.scoping import subtree_ids

Groupings = dict[str, dict[Hashable, Figures]]


def whole_months(f: ReportFilter) -> tuple[str, str] | None:
    """The first and last local months of a period made of whole months ("2026-01", "2026-12"),
    which the rollup rows' ``local_month`` selects exactly; None for any other period."""
    if f.start is None or f.end is None or f.start.day != 1:
        return None
    if month_bounds(f.end.strftime("%Y-%m"))[1] != f.end:
        return None
    return f.start.strftime("%Y-%m"), f.end.strftime("%Y-%m")


def in_scope(stmt: Select[Any], ids: Select[Any], f: ReportFilter) -> Select[Any]:
    """``stmt`` (over the rollup rows) restricted to ``f``: a year or month by the rows' month,
    unit and campaign, through the month index; any other period as ``scoped_events`` does."""
    months = whole_months(f)
    if months is None:
        return stmt.where(EventRollup.event_id.in_(ids))
    stmt = stmt.where(EventRollup.local_month.between(*months))
    stmt = stmt.where(EventRollup.org_unit_id.in_(subtree_ids(f.unit)))
    if f.campaign is not None:
        stmt = stmt.where(EventRollup.campaign_id == f.campaign.id)
    return stmt


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


def planned_for_its_values() -> None:
    """Have PostgreSQL plan this transaction's statements for the values they carry.

    The driver prepares a statement on its fifth run on a connection, and PostgreSQL may then
    settle on a plan made for any values: for a province-year's sums such a plan took 48 ms where
    one made for the unit's subtree and the period took 30. ``SET LOCAL`` ends with the
    transaction (the request's); SQLite has no such plans.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def sums(ids: Select[Any], f: ReportFilter) -> Select[Any]:
    """The rollup rows of ``f`` summed per channel (a plain string), unit and local month.

    Each figure is summed as a double: PostgreSQL sums a BIGINT as NUMERIC, digit by digit, and
    hands Python a Decimal per value (a province-year: 4,400 groups of five). A double holds every
    whole number below 2^53 exactly, far above any province's views, interactions or cost.
    """
    stmt = select(
        type_coerce(EventRollup.channel, String),
        EventRollup.org_unit_id,
        EventRollup.local_month,
        func.count(),
        _summed(func.coalesce(EventRollup.cost_vnd, 0)),
        _summed(EventRollup.views),
        _summed(func.coalesce(EventRollup.present, EventRollup.identified)),
        _summed(EventRollup.interactions),
        _summed(func.coalesce(credit_share(f), 0.0)),
    ).group_by(EventRollup.channel, EventRollup.org_unit_id, EventRollup.local_month)
    return in_scope(stmt, ids, f)


def _summed(column: Any) -> Any:
    return func.sum(cast(column, Float))


def _add_sums(groupings: Groupings, ids: Select[Any], f: ReportFilter) -> None:
    """Add the database's sums into the three groupings: first as plain lists per key (events,
    reach, interactions, credit, cost), then once per key into its ``Figures``."""
    communes = _communes(f)
    planned_for_its_values()
    views = {channel.value for channel, kind in EVENT_REACH_KIND.items() if kind == "views"}
    by_channel: dict[Hashable, list[float]] = {}
    by_month: dict[Hashable, list[float]] = {}
    by_unit: dict[Hashable, list[float]] = {}
    for (
        channel,
        unit_id,
        month,
        events,
        cost,
        seen,
        people,
        interactions,
        credit,
    ) in db.session.execute(sums(ids, f)):
        reach = (seen if channel in views else people) or 0
        for table, key in (
            (by_channel, channel),
            (by_month, (month, channel)),
            (by_unit, (unit_id, channel)),
        ):
            if (total := table.get(key)) is None:
                table[key] = [events, reach, interactions or 0, credit or 0, cost or 0]
            else:
                total[0] += events
                total[1] += reach
                total[2] += interactions or 0
                total[3] += credit or 0
                total[4] += cost or 0
    for channel, total in by_channel.items():
        _add(groupings["channel"], channel, channel, total)
    for (month, channel), total in by_month.items():
        if month is not None:  # an event without a start has no month
            _add(groupings["month"], (date.fromisoformat(f"{month}-01"), channel), channel, total)
    for (unit_id, channel), total in by_unit.items():
        code, name = communes.get(unit_id, (None, None))  # units above the communes: one row
        _add(groupings["commune"], (code, name, channel), channel, total)


def _add(
    grouping: dict[Hashable, Figures], key: Hashable, channel: str, total: list[float]
) -> None:
    figures = grouping.get(key)
    if figures is None:
        figures = grouping[key] = empty_figures(channel)
    events, reach, interactions, credit, cost = total
    figures.events += int(events)
    figures.reach += int(reach)
    figures.interactions = (figures.interactions or 0) + int(interactions)
    figures.enrolments += float(credit)
    figures.cost_vnd += int(cost)
