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

from sqlalchemy import Select, exists, func, select, text

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
    """The rollup rows of ``f`` summed per channel, unit and local month."""
    stmt = select(
        EventRollup.channel,
        EventRollup.org_unit_id,
        EventRollup.local_month,
        func.count(),
        func.sum(func.coalesce(EventRollup.cost_vnd, 0)),
        func.sum(EventRollup.views),
        func.sum(func.coalesce(EventRollup.present, EventRollup.identified)),
        func.sum(EventRollup.interactions),
        func.sum(func.coalesce(credit_share(f), 0.0)),
    ).group_by(EventRollup.channel, EventRollup.org_unit_id, EventRollup.local_month)
    return in_scope(stmt, ids, f)


def _add_sums(groupings: Groupings, ids: Select[Any], f: ReportFilter) -> None:
    communes = _communes(f)
    planned_for_its_values()
    months: dict[str | None, date | None] = {None: None}
    views = {c: kind == "views" for c, kind in EVENT_REACH_KIND.items()}
    for (
        channel_,
        unit_id,
        month,
        events,
        cost,
        seen,
        people,
        interactions,
        credit,
    ) in db.session.execute(sums(ids, f)):
        channel = channel_.value
        if month not in months:
            months[month] = date.fromisoformat(f"{month}-01")
        reach = int((seen if views[channel_] else people) or 0)
        code, name = communes.get(unit_id, (None, None))
        for grouping, key in _keys(channel, months[month], code, name):
            figures = groupings[grouping].get(key)
            if figures is None:
                figures = groupings[grouping][key] = empty_figures(channel)
            figures.events += events
            figures.reach += reach
            figures.interactions = (figures.interactions or 0) + int(interactions or 0)
            figures.enrolments += float(credit or 0.0)
            figures.cost_vnd += int(cost or 0)
