"""Two web processes, one collector process, one Redis: a committed sample reaches both.

The scale-out mode for real: two gunicorn processes (one gevent worker each, as production
runs them: ``-k gevent`` with ``SOCKETIO_ASYNC_MODE=gevent``) serve ``/live`` on loopback ports
and share the test's database and ``SOCKETIO_MESSAGE_QUEUE=redis://…``; ``flask collect once``
runs in its own process against the loopback sandbox and publishes through Redis. A
python-socketio client on each web process must receive the collector's delta, with the same
sequence number, carrying the totals the database holds after the collector exits.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.auth.tokens import issue_token
from app.extensions import db
from app.live.summary import event_summary
from app.models import Target
from sandbox import ManualClock, Sandbox, Scenario
from tests.app.realtime.webprocs import ROOT, WAIT, Watcher, process_environment, web_processes
from tests.conftest import Factory
from tests.servers import empty_redis, free_port

# Committing: web and collector processes read the test's rows.
pytestmark = pytest.mark.committing


@pytest.fixture
def live_sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(
        scenario=Scenario(comment_count=40, chat_count=10, duration=600, start_offset=5),
        clock=ManualClock(),
    )
    sb.advance(120)  # two minutes into the live: viewers, reactions and comments to collect
    yield sb
    sb.stop()


@pytest.fixture
def environment(app: Flask, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The processes' settings, on the tests' Redis emptied before and after: the sequence
    numbers counted here meet no other test's (and LANTOA_TEST_REDIS_URL keeps runs apart)."""
    yield process_environment(
        app, empty_redis(), LANTOA_INSTANCE_PATH=str(tmp_path / "instance"), FLASK_APP="wsgi",
        ALLOW_PRIVATE_PLATFORM_URLS="1",  # the sandbox serves on 127.0.0.1
    )  # fmt: skip
    empty_redis()


@pytest.fixture
def web_ports(environment: dict[str, str], tmp_path: Path) -> Iterator[list[int]]:
    """Two web processes (gunicorn's gevent worker, one each), answering on loopback."""
    ports = [free_port(), free_port()]
    with web_processes(ports, environment, tmp_path):
        yield ports


# The transport is what is tested here; one backend keeps the test near 30 s (both backends pass).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_sample_committed_by_the_collector_reaches_clients_on_both_web_processes(
    app: Flask,
    make: Factory,
    live_sandbox: Sandbox,
    environment: dict[str, str],
    web_ports: list[int],
) -> None:
    creds = live_sandbox.credentials()
    account = make.account(
        credentials={"access_token": live_sandbox.facebook_token,
                     "base_url": live_sandbox.facebook_url},
        external_id=creds["facebook_page_id"],
    )  # fmt: skip
    event = make.event(title="Hai máy chủ web")
    target = make.target(event, account, external_id=creds["facebook_live_video_id"])
    event_id, target_id = event.id, target.id
    token = issue_token(make.user("officer"))
    db.session.commit()

    watchers = [Watcher(port, token, event_id) for port in web_ports]
    try:
        for w in watchers:
            assert w.ack["ok"] is True, w.ack
        collector = subprocess.run(
            [sys.executable, "-m", "flask", "collect", "once", "--event", str(event_id)],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert collector.returncode == 0, collector.stdout + collector.stderr
        for w in watchers:
            assert w.arrived.wait(WAIT), "no delta reached a client"
    finally:
        for w in watchers:
            w.client.disconnect()

    db.session.expire_all()
    assert db.session.get(Target, target_id).last_success_at is not None
    truth = event_summary(event_id).as_dict()
    assert truth["live_viewers"] > 0
    deltas = [w.deltas[-1] for w in watchers]
    assert deltas[0]["seq"] == deltas[1]["seq"]  # one Redis count for both processes
    assert deltas[0]["epoch"] == deltas[1]["epoch"]
    for w, delta in zip(watchers, deltas, strict=True):
        assert (w.snapshots[0]["epoch"], w.snapshots[0]["seq"]) == (w.ack["epoch"], w.ack["seq"])
        assert delta["epoch"] == w.ack["epoch"]
        assert delta["seq"] == w.ack["seq"] + 1
        assert delta["reason"] == "collected"
        assert w.summary() == truth
        assert delta["series"]["viewers"][-1][1] == truth["live_viewers"]
        assert len(delta["comments"]) == truth["comments"]
