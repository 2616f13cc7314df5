"""One sandbox per test module, on a free loopback port, back at t = 0 for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    with Sandbox.start() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(server: Sandbox) -> Sandbox:
    """The module's sandbox with nothing served, queued or logged, its clock at 0."""
    server.reset()
    return server
