"""`make run`'s livestream: LANTOA_SANDBOX_SCENARIO picks the script the sandbox plays."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from app import demo
from app.demo.live import youtube_video_id
from app.extensions import db
from app.models import Target
from collectors.links import Link, recognise
from sandbox.scenario.presets import DIEN_BIEN


def test_the_dien_bien_live_is_played_with_its_own_script(app: Flask) -> None:
    app.config.update(SANDBOX_PORT=0, SANDBOX_SCENARIO="dien-bien")
    sandbox = demo.start_demo_sandbox(app)
    assert sandbox is not None
    try:
        p = sandbox.scenario.params
        assert (p.final_views, p.final_reactions, p.final_shares) == (1700, 534, 139)
        assert p.seed == DIEN_BIEN.seed  # its 105 comments depend on the seed
        assert len(sandbox.scenario.visible_comments(sandbox.scenario.scripted_end)) == 105
    finally:
        sandbox.stop()


def test_an_unknown_scenario_is_refused_naming_the_variable(app: Flask) -> None:
    app.config.update(SANDBOX_PORT=0, SANDBOX_SCENARIO="dien_bien")
    with pytest.raises(ValueError, match="LANTOA_SANDBOX_SCENARIO='dien_bien'.*dien-bien"):
        demo.start_demo_sandbox(app)


def test_the_demo_youtube_live_can_be_pasted_by_its_link(app: Flask) -> None:
    """Its id has YouTube's shape (11 characters), so the link the demo shows is tracked."""
    app.config.update(SANDBOX_PORT=0, SANDBOX_SCENARIO="default")
    sandbox = demo.start_demo_sandbox(app)
    assert sandbox is not None
    try:
        video = sandbox.scenario.params.youtube_video_id
        assert sandbox.credentials()["youtube_video_id"] == video
        for link in (f"https://www.youtube.com/watch?v={video}", f"https://youtu.be/{video}"):
            assert recognise(link) == Link("youtube_live", video, "youtube")
    finally:
        sandbox.stop()
    run = 1_764_990_000
    ids = {youtube_video_id(run + n) for n in range(1000)}
    assert len(ids) == 1000  # one per run
    for video in ids:
        assert recognise(f"https://youtu.be/{video}") == Link("youtube_live", video, "youtube")


@pytest.mark.committing  # the demo's check-in thread posts through the app on its own connection
def test_the_page_s_scheduled_live_is_tracked_by_no_demo_event(app: Flask) -> None:
    """The demo's events track every other sandbox object, so a newcomer's paste of this one is
    the only one that is not refused as "already tracked"."""
    demo.load(db.session, "40")
    db.session.commit()
    app.config.update(SANDBOX_PORT=0, SANDBOX_SCENARIO="default")
    sandbox = demo.start_demo_sandbox(app)
    assert sandbox is not None
    try:
        main, scheduled = sandbox.scenario.params, sandbox.scenario.scheduled
        assert scheduled is not None
        tracked = set(db.session.scalars(sa.select(Target.external_id)))
        assert {main.live_video_id, main.youtube_video_id} <= tracked  # the demo did register
        assert scheduled.params.live_video_id not in tracked
        assert scheduled.params.video_id not in tracked
        assert scheduled.params.youtube_video_id not in tracked
        assert scheduled.live_start - sandbox.clock.now() > 25 * 60  # still to come
        assert sandbox.scheduled_link == (
            f"https://www.facebook.com/{main.page_id}/videos/{scheduled.params.video_id}/"
        )
        assert recognise(sandbox.scheduled_link) == Link(
            "facebook_live", scheduled.params.video_id, "facebook"
        )
    finally:
        app.extensions["lantoa_demo_checkins"].stop()
        sandbox.stop()
