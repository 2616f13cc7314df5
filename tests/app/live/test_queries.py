"""The live page's series: viewers summed across targets, downsampled; values at given times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from app.extensions import db
from app.live import queries
from app.models import EngagementSample

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


def test_downsampling_keeps_at_most_720_points_and_the_peak() -> None:
    points = [(T0 + timedelta(seconds=i), i % 500) for i in range(5000)]
    points[3333] = (points[3333][0], 10_000)
    kept = queries.downsample(points)
    assert len(kept) <= 720
    assert max(n for _, n in kept) == 10_000
    assert [t for t, _ in kept] == sorted(t for t, _ in kept)
    assert queries.downsample(points[:10]) == points[:10]
