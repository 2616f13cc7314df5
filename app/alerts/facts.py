"""The facts the rules decide from, read from the database in a handful of queries per event.

Halls come from the hall board's own reading (``app.halls.state.hall_states``: expected, latest
head count) plus their participants' sessions; targets from their schedule rows and their latest
viewer samples. Which events are watched: those started within a day and not over, and any event
that still has an open alert (so an alert clears once its event ends).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.alerts.rules import EventFacts, HallFacts, Settings, TargetFacts
from app.extensions import db
from app.halls.meeting import tracks_meeting
from app.halls.state import hall_states
from app.models import Alert, AlertRules, BridgePoint, EngagementSample, Event, Participant, Target

WATCH_FOR = timedelta(days=1)  # an event started longer ago than this is no longer watched
PLANNED_END_GRACE = timedelta(minutes=30)  # a conference often runs past its planned end
SAMPLES_READ = 40  # latest viewer samples read per live target
FAILING_HEALTH = ("rate_limited", "error", "auth_expired")


def watched_event_ids(now: datetime) -> list[int]:
    started = func.coalesce(Event.actual_start, Event.planned_start)
    running = select(Event.id).where(
        started <= now,
        started >= now - WATCH_FOR,
        or_(Event.actual_end.is_(None), Event.actual_end > now),
    )
    still_open = select(Alert.event_id).where(Alert.open_key.is_not(None))
    ids = set(db.session.scalars(running)) | set(db.session.scalars(still_open))
    return sorted(ids)


def own_rules(event_id: int) -> AlertRules | None:
    """The rules saved for this event itself."""
    return db.session.scalar(select(AlertRules).where(AlertRules.event_id == event_id))


def rules_row(event_id: int) -> AlertRules | None:
    """The event's rules: its own, else those its unit saved last for another event (so a
    province's recipients and thresholds carry over to its next event), else None (defaults)."""
    own = own_rules(event_id)
    if own is not None:
        return own
    unit = select(Event.org_unit_id).where(Event.id == event_id).scalar_subquery()
    return db.session.scalar(
        select(AlertRules)
        .join(Event, Event.id == AlertRules.event_id)
        .where(Event.org_unit_id == unit)
        .order_by(AlertRules.updated_at.desc(), AlertRules.id.desc())
        .limit(1)
    )


def settings_of(row: AlertRules | None) -> Settings:
    if row is None:
        return Settings()
    return Settings(
        enabled=row.enabled,
        hall_absent_minutes=row.hall_absent_minutes,
        hall_dropped_minutes=row.hall_dropped_minutes,
        head_count_percent=row.head_count_percent,
        head_count_after_minutes=row.head_count_after_minutes,
        collector_minutes=row.collector_minutes,
        viewers_zero_minutes=row.viewers_zero_minutes,
    )


def event_end(event: Event) -> datetime | None:
    if event.actual_end is not None:
        return event.actual_end
    return event.planned_end + PLANNED_END_GRACE if event.planned_end is not None else None


def event_facts(event: Event, now: datetime) -> EventFacts:
    targets = _targets(event.id, now)
    return EventFacts(
        start=event.start,
        end=event_end(event),
        halls=tuple(_halls(event.id, now)),
        targets=tuple(targets),
        meeting_over=bool(targets) and all(t.finished or t.status == "ended" for t in targets),
        meeting=tracks_meeting(event),  # as the board says it
    )


def _halls(event_id: int, now: datetime) -> list[HallFacts]:
    states = hall_states(event_id, now)
    if not states:
        return []
    sessions: dict[int, list[tuple[datetime, datetime | None]]] = {}
    rows = db.session.execute(
        select(Participant.bridge_point_id, Participant.joined_at, Participant.left_at)
        .join(BridgePoint, BridgePoint.id == Participant.bridge_point_id)
        .where(BridgePoint.event_id == event_id)
    )
    for point_id, joined, left in rows:
        sessions.setdefault(point_id, []).append((joined, left))
    return [
        HallFacts(s.id, s.name, s.expected, s.head_count, tuple(sorted(sessions.get(s.id, []))))
        for s in states
    ]


def _targets(event_id: int, now: datetime) -> list[TargetFacts]:
    targets = db.session.scalars(
        select(Target).where(Target.event_id == event_id).options(joinedload(Target.account))
    ).all()
    out = []
    for t in targets:
        account = t.account
        viewers: tuple[tuple[datetime, int], ...] = ()
        if t.status == "live":
            rows = db.session.execute(
                select(EngagementSample.sampled_at, EngagementSample.live_viewers)
                .where(
                    EngagementSample.target_id == t.id,
                    EngagementSample.live_viewers.is_not(None),
                    EngagementSample.sampled_at <= now,
                )
                .order_by(EngagementSample.sampled_at.desc())
                .limit(SAMPLES_READ)
            ).all()
            viewers = tuple((at, int(n)) for at, n in reversed(rows))
        failing = t.failures > 0 or (account is not None and account.health in FAILING_HEALTH)
        out.append(
            TargetFacts(
                id=t.id,
                name=account.name if account is not None else t.external_id,
                paused_reason=t.paused_reason,
                finished=t.finished_at is not None,
                failing=failing,
                last_success_at=t.last_success_at,
                added_at=t.created_at,
                status=t.status,
                viewers=viewers,
            )
        )
    return out
