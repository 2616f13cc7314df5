"""Flask's signed-cookie sessions with the signing serializer built once per key, not per request.

Flask builds an ``itsdangerous`` serializer every time it opens a session, and Flask-SocketIO
opens one for every Socket.IO event (a request context per message): in a storm of live joins
that was a few percent of the web process's CPU for nothing, as the key rarely changes. The
serializer holds no state of a request; it is rebuilt when the secret key or its fallbacks change.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """The same cookies, signatures and expiry as Flask's; the serializer kept per key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[Any, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        kept = self._kept
        if kept is not None and kept[0] == key:
            return kept[1]
        serializer = super().get_signing_serializer(app)
        with self._lock:
            self._kept = (key, serializer)
        return serializer
