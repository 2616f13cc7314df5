"""The snapshot's series: viewers summed across targets, downsampled; comments per minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from app.extensions import db
from app.identity.phones import mask_phone, mask_phones
from app.models import Comment, EngagementSample
from app.realtime import queries
from app.realtime.state import build_snapshot

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


def test_comments_per_minute_and_deleted_comments(app: Flask, make: Any) -> None:
    event = make.event()
    target = make.target(event, make.account())
    for n, (seconds, deleted) in enumerate([(5, False), (50, False), (70, False), (80, True)]):
        db.session.add(Comment(
            target_id=target.id, external_id=f"c{n}", message="hi",
            created_at=T0 + timedelta(seconds=seconds),
            deleted_at=T0 + timedelta(minutes=5) if deleted else None,
        ))  # fmt: skip
    db.session.commit()
    assert queries.comments_per_minute(event.id) == [(T0, 2), (T0 + timedelta(minutes=1), 1)]
    snap = build_snapshot(event.id, can_see_phones=False, seq=7)
    assert snap["seq"] == 7
    assert snap["series"]["comments_per_minute"] == [
        [T0.isoformat(), 2], [(T0 + timedelta(minutes=1)).isoformat(), 1]
    ]  # fmt: skip
    assert [c["id"] for c in snap["comments"]] == sorted(
        (c["id"] for c in snap["comments"]), reverse=True
    )
    assert len(snap["comments"]) == 3


def test_masking_keeps_the_last_three_digits_and_leaves_money_alone() -> None:
    assert mask_phone("+84912345678") == "09xx xxx 678"
    assert (
        mask_phones("gọi 0912.345.678, phí 1.700.000 đồng")
        == "gọi 09xx.xxx.678, phí 1.700.000 đồng"
    )
