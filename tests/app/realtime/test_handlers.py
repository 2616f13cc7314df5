"""The ``/live`` namespace: who may connect and join, what a snapshot and a delta carry.

Real pieces throughout: the Socket.IO test client against the app's own server, the collection
runner polling the loopback sandbox over HTTP, the summary API for comparison, and both database
backends.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.collection import runner
from app.collection.changes import Change, WrittenComment
from app.extensions import db, socketio
from app.models import Comment, Target
from app.realtime import NAMESPACE, publish
from tests.app.collection.conftest import Player
from tests.app.realtime.conftest import applied, ask, join, received, token_for
from tests.conftest import HOME, OTHER, login

# Also on PostgreSQL: snapshots and deltas from both databases.
pytestmark = pytest.mark.postgres

PHONE = "+84912345678"


def play(player: Player, seconds: float) -> list[runner.RunResult]:
    """Advance the sandbox and run due targets with the real publish (the runner's default)."""
    player.sandbox.advance(seconds)
    ids = runner.due_target_ids(player.now())
    db.session.commit()
    results = runner.run_targets(ids, clock=player.now)
    db.session.expire_all()
    return results


def test_connect_without_credentials_is_refused(app: Flask, live: Any) -> None:
    sio = live()
    assert not sio.is_connected(NAMESPACE)


def test_a_wrong_token_is_refused_at_its_join(app: Flask, live: Any, make: Any) -> None:
    """Checked with the access, in the join's one read: refused there (the page then says so
    instead of reconnecting), and nothing is sent."""
    event = make.event()
    assert not live(auth={"token": "not-a-token"}).is_connected(NAMESPACE)  # cannot be one
    sio = live(auth={"token": "lt_not-a-token"})
    assert join(sio, event.id) == {
        "ok": False, "error": "Authentication required: log in again.", "status": 401,
    }  # fmt: skip
    assert received(sio, "snapshot") == []


def test_token_auth_join_gives_the_snapshot_with_the_summary_api_body(
    app: Flask, client: FlaskClient, make: Any, live: Any, player: Player, fb_target: Target
) -> None:
    play(player, 60)
    viewer = make.user("viewer")
    token = token_for(viewer)
    sio = live(auth={"token": token})
    assert sio.is_connected(NAMESPACE)
    ack = join(sio, fb_target.event_id)
    assert ack["ok"] is True
    (snap,) = received(sio, "snapshot")
    assert (snap["epoch"], snap["seq"]) == (ack["epoch"], ack["seq"])
    assert snap["event_id"] == fb_target.event_id
    assert snap["event"]["title"] == "Livestream tư vấn"
    api = client.get(
        f"/api/v1/events/{fb_target.event_id}/summary",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 200
    assert snap["summary"] == api.get_json()
    assert snap["summary"]["live_viewers"] > 0
    assert snap["can_see_phones"] is False
    viewers = snap["series"]["viewers"]
    assert viewers
    assert viewers[-1][1] == snap["summary"]["live_viewers"]
    stored = db.session.scalar(sa.select(sa.func.count(Comment.id)))
    assert sum(n for _, n in snap["series"]["comments_per_minute"]) == stored
    assert len(snap["comments"]) == min(stored, 100)
    times = [c["created_at"] for c in snap["comments"]]
    assert times == sorted(times, reverse=True)


def test_session_cookie_auth_and_a_missing_event(
    app: Flask, client: FlaskClient, make: Any, live: Any
) -> None:
    login(client, make.user("officer").email)
    sio = live()
    assert sio.is_connected(NAMESPACE)
    ack = join(sio, 987654)
    assert ack == {"ok": False, "error": "event_id: no event 987654", "status": 404}
    assert join(sio, "7")["status"] == 400
    assert received(sio, "snapshot") == []


def test_a_browser_session_connects_without_the_orm_user_loader(
    app: Flask, client: FlaskClient, make: Any, live: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session's user is checked in the join's one compiled read; a revoked session is
    refused there."""
    user, event = make.user("officer"), make.event()
    login(client, user.email)

    def no_orm(_session_id: str) -> None:
        raise AssertionError("the ORM user_loader ran for a live socket")

    monkeypatch.setattr(app.login_manager, "_user_callback", no_orm)
    sio = live()
    assert sio.is_connected(NAMESPACE)
    assert join(sio, event.id)["ok"] is True
    monkeypatch.undo()
    user.revoke_sessions()
    db.session.commit()
    stale = live()
    assert join(stale, event.id)["status"] == 401
    assert join(sio, event.id)["status"] == 401  # the socket already open too


def test_a_viewer_of_another_province_is_refused(
    app: Flask, client: FlaskClient, make: Any, live: Any
) -> None:
    event = make.event(org_unit=OTHER, title="Huế")
    login(client, make.user("viewer", HOME).email)
    sio = live()
    ack = join(sio, event.id)
    assert ack["ok"] is False
    assert ack["status"] == 404  # as GET /api/v1/events/<id>: not even confirmed to exist
    assert received(sio, "snapshot") == []
    # nor does the refused socket get that event's deltas
    publish(event.id, "status")
    assert received(sio, "delta") == []
    assert join(sio, make.event(org_unit=HOME).id)["ok"] is True


def test_runner_call_publishes_a_delta_with_the_next_seq_and_the_new_comments(
    app: Flask, make: Any, live: Any, player: Player, fb_target: Target
) -> None:
    sio = live(auth={"token": token_for(make.user("officer"))})
    first = join(sio, fb_target.event_id)
    (start,) = received(sio, "snapshot")
    results = play(player, 300)
    assert any(r.comments for r in results)
    deltas = received(sio, "delta")
    assert [d["seq"] for d in deltas] == list(
        range(first["seq"] + 1, first["seq"] + 1 + len(deltas))
    )
    assert {d["epoch"] for d in deltas} == {first["epoch"]}
    assert all(d["reason"] == "collected" for d in deltas)
    sent = [c["id"] for d in deltas for c in d.get("comments", [])]
    stored = db.session.scalars(sa.select(Comment.id)).all()
    assert sorted(sent) == sorted(stored)  # every new comment sent, once
    last = deltas[-1]
    shown = applied(start["summary"], *deltas)
    assert shown["comments"] == len(stored)
    points = [p for d in deltas for p in d.get("series", {}).get("viewers", [])]
    assert points
    assert all(isinstance(n, int) for _, n in points)
    per_minute = {}
    for d in deltas:
        per_minute.update(dict(d.get("series", {}).get("comments_per_minute", [])))
    assert sum(per_minute.values()) == len(stored)
    # a resync gives a snapshot at the last delta's number with the same totals
    ack = ask(sio, "resync", {"event_id": fb_target.event_id})
    (snap,) = received(sio, "snapshot")
    assert ack == {"ok": True, "epoch": last["epoch"], "seq": last["seq"]}
    assert (snap["epoch"], snap["seq"]) == (last["epoch"], last["seq"])
    assert snap["summary"] == shown


@pytest.fixture
def lead_comment(app: Flask, make: Any) -> Target:
    event = make.event()
    target = make.target(event, make.account())
    db.session.add(
        Comment(
            target_id=target.id, external_id="c1", author_name="<b>Lan</b>",
            message="Tư vấn BHXH tự nguyện cho em, sđt 0912 345 678 ạ",
            created_at=event.created_at + timedelta(minutes=1), is_lead=True,
            lead_intents=["bhxh_tu_nguyen"], phone=PHONE,
        )
    )  # fmt: skip
    db.session.commit()
    return target


def written(target: Target) -> Change:
    """The writer's record of the target's stored comments, as a batch that wrote them."""
    comments = db.session.scalars(sa.select(Comment).where(Comment.target_id == target.id))
    return Change(
        event_id=target.event_id,
        target_id=target.id,
        kind=target.kind,
        comments=tuple(
            WrittenComment(
                id=c.id, target_id=c.target_id, external_id=c.external_id,
                author_name=c.author_name, message=c.message, created_at=c.created_at,
                is_lead=c.is_lead, lead_intents=tuple(c.lead_intents or ()), phone=c.phone,
            )
            for c in comments
        ),
    )  # fmt: skip


def test_phones_masked_for_a_viewer_and_full_for_an_officer(
    app: Flask, make: Any, live: Any, lead_comment: Target
) -> None:
    viewer = live(auth={"token": token_for(make.user("viewer"))})
    officer = live(auth={"token": token_for(make.user("officer"))})
    join(viewer, lead_comment.event_id)
    join(officer, lead_comment.event_id)
    (v,) = received(viewer, "snapshot")[0]["comments"]
    (o,) = received(officer, "snapshot")[0]["comments"]
    assert v["phone"] == "09xx xxx 678"
    assert "0912 345 678" not in v["text"]
    assert "09xx xxx 678" in v["text"]
    assert o["phone"] == "0912 345 678"  # grouped as a page shows it
    assert "0912 345 678" in o["text"]
    assert v["author"] == o["author"] == "<b>Lan</b>"  # raw text: the page inserts it as text
    assert v["is_lead"]
    assert v["intent"] == "bhxh_tu_nguyen"

    publish(lead_comment.event_id, "collected", written(lead_comment))
    (dv,) = received(viewer, "delta")
    (do,) = received(officer, "delta")
    assert (dv["epoch"], dv["seq"]) == (do["epoch"], do["seq"])  # one stamp for both variants
    assert dv["comments"][0]["phone"] == "09xx xxx 678"
    assert do["comments"][0]["phone"] == "0912 345 678"


def test_leave_stops_deltas(app: Flask, make: Any, live: Any, lead_comment: Target) -> None:
    sio = live(auth={"token": token_for(make.user("officer"))})
    join(sio, lead_comment.event_id)
    publish(lead_comment.event_id, "status")
    assert len(received(sio, "delta")) == 1
    leave = ask(sio, "leave", {"event_id": lead_comment.event_id})
    assert leave == {"ok": True}
    publish(lead_comment.event_id, "status")
    assert received(sio, "delta") == []


def test_a_hall_check_in_publishes_a_delta(
    app: Flask, client: FlaskClient, make: Any, live: Any
) -> None:
    from app.halls import services
    from app.models import Channel

    event = make.event(channel=Channel.ONLINE_CONFERENCE, title="Hội nghị")
    (point,) = services.set_bridge_points(event, [_a_commune()], {})
    db.session.commit()
    token = point.checkin_token
    sio = live(auth={"token": token_for(make.user("viewer"))})
    snap_ack = join(sio, event.id)
    (snap,) = received(sio, "snapshot")
    assert snap["summary"]["people_present"] == 0
    body = {"idempotency_key": "live-k-0001", "head_count": 42, "attendees": []}
    assert client.post(f"/checkin/{token}", json=body).status_code == 201
    (delta,) = received(sio, "delta")
    assert delta["reason"] == "checkin"
    assert delta["seq"] == snap_ack["seq"] + 1
    shown = applied(snap["summary"], delta)
    assert shown["people_present"] == 42
    assert shown["halls"][0]["head_count"] == 42
    assert client.post(f"/checkin/{token}", json=body).status_code == 200  # the retry
    assert received(sio, "delta") == []  # changed nothing, published nothing


def _a_commune() -> str:
    from app.models import OrgUnit

    return db.session.scalars(
        sa.select(OrgUnit.code).where(OrgUnit.path.startswith(f"{_home_path()}/")).limit(1)
    ).one()


def _home_path() -> str:
    from app.models import OrgUnit

    return db.session.scalars(sa.select(OrgUnit.path).where(OrgUnit.code == HOME)).one()


def test_the_socket_server_is_the_apps(app: Flask) -> None:
    assert app.extensions["socketio"] is socketio


def test_a_burst_of_check_ins_becomes_one_delta(
    app: Flask, client: FlaskClient, make: Any, live: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With REALTIME_COALESCE_SECONDS set, a burst waits in one background task (Socket.IO's, a
    thread or a greenlet) and sends one delta."""
    import app.realtime as realtime
    from app.halls import services
    from app.models import Channel

    tasks: list[tuple[Any, tuple[Any, ...]]] = []
    slept: list[float] = []
    monkeypatch.setattr(
        realtime.socketio, "start_background_task", lambda f, *args: tasks.append((f, args))
    )
    monkeypatch.setattr(realtime.socketio, "sleep", slept.append)
    app.config["REALTIME_COALESCE_SECONDS"] = 0.5
    event = make.event(channel=Channel.ONLINE_CONFERENCE, title="Hội nghị")
    points = services.set_bridge_points(event, "all", {})[:5]
    db.session.commit()
    tokens = [p.checkin_token for p in points]
    sio = live(auth={"token": token_for(make.user("viewer"))})
    join(sio, event.id)
    (snap,) = received(sio, "snapshot")
    for i, token in enumerate(tokens):
        body = {"idempotency_key": f"burst-key-{i:04d}", "head_count": 10 + i}
        assert client.post(f"/checkin/{token}", json=body).status_code == 201
    assert received(sio, "delta") == []  # the halls were answered; the delta waits
    ((task, args),) = tasks  # one task for the burst
    task(*args)
    assert slept == [0.5]
    (delta,) = received(sio, "delta")
    assert delta["reason"] == "checkin"
    assert applied(snap["summary"], delta)["people_present"] == sum(10 + i for i in range(5))
