"""The real servers tests use: PostgreSQL and Redis on loopback.

Locally a missing server skips the tests that need it; in CI (``CI=true``) it fails them, so a CI
machine without its servers can never pass by skipping.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get(
    "LANTOA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
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
