"""Real processes of the app, killed while they write: the served app and ``flask`` commands.

A child runs on the test's database (the test's app fixture, marked ``committing``) with the test's
keys and instance folder, so the test prepares rows, the child works on them, and after SIGKILL
the test looks at what is left and retries in its own process. ``kill_after`` waits until the
child is inside its work (``write_probe``: it holds an open write transaction, seen from another
connection), then a moment drawn by the test's seeded generator, then kills: the kill lands inside
the work, not before or after it.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
import sqlalchemy as sa
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60.0  # the app imports for a few seconds; a busy CI machine takes longer


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    log: Path

    def running(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> bool:
        """SIGKILL; True if it was still running (the kill interrupted it)."""
        alive = self.running()
        if alive:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        return alive

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def spawn(app: Flask, args: list[str], log: Path) -> Child:
    """``python -m flask ARGS`` on the test's database, keys and instance folder."""
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "LANTOA_DATA_KEY": app.config["LANTOA_DATA_KEY"],
        "LANTOA_INSTANCE_PATH": app.instance_path,
        "COLLECTOR_MODE": "off",
        "LANTOA_SANDBOX": "0",
        "REALTIME_COALESCE_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",  # what the child prints is in its log at once
        "ALLOW_PRIVATE_PLATFORM_URLS": "1",  # the sandbox serves on 127.0.0.1
    }
    with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    return Child(process, log)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(app: Flask, log: Path) -> tuple[Child, str]:
    """``flask run`` (threaded, as ``make run``) on a free loopback port, once it answers."""
    port = free_port()
    child = spawn(app, ["run", "--host", "127.0.0.1", "--port", str(port), "--no-reload",
                        "--no-debugger", "--with-threads"], log)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if not child.running():
            raise AssertionError(f"the server exited:\n{child.output()[-3000:]}")
        try:
            if requests.get(f"{url}/login", timeout=5).status_code == 200:
                return child, url
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    child.kill()
    raise AssertionError(f"the server did not answer:\n{child.output()[-3000:]}")


def write_probe(database_url: str) -> Callable[[], bool]:
    """A function telling whether another connection holds an open write transaction."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[1]

        def sqlite_writing() -> bool:
            probe = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")  # refused at once while a writer holds the lock
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()

        return sqlite_writing
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    # backend_xid is given to a transaction at its first write and kept until it ends.
    query = sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")  # fmt: skip

    def postgres_writing() -> bool:
        with engine.connect() as conn:
            return bool(conn.scalar(query))

    return postgres_writing


def kill_after(
    child: Child, ready: Callable[[], bool], delay: float, timeout: float = STARTUP_SECONDS
) -> bool:
    """Once ``ready()`` says the child is inside its work (``write_probe``: it holds an open write
    transaction), wait ``delay`` seconds and SIGKILL it.

    Returns True if the kill interrupted it (False: it had exited by itself first).
    """
    deadline = time.monotonic() + timeout
    while child.running() and not ready():
        if time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"the child never got there:\n{child.output()[-3000:]}")
        time.sleep(0.01)
    time.sleep(delay)
    return child.kill()
