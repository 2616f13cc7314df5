"""The alert rules, decided from facts alone: no database, no clock but the ``now`` given.

Every rule names a condition (rule, subject) that holds at ``now``; the engine opens an alert for a
condition that starts to hold and clears it when it no longer does. Deadlines count from the
event's own start (``Event.start``: the actual start, else the planned one), never from the
evaluator's clock, so a test with a fixed clock and a real conference see the same alerts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

HALL_ABSENT = "hall_absent"  # not seen on the meeting
HALL_UNREPORTED = "hall_unreported"  # no meeting to be seen on: no head count sent
HALL_DROPPED = "hall_dropped"
HEAD_COUNT_LOW = "head_count_low"
COLLECTOR_PAUSED = "collector_paused"
COLLECTOR_FAILING = "collector_failing"
VIEWERS_ZERO = "viewers_zero"
RULES = (HALL_ABSENT, HALL_UNREPORTED, HALL_DROPPED, HEAD_COUNT_LOW, COLLECTOR_PAUSED,
         COLLECTOR_FAILING, VIEWERS_ZERO)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    """An event's thresholds (``AlertRules`` columns); the defaults are a new event's."""

    enabled: bool = True
    hall_absent_minutes: int = 10
    hall_dropped_minutes: int = 5
    head_count_percent: int = 50
    head_count_after_minutes: int = 20
    collector_minutes: int = 10
    viewers_zero_minutes: int = 3


@dataclass(frozen=True)
class HallFacts:
    id: int
    name: str
    expected: int
    head_count: int | None
    sessions: tuple[tuple[datetime, datetime | None], ...] = ()  # (joined, left) of its people

    @property
    def connected(self) -> bool:
        """Seen on the meeting, as the board's ``HallState.connected``: a head count alone
        is no connection (a hall that only reported is one the organiser phones)."""
        return bool(self.sessions)

    @property
    def reported(self) -> bool:
        """The hall sent its head count: all an event without a meeting can know of it."""
        return self.head_count is not None


@dataclass(frozen=True)
class TargetFacts:
    id: int
    name: str
    paused_reason: str | None
    finished: bool
    failing: bool  # its last runs failed, or its account is rate-limited
    last_success_at: datetime | None
    added_at: datetime
    status: str | None  # what the platform last said: scheduled | live | ended
    viewers: tuple[
        tuple[datetime, int], ...
    ] = ()  # recent (sampled_at, live_viewers), oldest first


@dataclass(frozen=True)
class EventFacts:
    start: datetime | None
    end: datetime | None
    halls: tuple[HallFacts, ...] = ()
    targets: tuple[TargetFacts, ...] = ()
    meeting_over: bool = False  # the platform ended the meeting: halls leaving is no drop
    # Halls connect to a meeting (an online conference tracking one); else they are in once
    # they sent their head count (in person, a small group, a conference tracked by check-in).
    meeting: bool = True


@dataclass(frozen=True)
class Condition:
    rule: str
    subject: str
    name: str
    detail: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return self.rule, self.subject


def decide(settings: Settings, facts: EventFacts, now: datetime) -> list[Condition]:
    """Every condition that holds at ``now``; none before the event starts or after it ends."""
    if not settings.enabled or facts.start is None or now < facts.start:
        return []
    if facts.end is not None and now >= facts.end:
        return []
    conditions: list[Condition] = []
    for hall in facts.halls:
        conditions += _hall(settings, facts, hall, now)
    for target in facts.targets:
        conditions += _target(settings, target, now)
    return conditions


def _minutes(n: int) -> timedelta:
    return timedelta(minutes=max(n, 0))


def _hall(settings: Settings, facts: EventFacts, hall: HallFacts, now: datetime) -> list[Condition]:
    start = facts.start or now
    subject = f"hall:{hall.id}"
    missing = not hall.connected if facts.meeting else not hall.reported
    if missing:
        deadline = start + _minutes(settings.hall_absent_minutes)
        if now >= deadline:
            rule = HALL_ABSENT if facts.meeting else HALL_UNREPORTED
            return [Condition(rule, subject, hall.name, {"deadline": deadline.isoformat()})]
        return []
    found: list[Condition] = []
    left = _left_at(hall.sessions, now)
    if (
        left is not None
        and not facts.meeting_over
        and now >= left + _minutes(settings.hall_dropped_minutes)
    ):
        found.append(Condition(HALL_DROPPED, subject, hall.name, {"left_at": left.isoformat()}))
    after = start + _minutes(settings.head_count_after_minutes)
    counted = hall.head_count is not None and hall.expected > 0 and now >= after
    if counted and hall.head_count * 100 < hall.expected * settings.head_count_percent:  # type: ignore[operator]
        found.append(
            Condition(HEAD_COUNT_LOW, subject, hall.name,
                      {"head_count": hall.head_count, "expected": hall.expected})
        )  # fmt: skip
    return found


def _left_at(
    sessions: tuple[tuple[datetime, datetime | None], ...], now: datetime
) -> datetime | None:
    """When the hall's last participant left, if nobody of it is connected at ``now``."""
    if not sessions:
        return None
    ends = []
    for joined, left in sessions:
        if joined > now:
            continue  # a join the platform's clock puts after ours: not yet counted
        if left is None or left > now:
            return None
        ends.append(left)
    return max(ends) if ends else None


def _target(settings: Settings, target: TargetFacts, now: datetime) -> list[Condition]:
    if target.finished:
        return []
    subject = f"target:{target.id}"
    if target.paused_reason:
        return [Condition(COLLECTOR_PAUSED, subject, target.name,
                          {"reason": target.paused_reason})]  # fmt: skip
    found: list[Condition] = []
    since = target.last_success_at or target.added_at
    if target.failing and now >= since + _minutes(settings.collector_minutes):
        found.append(Condition(COLLECTOR_FAILING, subject, target.name,
                               {"since": since.isoformat()}))  # fmt: skip
    zero_since = _zero_since(target.viewers)
    live = target.status == "live" and zero_since is not None
    if live and now >= zero_since + _minutes(settings.viewers_zero_minutes):  # type: ignore[operator]
        found.append(Condition(VIEWERS_ZERO, subject, target.name,
                               {"since": zero_since.isoformat()}))  # type: ignore[union-attr]  # fmt: skip
    return found


def _zero_since(viewers: tuple[tuple[datetime, int], ...]) -> datetime | None:
    """The first of the latest samples in a row at zero, if viewers fell there from above."""
    since = None
    for at, count in reversed(viewers):
        if count != 0:
            return since
        since = at
    return None  # zero since the first sample read: nobody came yet, nothing fell
