"""The delta of a collected batch, built from the writer's change, equals the state read whole.

At every publish the delta built from the change is compared with what reading the database from
scratch gives at that moment: the summary API's body, the viewer series at the batch's sample
times, the per-minute counts of the minutes all its comments fall in, and the batch's newest
comments read back from the table (those removed since excluded), and the ids of those the platform
removed in this batch. Two targets of one event (Facebook and
YouTube) are played through the real runner against the loopback sandbox; a scripted backlog
checks the cap on comments sent live.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.collection import runner
from app.collection.changes import Change
from app.extensions import db
from app.live import queries
from app.live.delta import DELTA_COMMENTS, delta_pair
from app.live.shapes import comment_dict, points
from app.live.summary import event_summary
from app.models import Comment, Target
from collectors.base import Batch, CommentRecord, Sample, TargetSpec
from tests.app.collection.conftest import Player
from tests.conftest import Factory

pytestmark = pytest.mark.postgres  # the figures as each database aggregates them


def from_scratch(event_id: int, change: Change) -> dict[str, Any]:
    """The delta's parts as the database says them now, read whole."""
    times = [s.sampled_at for s in change.samples if s.live_viewers is not None]
    newest = sorted(change.comments, key=lambda c: c.created_at, reverse=True)[:DELTA_COMMENTS]
    stored = db.session.scalars(
        sa.select(Comment)
        .where(
            Comment.target_id == change.target_id,
            Comment.external_id.in_([c.external_id for c in newest]),
            Comment.deleted_at.is_(None),
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    ).all()
    written = db.session.scalars(
        sa.select(Comment.created_at).where(
            Comment.target_id == change.target_id,
            Comment.external_id.in_([c.external_id for c in change.comments]),
        )
    ).all()
    # Every comment the batch wrote, past the feed's cap too, shown or not: the snapshot counts
    # them in their minutes (test_minute_bars); and those removed, whose bars go down.
    minutes = {queries.minute_of(at) for at in written}
    minutes |= {queries.minute_of(r.created_at) for r in change.removed}
    per_minute = dict(queries.comments_per_minute(event_id))
    return {
        "summary": event_summary(event_id).as_dict(),
        "viewers": points(queries.viewers_at(event_id, times)),
        "comments_per_minute": points(sorted((m, per_minute.get(m, 0)) for m in minutes)),
        "plain": [comment_dict(c, change.kind, False) for c in stored],
        "full": [comment_dict(c, change.kind, True) for c in stored],
    }


def checked_delta(event_id: int, reason: str, change: Change | None) -> dict[str, Any]:
    """The plain delta, after checking both variants against the database read whole."""
    plain, full = delta_pair(event_id, reason, change)
    assert (plain["reason"], full["reason"]) == (reason, reason)
    if change is None:
        assert plain["summary"] == event_summary(event_id).as_dict()
        return plain
    truth = from_scratch(event_id, change)
    for delta in (plain, full):
        assert delta["summary"] == truth["summary"]
        assert delta["series"]["viewers"] == truth["viewers"]
        assert delta["series"]["comments_per_minute"] == truth["comments_per_minute"]
    assert plain["comments"] == truth["plain"]
    assert full["comments"] == truth["full"]
    removed = db.session.scalars(
        sa.select(Comment.id).where(Comment.id.in_([r.id for r in change.removed]),
                                    Comment.deleted_at.is_not(None))
    ).all()  # fmt: skip
    for delta in (plain, full):
        assert delta.get("removed", []) == sorted(removed)
    return plain


@pytest.fixture
def checked(player: Player) -> list[dict[str, Any]]:
    """The player publishes through ``checked_delta``; the plain deltas are kept."""
    deltas: list[dict[str, Any]] = []
    player._publish = lambda *a: deltas.append(checked_delta(*a))  # type: ignore[method-assign]
    return deltas


def test_every_delta_equals_the_state_read_whole(
    player: Player, fb_target: Target, yt_target: Target, checked: list[dict[str, Any]]
) -> None:
    player.play(400, step=5)
    assert {d["reason"] for d in checked} == {"collected"}
    assert len(checked) > 20
    assert sum(len(d["comments"]) for d in checked) > 0
    targets = {c["target_id"] for d in checked for c in d["comments"]}
    assert targets == {fb_target.id, yt_target.id}
    # Chat messages a moderator deleted by now: the deltas that said so named them.
    deleted = db.session.scalars(sa.select(Comment.id).where(Comment.deleted_at.is_not(None)))
    assert sorted(i for d in checked for i in d.get("removed", [])) == sorted(deleted)


class Backlog:
    """A collector that answers with ``n`` comments, a second apart, the newest last."""

    kind = "facebook_live"

    def __init__(self, now: datetime, n: int) -> None:
        comments = tuple(
            CommentRecord(f"b{i}", f"bình luận {i}", now - timedelta(seconds=n - i))
            for i in range(n)
        )
        self.batch = Batch(samples=(Sample(now, live_viewers=42),), comments=comments)

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        return self.batch


def test_a_backlog_sends_only_its_newest_comments_still_shown(app: Flask, make: Factory) -> None:
    target = make.target(make.event(), make.account())
    now = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    backlog = Backlog(now, 150)

    def run(publish: Any) -> None:
        runner.run_targets([target.id], factory=lambda k, u: backlog, clock=lambda: now,
                           publish=publish)  # fmt: skip

    run(lambda *a: None)
    # Two of the newest were removed since: the batch seen again sends the other 98.
    db.session.execute(
        sa.update(Comment).where(Comment.external_id.in_(["b149", "b120"])).values(deleted_at=now)
    )
    db.session.commit()
    deltas: list[dict[str, Any]] = []
    run(lambda *a: deltas.append(checked_delta(*a)))
    (delta,) = deltas
    texts = [c["text"] for c in delta["comments"]]
    assert len(texts) == DELTA_COMMENTS - 2
    assert texts[0] == "bình luận 148"
    assert texts[-1] == f"bình luận {150 - DELTA_COMMENTS}"
    assert "bình luận 120" not in texts


def test_the_other_targets_viewers_are_read_only_when_one_ever_had_viewers(
    app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make.event()
    target = make.target(event, make.account(), external_id="a")
    quiet = make.target(event, make.account(name="B"), external_id="b")
    now = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    reads: list[int | None] = []
    real = queries.viewers_at
    monkeypatch.setattr(queries, "viewers_at", lambda *a, **k: reads.append(1) or real(*a, **k))

    def collect(which: Target, viewers: int) -> None:
        batch = Backlog(now, 1)
        batch.batch = Batch(samples=(Sample(now, live_viewers=viewers),), comments=())
        runner.run_targets([which.id], factory=lambda k, u: batch, clock=lambda: now,
                           publish=lambda *a: checked_delta(*a))  # fmt: skip

    collect(quiet, 0)
    assert reads == [1]  # the check against the state read whole; the delta read nothing more
    collect(target, 42)
    assert reads == [1, 1]  # the other target never had a viewer: still nothing more to read
    now += timedelta(minutes=1)
    collect(quiet, 7)
    assert reads == [1, 1, 1, 1]  # now the other target has had viewers: the delta reads them
