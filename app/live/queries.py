"""Read-side SQL of the live page: viewer series, comments per minute, the latest comments.

Times come back aware in UTC on both databases (``app.models.base.UTCDateTime``), aggregates too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, bindparam, func, select

from app import prepared
from app.extensions import db
from app.halls.state import hall_series
from app.models import Comment, EngagementSample, Target, counted_comment

MAX_POINTS = 720
LATEST_COMMENTS = 100


def viewer_series(event_id: int) -> list[tuple[datetime, int]]:
    """The combined viewer series, at most MAX_POINTS of it (each slice keeps its highest)."""
    return downsample(combined_viewers(event_id))


def combined_viewers(event_id: int) -> list[tuple[datetime, int]]:
    """Sum of live viewers over the event's targets at each sample time, every point.

    Targets are sampled at different moments, so each target's last known value is carried
    forward to the other targets' sample times (a sum of only the targets sampled at that exact
    second would make the line jump). The event's peak viewers is the highest of these sums.
    """
    rows = db.session.execute(
        select(
            EngagementSample.sampled_at, EngagementSample.target_id, EngagementSample.live_viewers
        )
        .join(Target, Target.id == EngagementSample.target_id)
        .where(Target.event_id == event_id, EngagementSample.live_viewers.is_not(None))
        .order_by(EngagementSample.sampled_at, EngagementSample.target_id)
    ).all()
    latest: dict[int, int] = {}
    points: list[tuple[datetime, int]] = []
    for sampled_at, target_id, viewers in rows:
        latest[target_id] = int(viewers)
        total = sum(latest.values())
        if points and points[-1][0] == sampled_at:
            points[-1] = (sampled_at, total)
        else:
            points.append((sampled_at, total))
    return points


def combined_peak(event_id: int) -> int:
    """The highest point of ``combined_viewers``, computed by the database in one pass.

    The combined series moves, at each sample, by that target's change since its previous sample
    (``LAG``); a running sum in time order (samples of one moment together, as the series takes
    them) gives the series itself, and its maximum is the peak.
    """
    s = EngagementSample
    previous = func.lag(s.live_viewers).over(partition_by=s.target_id, order_by=s.sampled_at)
    steps = (
        select(s.sampled_at, (s.live_viewers - func.coalesce(previous, 0)).label("step"))
        .join(Target, Target.id == s.target_id)
        .where(Target.event_id == event_id, s.live_viewers.is_not(None))
        .subquery()
    )
    running = select(
        func.sum(steps.c.step).over(order_by=steps.c.sampled_at).label("total")
    ).subquery()
    return int(db.session.scalar(select(func.max(running.c.total))) or 0)


def downsample(
    points: Sequence[tuple[datetime, int]], limit: int = MAX_POINTS
) -> list[tuple[datetime, int]]:
    """At most ``limit`` points: the highest of each equal time slice, so the peak stays drawn."""
    if len(points) <= limit:
        return list(points)
    first, last = points[0][0], points[-1][0]
    width = (last - first) / limit or timedelta(microseconds=1)
    slices: dict[int, tuple[datetime, int]] = {}
    for at, value in points:
        key = min(int((at - first) / width), limit - 1)
        kept = slices.get(key)
        if kept is None or value > kept[1]:
            slices[key] = (at, value)
    return [slices[k] for k in sorted(slices)]


def halls_series(event_id: int, limit: int = MAX_POINTS) -> list[tuple[datetime, int, int]]:
    """Halls connected and people present over time, at most ``limit`` points: each equal time
    slice keeps its last point (the state it ended in), so the last point is always the totals."""
    series = hall_series(event_id)
    if len(series) <= limit:
        return series
    first, last = series[0][0], series[-1][0]
    width = (last - first) / limit or timedelta(microseconds=1)
    slices: dict[int, tuple[datetime, int, int]] = {}
    for point in series:
        slices[min(int((point[0] - first) / width), limit - 1)] = point
    return [slices[k] for k in sorted(slices)]


def viewers_at(
    event_id: int, times: Iterable[datetime], *, exclude_target: int | None = None
) -> list[tuple[datetime, int]]:
    """The viewer series' value at each of ``times`` (each target's last value at or before).

    ``exclude_target`` leaves one target out: the one whose values the caller already holds.
    """
    others = Target.event_id == event_id
    if exclude_target is not None:
        others = others & (Target.id != exclude_target)
    out = []
    for at in sorted(set(times)):
        last = (
            select(EngagementSample.live_viewers)
            .where(
                EngagementSample.target_id == Target.id,
                EngagementSample.sampled_at <= at,
                EngagementSample.live_viewers.is_not(None),
            )
            .order_by(EngagementSample.sampled_at.desc())
            .limit(1)
            .correlate(Target)
            .scalar_subquery()
        )
        values = db.session.scalars(select(last).where(others)).all()
        out.append((at, sum(int(v) for v in values if v is not None)))
    return out


def _visible_comments(event_id: int):  # type: ignore[no-untyped-def]
    return (
        select(Comment)
        .join(Target, Target.id == Comment.target_id)
        .where(Target.event_id == event_id, Comment.deleted_at.is_(None))
    )


def minute_of(at: datetime) -> datetime:
    """The UTC minute ``at`` falls in (stored times come back aware: ``UTCDateTime``)."""
    return at.astimezone(UTC).replace(second=0, microsecond=0)


def comments_per_minute(event_id: int) -> list[tuple[datetime, int]]:
    """Comments counted by the minute they were written (UTC minutes), oldest first: the
    audience's, as the counter counts them (``counted_comment``)."""
    created = db.session.scalars(
        select(Comment.created_at)
        .join(Target, Target.id == Comment.target_id)
        .where(Target.event_id == event_id, counted_comment())
    )
    counts: dict[datetime, int] = {}
    for at in created:
        minute = minute_of(at)
        counts[minute] = counts.get(minute, 0) + 1
    return sorted(counts.items())


def comments_in_minutes(event_id: int, minutes: Iterable[datetime]) -> list[tuple[datetime, int]]:
    """The per-minute counts of only the given minutes (those a batch touched), in one read."""
    wanted = sorted(set(minutes))
    if not wanted:
        return []
    created = prepared.rows("live.comments_between", comments_between, typed=True,
                            event_id=event_id, since=wanted[0],
                            until=wanted[-1] + timedelta(minutes=1))  # fmt: skip
    counts = dict.fromkeys(wanted, 0)
    for (at,) in created:
        minute = minute_of(at)
        if minute in counts:
            counts[minute] += 1
    return list(counts.items())


def comments_between() -> Select[tuple[datetime]]:
    """When each counted comment of the event (``event_id``) was written, from ``since`` until
    before ``until``: built and compiled once, as every collected batch's delta asks it."""
    return (
        select(Comment.created_at)
        .join(Target, Target.id == Comment.target_id)
        .where(
            Target.event_id == bindparam("event_id"),
            counted_comment(),
            Comment.created_at >= bindparam("since", type_=Comment.created_at.type),
            Comment.created_at < bindparam("until", type_=Comment.created_at.type),
        )
    )


def latest_comments(event_id: int, limit: int = LATEST_COMMENTS) -> list[tuple[Comment, str]]:
    """The newest comments with their target's kind, newest first."""
    stmt = (
        _visible_comments(event_id)
        .add_columns(Target.kind)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )
    return [(c, kind) for c, kind in db.session.execute(stmt)]
