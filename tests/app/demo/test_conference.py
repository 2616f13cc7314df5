"""`make run`'s conference: the demo province's halls on the sandbox's Zoom, totals that move."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from app import demo
from app.collection import runner
from app.demo.accounts import ZOOM_ACCOUNT
from app.extensions import db
from app.live.summary import event_summary
from app.models import Channel, Event, Participant, Platform, PlatformAccount, Target, utcnow
from sandbox.people import NOT_REAL

# Committing: the demo's check-in thread posts through the app on its own connection.
pytestmark = pytest.mark.committing


@pytest.fixture
def demo_sandbox(app: Flask) -> Iterator:
    demo.load(db.session, "40")
    db.session.commit()
    app.config.update(SANDBOX_PORT=0, SANDBOX_SPEED=200.0, COLLECTOR_HTTP_BACKOFF=0)
    sandbox = demo.start_demo_sandbox(app)
    assert sandbox is not None
    yield sandbox
    app.extensions["lantoa_demo_checkins"].stop()
    sandbox.stop()


def _wait(condition, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the demo conference did not move"
        time.sleep(0.2)


def test_demo_conference_halls_connect_and_people_rise(app: Flask, demo_sandbox) -> None:
    conf = demo_sandbox.conferences.conference
    # the live meeting's target (the past conference's is finished)
    target = db.session.scalar(
        sa.select(Target).where(Target.kind == "zoom_meeting", Target.finished_at.is_(None))
    )
    event = db.session.get(Event, target.event_id)
    assert event.channel == Channel.ONLINE_CONFERENCE
    account = db.session.scalar(
        sa.select(PlatformAccount).where(PlatformAccount.name == ZOOM_ACCOUNT)
    )
    assert target.account_id == account.id
    assert target.kind == "zoom_meeting"
    first = event_summary(event.id).as_dict()
    assert first["halls_expected"] == conf.params.halls == 39
    assert first["people_expected"] == sum(conf.expected().values())

    def people() -> int:
        db.session.expire_all()
        return event_summary(event.id).as_dict()["people_present"]

    _wait(lambda: people() > 0)
    seen = people()
    _wait(lambda: people() > seen)  # more halls report while the script plays
    # The real runner follows the sandbox's Zoom meeting: halls connect, never the wrong one.
    _wait(
        lambda: (
            conf.phase(demo_sandbox.clock.now()) == "live"
            and len(conf.active(demo_sandbox.clock.now())) > 20
        )
    )
    (result,) = runner.run_targets([target.id], publish=lambda *a: None)
    assert result.outcome == "ok", result.error
    db.session.expire_all()
    summary = event_summary(event.id).as_dict()
    joined = {h["name"] for h in summary["halls"] if h["first_join"]}
    assert len(joined) >= 10
    hall_of = {s.name: s.attendee.commune for s in conf.sessions()}
    rows = db.session.execute(
        sa.select(Participant.display_name, Participant.bridge_point_id).where(
            Participant.bridge_point_id.is_not(None), Participant.target_id == target.id
        )
    ).all()
    names = {h["id"]: h["name"] for h in summary["halls"]}
    assert rows
    assert all(names[point].endswith(str(hall_of[name])) for name, point in rows)


def test_the_demo_meeting_can_be_pasted_on_every_conference_platform(
    app: Flask, demo_sandbox
) -> None:
    """Teams, Meet and BigBlueButton accounts of the sandbox exist, so pasting works in the demo."""
    from app.collection.links import check_links
    from app.demo.accounts import demo_admin

    fakes = demo_sandbox.conferences
    p = fakes.conference.params
    event = db.session.scalar(sa.select(Event).where(Event.title == p.title))
    pasted = [fakes.teams.join_web_url, f"https://meet.google.com/{p.meet_code}",
              p.bbb_meeting_id]  # fmt: skip
    checked = check_links(event, "\n".join(pasted), demo_admin())
    assert [c.problem for c in checked] == ["", "", ""]
    assert [c.description.external_id for c in checked] == [
        p.teams_meeting_id,
        p.meet_code,
        p.bbb_meeting_id,
    ]


def test_every_demo_account_passes_the_accounts_page_check(app: Flask, demo_sandbox) -> None:
    """ "Kiểm tra" on the accounts page: each sandbox account answers, with nothing missing."""
    from app.connect import services
    from app.demo.accounts import demo_admin
    from app.demo.province import DEMO_MARK

    admin = demo_admin()
    accounts = db.session.scalars(
        sa.select(PlatformAccount).where(PlatformAccount.name.endswith(DEMO_MARK))
    ).all()
    assert len(accounts) == 6
    for account in accounts:
        result = services.check(account, admin, utcnow())
        assert (account.health, result["error"]) == ("ok", ""), account.name
        assert result["scopes_missing"] == [], account.name
    identities = {a.platform: a.rate_limit_usage["check"]["identity"] for a in accounts}
    assert identities[Platform.YOUTUBE].endswith(NOT_REAL)
    assert identities[Platform.TEAMS].startswith(f"Lan Tỏa {NOT_REAL}")
    # A BigBlueButton server is named by its address, not by "1 meetings" (English, no name).
    assert identities[Platform.BBB].startswith("127.0.0.1:"), identities[Platform.BBB]
