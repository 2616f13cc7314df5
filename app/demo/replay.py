"""A restart's sandbox events: the earlier start's event played again, or kept as a past event.

Every start of the sandbox plays new live objects (new video and meeting ids), so the event an
earlier start registered follows objects the sandbox no longer serves. Left as it was, the
collectors would find them gone and end it, and the new start would add a second event of the
same title: a commune's home would list two. ``earlier_event`` settles the earlier events of a
sandbox title before a start registers its own:

- one never held (still scheduled, no actual start: the earlier play was not reached, so nothing
  of it was collected) is played again: the caller moves its hours and gives it the new objects.
  Its targets that never read anything are dropped; any that did are finished, their reads kept.
- one held (live or ended: the collectors followed the earlier play) stays what it is, a past
  event with what it collected, its figures not mixed with the new play's: it is ended, its
  targets finished, and its title takes the date and hour it started, so no two share a title.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from app.extensions import db
from app.formatting import fmt_datetime, local
from app.models import Channel, Event, EventStatus, Target


def earlier_event(title: str, channel: Channel, org_unit_id: int, now: datetime) -> Event | None:
    """The earlier start's event of ``title`` to play again (None: make a new one); every other
    earlier event of that title is kept as a past event under a dated title."""
    stmt = (
        select(Event)
        .where(Event.title == title, Event.channel == channel, Event.org_unit_id == org_unit_id)
        .order_by(Event.id.desc())
    )
    again = None
    for event in db.session.scalars(stmt).all():
        if again is None and _never_held(event):
            again = event
            _drop_unread_targets(event, now)
        else:
            _keep_as_past(event, now)
    db.session.flush()
    return again


def _never_held(event: Event) -> bool:
    return event.status == EventStatus.SCHEDULED and event.actual_start is None


def _targets(event: Event) -> list[Target]:
    stmt = select(Target).where(Target.event_id == event.id, Target.finished_at.is_(None))
    return list(db.session.scalars(stmt))


def _drop_unread_targets(event: Event, now: datetime) -> None:
    targets = _targets(event)
    unread = [t.id for t in targets if t.last_success_at is None]
    if unread:
        db.session.execute(delete(Target).where(Target.id.in_(unread)))
    for target in targets:
        if target.id not in unread:
            target.finished_at = now


def _keep_as_past(event: Event, now: datetime) -> None:
    last_read = db.session.scalar(
        select(func.max(Target.last_success_at)).where(Target.event_id == event.id)
    )
    for target in _targets(event):
        target.finished_at = now
        if target.status == "live":
            target.status = "ended"
    if event.status != EventStatus.ENDED:
        event.status = EventStatus.ENDED
        if event.actual_start is not None and event.actual_end is None:
            event.actual_end = max(last_read or event.actual_start, event.actual_start)
    event.title = _dated(event)


def _dated(event: Event) -> str:
    """``title – dd/mm/yyyy HH:MM`` of its start; with the seconds, then the id, if taken."""
    start = event.start or event.planned_start or event.created_at
    for title in (
        f"{event.title} – {fmt_datetime(start)}",
        f"{event.title} – {local(start).strftime('%d/%m/%Y %H:%M:%S')}",
    ):
        if db.session.scalar(select(Event.id).where(Event.title == title)) is None:
            return title
    return f"{event.title} – {fmt_datetime(start)} #{event.id}"
