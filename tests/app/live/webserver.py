"""Serve the app with Socket.IO in a process of its own, so browser tests can kill it for real.

``python -m tests.app.live.webserver PORT`` with the app's config as JSON in
``LANTOA_TEST_APP_CONFIG`` (the same database, keys and Redis queue as the test process);
``WebProcess`` starts, kills and restarts it from a test; ``web`` is the fixture serving the
test module's app (its config in ``LANTOA_TEST_CONFIG``: a committing app, whose rows the child
process reads).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[3]


def wait_for(condition, seconds: float = 20.0, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not met in {seconds} s")


class WebProcess:
    """The app served by Flask-SocketIO in a child process: start, kill -9, start again."""

    def __init__(self, config: dict, log: Path) -> None:
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "LANTOA_TEST_APP_CONFIG": json.dumps(config, default=_encode)}
        # Left by a test that ran Flask's CLI in this process (FlaskGroup sets it): with it, the
        # child's server would return at once instead of serving.
        self.env.pop("FLASK_RUN_FROM_CLI", None)
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self._spawn(log)
        # A loaded 2-core machine (load 20) took more than 30 s to import and serve the app;
        # a process that dies is still told at once (``_answers``). One that never listens is
        # killed, not left serving (and loading the machine) after its test failed.
        try:
            wait_for(self._answers, 120, "web process listening")
        except BaseException:
            self.kill()
            raise

    def _spawn(self, log) -> None:  # type: ignore[no-untyped-def]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.app.live.webserver", str(self.port)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip

    def _answers(self) -> bool:
        assert self.proc is not None
        assert self.proc.poll() is None, "web process died: " + self.log.read_text()[-3000:]
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def web(app: Flask, tmp_path: Path) -> Iterator[WebProcess]:
    """The module's app served in a child process, killed after the test."""
    process = WebProcess(app.config["LANTOA_TEST_CONFIG"], tmp_path / "web.log")
    process.start()
    yield process
    process.kill()


TIMEDELTA = "__timedelta_seconds__"


def _encode(value: object) -> object:
    """Durations (the idle timeout, the remember-me cookie's) cross as seconds and come back as
    durations: as text ("8:00:00") the child's idle check failed on every request."""
    if isinstance(value, timedelta):
        return {TIMEDELTA: value.total_seconds()}
    return str(value)


def _decode(value: dict) -> object:
    return timedelta(seconds=value[TIMEDELTA]) if set(value) == {TIMEDELTA} else value


def main() -> None:
    from app import create_app
    from app.extensions import socketio

    config = json.loads(os.environ["LANTOA_TEST_APP_CONFIG"], object_hook=_decode)
    app = create_app(config)
    socketio.run(app, host="127.0.0.1", port=int(sys.argv[1]), allow_unsafe_werkzeug=True,
                 use_reloader=False, log_output=False)  # fmt: skip


if __name__ == "__main__":
    main()
