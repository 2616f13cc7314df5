"""The loopback sandbox and its player, shared with the collection tests; the served app."""

from __future__ import annotations

from tests.app.collection.conftest import (  # noqa: F401 - fixtures
    fb_target,
    player,
    sandbox,
    yt_target,
)
from tests.app.live.webserver import web  # noqa: F401 - fixture
