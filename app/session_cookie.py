"""Flask's signed-cookie sessions with the signing serializer built once per key, not per request.

Flask builds an ``itsdangerous`` serializer every time it opens a session, and Flask-SocketIO
opens one for every Socket.IO event (a request context per message): in a storm of live joins
that was a few percent of the web process's CPU for nothing, as the key rarely changes. The
serializer holds no state of a request; it is rebuilt when the secret key or its fallbacks change.
A request without the cookie (a hall's phone reporting, a script) gets its new session without
werkzeug's look-up, which builds and catches an exception to say the cookie is missing.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
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

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if self.get_cookie_name(app) not in request.cookies:  # a new session, as Flask's
            return None if self.get_signing_serializer(app) is None else self.session_class()
        return super().open_session(app, request)
