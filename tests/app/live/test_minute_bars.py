"""The comments-per-minute bars an open page builds from the deltas equal the snapshot's.

The page starts from a snapshot and then sets each minute a delta names to the count it carries
(``setMinutes`` in live.js); a reload draws the snapshot's bars. Batches played through the real
runner: a fanpage answering its viewers (and itself), a comment written in the minute before the
read that brought it, a comment delivered again in the next batch with another time, one removed
by the platform, and a backlog of more comments than the live feed shows (its oldest minutes are
counted by the snapshot all the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.collection import runner
from app.extensions import db
from app.live.delta import DELTA_COMMENTS, delta_pair, minutes_touched
from app.live.snapshot import build_snapshot
from collectors.base import Batch, CommentRecord, Sample, TargetSpec
from tests.conftest import Factory

pytestmark = pytest.mark.postgres  # the minutes as each database returns the times

T0 = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
PAGE = "1029384756"


def viewer(key: str, at: datetime, parent: str | None = None) -> CommentRecord:
    return CommentRecord(key, f"Cho hỏi {key}", at, author_name="Lan",
                         author_external_id="u-" + key, parent_external_id=parent)  # fmt: skip


def page(key: str, at: datetime, parent: str | None) -> CommentRecord:
    return CommentRecord(key, "BHXH tỉnh xin trả lời: gọi 1900 9068", at, author_name="BHXH tỉnh",
                         author_external_id=PAGE, parent_external_id=parent,
                         by_owner=True)  # fmt: skip


class Script:
    """A collector that answers its batches in turn."""

    kind = "facebook_live"

    def __init__(self, batches: list[Batch]) -> None:
        self.batches = batches

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        return self.batches.pop(0)


def batches() -> list[Batch]:
    backlog = tuple(  # one every 2 s from 12:50:00 to 12:54:38, more than the feed shows
        viewer(f"old{i}", T0 - timedelta(minutes=10) + timedelta(seconds=2 * i))
        for i in range(DELTA_COMMENTS + 40)
    )
    first = (
        *backlog,
        viewer("a1", T0 - timedelta(seconds=5)),  # 12:59:55, read at 13:00:40
        viewer("a2", T0 + timedelta(seconds=5)),
        page("p1", T0 + timedelta(seconds=20), "a2"),
        page("p2", T0 + timedelta(seconds=30), "p1"),  # the page answering itself
    )
    second = (
        # a2 again, dated in the next minute this time: it is stored (and counted) once
        viewer("a2", T0 + timedelta(seconds=65)),
        page("p3", T0 + timedelta(seconds=50), "a1"),  # 13:00:50, read at 13:01:10
        viewer("a3", T0 + timedelta(seconds=62)),
    )
    return [
        Batch(samples=(Sample(T0 + timedelta(seconds=40), live_viewers=30),), comments=first),
        Batch(
            samples=(Sample(T0 + timedelta(seconds=70), live_viewers=31),),
            comments=second,
            removed_comments=("old3",),
        ),  # fmt: skip
        Batch(
            samples=(Sample(T0 + timedelta(seconds=100), live_viewers=32),),
            comments=(page("p4", T0 + timedelta(seconds=95), "a3"),),
        ),  # fmt: skip
    ]


def snapshot_bars(event_id: int) -> dict[str, int]:
    db.session.expire_all()
    snap = build_snapshot(event_id, False, {"epoch": "e", "seq": 0})
    return {at: n for at, n in snap["series"]["comments_per_minute"]}


def test_the_live_bars_equal_the_snapshots_after_every_batch(app: Any, make: Factory) -> None:
    event = make.event()
    target = make.target(event, make.account(external_id=PAGE))
    script = Script(batches())
    live = snapshot_bars(event.id)  # the page opened before the first comment
    assert live == {}
    feed: dict[str, str] = {}  # the time each comment's card shows, by text

    def publish(event_id: int, reason: str, change: Any) -> None:
        plain, _ = delta_pair(event_id, reason, change)
        live.update({at: n for at, n in plain["series"]["comments_per_minute"]})
        feed.update({c["text"]: c["created_at"] for c in plain["comments"]})

    for n in range(3):
        now = T0 + timedelta(seconds=40 + 30 * n)
        runner.run_targets([target.id], factory=lambda k, u: script, clock=lambda at=now: at,
                           publish=publish)  # fmt: skip
        shown = {at: count for at, count in live.items() if count}
        assert shown == snapshot_bars(event.id), f"after batch {n + 1}"
    # a2 read again dated 13:01:05: its card keeps the time it is stored (and counted) with
    assert feed["Cho hỏi a2"] == (T0 + timedelta(seconds=5)).isoformat()
    minute = {at[11:16]: count for at, count in snapshot_bars(event.id).items()}
    # 30 a minute from 12:50 (old3 removed), 20 in 12:54; a1; a2; a3: the page's own replies
    # (p1, p2, p3 in 13:00, p4 in 13:01) are shown in the feed, never counted in the bars
    assert minute == {"12:50": 29, "12:51": 30, "12:52": 30, "12:53": 30, "12:54": 20,
                      "12:59": 1, "13:00": 1, "13:01": 1}  # fmt: skip
    assert "BHXH tỉnh xin trả lời: gọi 1900 9068" in feed


def test_a_batch_names_each_minute_it_touched_once(app: Any, make: Factory) -> None:
    """Three comments of 13:00 written and one of 12:59 removed: two minutes, each named once
    (the delta reads each minute's count once, and sends it once)."""
    event = make.event()
    target = make.target(event, make.account(external_id=PAGE))
    first = (viewer("b1", T0 - timedelta(seconds=30)), viewer("b2", T0 + timedelta(seconds=1)))
    second = (viewer("b3", T0 + timedelta(seconds=2)), viewer("b4", T0 + timedelta(seconds=59)),
              viewer("b2", T0 + timedelta(seconds=1)))  # fmt: skip
    script = Script([Batch(comments=first),
                     Batch(comments=second, removed_comments=("b1",))])  # fmt: skip
    changes: list[Any] = []
    for n in range(2):
        runner.run_targets([target.id], factory=lambda k, u: script,
                           clock=lambda n=n: T0 + timedelta(seconds=60 + n),
                           publish=lambda e, r, change: changes.append(change))  # fmt: skip
    touched = minutes_touched(changes[1])
    assert sorted(touched) == [T0 - timedelta(minutes=1), T0]
    plain, _ = delta_pair(event.id, "collected", changes[1])
    # 12:59 empty now (b1 removed); b2 (read again), b3 and b4 in 13:00
    assert plain["series"]["comments_per_minute"] == [
        [(T0 - timedelta(minutes=1)).isoformat(), 0], [T0.isoformat(), 3]]  # fmt: skip
