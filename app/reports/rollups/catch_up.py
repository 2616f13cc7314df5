"""What a full build catches up on: the writes that landed while it read the sources.

A full build reads every source table before it writes a row, so that SQLite's write lock is held
for its writes alone (seconds) rather than for the minutes its reads take at a province's scale,
when every check-in and collector waiting on the lock would give up after the busy timeout. A
writer that commits meanwhile finds the rollups not built yet and leaves them alone (or, when a
``--full`` build replaces built ones, moves rows the build is about to replace), so the build
notes where each source table stood before reading (``Marks``) and, after its writes and in the
same transaction, refreshes whatever came since:

- the events of touches, links, head counts, halls, samples and comments added since, and of
  links reviewed, events, halls and targets changed since (``SKEW`` early, for the clocks of
  other hosts);
- the people cells of the touches added since, and of the people of events moved since.

Nothing can commit between that catch-up and the build's commit. On SQLite the build's writes
hold the write lock. On PostgreSQL the build holds an exclusive advisory lock from its first write
to its commit (``hold_off_writers``), and a writer that found the rollups not built takes it shared
before its commit (``wait_for_build``), then looks again: once the build committed, it applies its
own changes to the rollups like any writer. A hall's report stored by one statement of its own
(``app.halls.figures.store_alone``) tries the lock in that statement and, refused, goes the
session's way.

Not caught up: touches deleted during the build (a person erased, two people merged), and, on
PostgreSQL, a write whose transaction was already open when the build took its marks and commits
after the build counted the people cells — a window of the length of one write transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import (
    Attendance,
    AttendanceReport,
    BridgePoint,
    Comment,
    EngagementSample,
    Event,
    Link,
    Target,
    utcnow,
)
from app.reports.rollups import people_cells
from app.reports.rollups.build import events_of_people, ready, refresh_events

# The PostgreSQL advisory lock a full build holds while it writes, hashed to its key.
WRITES_LOCK = "lantoa.rollups.full_build_writes"
# How far before the build's start a change stamped by another host's clock is still caught up.
SKEW = timedelta(minutes=1)


@dataclass(frozen=True)
class Marks:
    """The highest id of each table whose new rows move the rollups, and when the build began."""

    started: datetime
    attendance: int
    link: int
    report: int
    hall: int
    event: int
    sample: int
    comment: int

    @classmethod
    def now(cls) -> Marks:
        tables = (Attendance, Link, AttendanceReport, BridgePoint, Event, EngagementSample, Comment)
        highest = [select(func.coalesce(func.max(t.id), 0)).scalar_subquery() for t in tables]
        ids = db.session.execute(select(*highest)).one()
        return cls(utcnow(), *(int(i) for i in ids))


def hold_off_writers() -> None:
    """PostgreSQL: from here to the commit, writers that found the rollups not built wait."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(WRITES_LOCK))))


def wait_for_build(session: Session) -> bool:
    """A writer found the rollups not built: on PostgreSQL, wait out a build that is writing
    them and say whether they are built now (its changes then go into them)."""
    if session.get_bind().dialect.name != "postgresql":
        return False  # SQLite: the writer holds the write lock; a build writes after it
    session.execute(select(func.pg_advisory_xact_lock_shared(func.hashtext(WRITES_LOCK))))
    return ready(session)


def catch_up(marks: Marks, counted_places: dict[int, people_cells.EventPlace]) -> int:
    """Refresh what changed since ``marks``; ``counted_places``: the events' places the people
    cells were counted with. Returns the events refreshed."""
    since = marks.started - SKEW
    touches = db.session.execute(
        select(Attendance.person_id, Attendance.event_id).where(Attendance.id > marks.attendance)
    ).all()
    linked = select(Link.person_id).where(or_(Link.id > marks.link, Link.reviewed_at >= since))
    people = {p for p, _ in touches} | set(db.session.scalars(linked))
    events = {e for _, e in touches} | events_of_people(people)
    events |= _changed_events(marks, since)
    refresh_events(events)
    moved = _moved(counted_places)
    added = Counter((p, e) for p, e in touches)
    people_cells.apply(people_cells.Changes(added, Counter(), moved))
    return len(events)


def _changed_events(marks: Marks, since: datetime) -> set[int]:
    hall_events = select(BridgePoint.event_id)
    target_events = select(Target.event_id)
    queries = (
        select(Event.id).where(or_(Event.id > marks.event, Event.updated_at >= since)),
        hall_events.where(or_(BridgePoint.id > marks.hall, BridgePoint.updated_at >= since)),
        hall_events.join(AttendanceReport, AttendanceReport.bridge_point_id == BridgePoint.id)
        .where(AttendanceReport.id > marks.report),
        target_events.where(Target.updated_at >= since),
        target_events.join(EngagementSample, EngagementSample.target_id == Target.id)
        .where(EngagementSample.id > marks.sample),
        target_events.join(Comment, Comment.target_id == Target.id)
        .where(Comment.id > marks.comment),
    )  # fmt: skip
    out: set[int] = set()
    for query in queries:
        out.update(i for i in db.session.scalars(query.distinct()) if i is not None)
    return out


def _moved(counted: dict[int, people_cells.EventPlace]) -> dict[int, dict[str, Any]]:
    """Events whose place changed since the cells were counted, with their counted place."""
    now = people_cells.places(list(counted))
    return {
        event_id: {
            "org_unit_id": then.unit_id,
            "actual_start": then.actual_start,
            "planned_start": then.planned_start,
            "campaign_id": then.campaign_id,
            "channel": then.channel,
        }
        for event_id, then in counted.items()
        if event_id in now and now[event_id] != then
    }
