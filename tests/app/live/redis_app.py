"""The app of the live browser tests that watch deltas arrive: committing (a separate web process
reads the rows) and publishing through the tests' Redis, as the collector process does.

A test module takes it with ``from tests.app.live.redis_app import app``; the other live tests
keep the default, rolled-back app.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import committing_app
from tests.servers import REDIS_URL, empty_redis


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """Publishing through Redis, so deltas reach the separate web process."""
    empty_redis()
    yield from committing_app(database_url, tmp_path / "instance", SOCKETIO_MESSAGE_QUEUE=REDIS_URL)
