"""The loopback sandbox and its player, shared with the collection tests; the served app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.app.collection.conftest import (  # noqa: F401 - fixtures
    fb_target,
    player,
    sandbox,
    yt_target,
)
from tests.app.live.webserver import WebProcess


@pytest.fixture
def web(app: Flask, tmp_path: Path) -> Iterator[WebProcess]:
    """The module's app (its config in ``LANTOA_TEST_CONFIG``) served in a child process."""
    process = WebProcess(app.config["LANTOA_TEST_CONFIG"], tmp_path / "web.log")
    process.start()
    yield process
    process.kill()
