"""People identified per report cell, so a year's "people identified" is read, not recounted.

People do not add up across events (one person at two events counts once), so the event rollups
cannot give them for a month or a year: the reports counted them distinct over every touch of the
period on each request. ``people_rollups`` keeps, per cell, how many distinct people were touched
there. A cell is an org unit's subtree ("tree") or the unit alone ("own"), a month, a year
(Vietnam time) or all time, one campaign or all, one channel or all; the reports read it when the
period is a calendar month or year or not bounded, and count from the touches otherwise.

A change of touches moves each cell by the difference between a person's cells before and after
the change (``apply``), so a check-in writes a few rows and never recounts the year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from app.collection.upsert import upsert
from app.extensions import db
from app.models import Attendance, Channel, Event, OrgUnit, PeopleRollup
from app.timeparse import VN

ALL_CAMPAIGNS = 0
ALL_CHANNELS = "*"
ALL_TIME = "*"
CHUNK = 1000

Cell = tuple[int, str, str, int, str]  # (org unit id, scope, period, campaign id, channel)


@dataclass(frozen=True)
class EventPlace:
    """What puts an event's touches in cells: where, when, which campaign, which channel."""

    unit_id: int
    unit_path: str
    actual_start: datetime | None
    planned_start: datetime | None
    campaign_id: int | None
    channel: str

    @property
    def start(self) -> datetime | None:
        return self.actual_start if self.actual_start is not None else self.planned_start


def periods(start: datetime | None) -> tuple[str, ...]:
    """All time ("*"), then the year and the month of the start in Vietnam, when there is one."""
    if start is None:
        return (ALL_TIME,)
    local = start.astimezone(VN)
    return (ALL_TIME, f"{local.year:04d}", f"{local.year:04d}-{local.month:02d}")


def cells_of(place: EventPlace, unit_ids: dict[str, int]) -> frozenset[Cell]:
    """Every cell a touch at this event counts in; ``unit_ids`` maps unit paths to ids."""
    parts = place.unit_path.split("/")
    trees = [
        unit_ids[p] for i in range(1, len(parts) + 1) if (p := "/".join(parts[:i])) in unit_ids
    ]
    units = [(u, "tree") for u in trees] + [(place.unit_id, "own")]
    campaigns = [ALL_CAMPAIGNS] + ([place.campaign_id] if place.campaign_id else [])
    return frozenset(
        (unit, scope, period, campaign, channel)
        for unit, scope in units
        for period in periods(place.start)
        for campaign in campaigns
        for channel in (ALL_CHANNELS, place.channel)
    )


def places(event_ids: Collection[int]) -> dict[int, EventPlace]:
    ids = sorted(event_ids)
    out: dict[int, EventPlace] = {}
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(
            select(
                Event.id,
                Event.org_unit_id,
                OrgUnit.path,
                Event.actual_start,
                Event.planned_start,
                Event.campaign_id,
                Event.channel,
            )
            .join(OrgUnit, OrgUnit.id == Event.org_unit_id)
            .where(Event.id.in_(ids[start : start + CHUNK]))
        )
        for event_id, unit_id, path, actual, planned, campaign_id, channel in rows:
            out[event_id] = EventPlace(
                unit_id, path, actual, planned, campaign_id, Channel(channel).value
            )
    return out


def unit_ids(paths: Iterable[str]) -> dict[str, int]:
    """Ids of the units on these paths and above them."""
    wanted: set[str] = set()
    for path in paths:
        parts = path.split("/")
        wanted.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return dict(
        db.session.execute(select(OrgUnit.path, OrgUnit.id).where(OrgUnit.path.in_(wanted))).all()
    )


def _cell_map(by_event: dict[int, EventPlace]) -> dict[int, frozenset[Cell]]:
    ids = unit_ids({p.unit_path for p in by_event.values()})
    return {e: cells_of(p, ids) for e, p in by_event.items()}


def _add(deltas: Counter[Cell]) -> None:
    """Move each cell by its delta (insert it at the delta when new)."""
    rows = [
        {"org_unit_id": u, "scope": s, "period": p, "campaign_id": c, "channel": ch, "people": n}
        for (u, s, p, c, ch), n in sorted(deltas.items())
        if n
    ]
    keys = ("org_unit_id", "scope", "period", "campaign_id", "channel")
    upsert(db.session, PeopleRollup.__table__, rows, keys, add=("people",))


def _touches_by_person(person_ids: Collection[int]) -> Iterator[tuple[int, Counter[int]]]:
    """(person, their touches per event), person by person, from the current touches.

    Touches, not events: a person checked in at a hall and then on its attendee sheet has two
    touches of one event, and a change that adds one of them leaves the other.
    """
    ids = sorted(person_ids)
    for start in range(0, len(ids), CHUNK):
        touches: dict[int, Counter[int]] = defaultdict(Counter)
        for person_id, event_id, n in db.session.execute(
            select(Attendance.person_id, Attendance.event_id, func.count())
            .where(Attendance.person_id.in_(ids[start : start + CHUNK]))
            .group_by(Attendance.person_id, Attendance.event_id)
        ):
            touches[person_id][event_id] = n
        for person_id in ids[start : start + CHUNK]:
            yield person_id, touches.get(person_id, Counter())


@dataclass(frozen=True)
class Counted:
    """Every cell counted from the touches, and the events' places they were counted with."""

    cells: Counter[Cell]
    places: dict[int, EventPlace]


def count(up_to: int | None = None) -> Counted:
    """Every cell from the touches (those up to id ``up_to``, when given), writing nothing."""
    by_event = places(list(db.session.scalars(select(Event.id))))
    cell_of = _cell_map(by_event)
    counts: Counter[Cell] = Counter()
    current: int | None = None
    seen: set[Cell] = set()
    stmt = select(Attendance.person_id, Attendance.event_id)
    if up_to is not None:
        stmt = stmt.where(Attendance.id <= up_to)
    stmt = stmt.order_by(Attendance.person_id).execution_options(yield_per=50_000)
    for person_id, event_id in db.session.execute(stmt):
        if person_id != current:
            counts.update(seen)
            current, seen = person_id, set()
        seen |= cell_of.get(event_id, frozenset())
    counts.update(seen)
    return Counted(counts, by_event)


def replace(counted: Counted) -> int:
    """Every cell as counted; returns the number of cells written."""
    db.session.execute(delete(PeopleRollup))
    _add(counted.cells)
    return len(counted.cells)


@dataclass
class Changes:
    """Touches added and removed in a transaction, and events whose place moved.

    ``moved`` keeps, per event, the values its place attributes had before the transaction.
    """

    added: Counter[tuple[int, int]]
    removed: Counter[tuple[int, int]]
    moved: dict[int, dict[str, Any]]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.moved)


def apply(changes: Changes) -> None:
    """Move the cells of the people concerned from their old cells to their new ones."""
    people = {p for p, _ in changes.added} | {p for p, _ in changes.removed}
    if changes.moved:
        people |= set(
            db.session.scalars(
                select(Attendance.person_id)
                .where(Attendance.event_id.in_(list(changes.moved)))
                .distinct()
            )
        )
    if not people:
        return
    touches = dict(_touches_by_person(people))
    delta_of: dict[int, Counter[int]] = defaultdict(Counter)
    for (person_id, event_id), n in changes.added.items():
        delta_of[person_id][event_id] -= n
    for (person_id, event_id), n in changes.removed.items():
        delta_of[person_id][event_id] += n
    after: dict[int, set[int]] = {}
    before: dict[int, set[int]] = {}
    for person_id, now_touched in touches.items():
        after[person_id] = {e for e, n in now_touched.items() if n > 0}
        counted = Counter(now_touched)
        counted.update(delta_of.get(person_id, Counter()))
        before[person_id] = {e for e, n in counted.items() if n > 0}
    events = set().union(*after.values(), *before.values())
    now = places(events)
    then = {
        **now,
        **{e: _place_before(now[e], old) for e, old in changes.moved.items() if e in now},
    }
    ids = unit_ids({p.unit_path for p in (*now.values(), *then.values())})
    cells_now = {e: cells_of(p, ids) for e, p in now.items()}
    cells_then = {e: cells_of(p, ids) for e, p in then.items()}
    deltas: Counter[Cell] = Counter()
    for person_id in people:
        new = set().union(*(cells_now.get(e, frozenset()) for e in after[person_id]))
        old = set().union(*(cells_then.get(e, frozenset()) for e in before[person_id]))
        deltas.update(new - old)
        deltas.subtract(old - new)
    _add(deltas)


PLACE_ATTRIBUTES = ("org_unit_id", "actual_start", "planned_start", "campaign_id", "channel")


def _place_before(place: EventPlace, old: dict[str, Any]) -> EventPlace:
    """The event's place with the attribute values it had before the transaction."""
    unit_id = old.get("org_unit_id", place.unit_id)
    path = place.unit_path
    if unit_id != place.unit_id:
        path = db.session.scalar(select(OrgUnit.path).where(OrgUnit.id == unit_id)) or ""
    return EventPlace(
        unit_id,
        path,
        old.get("actual_start", place.actual_start),
        old.get("planned_start", place.planned_start),
        old.get("campaign_id", place.campaign_id),
        Channel(old.get("channel", place.channel)).value,
    )


def read(
    unit_ids_scopes: Iterable[tuple[int, str]], period_keys: Iterable[str] | None, campaign_id: int
) -> dict[tuple[int, str, str, str], int]:
    """Stored counts {(unit, scope, period, channel): people} for these units and periods
    (``None``: every month stored)."""
    pairs = list(unit_ids_scopes)
    units = {u for u, _ in pairs}
    scopes = {s for _, s in pairs}
    rows = db.session.execute(
        select(
            PeopleRollup.org_unit_id,
            PeopleRollup.scope,
            PeopleRollup.period,
            PeopleRollup.channel,
            PeopleRollup.people,
        ).where(
            PeopleRollup.org_unit_id.in_(units),
            PeopleRollup.scope.in_(scopes),
            PeopleRollup.period.in_(list(period_keys))
            if period_keys is not None
            else PeopleRollup.period.like("____-__"),
            PeopleRollup.campaign_id == campaign_id,
        )
    )
    wanted = set(pairs)
    return {(u, s, p, ch): int(n) for u, s, p, ch, n in rows if (u, s) in wanted}
