"""The real servers tests use: PostgreSQL and Redis on loopback.

Locally a missing server skips the tests that need it; in CI (``CI=true``) it fails them, so a CI
machine without its servers can never pass by skipping. A test that stops and starts Redis runs
its own ``redis-server`` (``RedisServer``) on a free port, never the shared one.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis
import sqlalchemy as sa

POSTGRES_URL = os.environ.get(
    "LANTOA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# The one Redis database every test that shares a Redis uses: two runs at once on one machine
# each set their own (LANTOA_TEST_REDIS_URL=redis://127.0.0.1:6379/7); no test picks another.
REDIS_URL = os.environ.get("LANTOA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url.replace("+psycopg", ""))
    host = parsed.hostname or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"tests only talk to loopback servers, not {host}")
    try:
        with socket.create_connection((host, parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def require(name: str, url: str, default_port: int) -> None:
    """Skip (locally) or fail (in CI) when the server at ``url`` does not answer."""
    if answers(url, default_port):
        return
    message = f"{name} is not answering at {url}"
    if in_ci():
        pytest.fail(message + " (CI=true: tests that need it fail instead of skipping)")
    pytest.skip(message)


def require_postgres() -> None:
    require("PostgreSQL", POSTGRES_URL, 5432)


@contextmanager
def empty_postgres(prefix: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on the test server, dropped afterwards."""
    require_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield re.sub(r"/[^/]*$", f"/{name}", POSTGRES_URL)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def require_redis() -> None:
    require("Redis", REDIS_URL, 6379)


def empty_redis() -> str:
    """``REDIS_URL``, required (skipped locally, failed in CI) and emptied: a test counting
    sequence numbers or log-in failures there starts from nothing another test left."""
    require_redis()
    with redis.Redis.from_url(REDIS_URL) as client:
        client.flushdb()
    return REDIS_URL


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A ``redis-server`` of the test's own on loopback, in a temporary directory, without
    persistence: ``stop()`` and ``start()`` give what a real Redis restart gives (empty)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            message = "redis-server is not installed (apt-get install redis-server)"
            if in_ci():
                pytest.fail(message + " (CI=true: tests that need it fail instead of skipping)")
            pytest.skip(message)
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(self.directory)]  # fmt: skip
        with (self.directory / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while not answers(self.url, self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log_text = (self.directory / "redis.log").read_text()[-2000:]
                raise RuntimeError(f"redis-server on port {self.port} did not start: {log_text}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Shut the server down (SIGTERM) and wait until the port is closed."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


CHROMIUM = os.environ.get("LANTOA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require_chromium() -> str:
    """Debian's Chromium (never a downloaded browser); skip locally, fail in CI when missing."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if in_ci():
        pytest.fail(message + " (CI=true: browser tests fail instead of skipping)")
    pytest.skip(message)
