"""Every rollup built from the sources at once: ``flask reports rollup --full``, or the
scheduler's first build (``first_build``).

All reading comes first (the credit replayed person by person, every event's row, every people
cell), then all writing, then the catch-up of what other writers committed meanwhile
(``catch_up``), in one transaction that marks the rollups built. On SQLite the write lock is
taken at the first write, so check-ins and collectors wait only for the writes; at a province's
scale the reads take minutes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select

from app.collection.upsert import upsert
from app.extensions import db
from app.models import Attendance, Event, EventRollup, RollupState, utcnow
from app.reports.rollups import catch_up, people_cells
from app.reports.rollups.build import (
    CHUNK,
    PENDING,
    STATE,
    add_credit,
    compute,
    credit_by_event,
    credit_by_scheme,
    credit_columns,
    touches_and_enrolments,
    write,
)


def rebuild(now: datetime | None = None, people_chunk: int = 50_000) -> int:
    """Every event's row and people cell from the sources, then mark the rollups built; returns
    the events written. Runs in the caller's transaction; the caller commits."""
    db.session.flush()  # the transaction's own writes are counted with the rest
    marks = catch_up.Marks.now()
    rows = _event_rows(marks, people_chunk)
    counted = people_cells.count(up_to=marks.attendance)
    catch_up.hold_off_writers()
    db.session.execute(delete(EventRollup))  # on SQLite: the write lock, from here to the commit
    for start in range(0, len(rows), CHUNK):
        write(rows[start : start + CHUNK])
    people_cells.replace(counted)
    catch_up.catch_up(marks, counted.places)
    upsert(db.session, RollupState.__table__, [{"name": STATE, "built_at": now or utcnow()}],
           ("name",), ("built_at",))  # fmt: skip
    # What the listeners gathered of this transaction is counted already: applied again at its
    # commit, a touch written before the build would count its person twice in the cells.
    db.session.info.pop(PENDING, None)
    return len(rows)


def _event_rows(marks: catch_up.Marks, people_chunk: int) -> list[dict[str, Any]]:
    """Every event's row up to the marks. Credit is replayed person by person (a conversion
    belongs to one person's touches), in id ranges so memory stays bounded; the other figures
    are computed per chunk of events."""
    credit: dict[int, dict[str, Any]] = {}
    by_scheme: dict[int, dict[str, Any]] = {}
    for people in _person_chunks(people_chunk):
        history = touches_and_enrolments(people)
        for event_id, by_window in credit_by_event(*history).items():
            add_credit(credit.setdefault(event_id, {}), by_window)
        for event_id, schemes in credit_by_scheme(*history).items():
            add_credit(by_scheme.setdefault(event_id, {}), schemes)
    ids = list(
        db.session.scalars(select(Event.id).where(Event.id <= marks.event).order_by(Event.id))
    )
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), CHUNK):
        for row in compute(ids[start : start + CHUNK], credit=False):
            row.update(credit_columns(credit.get(row["event_id"]), by_scheme.get(row["event_id"])))
            rows.append(row)
    return rows


def _person_chunks(size: int) -> Iterator[Select[Any]]:
    """Id ranges of people who have touches, ``size`` people at a time."""
    low = db.session.scalar(select(func.min(Attendance.person_id)))
    high = db.session.scalar(select(func.max(Attendance.person_id)))
    if low is None or high is None:
        return
    for start in range(low, high + 1, size):
        yield select(Attendance.person_id).where(
            Attendance.person_id >= start, Attendance.person_id < start + size
        )
