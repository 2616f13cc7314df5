"""The live page's series: viewers summed across targets, downsampled; values at given times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.live import queries
from app.models import Comment, EngagementSample

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def sample(target_id: int, seconds: float, viewers: int | None) -> EngagementSample:
    return EngagementSample(
        target_id=target_id, sampled_at=T0 + timedelta(seconds=seconds), live_viewers=viewers,
        extra={},
    )  # fmt: skip


def test_viewers_of_two_targets_are_summed_with_each_last_value_carried(
    app: Flask, make: Any
) -> None:
    event = make.event()
    fb = make.target(event, make.account(), external_id="fb")
    yt = make.target(event, make.account(name="YT"), kind="youtube_live", external_id="yt")
    db.session.add_all([sample(fb.id, 0, 100), sample(yt.id, 3, 40), sample(fb.id, 10, 120),
                        sample(yt.id, 10, 50), sample(yt.id, 12, None)])  # fmt: skip
    db.session.commit()
    series = queries.viewer_series(event.id)
    assert [(int((t - T0).total_seconds()), n) for t, n in series] == [
        (0, 100),
        (3, 140),
        (10, 170),
    ]
    at = [T0 + timedelta(seconds=s) for s in (3, 11)]
    assert [n for _, n in queries.viewers_at(event.id, at)] == [140, 170]


@pytest.mark.postgres  # window functions, as each database runs them
def test_the_combined_peak_is_the_highest_point_of_the_combined_series(
    app: Flask, make: Any
) -> None:
    """Samples of one moment count together: at 10 s fb rises to 300 as yt falls to 0, so the
    series shows 300 there, never fb's new 300 with yt's old 50."""
    event = make.event()
    fb = make.target(event, make.account(), external_id="fb")
    yt = make.target(event, make.account(name="YT"), kind="youtube_live", external_id="yt")
    db.session.add_all([sample(fb.id, 0, 100), sample(yt.id, 0, 50), sample(fb.id, 10, 300),
                        sample(yt.id, 10, 0), sample(yt.id, 15, 260), sample(fb.id, 20, 40),
                        sample(yt.id, 25, 280), sample(fb.id, 30, None)])  # fmt: skip
    db.session.commit()
    series = queries.combined_viewers(event.id)
    assert [n for _, n in series] == [150, 300, 560, 300, 320]
    assert queries.combined_peak(event.id) == 560  # not 300 + 280, nor 350
    assert queries.combined_peak(make.event().id) == 0  # no samples yet


def test_downsampling_keeps_at_most_720_points_and_the_peak() -> None:
    points = [(T0 + timedelta(seconds=i), i % 500) for i in range(5000)]
    points[3333] = (points[3333][0], 10_000)
    kept = queries.downsample(points)
    assert len(kept) <= 720
    assert max(n for _, n in kept) == 10_000
    assert [t for t, _ in kept] == sorted(t for t, _ in kept)
    assert queries.downsample(points[:10]) == points[:10]


@pytest.mark.postgres
@pytest.mark.committing  # as a publisher reads: the compiled statement on the pool's connections
def test_a_batchs_minutes_count_the_events_shown_comments_written_in_them(
    app: Flask, make: Any
) -> None:
    """Only the asked minutes, each counting every shown comment of the event's targets written
    in it (a removed one, another event's, or one a second past the minute do not count)."""
    event, other = make.event(), make.event(title="Sự kiện khác")
    fb = make.target(event, make.account(), external_id="fb")
    yt = make.target(event, make.account(name="YT"), kind="youtube_live", external_id="yt")
    elsewhere = make.target(other, make.account(name="Khác"), external_id="x")

    def comment(target: Any, n: int, seconds: float, removed: bool = False) -> Comment:
        return Comment(target_id=target.id, external_id=f"c{n}", message="hỏi",
                       created_at=T0 + timedelta(seconds=seconds),
                       deleted_at=T0 if removed else None)  # fmt: skip

    db.session.add_all([
        comment(fb, 1, 0), comment(yt, 2, 59.9), comment(fb, 3, 30, removed=True),
        comment(elsewhere, 4, 10), comment(fb, 5, 60), comment(yt, 6, 180),
    ])  # fmt: skip
    db.session.commit()
    minute = timedelta(minutes=1)
    counts = queries.comments_in_minutes(event.id, [T0 + minute, T0, T0 + minute])
    assert counts == [(T0, 2), (T0 + minute, 1)]
    assert counts[0][0].tzinfo is not None
    assert "live.comments_between" in {key for _dialect, key in app.extensions["lantoa_prepared"]}
    assert queries.comments_in_minutes(event.id, []) == []


def test_a_batchs_minutes_are_counted_from_each_targets_range_of_the_counted_index(
    app: Flask,
) -> None:
    """Each collected batch's delta counts the comments of the minutes it touched: a range of
    ``ix_comments_counted`` per target (SQLite, whose plan does not hang on statistics), not a
    pass over every comment of the target or of the day."""
    connection = db.session.connection()
    statement = queries.comments_between().params(event_id=1, since=T0, until=T0 + timedelta(1))
    sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
    details = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    assert (
        "SEARCH comments USING COVERING INDEX ix_comments_counted "
        "(target_id=? AND created_at>? AND created_at<?)"
    ) in details, details
