"""The reference: a bare Flask-SocketIO fan-out server and its emitter, measured beside Lan Tỏa.

The server does nothing but fan out: clients connect to ``/live`` (any auth), ``join`` puts them
in one room and acks ``{"ok": true}``, and every update is one ``delta`` of about 300 bytes of
JSON to that room. It is served as the live page is, ``gunicorn -k gevent -w 1
--worker-connections 3000 'bench.bare_socketio:create_app()'`` with ``BARE_ASYNC_MODE=gevent``;
``BARE_QUEUE=redis://…`` makes it listen on a Redis message queue, so that the separate emitter
(``emit`` below) takes the same path as Lan Tỏa's collector: publish → Redis → web → clients.

``POST /start?count=&interval=&skip=`` emits from inside the server instead; ``GET /stats``
returns the send times. ``skip`` names update numbers that are counted as sent but never emitted:
a server that drops a message, for the probe's tests.

    .venv/bin/python bench/bare_socketio.py emit --queue redis://127.0.0.1:6379/12 \\
        --channel bare --count 30 --interval 1 --out /tmp/sent.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

NAMESPACE = "/live"
ROOM = "everyone"
EVENT = "delta"
TARGET_BYTES = 300

_BASE: dict[str, Any] = {
    "type": "dashboard.update",
    "metrics": {
        "active_users": 1234,
        "orders_per_min": 56.7,
        "error_rate": 0.0012,
        "p95_ms": 87.5,
        "queue_depth": 42,
        "cpu": 0.37,
        "mem": 0.61,
    },  # fmt: skip
    "status": "ok",
    "pad": "",
    "t": 1760000000.123456,
    "seq": 0,
}


def payload(seq: int) -> dict[str, Any]:
    """Exactly 300 bytes of compact JSON; ``t`` is the send time, ``seq`` last as in Lan Tỏa."""
    body = {**_BASE, "seq": seq, "t": time.time()}
    body["pad"] = "x" * max(0, TARGET_BYTES - len(json.dumps(body, separators=(",", ":"))))
    return body


def emit_updates(
    emit: Callable[[dict[str, Any]], None],
    count: int,
    interval: float,
    skip: frozenset[int] = frozenset(),
    sleep: Callable[[float], None] = time.sleep,
) -> list[tuple[int, float]]:
    """Numbered updates 1..count on a drift-free schedule; the (seq, send time) of each."""
    sent: list[tuple[int, float]] = []
    start = time.time()
    for i in range(count):
        delay = start + i * interval - time.time()
        if delay > 0:
            sleep(delay)
        seq = i + 1
        message = payload(seq)
        sent.append((seq, message["t"]))
        if seq not in skip:
            emit(message)
    return sent


def create_app() -> Any:
    """The Flask app; gunicorn calls this (``'bench.bare_socketio:create_app()'``)."""
    from flask import Flask, jsonify, request
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    socketio = SocketIO(
        app,
        async_mode=os.environ.get("BARE_ASYNC_MODE", "gevent"),
        message_queue=os.environ.get("BARE_QUEUE") or None,
        channel=os.environ.get("BARE_CHANNEL", "bare-socketio"),
        # Engine.IO's defaults (25 s, 20 s); the probe's tests shorten them.
        ping_interval=float(os.environ.get("BARE_PING_INTERVAL", 25)),
        ping_timeout=float(os.environ.get("BARE_PING_TIMEOUT", 20)),
        logger=False,
        engineio_logger=False,
    )
    state: dict[str, Any] = {"sent": [], "emitting": False}

    @socketio.on("connect", namespace=NAMESPACE)
    def on_connect(auth: Any = None) -> bool:
        return True

    @socketio.on("join", namespace=NAMESPACE)
    def on_join(data: Any = None) -> dict[str, Any]:
        join_room(ROOM)
        return {"ok": True}

    def loop(count: int, interval: float, skip: frozenset[int]) -> None:
        def emit(message: dict[str, Any]) -> None:
            socketio.emit(EVENT, message, to=ROOM, namespace=NAMESPACE)

        state["sent"] = emit_updates(emit, count, interval, skip, socketio.sleep)
        state["emitting"] = False

    @app.get("/health")
    def health() -> str:
        return "ok"

    @app.get("/stats")
    def stats() -> Any:
        return jsonify(pid=os.getpid(), emitting=state["emitting"], sent=state["sent"])

    @app.post("/start")
    def start() -> Any:
        count = int(request.args.get("count", 30))
        interval = float(request.args.get("interval", 1.0))
        skip = frozenset(int(s) for s in request.args.get("skip", "").split(",") if s)
        state["emitting"], state["sent"] = True, []
        socketio.start_background_task(loop, count, interval, skip)
        return jsonify(started=count)

    return app


def emit_through_queue(queue: str, channel: str, count: int, interval: float) -> list:
    """The external emitter: a write-only Socket.IO on the queue, as Lan Tỏa's collector has."""
    from flask_socketio import SocketIO

    socketio = SocketIO(message_queue=queue, channel=channel, async_mode="threading")

    def emit(message: dict[str, Any]) -> None:
        socketio.emit(EVENT, message, to=ROOM, namespace=NAMESPACE)

    return emit_updates(emit, count, interval)


def main(argv: list[str]) -> None:
    if not argv or argv[0] != "emit":  # `make bench` runs every script; live_latency drives this
        print(__doc__.strip().splitlines()[0] + " (driven by bench/live_latency.py)")
        return
    parser = argparse.ArgumentParser(prog="bare_socketio.py emit")
    parser.add_argument("--queue", required=True)
    parser.add_argument("--channel", default="bare-socketio")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv[1:])
    sent = emit_through_queue(args.queue, args.channel, args.count, args.interval)
    Path(args.out).write_text(json.dumps(sent))


if __name__ == "__main__":
    main(sys.argv[1:])
