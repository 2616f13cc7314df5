"""Long-polling through a proxy in front of two web processes: sticky works, round-robin fails.

The WebSocket transport needs no stickiness (one connection holds the session), but a browser that
falls back to Engine.IO long-polling sends many requests per session, and only the process that
made the session knows it: any other answers 400. Two gunicorn web processes (the gevent worker,
as deployed) share the test's database and Redis as the message queue, behind
``bench/live_sticky_proxy.py`` on loopback:

- pinned by the Engine.IO sid, two polling clients land on different processes, join the event,
  get their snapshot, and both receive a delta published through Redis; no request is refused
  while the sessions live;
- pinned by the client's address, the handshake and the namespace connect reach one process;
- round-robin, the request after the handshake reaches the other process and gets 400.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from flask import Flask

from app.auth.tokens import issue_token
from app.extensions import db
from app.realtime import NAMESPACE, phones_room
from bench.live_servers import Gunicorn, free_port, wait_http
from bench.live_sticky_proxy import StickyProxy
from tests.app.realtime.webprocs import Watcher, process_environment
from tests.conftest import Factory
from tests.servers import REDIS_URL, require_redis

# Committing: the web processes read the test's rows.
pytestmark = pytest.mark.committing
WAIT = 20.0


@pytest.fixture
def environment(app: Flask, tmp_path: Path) -> dict[str, str]:
    require_redis()
    return process_environment(
        app,
        REDIS_URL,
        LANTOA_INSTANCE_PATH=str(tmp_path / "instance"),
        SOCKETIO_ASYNC_MODE="gevent",
    )


@pytest.fixture
def web_ports(environment: dict[str, str], tmp_path: Path) -> Iterator[list[int]]:
    servers = [
        Gunicorn("wsgi:app", free_port(), environment, tmp_path / f"web-{n}.log", connections=100)
        for n in range(2)
    ]
    try:
        for server in servers:
            try:
                wait_http(server.port, "/login", timeout=WAIT)
            except RuntimeError as exc:
                pytest.fail(str(exc))
        yield [s.port for s in servers]
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def proxies() -> Iterator[Any]:
    started: list[StickyProxy] = []

    def start(backends: list[int], mode: str) -> tuple[StickyProxy, int]:
        proxy = StickyProxy(backends, mode)
        started.append(proxy)
        return proxy, proxy.start()

    yield start
    for proxy in started:
        proxy.stop()


def handshake_then_connect(port: int, token: str) -> tuple[int, int]:
    """Engine.IO's polling handshake, then the namespace connect on that session: the statuses."""
    base = f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling"
    opened = requests.get(base, timeout=10)
    sid = opened.text.split('"sid":"', 1)[1].split('"', 1)[0]
    connect = requests.post(f"{base}&sid={sid}", data=f'40{NAMESPACE},{{"token":"{token}"}}',
                            timeout=10)  # fmt: skip
    return opened.status_code, connect.status_code


def officer_token(make: Factory) -> tuple[int, str]:
    event = make.event(title="Dự phòng long-polling")
    token = issue_token(make.user("officer"))
    db.session.commit()
    return event.id, token


class PollingWatcher(Watcher):
    """A client on the polling transport only, joined to one event; any delta counts."""

    def __init__(self, port: int, token: str, event_id: int) -> None:
        super().__init__(port, token, event_id, transport="polling", wait=WAIT)

    def _delta(self, payload: dict[str, Any]) -> None:
        self.deltas.append(payload)
        self.arrived.set()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_polling_clients_behind_a_sid_sticky_proxy_join_and_receive_deltas_from_redis(
    app: Flask, make: Factory, environment: dict[str, str], web_ports: list[int], proxies: Any
) -> None:
    event_id, token = officer_token(make)
    proxy, port = proxies(web_ports, "sid")
    watchers = [PollingWatcher(port, token, event_id) for _ in range(2)]
    try:
        for w in watchers:
            assert w.ack["ok"] is True, w.ack
            assert w.client.transport() == "polling"
            assert len(w.snapshots) == 1
        assert set(proxy.routes.values()) == set(web_ports)  # one session on each process
        queue = socketio.RedisManager(environment["SOCKETIO_MESSAGE_QUEUE"], write_only=True,
                                      channel=environment["SOCKETIO_CHANNEL"])  # fmt: skip
        queue.emit("delta", {"seq": 1, "probe": "qua Redis"}, namespace=NAMESPACE,
                   room=phones_room(event_id))  # fmt: skip
        for w in watchers:
            assert w.arrived.wait(WAIT), "a polling client got no delta through Redis"
            assert w.deltas == [{"seq": 1, "probe": "qua Redis"}]
        # Counted before disconnecting: a long-poll still in flight when the client closes its
        # session may be answered 400 by the process that just closed it, which is not a refusal.
        refused = [status for _, status in list(proxy.statuses) if status != 200]
    finally:
        for w in watchers:
            w.client.disconnect()
    assert refused == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("mode", "connect_status"), [("address", 200), ("round-robin", 400)])
def test_the_request_after_the_handshake_must_reach_the_same_process(
    app: Flask, make: Factory, web_ports: list[int], proxies: Any, mode: str, connect_status: int
) -> None:
    _event_id, token = officer_token(make)
    proxy, port = proxies(web_ports, mode)
    assert handshake_then_connect(port, token) == (200, connect_status)
    backends = [backend for backend, _ in proxy.statuses]
    assert (backends[0] == backends[1]) is (mode == "address")
