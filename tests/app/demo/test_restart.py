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
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import demo
from app.collection import runner
from app.demo.accounts import LEGACY_ADMIN, LEGACY_MARK, demo_admin
from app.demo.province import DEMO_ADMIN_NAME, DEMO_EMAIL, DEMO_MARK, SEEDED_TITLES
from app.extensions import db
from app.models import (
    Attendance,
    AttendanceReport,
    AuditLog,
    BridgePoint,
    Channel,
    Comment,
    EngagementSample,
    Event,
    EventStatus,
    Participant,
    Person,
    PlatformAccount,
    Target,
    utcnow,
)
from app.timeparse import VN
from sandbox import Sandbox
from tests.conftest import Factory, login

# Committing: the demo's check-in thread posts through the app on its own connection.
# PostgreSQL too: clearing a play matches audit rows by id text and deletes through subqueries.
pytestmark = [pytest.mark.committing, pytest.mark.postgres]
SANDBOX_CHANNELS = (Channel.LIVESTREAM, Channel.ONLINE_CONFERENCE)
# The demo's seeded events carry the mark too; they are not the sandbox's.
SEEDED = tuple(f"{title} {DEMO_MARK}" for title in SEEDED_TITLES)
# An officer's own livestream, held at 20:00 on 3 October 2026 (Hà Nội time).
HELD_AT = datetime(2026, 10, 3, 20, 0, tzinfo=VN).astimezone(UTC)


class Starts(list[Sandbox]):
    """The demo's starts, and the admin's password its load printed."""

    password: str


@pytest.fixture
def starts(app: Flask) -> Iterator[Starts]:
    """Starts of the demo sandbox on one database, each stopped as `make run` is: Ctrl-C."""
    loaded = demo.load(db.session, "40")
    db.session.commit()
    app.config.update(SANDBOX_PORT=0, SANDBOX_SPEED=200.0, COLLECTOR_HTTP_BACKOFF=0)
    played = Starts()
    assert loaded.password is not None
    played.password = loaded.password
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


def _text(client: FlaskClient, path: str) -> str:
    """A page's words as a user reads them: tags dropped, spaces collapsed."""
    response = client.get(path)
    assert response.status_code == 200, path
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _counts(client: FlaskClient) -> tuple[int, int, int]:
    """Events on /events; activities and planned events in this month's report."""
    listed = re.search(r"(\d+) sự kiện Tiêu đề", _text(client, "/events"))
    report = _text(client, "/reports/monthly")
    held = re.search(r"Tất cả các kênh (\d+)", report)
    planned = re.search(r"(\d+) sự kiện đã lên kế hoạch, chưa diễn ra", report)
    assert listed, _text(client, "/events")[:2000]
    assert held, report[:2000]
    return int(listed[1]), int(held[1]), int(planned[1]) if planned else 0


def _play(app: Flask, sandbox: Sandbox) -> dict[Channel, Event]:
    """Let the play go live and be collected, and its halls report, as `make run` would."""
    held = _to_come()
    _wait_live(sandbox)
    targets = list(db.session.scalars(sa.select(Target).where(Target.finished_at.is_(None))))
    ids = [t.id for t in targets]
    deadline = time.monotonic() + 60
    while True:  # collected until the livestream has comments: the play writes its first at random
        results = runner.run_targets(ids, publish=lambda *a: None)
        assert [r.outcome for r in results] == ["ok"] * len(results), [r.error for r in results]
        if db.session.scalar(
            sa.select(sa.func.count(Comment.id)).where(Comment.target_id.in_(ids))
        ):
            break
        assert time.monotonic() < deadline, "the play wrote no comment"
        time.sleep(0.5)
    player = app.extensions["lantoa_demo_checkins"]
    deadline = time.monotonic() + 30
    while player.sent < 5:
        assert time.monotonic() < deadline, "no hall reported"
        time.sleep(0.2)
    db.session.expire_all()
    assert {e.status for e in held.values()} == {EventStatus.LIVE}
    return held


def _of_play(held: dict[Channel, Event]) -> dict[str, int]:
    """What a play's collection leaves on its events: reads and the touches of its leads."""
    ids = [e.id for e in held.values()]
    targets = sa.select(Target.id).where(Target.event_id.in_(ids))

    def count(model, *where) -> int:  # type: ignore[no-untyped-def]
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    return {
        "samples": count(EngagementSample, EngagementSample.target_id.in_(targets)),
        "comments": count(Comment, Comment.target_id.in_(targets)),
        "participants": count(Participant, Participant.target_id.in_(targets)),
        "touches": count(Attendance, Attendance.event_id.in_(ids)),
    }


def test_a_restart_after_the_play_plays_the_same_events_again_cleared(
    app: Flask, starts, client: FlaskClient
) -> None:
    first = _start(app, starts)
    login(client, DEMO_EMAIL, starts.password)
    before = _counts(client)
    held = _play(app, first)
    played = _of_play(held)
    assert all(played[k] > 0 for k in ("samples", "comments", "participants"))
    assert db.session.scalar(sa.select(sa.func.count(AttendanceReport.id)))
    people = db.session.scalar(sa.select(sa.func.count(Person.id)))
    touched = sa.select(Attendance.person_id).where(
        Attendance.event_id.in_([e.id for e in held.values()])
    )
    leads = set(db.session.scalars(touched))  # the people its lead comments made, if any
    statuses = {p.id: p.checkin_token for p in db.session.scalars(sa.select(BridgePoint))}
    # every officer opens the demo's pages, each view audited: opening is not making
    conference = held[Channel.ONLINE_CONFERENCE].id
    for path in (
        *(f"/events/{e.id}/live" for e in held.values()),
        f"/events/{conference}/bridge-points",
        f"/events/{conference}/follow-up",
    ):
        assert client.get(path).status_code == 200, path
    viewed = sa.select(sa.func.count(AuditLog.id)).where(
        AuditLog.user_id.is_not(None), AuditLog.object_type == "event"
    )
    assert db.session.scalar(viewed)

    for _ in range(2):
        restarted = utcnow()
        second = _start(app, starts)
        now = _to_come()
        assert {c: e.id for c, e in now.items()} == {c: e.id for c, e in held.items()}
        assert _counts(client) == before
    _titles_unique()
    assert _followed(now[Channel.LIVESTREAM]) | _followed(now[Channel.ONLINE_CONFERENCE]) == (
        _ids(second)
    )
    for event in now.values():
        assert event.status == EventStatus.SCHEDULED
        assert event.actual_start is None
        assert event.actual_end is None
    assert _of_play(now) == dict.fromkeys(played, 0)
    # the earlier play's head counts are gone, and its halls' figures with them (the new play's
    # halls start reporting within the second: those are not compared)
    halls = sa.select(BridgePoint.id).where(
        BridgePoint.event_id == now[Channel.ONLINE_CONFERENCE].id
    )
    sent = sa.select(sa.func.min(AttendanceReport.reported_at)).where(
        AttendanceReport.bridge_point_id.in_(halls)
    )
    assert (db.session.scalar(sent) or restarted) >= restarted
    counted = sa.select(sa.func.min(BridgePoint.head_count_at)).where(
        BridgePoint.event_id == now[Channel.ONLINE_CONFERENCE].id
    )
    assert (db.session.scalar(counted) or restarted) >= restarted
    # the people only the earlier play's comments made are gone; the seeded history's stay
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == people - len(leads)
    assert not db.session.scalar(sa.select(sa.func.count(Person.id)).where(Person.id.in_(leads)))
    # the halls' links handed out in the earlier play still open their halls
    kept = {p.id: p.checkin_token for p in db.session.scalars(sa.select(BridgePoint))}
    assert kept == statuses
    assert client.get(f"/events/{now[Channel.LIVESTREAM].id}").status_code == 200


def test_a_restart_leaves_the_events_a_user_made_as_they_are(
    app: Flask, starts, make: Factory
) -> None:
    _start(app, starts)
    officer = make.user("officer", "40")
    theirs = {
        title: make.event(
            "40",
            title=title,
            channel=Channel.LIVESTREAM,
            status=EventStatus.ENDED,
            planned_start=HELD_AT,
            planned_end=HELD_AT + timedelta(hours=1),
            actual_start=HELD_AT,
            actual_end=HELD_AT + timedelta(hours=1),
            cost_vnd=2_500_000,
            created_by_id=officer.id,
        )
        for title in (
            "Livestream giải đáp BHXH tự nguyện cho người lao động tự do",
            # the demo's own title, typed by an officer: still theirs
            _to_come()[Channel.LIVESTREAM].title,
        )
    }
    db.session.commit()
    seen = {e.id: _row(e) for e in theirs.values()}
    _start(app, starts)
    _start(app, starts)
    for event in theirs.values():
        db.session.refresh(event)
    assert {e.id: _row(e) for e in theirs.values()} == seen
    assert len(_to_come()) == 2


def test_a_restart_keeps_the_conference_a_hall_reported_to_by_hand(
    app: Flask, starts, client: FlaskClient
) -> None:
    """A head count a hall's officer sent from the phone page is theirs: the event it went to
    stays, with the count, as a past event; the demo plays a new conference beside it."""
    _start(app, starts)
    login(client, DEMO_EMAIL, starts.password)
    before = _counts(client)
    conference = _to_come()[Channel.ONLINE_CONFERENCE]
    title = conference.title
    hall = db.session.scalars(
        sa.select(BridgePoint).where(BridgePoint.event_id == conference.id).order_by(BridgePoint.id)
    ).first()
    assert hall is not None
    answer = client.post(
        f"/checkin/{hall.checkin_token}",
        json={"idempotency_key": "b7f3c2a9e1d84f60a5c3b2e1f0d9c8a7", "head_count": 45},
    )
    assert answer.status_code < 300, answer.get_data(as_text=True)
    app.extensions["lantoa_demo_checkins"].stop()  # the play's own reports stop here
    db.session.commit()
    reports = sa.select(AttendanceReport.idempotency_key, AttendanceReport.head_count).where(
        AttendanceReport.bridge_point_id == hall.id
    )
    sent = {tuple(r) for r in db.session.execute(reports)}
    assert ("b7f3c2a9e1d84f60a5c3b2e1f0d9c8a7", 45) in sent
    db.session.refresh(hall)
    figures = (hall.head_count, hall.head_count_at)

    _start(app, starts)
    now = _to_come()
    assert now[Channel.ONLINE_CONFERENCE].id != conference.id
    assert now[Channel.ONLINE_CONFERENCE].title == title
    db.session.refresh(conference)
    db.session.refresh(hall)
    assert conference.status == EventStatus.ENDED
    assert conference.title.startswith(f"{title} – ")
    assert {tuple(r) for r in db.session.execute(reports)} == sent
    assert (hall.head_count, hall.head_count_at) == figures
    assert client.get(f"/events/{conference.id}").status_code == 200
    listed, held, planned = _counts(client)
    assert listed == before[0] + 1  # theirs, beside the demo's pair
    assert held + planned == before[1] + before[2] + 1
    _titles_unique()


def _row(event: Event) -> tuple:
    return (
        event.title, event.status, event.planned_start, event.actual_start, event.actual_end,
        event.cost_vnd, event.created_by_id,
    )  # fmt: skip


def test_a_restart_drops_the_dated_plays_an_earlier_version_kept(
    app: Flask, starts, client: FlaskClient
) -> None:
    """Before this version each held play stayed as ``title – dd/mm/yyyy HH:MM``, ended, in the
    month's report: the next start drops those no user made anything on."""
    _start(app, starts)
    login(client, DEMO_EMAIL, starts.password)
    before = _counts(client)
    piled = _play(app, starts[-1])
    for event in piled.values():  # as the earlier version kept a held play
        event.title = f"{event.title} – 07/12/2026 22:26"
        event.status = EventStatus.ENDED
        event.actual_end = event.actual_start + timedelta(minutes=3)
    db.session.commit()
    gone = [e.id for e in piled.values()]

    _start(app, starts)
    assert not {e.id for e in _to_come().values()} & set(gone)
    assert db.session.scalar(sa.select(sa.func.count(Event.id)).where(Event.id.in_(gone))) == 0
    assert _counts(client) == before
    _titles_unique()
