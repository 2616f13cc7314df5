"""The Điện Biên livestream: 1,700 views, 534 reactions, 139 shares and 105 comments, every one
shown at the end of the broadcast, through faults and through a collector killed with SIGKILL.

The sandbox plays ``sandbox.scenario.presets.DIEN_BIEN``, where every figure is reached by the end
of the broadcast (nothing settles later), so the end is when the officer must see them all: the
views come from the video insights read with the final comment sweep, not an hour later.
"""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.live.summary import event_summary
from app.models import Comment, Target
from sandbox import ManualClock, RealClock, Sandbox, Scenario
from sandbox.scenario.presets import DIEN_BIEN
from tests.app.collection.conftest import Player
from tests.app.collection.test_process_kill import SPEED, start_collector, wait_for_sweep
from tests.conftest import Factory


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(scenario=Scenario(DIEN_BIEN), clock=ManualClock())
    yield sb
    sb.stop()


def test_the_preset_holds_the_reported_figures_at_the_end() -> None:
    s = Scenario(DIEN_BIEN)
    end = s.scripted_end
    assert s.video_insights(end)["total_video_views"] == 1700
    assert sum(s.reaction_counts(end).values()) == 534
    assert s.share_count(end) == 139
    assert len(s.visible_comments(end)) == 105


def test_all_four_figures_at_the_end_through_faults(player: Player, fb_target: Target) -> None:
    sandbox = player.sandbox
    end = sandbox.scenario.scripted_end
    player.play(600, step=10)
    sandbox.chaos(0.2, seed=13, kinds=("server_error", "rate_limit", "malformed_json"))
    player.play(end - 600 - 30, step=10)
    assert event_summary(fb_target.event_id).views is None  # still live: not yet read
    player.play(30 + 120, step=10)  # two minutes after the end, faults still coming
    sandbox.clear()
    player.play(300, step=10)  # whatever a fault held back has been retried by now
    target = db.session.get(Target, fb_target.id)
    assert target.paused_reason is None
    assert 0 in target.cursor["insights_done"]
    assert 3600 not in target.cursor["insights_done"]  # no waiting an hour for the views
    summary = event_summary(fb_target.event_id)
    # The 105 comments the page showed are all stored; the Page's own replies among them are
    # shown on the live page but not counted with the audience's comments.
    page = sandbox.scenario.params.page_id
    replies = sum(1 for c in sandbox.scenario.visible_comments(end) if c.author.id == page)
    stored = sa.select(sa.func.count()).where(Comment.target_id == fb_target.id,
                                              Comment.deleted_at.is_(None))  # fmt: skip
    assert db.session.scalar(stored) == 105
    assert (summary.views, summary.reactions["total"], summary.shares, summary.comments) == (
        1700,
        534,
        139,
        105 - replies,
    )


@pytest.mark.committing
@pytest.mark.postgres
def test_views_at_the_end_through_sigkills(app: Flask, make: Factory, tmp_path: Path) -> None:
    scenario = Scenario(DIEN_BIEN, epoch=datetime.now(UTC), start_offset=5, duration=600)
    sandbox = Sandbox.start(scenario=scenario, clock=RealClock(SPEED))
    creds = sandbox.credentials()
    account = make.account(
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
        external_id=creds["facebook_page_id"],
    )
    target = make.target(make.event(title="Livestream Điện Biên"), account,
                         external_id=creds["facebook_live_video_id"])  # fmt: skip
    target_id, event_id = target.id, target.event_id
    rng = random.Random(1700)
    process = start_collector(app, tmp_path, 0)
    try:
        for kill in range(1, 6):
            time.sleep(rng.uniform(0.5, 3.0))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            process = start_collector(app, tmp_path, kill)
        live_end = scenario.scripted_end / SPEED
        wait_for_sweep(target_id, time.monotonic() + live_end + 60)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        sandbox.stop()
    logs = "".join(p.read_text(errors="replace") for p in sorted(tmp_path.glob("collector-*.log")))
    assert "Traceback" not in logs, logs[-3000:]
    assert event_summary(event_id).views == 1700
    db.session.remove()
