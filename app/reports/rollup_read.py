"""The channel report read from ``event_rollups``: one row per event instead of the sources.

Figures that add up (reach, interactions, credit, cost) come from the rollup rows. People
identified do not add up across events (one person at two events counts once), so they are
counted distinct by the database per grouping, from the touches of the events in scope; that
query is asked only for the groupings a view shows. An event without a rollup row yet (created
since the last build, nothing collected) is computed from the sources, so nothing goes missing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, select

from app.extensions import db
from app.models import Attendance, Channel, Event, EventRollup, OrgKind, OrgUnit
from app.reports.queries import (
    EVENT_REACH_KIND,
    ChannelReport,
    EventFact,
    ReportFilter,
    _event_rows,
    event_fact,
    event_start,
    scoped_events,
)


def rollup_report(f: ReportFilter, offline: list[EventFact]) -> ChannelReport:
    ids = scoped_events(f)
    rows = _event_rows(
        ids,
        EventRollup.event_id.label("rolled"),
        EventRollup.views,
        EventRollup.interactions,
        EventRollup.present,
        EventRollup.identified,
        EventRollup.credit,
        outer=(EventRollup, EventRollup.event_id == Event.id),
    )
    missing = [r.id for r in rows if r.rolled is None]
    computed: dict[int, dict[str, Any]] = {}
    if missing:
        from app.reports import rollup

        computed = {r["event_id"]: r for r in rollup.compute(missing)}
    window = str(f.window_days)
    facts = []
    for row in rows:
        figures: Any = row if row.rolled is not None else _Row(computed[row.id])
        if EVENT_REACH_KIND[Channel(row.channel)] == "views":
            reach = figures.views
        else:
            reach = figures.present if figures.present is not None else figures.identified
        facts.append(
            event_fact(
                row,
                reach=int(reach),
                interactions=int(figures.interactions),
                identified_n=int(figures.identified),
                enrolments=float((figures.credit or {}).get(window, {}).get(f.model, 0.0)),
            )
        )
    return ChannelReport(f, facts + offline, people_counts=_people_counter(ids))


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _local_month() -> Any:
    """The first day of the event's month in Vietnam (UTC+7 all year), as 'YYYY-MM-01'."""
    start = event_start()
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Ho_Chi_Minh", start), "YYYY-MM-01")
    return func.strftime("%Y-%m-01", func.datetime(start, "+7 hours"))


def _people_counter(ids: Select[Any]) -> Callable[[str], dict[Hashable, int]]:
    """Distinct people per grouping, each grouping asked of the database once."""
    cache: dict[str, dict[Hashable, int]] = {}

    def counts(grouping: str) -> dict[Hashable, int]:
        if grouping not in cache:
            cache[grouping] = _distinct_people(ids, grouping)
        return cache[grouping]

    return counts


def _distinct_people(ids: Select[Any], grouping: str) -> dict[Hashable, int]:
    commune = OrgUnit.kind == OrgKind.COMMUNE
    keys: list[Any] = {
        "channel": [Event.channel],
        "month": [_local_month(), Event.channel],
        "commune": [
            case((commune, OrgUnit.code), else_=None),
            case((commune, OrgUnit.name), else_=None),
            Event.channel,
        ],
        "total": [],
    }[grouping]
    stmt = (
        select(*keys, func.count(func.distinct(Attendance.person_id)))
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .where(Attendance.event_id.in_(ids))
    )
    if grouping == "commune":
        stmt = stmt.join(OrgUnit, OrgUnit.id == Event.org_unit_id)
    if keys:
        stmt = stmt.group_by(*keys)
    out: dict[Hashable, int] = {}
    for *key, n in db.session.execute(stmt):
        key = [Channel(k).value if isinstance(k, Channel) else k for k in key]
        if grouping == "channel":
            out[key[0]] = int(n)
        elif grouping == "month":
            if key[0] is not None:
                out[(date.fromisoformat(key[0]), key[1])] = int(n)
        else:
            out[tuple(key)] = int(n)
    return out
