"""A Zoom conference through the real runner: every hall session stored once, live then report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from app.collection import runner
from app.extensions import db
from app.models import Participant, Platform, Target
from app.sandbox.clock import ManualClock
from app.sandbox.conference import Conference, LoopbackServer
from app.sandbox.zoom import ZoomFake, create_app


@pytest.fixture
def zoom() -> Iterator[tuple[ZoomFake, str]]:
    fake = ZoomFake(Conference(), ManualClock())
    with LoopbackServer(create_app(fake)) as server:
        yield fake, server.url + "/zoom/v2"


def test_zoom_sessions_stored_once_with_their_leave_times(
    app: Flask, make, zoom: tuple[ZoomFake, str]
) -> None:
    fake, url = zoom
    conf = fake.conference
    s = fake.settings
    credentials = {"account_id": s.account_id, "client_id": s.client_id,
                   "client_secret": s.client_secret, "base_url": url,
                   "token_url": f"{url}/oauth/token"}  # fmt: skip
    account = make.account(platform=Platform.ZOOM, name="Zoom BHXH", credentials=credentials)
    event = make.event(title="Hội nghị trực tuyến 39 điểm cầu", channel="online_conference")
    target = make.target(
        event, account, kind="zoom_meeting", external_id=conf.params.zoom_meeting_id
    )

    def tick(t: float) -> None:
        fake.clock.set(t)
        (result,) = runner.run_targets(
            [target.id], clock=lambda: conf.datetime_at(t), publish=lambda *a: None
        )
        assert result.outcome == "ok", result.error

    tick(conf.start + 600)
    live = db.session.scalar(sa.select(sa.func.count()).select_from(Participant))
    assert live == len(conf.sessions_started(conf.start + 600))
    tick(conf.start + 1800)
    tick(conf.end + 120)
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Participant.display_name, Participant.joined_at, Participant.left_at)
    ).all()
    expected = sorted(
        (x.name, conf.datetime_at(x.join), conf.datetime_at(x.leave)) for x in conf.sessions()
    )
    assert sorted(tuple(r) for r in rows) == expected
    assert db.session.get(Target, target.id).finished_at is not None
