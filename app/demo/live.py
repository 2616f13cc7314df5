"""`make run`'s live demo: the platform sandbox plays a livestream that the real collectors follow.

The sandbox serves Facebook Graph and YouTube Data API shapes on 127.0.0.1; the demo registers a
fanpage account and a YouTube account pointing at it (``app.demo.accounts``), and an event with one
target on each platform. Every start plays a new live with fresh ids, and a Zoom conference of the
demo province's halls (``app.demo.conference``); a restart plays the earlier start's events
again, in place, cleared of their earlier play, unless a user made something on them
(``app.demo.replay``).
``LANTOA_SANDBOX_SCENARIO`` names another script of ``sandbox.scenario.PRESETS`` to play
(``dien-bien``), with its own seed.
"""

from __future__ import annotations

import logging
import string
import time
from datetime import UTC, datetime, timedelta

from flask import Flask

from app.collection.targets import add_target
from app.demo.accounts import (
    FACEBOOK_ACCOUNT,
    YOUTUBE_ACCOUNT,
    demo_admin,
    rename_legacy,
    sandbox_account,
)
from app.demo.conference import demo_conference, play_checkins, register_conference
from app.demo.province import DEMO_MARK
from app.demo.replay import earlier_event
from app.extensions import db
from app.models import Channel, Event, EventStatus, Platform
from sandbox import RealClock, Sandbox, Scenario
from sandbox.scenario import PRESETS

log = logging.getLogger(__name__)
# The page also has a live scheduled this long after the start that no demo event tracks: the one
# a newcomer pastes on a new event (the links box names it), live while they still look around.
SCHEDULED_IN = 1800.0
DIGITS = string.digits + string.ascii_letters  # the letters of a YouTube id, - and _ aside


def youtube_video_id(run: int) -> str:
    """The run's YouTube id, shaped like YouTube's own (11 letters and digits), so the link the
    demo shows can be pasted on an event's links page: "demo" and the run's second in base 62
    (seven places last until the year 110000), one per run."""
    places = []
    for _ in range(7):
        run, digit = divmod(run, len(DIGITS))
        places.append(DIGITS[digit])
    return "demo" + "".join(reversed(places))


def start_demo_sandbox(app: Flask) -> Sandbox | None:
    """Serve the sandbox on ``SANDBOX_PORT``, register what it plays; None if the port is taken."""
    run = int(time.time())
    now = datetime.now(UTC)
    preset = app.config["SANDBOX_SCENARIO"]
    if preset not in PRESETS:
        raise ValueError(
            f"LANTOA_SANDBOX_SCENARIO={preset!r} is not one of {', '.join(sorted(PRESETS))}"
        )
    scenario = Scenario(
        PRESETS[preset],
        seed=run % 100_000 if preset == "default" else PRESETS[preset].seed,
        epoch=now,
        start_offset=20.0,
        live_video_id=f"10{run}",
        video_id=f"55{run}",
        youtube_video_id=youtube_video_id(run),
        scheduled_in=SCHEDULED_IN,
    )
    with app.app_context():
        conference = demo_conference(run, now)
    try:
        sandbox = Sandbox.start(
            port=app.config["SANDBOX_PORT"],
            scenario=scenario,
            clock=RealClock(app.config["SANDBOX_SPEED"]),
            conference=conference,
        )
    except OSError as exc:
        log.warning("sandbox not started on port %s: %s", app.config["SANDBOX_PORT"], exc)
        return None
    app.extensions["lantoa_sandbox"] = sandbox
    with app.app_context():
        _register(sandbox, scenario, now)
        if conference is not None:
            links = register_conference(sandbox, conference, now)
            app.extensions["lantoa_demo_checkins"] = play_checkins(
                app, conference, sandbox.clock, links
            )
            log.info("sandbox playing a Zoom conference with %d halls", conference.params.halls)
    log.info("sandbox playing a live at %s (Facebook %s, YouTube %s)", sandbox.url,
             scenario.params.live_video_id, scenario.params.youtube_video_id)  # fmt: skip
    return sandbox


def _register(sandbox: Sandbox, scenario: Scenario, now: datetime) -> None:
    admin = demo_admin()
    if admin is None:
        log.warning("no demo admin (run `flask demo load`): the sandbox live is not registered")
        return
    rename_legacy(admin)
    p = scenario.params
    facebook = sandbox_account(
        Platform.FACEBOOK, FACEBOOK_ACCOUNT, admin.org_unit_id, p.page_id,
        {"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
    )  # fmt: skip
    # the key reads; the OAuth client lets "Kiểm tra" on the accounts page find the channel
    oauth = sandbox.connections()["youtube"]
    youtube = sandbox_account(
        Platform.YOUTUBE, YOUTUBE_ACCOUNT, admin.org_unit_id, None,
        {**oauth, "api_key": sandbox.youtube_api_key, "project": "sandbox"},
    )  # fmt: skip
    start = now + timedelta(seconds=p.start_offset)
    title = f"{p.title} {DEMO_MARK}"
    event = earlier_event(title, Channel.LIVESTREAM, admin.org_unit_id, now) or Event(
        title=title,
        channel=Channel.LIVESTREAM,
        status=EventStatus.SCHEDULED,
        org_unit_id=admin.org_unit_id,
        cost_vnd=3_000_000,
        origin="manual",
    )
    event.planned_start, event.planned_end = start, start + timedelta(seconds=p.duration)
    event.description = p.description
    db.session.add(event)
    db.session.flush()
    for account, kind, external_id in (
        (facebook, "facebook_live", p.live_video_id),
        (youtube, "youtube_live", p.youtube_video_id),
    ):
        add_target(event.id, kind, external_id, account_id=account.id, next_run_at=now)
    db.session.commit()
