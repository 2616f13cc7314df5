"""An event's totals across its targets: what the summary API, the live page and sockets show.

Each counter is the latest value the platform served for each target (samples may carry only some
counters — a video-insights read has views but no live viewers), summed over the targets. Peak
viewers is the maximum of our own samples: no platform serves a peak (platform-apis.md §0.2).
Comments and leads are counted from the stored comments, each stored once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Comment, EngagementSample, Target
from collectors.base import REACTION_TYPES

LATEST_COLUMNS = ("views", "shares", "reactions_total", *(f"reactions_{k}" for k in REACTION_TYPES))


@dataclass
class TargetTotals:
    id: int
    kind: str
    external_id: str
    status: str | None
    live_viewers: int
    peak_viewers: int
    views: int
    shares: int
    reactions: dict[str, int]
    comments: int
    leads: int
    last_success_at: datetime | None
    next_run_at: datetime | None
    last_error: str
    paused_reason: str | None
    finished: bool
    calls_used: int
    failures: int = 0  # failed runs in a row; 0 with a last_error means rate-limited


@dataclass
class EventSummary:
    views: int = 0
    live_viewers: int = 0
    peak_viewers: int = 0
    reactions: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((*REACTION_TYPES, "total"), 0)
    )
    comments: int = 0
    shares: int = 0
    leads: int = 0
    first_sample_at: datetime | None = None
    last_sample_at: datetime | None = None
    targets: list[TargetTotals] = field(default_factory=list)
    halls: list[Any] | None = None  # HallState of each bridge point, for conferences

    def as_dict(self) -> dict[str, Any]:
        out = {
            "views": self.views,
            "live_viewers": self.live_viewers,
            "peak_viewers": self.peak_viewers,
            "reactions": dict(self.reactions),
            "comments": self.comments,
            "shares": self.shares,
            "leads": self.leads,
            "first_sample_at": _iso(self.first_sample_at),
            "last_sample_at": _iso(self.last_sample_at),
            "targets": [_target_dict(t) for t in self.targets],
        }
        if self.halls is not None:
            out.update(self.conference_totals())
        return out

    def conference_totals(self) -> dict[str, Any]:
        """Halls connected out of expected, people present (latest head counts) out of expected."""
        halls = self.halls or []
        return {
            "halls_expected": len(halls),
            "halls_connected": sum(1 for h in halls if h.connected),
            "people_expected": sum(h.expected for h in halls),
            "people_present": sum(h.head_count or 0 for h in halls),
            "halls": [
                {
                    "id": h.id,
                    "commune": h.commune,
                    "name": h.name,
                    "status": h.status,
                    "expected": h.expected,
                    "head_count": h.head_count,
                    "reported_at": _iso(h.reported_at),
                    "first_join": _iso(h.first_join),
                    "last_leave": _iso(h.last_leave),
                    "minutes_connected": h.minutes_connected,
                    "drop_outs": h.drop_outs,
                }
                for h in halls
            ],
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _target_dict(t: TargetTotals) -> dict[str, Any]:
    out = dict(t.__dict__)
    out["last_success_at"] = _iso(t.last_success_at)
    out["next_run_at"] = _iso(t.next_run_at)
    return out


def _latest(target_id: int, column: str) -> Any:
    col = getattr(EngagementSample, column)
    return (
        select(col)
        .where(EngagementSample.target_id == target_id, col.is_not(None))
        .order_by(EngagementSample.sampled_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def target_totals(target: Target) -> TargetTotals:
    s = EngagementSample
    row = db.session.execute(
        select(
            *(_latest(target.id, c).label(c) for c in LATEST_COLUMNS),
            select(func.max(s.live_viewers))
            .where(s.target_id == target.id)
            .scalar_subquery()
            .label("peak"),
        )
    ).one()
    latest_live = db.session.execute(
        select(s.live_viewers)
        .where(s.target_id == target.id)
        .order_by(s.sampled_at.desc())
        .limit(1)
    ).scalar()
    counts = db.session.execute(
        select(func.count(Comment.id), func.count(Comment.id).filter(Comment.is_lead)).where(
            Comment.target_id == target.id, Comment.deleted_at.is_(None)
        )
    ).one()
    reactions = {k: int(getattr(row, f"reactions_{k}") or 0) for k in REACTION_TYPES}
    reactions["total"] = int(row.reactions_total or 0) or sum(reactions.values())
    live = target.status == "live"
    return TargetTotals(
        id=target.id,
        kind=target.kind,
        external_id=target.external_id,
        status=target.status,
        live_viewers=int(latest_live or 0) if live else 0,
        peak_viewers=int(row.peak or 0),
        views=int(row.views or 0),
        shares=int(row.shares or 0),
        reactions=reactions,
        comments=int(counts[0]),
        leads=int(counts[1]),
        last_success_at=target.last_success_at,
        next_run_at=target.next_run_at,
        last_error=target.last_error,
        paused_reason=target.paused_reason,
        finished=target.finished_at is not None,
        calls_used=target.calls_used,
        failures=target.failures,
    )


def event_summary(event_id: int) -> EventSummary:
    from app.halls.state import hall_states
    from app.models import Event, utcnow

    summary = EventSummary()
    event = db.session.get(Event, event_id)
    if event is not None and event.channel.has_halls:
        summary.halls = hall_states(event_id, utcnow())
    targets = db.session.scalars(
        select(Target).where(Target.event_id == event_id).order_by(Target.id)
    )
    for target in targets:
        t = target_totals(target)
        summary.targets.append(t)
        summary.views += t.views
        summary.live_viewers += t.live_viewers
        summary.peak_viewers += t.peak_viewers
        summary.shares += t.shares
        summary.comments += t.comments
        summary.leads += t.leads
        for key, value in t.reactions.items():
            summary.reactions[key] += value
    first, last = db.session.execute(
        select(func.min(EngagementSample.sampled_at), func.max(EngagementSample.sampled_at))
        .join(Target, Target.id == EngagementSample.target_id)
        .where(Target.event_id == event_id)
    ).one()
    summary.first_sample_at, summary.last_sample_at = _aware(first), _aware(last)
    return summary


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
