"""A restart's sandbox events: the earlier start's event played again, in place.

Every start of the sandbox plays new live objects (new video and meeting ids), so the event an
earlier start registered follows objects the sandbox no longer serves. A newcomer who runs
``make run`` again expects the demo as it was, with one livestream and one conference playing
now: not a pair of fake past events added to the month's report on each start. So
``earlier_event`` finds the earlier start's event of a sandbox title and plays it again: what
the earlier play left on it is cleared (``earlier_play.clear_play``: targets and their reads, people
made only by its lead comments, alerts, the player's head counts), it is scheduled again and the
caller moves its hours and gives it the new objects. Its id stays, so the page or hall link a
newcomer kept still opens it.

An event a user made anything on (``earlier_play.user_made``: a head count sent by hand, a sheet,
a target tracked, an end by hand…) is theirs: it is never cleared, only kept as a past event —
ended, its targets finished, its title dated so no two share one — and the new play gets a
new event under the plain title. The dated past events an earlier version kept of every play
are dropped, unless a user made something on them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.demo.earlier_play import clear_play, user_made
from app.extensions import db
from app.formatting import fmt_datetime, local
from app.models import Channel, Event, EventStatus, Target


def earlier_event(title: str, channel: Channel, org_unit_id: int, now: datetime) -> Event | None:
    """The earlier start's event of ``title`` to play again (None: make a new one), cleared of
    its earlier play; every other earlier event of that title is kept as a past event under a
    dated title."""
    stmt = (
        select(Event)
        .where(Event.title == title, Event.channel == channel, Event.org_unit_id == org_unit_id)
        .where(Event.created_by_id.is_(None))  # one a user made is never the demo's
        .order_by(Event.id.desc())
    )
    again = None
    for event in db.session.scalars(stmt).all():
        if again is None and not user_made(event):
            again = event
            clear_play(event)
        else:
            _keep_as_past(event, now)
    _drop_earlier_piles(title, channel, org_unit_id)
    db.session.flush()
    return again


def _drop_earlier_piles(title: str, channel: Channel, org_unit_id: int) -> None:
    """The plays an earlier version kept as past events (``title – dd/mm/yyyy HH:MM``) that no
    user made anything on: the fake events they added to the month's report go."""
    stmt = select(Event).where(
        Event.title.startswith(f"{title} – ", autoescape=True),
        Event.channel == channel,
        Event.org_unit_id == org_unit_id,
        Event.created_by_id.is_(None),
    )
    for event in db.session.scalars(stmt).all():
        if not user_made(event):
            clear_play(event)
            db.session.delete(event)
    db.session.flush()


def _targets(event: Event) -> list[Target]:
    stmt = select(Target).where(Target.event_id == event.id, Target.finished_at.is_(None))
    return list(db.session.scalars(stmt))


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
