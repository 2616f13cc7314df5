"""Loopback sandbox for collector tests: collectors run real HTTP against it, no database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.sandbox import ManualClock, Sandbox, Scenario


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(
        scenario=Scenario(comment_count=600, duration=1200, start_offset=10), clock=ManualClock()
    )
    yield sb
    sb.stop()
