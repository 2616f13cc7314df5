"""Loopback fakes for collector tests: collectors run real HTTP against them, no database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from sandbox import ManualClock, Sandbox, Scenario
from sandbox.bbb import BBBSettings
from sandbox.conference import Conference
from sandbox.conferences import PREFIXES, ConferenceFakes
from sandbox.loopback import LoopbackServer


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(
        scenario=Scenario(comment_count=600, duration=1200, start_offset=10), clock=ManualClock()
    )
    yield sb
    sb.stop()


@pytest.fixture(scope="module")
def conference_server() -> Iterator[tuple[ConferenceFakes, str]]:
    """Zoom, Teams, Meet and BBB fakes on one loopback port, one conference, a manual clock."""
    fakes = ConferenceFakes(Conference(), ManualClock())
    app = Flask(__name__)
    fakes.register(app)
    with LoopbackServer(app) as server:
        yield fakes, server.url


@pytest.fixture
def conference_fakes(conference_server: tuple[ConferenceFakes, str]) -> ConferenceFakes:
    """The fakes back at t = 0 with nothing queued, logged or minted (per test)."""
    fakes, _ = conference_server
    fakes.reset()
    fakes.clock.reset()
    fakes.bbb.settings = BBBSettings()
    return fakes


@pytest.fixture
def platform_url(conference_server: tuple[ConferenceFakes, str]) -> Callable[[str], str]:
    """The base URL of one platform's fake: ``platform_url("zoom")`` → ``http://…/zoom/v2``."""
    return lambda platform: conference_server[1] + PREFIXES[platform]
