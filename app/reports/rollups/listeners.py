"""The report rollups follow the app session's writes: ORM listeners ``create_app`` installs.

``install`` listens on Flask-SQLAlchemy's session class (every ``db.session`` is made from a
subclass of it), never on SQLAlchemy's own ``Session``, and each listener acts only on the
current ``db.session`` inside an app context, so a script's separate session is not followed.
Importing this module installs nothing.

What they follow, gathered after each flush and carried into the rollups before the commit:

- a touch (``Attendance``: check-ins, attendee sheets, comment leads) or a link (``Link``:
  linkage, review): the events of the people concerned, whose credit may move
  (``build.refresh_events``), and the people cells of those people (``people_cells.apply``);
- a head count (``AttendanceReport``): people present of the hall's event only
  (``build.refresh_present``), as a count credits nobody;
- a hall (``BridgePoint``) added, moved or removed: its event;
- an event created: its row, so that a report finds every event rolled up (``grouped``) instead
  of looking for the events without one, which doubled a province-year page on SQLite;
- an event moved to another unit, date, campaign or channel: the people cells of its people, and
  its row's copies of its month, unit, channel, campaign and cost (``build.refresh_places``), which
  a cost changed also refreshes;
- touches moved by a bulk UPDATE, which the ORM does not see: the writer says so with
  ``note_moved_touches`` (a merge of people).

Nothing is refreshed until a full build has marked the rollups ready; a writer that finds them
not built while a build is writing them waits for it (``catch_up.wait_for_build``, PostgreSQL).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from flask import has_app_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Attendance, AttendanceReport, BridgePoint, Event, Link
from app.reports.rollups import people_cells
from app.reports.rollups.build import (
    PENDING,
    events_of_people,
    ready,
    refresh_events,
    refresh_places,
    refresh_present,
)
from app.reports.rollups.catch_up import wait_for_build

PLACE = people_cells.PLACE_ATTRIBUTES
# The same columns set through the relationships (``event.org_unit = unit``, as the event form
# does): before a flush only these know, the foreign key is copied from them during it.
PLACED_BY = (*PLACE, "org_unit", "campaign")
MOVES = (*PLACED_BY, "cost_vnd")  # what the rollup row copies of its event, start included


def _old_and_new(obj: Any, attr: str) -> set[int]:
    history = inspect(obj).attrs[attr].history
    values = {getattr(obj, attr), *history.deleted}
    return {v for v in values if isinstance(v, int)}


def pending_changes(session: Session) -> dict[str, Any]:
    """What this transaction changed so far, for ``_before_commit`` to carry into the rollups."""
    return session.info.setdefault(
        PENDING,
        {
            "people": set(),
            "events": set(),
            "halls": set(),
            "placed": set(),
            "touches": people_cells.Changes(Counter(), Counter(), {}),
            "ready": None,  # whether the rollups are built, when a writer learnt it already
        },
    )


def note_hall_counted(session: Session, point_id: int, rollups_ready: bool) -> None:
    """A head count stored by a Core statement (no ORM event) that also read whether the rollups
    are built: the commit refreshes the hall's people present without asking that again."""
    pending = pending_changes(session)
    pending["halls"].add(point_id)
    pending["ready"] = rollups_ready  # the latest reading of the transaction


def note_moved_touches(session: Session, moves: Iterable[tuple[int, int, int]]) -> None:
    """Touches moved by a bulk UPDATE (no ORM events): ``(old person, new person, event)``."""
    pending = pending_changes(session)
    for old, new, event_id in moves:
        pending["people"] |= {old, new}
        pending["touches"].removed[(old, event_id)] += 1
        pending["touches"].added[(new, event_id)] += 1


def _touch_changes(
    obj: Attendance, touches: people_cells.Changes, new: bool, deleted: bool
) -> None:
    if new:
        touches.added[(obj.person_id, obj.event_id)] += 1
        return
    if deleted:
        touches.removed[(obj.person_id, obj.event_id)] += 1
        return
    state = inspect(obj)
    person, event_ = state.attrs["person_id"].history, state.attrs["event_id"].history
    if person.deleted or event_.deleted:
        old = (
            person.deleted[0] if person.deleted else obj.person_id,
            event_.deleted[0] if event_.deleted else obj.event_id,
        )
        touches.removed[old] += 1
        touches.added[(obj.person_id, obj.event_id)] += 1


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Events about to move (unit, date, campaign, channel): keep where they were.

    Read from the database before the flush writes, as an expired event's old values are not in
    its attribute history.
    """
    changed = [
        obj
        for obj in session.dirty
        if isinstance(obj, Event)
        and obj.id is not None
        and any(inspect(obj).attrs[n].history.has_changes() for n in PLACED_BY)
    ]
    if not changed or not _ours(session):
        return
    columns = [getattr(Event, n) for n in PLACE]
    rows = session.connection().execute(
        select(Event.id, *columns).where(Event.id.in_([e.id for e in changed]))
    )
    moved = pending_changes(session)["touches"].moved
    for event_id, *values in rows:
        was = moved.setdefault(event_id, {})
        for name, value in zip(PLACE, values, strict=True):
            was.setdefault(name, value)


def _after_flush(session: Session, _context: Any) -> None:
    people: set[int] = set()
    events: set[int] = set()
    halls: set[int] = set()
    placed: set[int] = set()
    touches = people_cells.Changes(Counter(), Counter(), {})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Event) and obj in session.new:
            events.add(obj.id)
        elif isinstance(obj, Event) and obj in session.dirty and _moved(obj):
            placed.add(obj.id)
        if isinstance(obj, Attendance):
            people |= _old_and_new(obj, "person_id")
            events |= _old_and_new(obj, "event_id")
            _touch_changes(obj, touches, obj in session.new, obj in session.deleted)
        elif isinstance(obj, Link):
            people |= _old_and_new(obj, "person_id")
        elif isinstance(obj, AttendanceReport):
            halls |= _old_and_new(obj, "bridge_point_id")
        elif isinstance(obj, BridgePoint):
            events |= _old_and_new(obj, "event_id")
    if people or events or halls or placed or touches:
        pending = pending_changes(session)
        pending["people"] |= people
        pending["events"] |= events
        pending["halls"] |= halls
        pending["placed"] |= placed
        pending["touches"].added.update(touches.added)
        pending["touches"].removed.update(touches.removed)


def _moved(event_: Event) -> bool:
    """Whether a column its rollup row copies changed (see ``build.event_places``)."""
    attrs = inspect(event_).attrs
    return any(attrs[name].history.has_changes() for name in MOVES)


def _ours(session: Session) -> bool:
    """Only the app's own session, inside an app context (not a script's separate session)."""
    return has_app_context() and db.session.registry() is session


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction() or not _ours(session):
        return
    session.flush()  # the commit's own flush comes after this hook: gather its writes now
    if PENDING not in session.info:
        return
    for _ in range(3):  # our own reads may flush more of the caller's writes
        pending = session.info.pop(PENDING, None)
        if not pending:
            return
        known = pending["ready"]
        if not (ready(session) if known is None else known) and not wait_for_build(session):
            return
        events = set(pending["events"]) | events_of_people(pending["people"])
        if pending["halls"]:
            counted = set(
                session.scalars(
                    select(BridgePoint.event_id).where(BridgePoint.id.in_(pending["halls"]))
                )
            )
            refresh_present(counted - events)
        refresh_events(events)
        refresh_places(pending["placed"] - events)
        people_cells.apply(pending["touches"])


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outer transaction ended (committed or rolled back)
        session.info.pop(PENDING, None)


HOOKS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("before_commit", _before_commit),
    ("after_transaction_end", _after_transaction_end),
)


def install() -> None:
    """Listen on the app's session class (once, however many apps ``create_app`` builds)."""
    for name, fn in HOOKS:
        if not event.contains(AppSession, name, fn):
            event.listen(AppSession, name, fn)
