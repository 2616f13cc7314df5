"""Real web processes for the realtime tests: gunicorn's gevent worker, as production runs it.

``web_process`` starts ``gunicorn -k gevent -w 1 --worker-connections N wsgi:app`` on a loopback
port with ``SOCKETIO_ASYNC_MODE=gevent`` (the worker patches the standard library itself; wsgi.py
does not); ``Watcher`` is a python-socketio client joined to one event, keeping what it receives.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from flask import Flask

from app.realtime import NAMESPACE
from tests.app.realtime.conftest import applied

ROOT = Path(__file__).resolve().parents[3]
WAIT = 90.0  # a web process booting on a loaded 2-core machine took over 30 s; no test times this


def process_environment(app: Flask, queue: str, **settings: str) -> dict[str, str]:
    """What every separate process of a test needs to share the test app's database and one
    Redis queue (a channel of its own), web processes not scheduling; ``settings`` add to it."""
    return {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "LANTOA_DATA_KEY": app.config["LANTOA_DATA_KEY"],
        "COLLECTOR_MODE": "off",
        "SOCKETIO_MESSAGE_QUEUE": queue,
        "SOCKETIO_CHANNEL": f"lantoa-test-{uuid.uuid4().hex[:8]}",
        **settings,
    }


def gunicorn_command(port: int, connections: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1",
        "--worker-connections", str(connections), "-b", f"127.0.0.1:{port}", "wsgi:app",
    ]  # fmt: skip


@contextmanager
def web_processes(
    ports: list[int], environment: Mapping[str, str], logs: Path, connections: int = 100
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """One gevent web process per port, serving once this returns; stopped afterwards."""
    env = {**os.environ, **environment, "SOCKETIO_ASYNC_MODE": "gevent"}
    processes = []
    try:
        for n, port in enumerate(ports):
            with open(logs / f"web-{n}.log", "wb") as log:
                processes.append(
                    subprocess.Popen(
                        gunicorn_command(port, connections),
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )  # fmt: skip
                )
        for port in ports:
            wait_until_serving(port)
        yield processes
    finally:
        stop(processes)


def stop(processes: list[subprocess.Popen]) -> None:
    """Terminate them all, then wait for each; one that ignores SIGTERM for 10 s is killed."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_until_serving(port: int, wait: float = WAIT) -> None:
    """A web worker answers /login (booting takes long on a busy machine)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or the worker still booting
            pass
        time.sleep(0.2)
    pytest.fail(f"the web process on port {port} did not start")


def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


class Watcher:
    """A python-socketio client joined to one event, keeping what it receives."""

    def __init__(
        self, port: int, token: str, event_id: int, transport: str = "websocket", wait: float = 10
    ) -> None:
        self.client = socketio.Client(reconnection=False)
        self.snapshots: list[dict[str, Any]] = []
        self.deltas: list[dict[str, Any]] = []
        self.arrived = threading.Event()
        self.client.on("snapshot", self.snapshots.append, namespace=NAMESPACE)
        self.client.on("delta", self._delta, namespace=NAMESPACE)
        self.client.connect(
            f"http://127.0.0.1:{port}", namespaces=[NAMESPACE], transports=[transport],
            auth={"token": token}, wait_timeout=wait,
        )  # fmt: skip
        self.ack = self.client.call("join", {"event_id": event_id}, namespace=NAMESPACE,
                                    timeout=wait)  # fmt: skip

    def _delta(self, payload: dict[str, Any]) -> None:
        self.deltas.append(payload)
        if payload["reason"] == "collected":
            self.arrived.set()

    def summary(self) -> dict[str, Any]:
        """The summary as a page holds it: the snapshot's, with every delta applied."""
        return applied(self.snapshots[0]["summary"], *list(self.deltas))
