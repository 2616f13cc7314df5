"""What a summary reads of an event itself and of its targets' rows, in one prepared statement.

Apart from ``app.live.summary`` (which reads the figures) so that each stays small; the event's
end is decided here, from its status or its meeting's finish, and so is its phase (upcoming, live,
ended) that the pages' titles and notices follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select

from app import prepared
from app.collection.fit import MEETING_KINDS
from app.halls.meeting import collects_meeting
from app.models import Channel, Event, EventStatus, Target, User

# Targets whose collector says when they go live (a post or an article is read, never "live").
STARTING_KINDS = MEETING_KINDS | {"facebook_live", "youtube_live"}
UPCOMING, LIVE, ENDED = "upcoming", "live", "ended"  # an event's phase, in order

TARGET_COLUMNS = ("id", "kind", "external_id", "status", "last_success_at", "next_run_at",
                  "last_error", "paused_reason", "finished_at", "calls_used", "failures",
                  "updated_at", "hand_ended_at", "title", "url")  # fmt: skip


@dataclass(frozen=True, slots=True)
class TargetRow:
    """The columns of a target's row the summary shows (its figures come from its samples)."""

    id: int
    kind: str
    external_id: str
    status: str | None
    last_success_at: datetime | None
    next_run_at: datetime | None
    last_error: str
    paused_reason: str | None
    finished_at: datetime | None
    calls_used: int
    failures: int
    updated_at: datetime | None
    hand_ended_at: datetime | None = None  # an officer's end of the event ended it
    title: str | None = None  # what an officer knows it by, and where to open it (None: unknown)
    url: str | None = None


def event_targets() -> Select[Any]:
    """The event's channel and status (and the name of the officer who ended it) beside each of
    its targets' rows, its id bound as ``event_id``: one row with no target when it has none, no
    row when there is no such event."""
    return (
        select(
            Event.channel,
            Event.status,
            Event.actual_end,
            Event.planned_start,
            Event.planned_end,
            User.display_name,
            User.email,
            *(getattr(Target, name) for name in TARGET_COLUMNS),
        )
        .select_from(Event)
        .outerjoin(User, User.id == Event.ended_by_id)
        .outerjoin(Target, Target.event_id == Event.id)
        .where(Event.id == bindparam("event_id"))
        .order_by(Target.id)
    )


@dataclass(frozen=True)
class EventTargets:
    """What a summary reads of the event itself, and its targets in id order."""

    halls: bool  # the event counts people by hall
    status: str | None  # the event's own (scheduled, live, ended); None when there is no event
    targets: list[TargetRow]
    actual_end: datetime | None = None
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    meeting: bool = False  # its halls connect to a meeting it collects (app.halls.meeting)
    ended_by: str | None = None  # the officer who ended it by hand (app.events.status)

    def ended_at(self) -> tuple[bool, datetime | None]:
        """Whether the event is over, and when: its status says so (at its actual end), or its
        meeting finished though a collector has not ended it yet (at the meeting's finish)."""
        if self.status == EventStatus.ENDED.value:
            return True, self.actual_end
        meetings = [t for t in self.targets if t.kind in MEETING_KINDS]
        if meetings and all(t.finished_at is not None for t in meetings):
            return True, max(t.finished_at for t in meetings if t.finished_at is not None)
        return False, None

    def phase(self, now: datetime) -> str:
        """Upcoming, live or ended: over as ``ended_at`` says; live when the event or a target
        says so; else upcoming while a target that goes live waits for it (the collector would
        see the start), and otherwise (nothing would say it: a post, an in-person conference)
        by the clock alone, as of ``now``: upcoming until the planned start, live until the end
        (``phase_times``)."""
        if self.ended_at()[0]:
            return ENDED
        if self.status == EventStatus.LIVE.value or any(t.status == LIVE for t in self.targets):
            return LIVE
        if any(t.kind in STARTING_KINDS for t in self.targets):
            return UPCOMING
        starts, ends = self.planned_start, self.actual_end or self.planned_end
        if ends is not None and ends <= now:
            return ENDED
        return UPCOMING if starts is not None and starts > now else LIVE

    def phase_times(self) -> tuple[datetime | None, datetime | None] | None:
        """When the clock alone turns the event live and then ended, or None when it does not
        (a collector, or the event's status, says it): an open page turns at these times by
        itself, as the next delta or a reload would. None too when it has no dates at all."""
        if self.ended_at()[0] or self.status == EventStatus.LIVE.value:
            return None
        if any(t.status == LIVE or t.kind in STARTING_KINDS for t in self.targets):
            return None
        times = self.planned_start, self.actual_end or self.planned_end
        return None if times == (None, None) else times


def targets_of(event_id: int) -> EventTargets:
    """The event's channel, status and targets: one statement, built and compiled once (each
    delta asks it, between the collector's commit and the emit)."""
    found = prepared.rows("live.event_targets", event_targets, typed=True, event_id=event_id)
    if not found:
        return EventTargets(False, None, [])
    channel, status, actual_end, planned_start, planned_end, name, email = found[0][:7]
    targets = [TargetRow(*row[7:]) for row in found if row[7] is not None]
    return EventTargets(
        Channel(channel).has_halls,
        EventStatus(status).value,
        targets,
        actual_end,
        planned_start,
        planned_end,
        collects_meeting(Channel(channel), (t.kind for t in targets)),
        (name or email) if email is not None else None,
    )
