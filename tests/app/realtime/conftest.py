"""Socket.IO test clients on ``/live`` and the loopback sandbox of the collection tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db, socketio
from app.live.diff import merge
from app.realtime import NAMESPACE
from tests.app.collection.conftest import fb_target, player, sandbox  # noqa: F401 - fixtures


@pytest.fixture
def live(app: Flask, client: FlaskClient) -> Callable[..., Any]:
    """Open a ``/live`` socket, by the test client's session cookie or with ``auth``."""
    opened: list[Any] = []

    def open_(auth: dict[str, Any] | None = None, flask_client: FlaskClient | None = None) -> Any:
        with app.app_context():  # its own context, as in production (see FreshContextClient)
            sio = socketio.test_client(
                app, namespace=NAMESPACE, auth=auth, flask_test_client=flask_client or client
            )
        sio.app = app
        opened.append(sio)
        return sio

    yield open_
    for sio in opened:
        if sio.is_connected(NAMESPACE):
            sio.disconnect(NAMESPACE)


def received(sio: Any, name: str) -> list[dict[str, Any]]:
    """The payloads of every ``name`` message received since the last call."""
    return [m["args"][0] for m in sio.get_received(NAMESPACE) if m["name"] == name]


def ask(sio: Any, name: str, data: Any) -> Any:
    """Emit ``name`` and return the ack, handled in a fresh app context as in production.

    Without it the handler would share the test's app context, and with it Flask-Login's user
    cached in ``g`` by another socket.
    """
    with sio.app.app_context():
        return sio.emit(name, data, namespace=NAMESPACE, callback=True)


def join(sio: Any, event_id: Any) -> dict[str, Any]:
    return ask(sio, "join", {"event_id": event_id})


def applied(summary: dict[str, Any], *deltas: dict[str, Any]) -> dict[str, Any]:
    """The summary a page holds after applying ``deltas`` in turn, as live.js does: a delta
    carries the summary whole or a patch on the one before it."""
    for delta in deltas:
        summary = delta["summary"] if "summary" in delta else merge(summary, delta["patch"])
    return summary


def token_for(user: Any) -> str:
    """An API token of ``user``, committed (a socket authenticates with it in its own context)."""
    token = issue_token(user)
    db.session.commit()
    return token
