"""A Zoom conference through the real runner: every hall session stored once, live then report.

The 39-hall acceptance on all four platforms is in ``test_conference_platforms.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from app.collection import runner
from app.extensions import db
from app.models import Participant, Platform, Target
from sandbox.clock import ManualClock
from sandbox.conference import Conference
from sandbox.loopback import LoopbackServer
from sandbox.zoom import ZoomFake, create_app

# Also on PostgreSQL: hall sessions upserted, then their leave times.
pytestmark = pytest.mark.postgres


@pytest.fixture
def zoom() -> Iterator[tuple[ZoomFake, str]]:
    fake = ZoomFake(Conference(), ManualClock())
    with LoopbackServer(create_app(fake)) as server:
        yield fake, server.url + "/zoom/v2"


def zoom_credentials(fake: ZoomFake, url: str) -> dict[str, str]:
    """The fake's Server-to-Server OAuth app, pointed at the fake."""
    s = fake.settings
    return {"account_id": s.account_id, "client_id": s.client_id,
            "client_secret": s.client_secret, "base_url": url,
            "token_url": f"{url}/oauth/token"}  # fmt: skip


def zoom_target(make, fake: ZoomFake, url: str) -> Target:  # type: ignore[no-untyped-def]
    """An online conference of the home province tracking the fake's meeting."""
    credentials = zoom_credentials(fake, url)
    account = make.account(platform=Platform.ZOOM, name="Zoom BHXH", credentials=credentials)
    event = make.event(title="Hội nghị trực tuyến 39 điểm cầu", channel="online_conference")
    return make.target(
        event, account, kind="zoom_meeting", external_id=fake.conference.params.zoom_meeting_id
    )


def test_zoom_sessions_stored_once_with_their_leave_times(
    app: Flask, make, zoom: tuple[ZoomFake, str]
) -> None:
    fake, url = zoom
    conf = fake.conference
    target = zoom_target(make, fake, url)

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


def test_unmatched_names_assigned_once_are_remembered(
    app: Flask, client, make, zoom: tuple[ZoomFake, str], scenario_communes
) -> None:
    """The organiser assigns an unmatched hall by hand; the next conference matches it itself."""
    from app.auth.tokens import issue_token
    from app.halls import services

    fake, url = zoom
    conf = fake.conference
    communes = scenario_communes(conf)
    credentials = zoom_credentials(fake, url)
    account = make.account("98", platform=Platform.ZOOM, name="Zoom", credentials=credentials)
    headers = {"Authorization": f"Bearer {issue_token(make.user('officer', '98'))}"}
    db.session.commit()

    def conference_event(title: str) -> tuple[int, Target]:
        event = make.event("98", title=title, channel="online_conference")
        services.set_bridge_points(event, "all", {u.code: 30 for u in communes})
        db.session.commit()
        target = make.target(event, account, kind="zoom_meeting",
                             external_id=conf.params.zoom_meeting_id)  # fmt: skip
        fake.clock.set(conf.end + 120)
        runner.run_targets([target.id], clock=lambda: conf.datetime_at(conf.end + 120),
                           publish=lambda *a: None)  # fmt: skip
        return event.id, target

    first, _ = conference_event("Hội nghị tháng 11")
    unmatched = client.get(f"/api/v1/events/{first}/participants?unmatched=1", headers=headers)
    names = {p["display_name"]: p["id"] for p in unmatched.get_json()}
    hoa = next(n for n in names if "hoa thanh" in n.lower() and "hoà" not in n.lower())
    points = client.get(f"/api/v1/events/{first}/bridge-points", headers=headers).get_json()
    hall = next(p for p in points if p["name"] == "Xã Hoa Thành")
    answer = client.post(
        f"/api/v1/events/{first}/participants/{names[hoa]}/assign",
        json={"bridge_point_id": hall["id"]},
        headers=headers,
    )
    assert answer.status_code == 200
    assert answer.get_json()["assigned"] >= 1
    still = client.get(f"/api/v1/events/{first}/participants?unmatched=1", headers=headers)
    assert hoa not in {p["display_name"] for p in still.get_json()}
    # The next conference: the same spelling goes to the same hall without anyone's help.
    second, _ = conference_event("Hội nghị tháng 12")
    listed = client.get(f"/api/v1/events/{second}/participants", headers=headers).get_json()
    again = [p for p in listed if p["display_name"] == hoa]
    assert again
    assert all(p["commune"] == hall["commune"] for p in again)


def test_names_marked_not_a_hall_stay_marked_through_later_polls(
    app: Flask, client, make, zoom: tuple[ZoomFake, str]
) -> None:
    """The host's room and a staff phone, marked as no hall while the meeting runs, stay marked
    when the next polls update their sessions (leave times, the final report)."""
    from app.auth.tokens import issue_token
    from sandbox.conference import NON_HALLS

    fake, url = zoom
    conf = fake.conference
    target = zoom_target(make, fake, url)
    headers = {"Authorization": f"Bearer {issue_token(make.user('officer'))}"}
    db.session.commit()

    def tick(t: float) -> None:
        fake.clock.set(t)
        (result,) = runner.run_targets(
            [target.id], clock=lambda: conf.datetime_at(t), publish=lambda *a: None
        )
        assert result.outcome == "ok", result.error

    def unmatched() -> dict[str, int]:
        path = f"/api/v1/events/{target.event_id}/participants?unmatched=1"
        return {p["display_name"]: p["id"] for p in client.get(path, headers=headers).get_json()}

    tick(conf.start + 600)
    room, phone, office = NON_HALLS  # the district office joins later, unmarked
    marked = (conf.params.host_name, room, phone)
    listed = unmatched()
    for name in marked:
        path = f"/api/v1/events/{target.event_id}/participants/{listed[name]}/not-a-hall"
        assert client.post(path, headers=headers).status_code == 200
    tick(conf.start + 1800)  # the phone has left: its session gains a leave time
    tick(conf.end + 120)  # the final report rewrites every session
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(Participant.display_name, Participant.not_a_hall, Participant.left_at).where(
            Participant.display_name.in_([*marked, office])
        )
    ).all()
    assert sorted((name, flag) for name, flag, _ in rows) == sorted(
        [(name, True) for name in marked] + [(office, False)]
    )
    assert all(left is not None for _, _, left in rows)  # the later polls did update them
    still = unmatched()
    assert office in still
    assert not set(marked) & set(still)
