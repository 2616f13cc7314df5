"""The only place that emits realtime events: ``publish(event_id, name, payload)``.

Called by the runner after its transaction commits, so a browser never sees a number the database
does not hold. In the web process it emits through the app's Socket.IO server; in a separate
collector process (``flask collect run``) with ``SOCKETIO_MESSAGE_QUEUE`` set, the same call goes
through Redis to every web process.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from app.extensions import socketio

log = logging.getLogger(__name__)
NAMESPACE = "/live"


def room(event_id: int) -> str:
    return f"event:{event_id}"


def publish(event_id: int, name: str, payload: dict[str, Any]) -> None:
    """Emit ``name`` with ``payload`` to everyone watching the event; never raises."""
    try:
        socketio.emit(name, payload, to=room(event_id), namespace=NAMESPACE)
    except Exception:  # a dropped realtime message must not undo committed collection work
        log.exception("could not publish %s for event %s", name, event_id)


def init_app(app: Flask) -> None:
    socketio.init_app(
        app,
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "threading"),
        cors_allowed_origins=[],
        logger=False,
        engineio_logger=False,
    )
