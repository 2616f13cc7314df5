"""The production layout under gevent: ``gunicorn -k gevent`` with ``SOCKETIO_ASYNC_MODE=gevent``.

On PostgreSQL (psycopg 3) with Redis as the message queue, one gevent web process with the
embedded collector: a socket joined to a conference receives deltas, and a burst of check-ins sent
at once becomes fewer deltas than check-ins (the coalescing task is a greenlet there), the last
one carrying every head count; a socket joined to a livestream receives the delta of a batch the
embedded scheduler (APScheduler's gevent scheduler) collected from the loopback sandbox. Separately,
in a process patched as gunicorn's gevent worker patches itself, a slow PostgreSQL query and a
blocking Redis read let other greenlets run meanwhile: psycopg and redis-py cooperate with the hub.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import AttendanceReport, Channel
from sandbox import ManualClock, Sandbox, Scenario
from tests.app.realtime.conftest import token_for
from tests.app.realtime.webprocs import ROOT, Watcher, wait_until, web_processes
from tests.conftest import Factory
from tests.servers import REDIS_URL, empty_redis, free_port, require_redis

pytestmark = pytest.mark.committing  # the web process reads the test's rows
CHECKINS = 6


@pytest.fixture
def live_sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(
        scenario=Scenario(comment_count=20, chat_count=5, duration=600, start_offset=5),
        clock=ManualClock(),
    )
    sb.advance(120)
    yield sb
    sb.stop()


@pytest.fixture
def port(app: Flask, tmp_path: Path) -> Iterator[int]:
    """One gevent web process on the test's PostgreSQL, Redis queue, embedded collector."""
    empty_redis()
    environment = {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "LANTOA_DATA_KEY": app.config["LANTOA_DATA_KEY"],
        "LANTOA_INSTANCE_PATH": str(tmp_path / "instance"),
        "COLLECTOR_MODE": "embedded",
        "COLLECTOR_TICK_SECONDS": "1",
        "REALTIME_COALESCE_SECONDS": "2",
        "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        "SOCKETIO_CHANNEL": f"lantoa-test-{uuid.uuid4().hex[:8]}",
        "ALLOW_PRIVATE_PLATFORM_URLS": "1",  # the sandbox serves on 127.0.0.1
    }
    number = free_port()
    with web_processes([number], environment, tmp_path, connections=50):
        yield number
    log = (tmp_path / "web-0.log").read_text(errors="replace")
    assert "Using worker: gevent" in log
    assert "Traceback" not in log, log[-3000:]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_deltas_check_ins_and_the_embedded_collector_under_gevent(
    app: Flask, make: Factory, live_sandbox: Sandbox, port: int
) -> None:
    from app.halls import services

    conference = make.event(channel=Channel.ONLINE_CONFERENCE, title="Hội nghị gevent")
    points = services.set_bridge_points(conference, "all", {})[:CHECKINS]
    creds = live_sandbox.credentials()
    account = make.account(
        credentials={"access_token": live_sandbox.facebook_token,
                     "base_url": live_sandbox.facebook_url},
        external_id=creds["facebook_page_id"],
    )  # fmt: skip
    livestream = make.event(title="Livestream gevent")
    make.target(livestream, account, external_id=creds["facebook_live_video_id"])
    token = token_for(make.user("officer"))
    conference_id, livestream_id = conference.id, livestream.id
    tokens = [p.checkin_token for p in points]
    db.session.commit()

    hall = Watcher(port, token, conference_id)
    stream = Watcher(port, token, livestream_id)
    try:
        assert hall.ack["ok"] is True, hall.ack
        assert stream.ack["ok"] is True, stream.ack
        wait_until(lambda: bool(hall.snapshots), "the conference's snapshot")

        def check_in(i: int) -> int:
            body = {"idempotency_key": f"gevent-key-{i:04d}", "head_count": 10 + i}
            url = f"http://127.0.0.1:{port}/checkin/{tokens[i]}"
            return requests.post(url, json=body, timeout=30).status_code

        with ThreadPoolExecutor(CHECKINS) as pool:  # the burst, all at once
            assert list(pool.map(check_in, range(CHECKINS))) == [201] * CHECKINS
        total = sum(10 + i for i in range(CHECKINS))
        wait_until(lambda: hall.summary().get("people_present") == total, "the check-ins' delta")
        checkins = [d for d in hall.deltas if d["reason"] == "checkin"]
        assert 1 <= len(checkins) < CHECKINS  # gathered by the coalescing greenlet
        assert [d["seq"] for d in hall.deltas] == list(
            range(hall.ack["seq"] + 1, hall.ack["seq"] + 1 + len(hall.deltas))
        )
        assert stream.arrived.wait(30), "the embedded collector published nothing"
    finally:
        hall.client.disconnect()
        stream.client.disconnect()

    assert stream.summary()["live_viewers"] > 0
    assert stream.summary()["comments"] > 0
    # psycopg wrote the reports; Redis counted the numbers and keeps the last base
    reports = db.session.scalar(
        sa.select(sa.func.count(AttendanceReport.id)).where(
            AttendanceReport.bridge_point_id.in_([p.id for p in points])
        )
    )
    assert reports == CHECKINS
    queue = redis.Redis.from_url(REDIS_URL)
    assert int(queue.hget(f"lantoa:sequence:{conference_id}", "n")) == hall.deltas[-1]["seq"]
    assert int(queue.hget(f"lantoa:live:sent:{conference_id}", "seq")) == hall.deltas[-1]["seq"]


COOPERATION = """
from gevent import monkey

monkey.patch_all()  # as gunicorn's gevent worker does before it loads the app

import sys

import gevent
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.realtime.sequence import queue_redis

app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SOCKETIO_MESSAGE_QUEUE": sys.argv[2],
                  "SOCKETIO_ASYNC_MODE": "gevent", "COLLECTOR_MODE": "off", "TESTING": True,
                  "SECRET_KEY": "x", "LANTOA_DATA_KEY": sys.argv[3]})
ticks = []


def ticker():
    while True:
        ticks.append(1)
        gevent.sleep(0.02)


def during(call):
    del ticks[:]
    other = gevent.spawn(ticker)
    gevent.sleep(0)
    call()
    other.kill()
    return len(ticks)


with app.app_context():
    slept = during(lambda: db.session.execute(sa.text("select pg_sleep(1)")))
    blocked = during(lambda: queue_redis().blpop(["lantoa:test:nothing"], timeout=1))
print(slept, blocked)
"""


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_psycopg_and_redis_let_other_greenlets_run(app: Flask) -> None:
    require_redis()
    done = subprocess.run(
        [sys.executable, "-c", COOPERATION, app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL,
         app.config["LANTOA_DATA_KEY"]],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    slept, blocked = (int(n) for n in done.stdout.split()[-2:])
    # Blocking calls would leave the ticker one tick (before the call); cooperating ones let it
    # run through the second the call waits.
    assert slept > 5, done.stdout
    assert blocked > 5, done.stdout


def test_the_embedded_scheduler_follows_the_async_mode() -> None:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.gevent import GeventScheduler

    from app.collection.scheduler import embedded_scheduler

    app = Flask(__name__)
    app.config["SOCKETIO_ASYNC_MODE"] = "gevent"
    assert isinstance(embedded_scheduler(app), GeventScheduler)
    app.config["SOCKETIO_ASYNC_MODE"] = "threading"
    assert isinstance(embedded_scheduler(app), BackgroundScheduler)
