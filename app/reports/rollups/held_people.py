"""People identified at the events held, counted by the database, beside the stored cells.

``people_rollups`` keeps distinct people per period, not per moment: a cell counts everyone
touched at its events, held or not. A report counts only the events held at its moment
(``facts.is_held``), and people are identified before a start (a hall checks in from two hours
before, a comment lead on an announcement comes days before), so a cell may hold people of events
still ahead. A person whose touches of a grouping's key are all at such events is in the cell
but not in the report: ``identified_before_held`` counts them per key, and the reader takes them
off the cell. Only the events in scope not held yet and touched are looked at (a past month or
year has none: nothing is asked), and their people's other touches through the people's index;
nothing is recounted over the period and no row goes through Python.

For a period the cells do not keep, ``distinct_people`` counts from the touches of the held
events of the scope.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, case, except_, exists, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Attendance, Channel, Event, OrgKind, OrgUnit
from app.reports.facts import ReportFilter, held_sql, upcoming_sql
from app.timeparse import VN, as_utc


def start_of(event: Any) -> Any:
    """``sources.event_start`` of an aliased event."""
    return func.coalesce(event.actual_start, event.planned_start)


def local_month_sql(start: Any) -> Any:
    """The first day of the month in Vietnam (UTC+7 all year) of ``start``, as 'YYYY-MM-01'."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone(VN.key, start), "YYYY-MM-01")
    return func.strftime("%Y-%m-01", func.datetime(start, "+7 hours"))


def keys_of(grouping: str, event: Any, unit: Any) -> list[Any]:
    """The columns a grouping's people are keyed by, over an (aliased) event and its unit."""
    commune = unit.kind == OrgKind.COMMUNE
    return {
        "channel": [event.channel],
        "month": [local_month_sql(start_of(event)), event.channel],
        "commune": [
            case((commune, unit.code), else_=None),
            case((commune, unit.name), else_=None),
            event.channel,
        ],
        "total": [],
    }[grouping]


def keyed(grouping: str, rows: Any) -> dict[Hashable, int]:
    """Rows of (*key, count) keyed as ``ChannelReport`` groups its figures."""
    out: dict[Hashable, int] = {}
    for *key, n in rows:
        key = [Channel(k).value if isinstance(k, Channel) else k for k in key]
        if grouping == "channel":
            out[key[0]] = int(n)
        elif grouping == "month":
            if key[0] is not None:
                out[(date.fromisoformat(key[0]), key[1])] = int(n)
        else:
            out[tuple(key)] = int(n)
    return out


def distinct_people(ids: Select[Any], grouping: str, now: datetime) -> dict[Hashable, int]:
    """Distinct people per key touched at the events ``ids`` held by ``now``."""
    keys = keys_of(grouping, Event, OrgUnit)
    stmt = (
        select(*keys, func.count(func.distinct(Attendance.person_id)))
        .select_from(Attendance)
        .join(Event, Event.id == Attendance.event_id)
        .join(OrgUnit, OrgUnit.id == Event.org_unit_id)
        .where(Attendance.event_id.in_(ids), held_sql(start_of(Event), now))
    )
    if keys:
        stmt = stmt.group_by(*keys)
    return keyed(grouping, db.session.execute(stmt))


def all_held(f: ReportFilter) -> bool:
    """Whether every event of ``f``'s period has started by its moment: the period ended (in
    Vietnam) before it. An unbounded period may hold events not dated or still ahead."""
    if f.end is None:
        return False
    end = as_utc(datetime.combine(f.end + timedelta(days=1), time()))
    return end is not None and end <= f.now


def touched_ahead(ids: Select[Any], f: ReportFilter) -> list[int]:
    """The events of ``ids`` not held at ``f``'s moment that have people identified already."""
    if all_held(f):
        return []
    touched = exists().where(Attendance.event_id == Event.id)
    stmt = ids.where(upcoming_sql(start_of(Event), f.now), touched)
    return list(db.session.scalars(stmt))


def identified_before_held(
    ids: Select[Any], grouping: str, ahead: list[int], now: datetime
) -> dict[Hashable, int]:
    """People per key touched at the events ``ahead`` (of ``ids``, not held by ``now``) and at
    no held event of ``ids`` under the same key: in the stored cells, not in the report.

    Two sets and their difference (``EXCEPT``), not a lookup per touch: the (key, person) pairs
    of the touches ahead, less those of the same people's touches at held events in scope, read
    through the people's index (a province's conference checks thousands in before its start)."""
    if not ahead:
        return {}
    touch, event, unit = aliased(Attendance), aliased(Event), aliased(OrgUnit)
    keys = [k.label(f"k{i}") for i, k in enumerate(keys_of(grouping, event, unit))]
    early = (
        select(*keys, touch.person_id.label("person_id"))
        .join_from(touch, event, event.id == touch.event_id)
        .join(unit, unit.id == event.org_unit_id)
        .where(touch.event_id.in_(ahead))
    )
    other, other_event, other_unit = aliased(Attendance), aliased(Event), aliased(OrgUnit)
    people = select(Attendance.person_id).where(Attendance.event_id.in_(ahead))
    held = (
        select(*keys_of(grouping, other_event, other_unit), other.person_id)
        .join_from(other, other_event, other_event.id == other.event_id)
        .join(other_unit, other_unit.id == other_event.org_unit_id)
        # "+ 0": SQLite reads the people's touches by their index, then keeps those in scope;
        # by the events' index it probed every event of the year for each person.
        .where(other.person_id.in_(people), (other.event_id + 0).in_(ids))
        .where(held_sql(start_of(other_event), now))
    )
    only = except_(early, held).subquery()
    columns = [only.c[f"k{i}"] for i in range(len(keys))]
    stmt = select(*columns, func.count()).select_from(only)
    if columns:
        stmt = stmt.group_by(*columns)
    return keyed(grouping, db.session.execute(stmt))
