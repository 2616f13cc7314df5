"""Deltas chain on the summary last sent: a patch only on the previous number's base.

Two Flask apps stand for two processes (the collector and a web process) sharing one Redis: a
delta built by one and the next built by the other chain on the same base; a number that skips,
a new epoch or a late writer fall back to the whole summary or leave the newer base in place.
Embedded (no queue), deltas published in turn through ``publish`` chain in the process.
"""

from __future__ import annotations

import secrets
from typing import Any

import redis
from flask import Flask

from app.extensions import db
from app.live.diff import diff
from app.realtime import publish
from app.realtime.sent import KEY, patched, record
from app.realtime.sequence import Stamp
from tests.app.realtime.conftest import applied, join, received, token_for
from tests.servers import REDIS_URL, require_redis


def process() -> Flask:
    app = Flask(__name__)
    app.config["SOCKETIO_MESSAGE_QUEUE"] = REDIS_URL
    return app


def message(live_viewers: int, phone: str | None = None) -> dict[str, Any]:
    summary: dict[str, Any] = {"live_viewers": live_viewers, "comments": 3, "halls": [
        {"id": 1, "head_count": 2, **({"phone": phone} if phone else {})}]}  # fmt: skip
    return {"event_id": 1, "reason": "collected", "comments": [], "summary": summary}


def send(app: Flask, event_id: int, stamp: Stamp, n: int, phone: str | None = None) -> Any:
    with app.app_context():
        sent = patched(event_id, stamp, message(n), message(n, phone))
        record(event_id, stamp, message(n)["summary"], message(n, phone)["summary"])
        return sent


def test_two_processes_chain_on_the_base_in_redis() -> None:
    require_redis()
    collector, web = process(), process()
    event_id, epoch = secrets.randbelow(10**9), secrets.token_hex(4)
    plain, full = send(collector, event_id, Stamp(epoch, 1), 10, "0912345678")
    assert plain["summary"] == message(10)["summary"]  # no base yet: whole
    assert "patch" not in plain
    plain, full = send(web, event_id, Stamp(epoch, 2), 12, "0912345678")
    assert "summary" not in plain
    assert plain["patch"] == {"live_viewers": 12}  # the collector's base, read from Redis
    assert full["patch"] == {"live_viewers": 12}
    plain, full = send(collector, event_id, Stamp(epoch, 3), 15, "0987654321")
    assert plain["patch"] == {"live_viewers": 15}  # its own base is 1: Redis has 2
    assert full["patch"] == diff(message(12, "0912345678")["summary"],
                                 message(15, "0987654321")["summary"])  # fmt: skip
    assert full["patch"]["halls"] == {"$rows": {"1": {"phone": "0987654321"}}}
    assert (
        applied(message(12, "0912345678")["summary"], full) == message(15, "0987654321")["summary"]
    )
    plain, _ = send(web, event_id, Stamp(epoch, 5), 16)  # 4 never recorded: whole
    assert "patch" not in plain
    plain, _ = send(web, event_id, Stamp(secrets.token_hex(4), 6), 17)  # a new epoch: whole
    assert "patch" not in plain
    redis.Redis.from_url(REDIS_URL).delete(KEY.format(event_id=event_id))


def test_a_late_writer_leaves_the_newer_base() -> None:
    require_redis()
    first, late = process(), process()
    event_id, epoch = secrets.randbelow(10**9), secrets.token_hex(4)
    send(first, event_id, Stamp(epoch, 7), 70)
    send(late, event_id, Stamp(epoch, 6), 60)  # reserved before 7, recorded after it
    stored = redis.Redis.from_url(REDIS_URL).hgetall(KEY.format(event_id=event_id))
    assert int(stored[b"seq"]) == 7
    assert stored[b"phones"] == b""  # same as the plain variant: not stored twice
    plain, _ = send(late, event_id, Stamp(epoch, 8), 80)
    assert plain["patch"] == {"live_viewers": 80}
    assert redis.Redis.from_url(REDIS_URL).ttl(KEY.format(event_id=event_id)) > 3000
    redis.Redis.from_url(REDIS_URL).delete(KEY.format(event_id=event_id))


def test_published_deltas_chain_in_one_process(app: Flask, make: Any, live: Any) -> None:
    event = make.event()
    sio = live(auth={"token": token_for(make.user("viewer"))})
    join(sio, event.id)
    (snap,) = received(sio, "snapshot")
    publish(event.id, "status")
    publish(event.id, "status")
    first, second = received(sio, "delta")
    assert second["seq"] == first["seq"] + 1
    assert second["patch"] == {}  # nothing moved between them
    assert applied(snap["summary"], first, second) == snap["summary"]


def test_a_snapshot_shows_what_its_number_carried(app: Flask, make: Any, live: Any) -> None:
    """A row changed without a publish: the joiner sees the last delta's summary, and the next
    patch, made from that summary, brings the change."""
    event = make.event()
    target = make.target(event, make.account())
    publish(event.id, "status")  # delta 1
    target.status = "ended"
    db.session.commit()
    sio = live(auth={"token": token_for(make.user("viewer"))})
    join(sio, event.id)
    (snap,) = received(sio, "snapshot")
    assert snap["summary"]["targets"][0]["status"] != "ended"  # as delta 1 said: the next base
    publish(event.id, "status")
    (delta,) = received(sio, "delta")
    assert delta["patch"]["targets"]["$rows"][str(target.id)]["status"] == "ended"
    assert applied(snap["summary"], delta)["targets"][0]["status"] == "ended"
