"""A sandbox on loopback with a manual clock, and a driver that plays it through the real runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
from flask import Flask

from app.collection import runner
from app.extensions import db
from app.models import Target
from sandbox import ManualClock, Sandbox, Scenario
from sandbox.conference import Conference


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    scenario = Scenario(comment_count=80, chat_count=60, duration=900, start_offset=30)
    sb = Sandbox.start(scenario=scenario, clock=ManualClock())
    yield sb
    sb.stop()


@dataclass
class Player:
    """Moves the sandbox clock and runs whatever is due, as the scheduler tick would."""

    app: Flask
    sandbox: Sandbox
    published: list

    def now(self) -> datetime:
        return self.sandbox.scenario.datetime_at(self.sandbox.clock.now())

    def tick(self) -> list[runner.RunResult]:
        ids = runner.due_target_ids(self.now())
        db.session.commit()
        results = runner.run_targets(ids, clock=self.now, publish=self._publish)
        db.session.expire_all()
        return results

    def play(self, seconds: float, step: float = 5.0) -> list[runner.RunResult]:
        results = []
        elapsed = 0.0
        while elapsed < seconds:
            self.sandbox.advance(step)
            elapsed += step
            results += self.tick()
        return results

    def _publish(self, event_id: int, name: str, payload: dict) -> None:
        self.published.append((event_id, name, payload))


@pytest.fixture
def player(app: Flask, sandbox: Sandbox) -> Player:
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=1.0)
    app.extensions.pop("lantoa_http", None)
    return Player(app, sandbox, [])


@pytest.fixture
def fb_target(app: Flask, make, sandbox: Sandbox) -> Target:
    creds = sandbox.credentials()
    account = make.account(
        credentials={"access_token": sandbox.facebook_token, "base_url": sandbox.facebook_url},
        external_id=creds["facebook_page_id"],
    )
    event = make.event(title="Livestream tư vấn")
    return make.target(event, account, external_id=creds["facebook_live_video_id"])


@pytest.fixture
def yt_target(app: Flask, make, sandbox: Sandbox, fb_target: Target) -> Target:
    from app.models import Platform

    account = make.account(
        name="YouTube",
        platform=Platform.YOUTUBE,
        credentials={"api_key": sandbox.youtube_api_key, "base_url": sandbox.youtube_url},
    )
    return make.target(
        fb_target.event, account, kind="youtube_live",
        external_id=sandbox.credentials()["youtube_video_id"],
    )  # fmt: skip


@pytest.fixture
def yt_alone(app: Flask, make, sandbox: Sandbox) -> Target:
    """The channel's live as an event of its own (no Facebook target): its figures are the
    event's."""
    from app.models import Platform

    account = make.account(
        name="YouTube",
        platform=Platform.YOUTUBE,
        credentials={"api_key": sandbox.youtube_api_key, "base_url": sandbox.youtube_url},
    )
    event = make.event(title="Livestream tư vấn trên YouTube")
    return make.target(
        event, account, kind="youtube_live", external_id=sandbox.credentials()["youtube_video_id"]
    )


@pytest.fixture
def scenario_communes(app: Flask) -> Callable[[Conference], list]:
    """The scenario's halls as communes of a test province 98 (its names predate the 2025 tree)."""
    import sqlalchemy as sa

    from app.models import OrgKind, OrgUnit

    def make(conf: Conference) -> list[OrgUnit]:
        province = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "98"))
        if province is None:
            country = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == "VN"))
            province = OrgUnit(code="98", name="Tỉnh Thử nghiệm", short_name="Thử nghiệm",
                               kind=OrgKind.PROVINCE, division_type="Tỉnh", path="VN/98",
                               parent_id=country)  # fmt: skip
            db.session.add(province)
            db.session.flush()
        units = []
        for n, name in enumerate(conf.params.communes[: conf.params.halls], start=1):
            code = f"98{n:03d}"
            unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))
            if unit is None:
                unit = OrgUnit(code=code, name=f"Xã {name}", short_name=name,
                               kind=OrgKind.COMMUNE, division_type="Xã", parent_id=province.id,
                               path=f"VN/98/{code}")  # fmt: skip
                db.session.add(unit)
            units.append(unit)
        db.session.commit()
        return units

    return make
