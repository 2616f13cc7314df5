"""`make run` again on the same instance folder: the sandbox plays new live objects each start,
and the demo's sandbox events follow them without a second event of the same title.

A start whose earlier play was never reached (restarted within the half-minute before it goes
live) plays the same events again, moved to the new play and following its new ids. One whose
earlier play the collectors followed keeps that play as a past event, ended, with what was read,
under its title and date; the new play gets the plain title. Either way home lists one sandbox
livestream and one sandbox conference to come.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app import demo
from app.collection import runner
from app.demo.accounts import LEGACY_ADMIN, LEGACY_MARK, demo_admin
from app.demo.province import DEMO_ADMIN_NAME, DEMO_MARK, SEEDED_TITLES
from app.extensions import db
from app.models import (
    Channel,
    EngagementSample,
    Event,
    EventStatus,
    Participant,
    PlatformAccount,
    Target,
    utcnow,
)
from sandbox import Sandbox

# Committing: the demo's check-in thread posts through the app on its own connection.
pytestmark = pytest.mark.committing
SANDBOX_CHANNELS = (Channel.LIVESTREAM, Channel.ONLINE_CONFERENCE)
# The demo's seeded events carry the mark too; they are not the sandbox's.
SEEDED = tuple(f"{title} {DEMO_MARK}" for title in SEEDED_TITLES)


@pytest.fixture
def starts(app: Flask) -> Iterator[list[Sandbox]]:
    """Starts of the demo sandbox on one database, each stopped as `make run` is: Ctrl-C."""
    demo.load(db.session, "40")
    db.session.commit()
    app.config.update(SANDBOX_PORT=0, SANDBOX_SPEED=200.0, COLLECTOR_HTTP_BACKOFF=0)
    played: list[Sandbox] = []
    yield played
    if played:
        _stop(app, played[-1])


def _start(app: Flask, played: list[Sandbox]) -> Sandbox:
    if played:
        _stop(app, played[-1])
        time.sleep(1.1)  # each start's ids come from the second it starts in
    sandbox = demo.start_demo_sandbox(app)
    assert sandbox is not None
    played.append(sandbox)
    db.session.expire_all()
    return sandbox


def _stop(app: Flask, sandbox: Sandbox) -> None:
    app.extensions["lantoa_demo_checkins"].stop()
    sandbox.stop()


def _ids(sandbox: Sandbox) -> set[str]:
    p = sandbox.scenario.params
    return {
        p.live_video_id,
        p.youtube_video_id,
        sandbox.conferences.conference.params.zoom_meeting_id,
    }


def _sandbox_events() -> list[Event]:
    stmt = sa.select(Event).where(
        Event.channel.in_(SANDBOX_CHANNELS),
        Event.title.contains(DEMO_MARK),
        Event.title.not_in(SEEDED),
    )
    return list(db.session.scalars(stmt.order_by(Event.id)))


def _to_come() -> dict[Channel, Event]:
    """The sandbox events home lists as upcoming or live: exactly one of each channel."""
    events = [e for e in _sandbox_events() if e.status != EventStatus.ENDED]
    assert sorted(e.channel for e in events) == sorted(SANDBOX_CHANNELS)
    return {e.channel: e for e in events}


def _followed(event: Event) -> set[str]:
    stmt = sa.select(Target.external_id).where(
        Target.event_id == event.id, Target.finished_at.is_(None)
    )
    return set(db.session.scalars(stmt))


def _titles_unique() -> None:
    titles = [e.title for e in db.session.scalars(sa.select(Event))]
    assert len(titles) == len(set(titles))


def test_a_restart_before_the_play_plays_the_same_events_again(app: Flask, starts) -> None:
    first = _start(app, starts)
    before = _to_come()
    second = _start(app, starts)
    after = _to_come()
    assert {c: e.id for c, e in after.items()} == {c: e.id for c, e in before.items()}
    _titles_unique()
    followed = _followed(after[Channel.LIVESTREAM]) | _followed(after[Channel.ONLINE_CONFERENCE])
    assert followed == _ids(second)
    assert not followed & _ids(first)
    # the earlier play's targets read nothing: dropped, not left as dead links on the event
    stale = sa.select(sa.func.count(Target.id)).where(Target.external_id.in_(_ids(first)))
    assert db.session.scalar(stale) == 0
    now = utcnow()
    for event in after.values():
        assert event.status == EventStatus.SCHEDULED
        assert now - timedelta(minutes=2) < event.planned_start <= now + timedelta(minutes=1)
    assert after[Channel.LIVESTREAM].title == f"{second.scenario.params.title} {DEMO_MARK}"
    assert after[Channel.ONLINE_CONFERENCE].title == second.conferences.conference.params.title
    assert after[Channel.ONLINE_CONFERENCE].title.endswith(DEMO_MARK)


def test_a_database_of_the_earlier_names_is_renamed_not_added_to(app: Flask, starts) -> None:
    _start(app, starts)
    before = _to_come()
    accounts = {a.id: a.name for a in db.session.scalars(sa.select(PlatformAccount))}
    for account in db.session.scalars(sa.select(PlatformAccount)):
        account.name = account.name.replace(DEMO_MARK, LEGACY_MARK)
    for event in _sandbox_events():
        event.title = event.title.replace(DEMO_MARK, LEGACY_MARK)
    demo_admin().display_name = LEGACY_ADMIN
    db.session.commit()
    _start(app, starts)
    after = _to_come()
    assert {c: e.id for c, e in after.items()} == {c: e.id for c, e in before.items()}
    assert {a.id: a.name for a in db.session.scalars(sa.select(PlatformAccount))} == accounts
    _titles_unique()
    legacy = sa.select(sa.func.count(Event.id)).where(Event.title.contains(LEGACY_MARK))
    assert db.session.scalar(legacy) == 0
    assert demo_admin().display_name == DEMO_ADMIN_NAME


def _wait_live(sandbox: Sandbox) -> None:
    deadline = time.monotonic() + 30
    conference = sandbox.conferences.conference
    while not (
        sandbox.clock.now() > sandbox.scenario.live_start + 60
        and conference.phase(sandbox.clock.now()) == "live"
        and conference.active(sandbox.clock.now())
    ):
        assert time.monotonic() < deadline, "the sandbox did not go live"
        time.sleep(0.2)


def test_a_restart_after_the_play_keeps_it_as_a_dated_past_event(app: Flask, starts) -> None:
    first = _start(app, starts)
    held = _to_come()
    _wait_live(first)
    targets = list(db.session.scalars(sa.select(Target).where(Target.finished_at.is_(None))))
    results = runner.run_targets([t.id for t in targets], publish=lambda *a: None)
    assert [r.outcome for r in results] == ["ok"] * len(results), [r.error for r in results]
    db.session.expire_all()
    assert {e.status for e in held.values()} == {EventStatus.LIVE}
    titles = {c: e.title for c, e in held.items()}
    starts_at = {c: e.actual_start for c, e in held.items()}

    second = _start(app, starts)
    now = _to_come()
    assert not {e.id for e in now.values()} & {e.id for e in held.values()}
    assert {c: e.title for c, e in now.items()} == titles  # the new play has the plain title
    assert _followed(now[Channel.LIVESTREAM]) | _followed(now[Channel.ONLINE_CONFERENCE]) == (
        _ids(second)
    )
    _titles_unique()
    for channel, event in held.items():
        db.session.refresh(event)
        assert event.status == EventStatus.ENDED
        assert event.actual_start == starts_at[channel]
        assert event.actual_end is not None
        assert event.actual_end >= event.actual_start
        assert re.fullmatch(
            re.escape(titles[channel]) + r" – \d\d/\d\d/\d{4} \d\d:\d\d", event.title
        )
        assert not _followed(event)  # the sandbox no longer serves the earlier play's objects
    # what was collected of the earlier play stays with it
    live_targets = sa.select(Target.id).where(Target.event_id == held[Channel.LIVESTREAM].id)
    samples = sa.select(sa.func.count(EngagementSample.id)).where(
        EngagementSample.target_id.in_(live_targets)
    )
    assert db.session.scalar(samples) > 0
    meeting = sa.select(Target.id).where(Target.event_id == held[Channel.ONLINE_CONFERENCE].id)
    joined = sa.select(sa.func.count(Participant.id)).where(Participant.target_id.in_(meeting))
    assert db.session.scalar(joined) > 0
