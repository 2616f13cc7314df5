"""An event's status against its dates and its collectors: the one rule the pages, the API and
the collectors' writer follow.

- Dates: an event is held once its start (the actual one, else the planned one) is at or before
  now (``app.reports.facts.is_held``, the reports' rule). So "ended" is refused for an event not
  held yet, and "live" for one whose start is more than ``EARLY_START`` ahead (a stream opened a
  little early is real; one set live days ahead is a slip of the select box).
- A "scheduled" event is never moved by a clock (a report never reads the status): inside its
  planned hours it shows as under way by its schedule, and once they are over it shows as
  needing an update, until someone or a collector sets it (``shown_status``).
- Officers win over collectors: an event an officer ends stays ended (``Event.ended_by_id``).
  Its targets end with it as their platform would at that time (``Target.hand_ended_at``): a
  live's final figures are read once (Facebook's total views, the last comments), then
  collection stops, the figures read kept. Setting it back to scheduled or live resumes the
  targets its end ended or stopped (those whose platform had not ended them).
- "Scheduled" is refused while a platform says the event is live: the next poll would undo it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select

import collectors
from app.extensions import db
from app.formatting import fmt_datetime
from app.labels import SHOWN_STATUS
from app.models import Event, EventStatus, Target, User, utcnow

# A scheduled event with no planned end counts as under way this long after its planned start.
UNDATED_LENGTH = timedelta(hours=3)
# How long before its start an officer may set an event live (a stream opened early).
EARLY_START = timedelta(hours=1)
# What ``shown_status`` returns besides the stored statuses.
UNDER_WAY, OVERDUE = "under_way", "overdue"
# The events list's filter of those under way whose platform has not started (``status_words``).
UNDER_WAY_WAITING = "under_way_waiting"
# A scheduled event in or past its planned hours whose live or meeting has not started on its
# platform: every page says both (``status_words``), the live page's banner too.
PLATFORM_NOT_STARTED = _l("%(status)s — the platform is not broadcasting yet")
# The same of an event that waits only for meetings (Zoom, Teams, Meet, BigBlueButton): a meeting
# is held, not broadcast.
MEETING_NOT_STARTED = _l("%(status)s — the meeting has not started yet")
# The events list's filter, which takes both: its words fit a live's row and a meeting's.
NOT_STARTED_EITHER = _l("%(status)s — the live or the meeting has not started yet")
# ``waiting_for``'s answer → its words; None: either (the filter).
WAITING_WORDS = {
    "broadcast": PLATFORM_NOT_STARTED,
    "meeting": MEETING_NOT_STARTED,
    None: NOT_STARTED_EITHER,
}


def is_held(start: datetime | None, now: datetime) -> bool:
    """The reports' rule (``app.reports.facts.is_held``), imported when asked: the reports'
    package reads the events' pages' modules as it loads."""
    from app.reports.facts import is_held as held

    return held(start, now)


class StatusRefused(ValueError):
    """A status that cannot apply to the event as dated; the message says why, in words."""


def planned_end_of(event: Event) -> datetime | None:
    """When its planned hours are over: the planned end, else ``UNDATED_LENGTH`` after the
    planned start; None when it has no planned start."""
    if event.planned_end is not None:
        return event.planned_end
    return None if event.planned_start is None else event.planned_start + UNDATED_LENGTH


def shown_status(event: Event, now: datetime) -> str:
    """The status a page shows: the stored one when live or ended; for a scheduled event,
    ``UNDER_WAY`` inside its planned hours and ``OVERDUE`` after them (no one ended it)."""
    if event.status != EventStatus.SCHEDULED or not is_held(event.start, now):
        return event.status.value
    end = planned_end_of(event)
    return OVERDUE if end is not None and end <= now else UNDER_WAY


def waits_for_platform(event: Event) -> bool:
    """Whether the event collects a live or a meeting (a target whose collector says when it
    goes live) and none of its targets is live or over yet: the live page's "upcoming" phase
    (``app.live.targets.EventTargets.phase``) for an event its schedule says is under way."""
    return waiting_for(event) is not None


def waiting_for(event: Event) -> str | None:
    """What the event waits for when ``waits_for_platform``: "meeting" when all it waits for are
    meetings, "broadcast" when a live is among them; None when it waits for nothing."""
    meeting_kinds, starting_kinds = _starting_kinds()
    rows = db.session.execute(
        select(Target.kind, Target.status, Target.finished_at).where(Target.event_id == event.id)
    ).all()
    starting = [r for r in rows if r.kind in starting_kinds]
    meetings = [r for r in rows if r.kind in meeting_kinds]
    if meetings and all(r.finished_at is not None for r in meetings):
        return None
    if not starting or any(r.status == "live" for r in rows):
        return None
    return "meeting" if len(meetings) == len(starting) else "broadcast"


def waits_for_platform_sql() -> ColumnElement[bool]:
    """``waits_for_platform`` for the database, row by row: the events list's filter of the
    events its rows say are under way while "the platform is not broadcasting yet"."""
    meeting_kinds, starting_kinds = _starting_kinds()
    mine = Target.event_id == Event.id

    def some(*where: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(mine, *where)

    meetings_over = and_(
        some(Target.kind.in_(meeting_kinds)),
        ~some(Target.kind.in_(meeting_kinds), Target.finished_at.is_(None)),
    )
    return and_(
        some(Target.kind.in_(starting_kinds)), ~some(Target.status == "live"), ~meetings_over
    )


def _starting_kinds() -> tuple[frozenset[str], frozenset[str]]:
    """The meetings' kinds, and every kind whose collector says when it goes live."""
    from app.collection.fit import MEETING_KINDS  # it reads the events' labels

    return MEETING_KINDS, MEETING_KINDS | {"facebook_live", "youtube_live"}


def waiting_words(waiting: str | None = None, shown: str = UNDER_WAY) -> str:
    """The words of an event ``shown`` under way (or past its end) by its schedule whose
    platform has not started: what it waits for (``waiting_for``: "broadcast", "meeting"), or,
    None, the events list's filter, which takes both."""
    return str(WAITING_WORDS[waiting] % {"status": SHOWN_STATUS[shown]})


def status_words(event: Event, now: datetime) -> str:
    """The status in words, as every page says it: ``shown_status``'s label, and, under way or
    past its end by its schedule, that its platform has not started when so."""
    shown = shown_status(event, now)
    if shown in (UNDER_WAY, OVERDUE) and (waiting := waiting_for(event)) is not None:
        return waiting_words(waiting, shown)
    return str(SHOWN_STATUS[shown])


def shown_status_sql(shown: str, now: datetime) -> ColumnElement[bool]:
    """The events whose ``shown_status`` at ``now`` is ``shown``, for the database: the events
    list filters what its rows show. "live" takes the scheduled events under way by their
    schedule too (both read "Đang diễn ra"); "scheduled" only those not held yet. The planned
    end is compared with ``now`` moved back, not computed per row, so an index can serve it."""
    start = func.coalesce(Event.actual_start, Event.planned_start)  # ``Event.start``
    scheduled = Event.status == EventStatus.SCHEDULED
    held = start <= now  # NULL (no start): not held, as ``is_held``
    # ``planned_end_of`` at or before now; never NULL (no planned hours: not over), so ``~over``
    # keeps an event begun with no planned start under way, as ``shown_status`` does.
    over = or_(
        and_(Event.planned_end.is_not(None), Event.planned_end <= now),
        and_(
            Event.planned_end.is_(None),
            Event.planned_start.is_not(None),
            Event.planned_start <= now - UNDATED_LENGTH,
        ),
    )
    if shown == EventStatus.SCHEDULED:
        return and_(scheduled, or_(start.is_(None), start > now))
    if shown == EventStatus.LIVE:
        return or_(Event.status == EventStatus.LIVE, and_(scheduled, held, ~over))
    if shown == EventStatus.ENDED:
        return Event.status == EventStatus.ENDED
    if shown == UNDER_WAY:
        return and_(scheduled, held, ~over)
    if shown == UNDER_WAY_WAITING:  # the rows' words (``status_words``) under way alone
        return and_(scheduled, held, ~over, waits_for_platform_sql())
    if shown == OVERDUE:
        return and_(scheduled, held, over)
    return false()


def check_status(event: Event, now: datetime) -> None:
    """Raise ``StatusRefused`` when the event's status disagrees with its dates or with a
    platform that says it is live."""
    start = event.start
    if event.status == EventStatus.ENDED and start is not None and not is_held(start, now):
        raise StatusRefused(
            _l(
                "The event has not started yet (it starts on %(when)s), so it cannot be set "
                "as ended. Change its planned start if it was held earlier.",
                when=fmt_datetime(start),
            )  # fmt: skip
        )
    if event.status == EventStatus.LIVE and start is not None and start > now + EARLY_START:
        raise StatusRefused(
            _l(
                "The event starts on %(when)s, so it cannot be live yet. Change its planned "
                "start if it began earlier.",
                when=fmt_datetime(start),
            )  # fmt: skip
        )
    if event.status == EventStatus.SCHEDULED and event.id is not None and _live_targets(event):
        raise StatusRefused(
            _l(
                "A platform says this event is live now, so it cannot be set back to "
                "scheduled. Choose Ended to stop collecting it."
            )
        )


def _live_targets(event: Event) -> list[Target]:
    stmt = select(Target).where(
        Target.event_id == event.id, Target.status == "live", Target.finished_at.is_(None)
    )
    return list(db.session.scalars(stmt))


def end_by_hand(event: Event, user: User, now: datetime | None = None) -> int:
    """An officer ends ``event``: it stays ended whatever the platforms say, and its targets end
    with it. Returns how many targets stopped.

    A target its platform had not ended is ended as the platform would at the officer's end
    (``Target.hand_ended_at``, the event's actual end): a kind that has it
    (``CollectorType.final_read``: a Facebook live's total views, the last comments) is read at
    once as at that end, then settles as after a platform's end; one its platform already ended
    keeps its settling reads (ending the event must not freeze its views); any other target
    stops now, the figures read so far kept."""
    now = now or utcnow()
    stopped = _locked_targets(event, Target.finished_at.is_(None))
    event.ended_by_id = user.id
    if event.actual_end is None and is_held(event.start, now):
        # Ended early (the stream cut, the meeting closed) now; else when it was planned to.
        planned = planned_end_of(event)
        event.actual_end = planned if planned is not None and planned < now else now
    for target in stopped:
        if target.status == "ended" and _settles(target):
            continue  # the platform ended it: its settling reads go on, as without the officer
        if target.status != "ended":
            target.status, target.hand_ended_at = "ended", event.actual_end or now
        if _reads_at_end(target):
            target.next_run_at = now
        else:
            target.finished_at = now
    return len(stopped)


def _settles(target: Target) -> bool:
    spec = collectors.COLLECTORS.get(target.kind)
    return spec is not None and spec.final_read and target.paused_reason is None


def _reads_at_end(target: Target) -> bool:
    """Whether ``target`` gets its last read as at the officer's end before it finishes."""
    spec = collectors.COLLECTORS.get(target.kind)
    final = spec is not None and spec.final_read
    return final and target.hand_ended_at is not None and target.paused_reason is None


def reopen(event: Event, now: datetime | None = None) -> int:
    """An event an officer ended is set back to scheduled or live: the collectors may move it
    again, and its targets that the officer's end ended or stopped (those the platform had not
    ended) are collected again, their platform saying their state at the next read. Returns how
    many targets resumed. The targets are locked before the event is written, as a run does."""
    stopped_by_hand = Target.finished_at.is_not(None) & Target.status.is_distinct_from("ended")
    resumed = _locked_targets(
        event,
        Target.hand_ended_at.is_not(None) | stopped_by_hand,
        Target.paused_reason.is_(None),
    )
    event.ended_by_id = None
    if event.status == EventStatus.SCHEDULED:
        event.actual_end = None
    for target in resumed:
        if target.hand_ended_at is not None:
            target.status, target.hand_ended_at = None, None
        target.finished_at = None
        target.next_run_at = now or utcnow()
    return len(resumed)


def _locked_targets(event: Event, *where: Any) -> list[Target]:
    """The event's targets matching ``where``, their rows locked before the event's is written.

    A collector's run writes its target's row, then the event's; taking the rows in that order
    too (the event's changes wait, unflushed, until the targets are ours) has an officer's save
    wait for a run under way instead of deadlocking with it on PostgreSQL. SQLite has one writer
    at a time, and no row locks to take."""
    if event.id is None:
        return []
    stmt = select(Target).where(Target.event_id == event.id, *where).order_by(Target.id)
    with db.session.no_autoflush:
        return list(db.session.scalars(stmt.with_for_update(key_share=True)))
