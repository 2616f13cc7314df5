"""The request plumbing the JSON conference fakes (Teams, Meet) share.

Each fake answers one route per resource: log the request, check the token and the queued fault,
run the handler at scenario time ``t``, and turn a ``FakeError`` into the platform's own error
envelope. Only the checks and the envelope differ per platform, so only they are overridden.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

from flask import Response, request

from sandbox.clock import Clock
from sandbox.conference import Conference
from sandbox.loopback import FaultQueue, RequestLog
from sandbox.oauth_apps import IssuedTokens


class FakeError(Exception):
    """An error answer: HTTP status, the platform's code or status name, message, headers."""

    def __init__(self, status: int, code: str, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class JsonFake:
    """State and routing of one JSON fake: settings, fault switches, request log, token expiry."""

    FAULTS: ClassVar[tuple[str, ...]] = ()
    CONTENT_TYPE: ClassVar[str] = "application/json"

    def __init__(self, conference: Conference, clock: Clock, settings: Any) -> None:
        self.conference = conference
        self.clock = clock
        self.settings = settings
        self.faults = FaultQueue(self.FAULTS)
        self.log = RequestLog()
        self.expired = False
        # Tokens the app-only token endpoints issued (``sandbox.oauth_apps``), accepted too.
        self.issued = IssuedTokens(clock)

    def reset(self) -> None:
        self.faults.clear()
        self.log.clear()
        self.conference.reset()
        self.expired = False
        self.issued.clear()

    def expire_tokens(self) -> None:
        """The given token stops working, and every issued one (new ones are accepted)."""
        self.expired = True
        self.issued.clear()

    def check(self, kw: dict[str, str]) -> dict[str, str]:
        """Refuse the request (raise ``FakeError``) or return the handler's keyword arguments."""
        raise NotImplementedError

    def error_body(self, error: FakeError, t: float) -> dict[str, Any]:
        raise NotImplementedError

    def bearer_ok(self) -> bool:
        return self.token_claims() is not None

    def token_claims(self) -> dict[str, Any] | None:
        """The claims of the request's valid token (``{}`` for the given one); else None."""
        header = request.headers.get("Authorization", "")
        if header == f"Bearer {self.settings.access_token}":
            return None if self.expired else {}
        token = header.removeprefix("Bearer ")
        return self.issued.claims(token) if token != header else None

    def route(self, handler: Callable[..., dict[str, Any]]) -> Callable[..., Response]:
        def view(**kw: str) -> Response:
            t = self.clock.now()
            self.log.add(
                path=request.path, params=request.args.to_dict(), headers=dict(request.headers), t=t
            )
            try:
                status, body, headers = 200, handler(t, **self.check(kw)), {}
            except FakeError as e:
                status, body, headers = e.status, self.error_body(e, t), e.headers
            text = json.dumps(body, ensure_ascii=False)
            return Response(text, status, headers, content_type=self.CONTENT_TYPE)

        view.__name__ = handler.__name__
        return view
