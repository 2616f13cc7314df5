"""Fixtures of the connection page's tests: a sandbox standing in for every platform."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox import ManualClock, Sandbox, Scenario
from tests.conftest import csrf_token


@pytest.fixture
def sandbox(app: Flask) -> Iterator[Sandbox]:
    app.extensions.pop("lantoa_http", None)
    sb = Sandbox.start(scenario=Scenario(comment_count=10, duration=900), clock=ManualClock())
    yield sb
    sb.stop()


def post_form(client: FlaskClient, path: str, data: dict[str, str]):
    """Submit a page form with the CSRF token the page carries."""
    token = csrf_token(client, "/connect")
    return client.post(path, data={**data, "csrf_token": token})
