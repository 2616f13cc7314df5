"""Fake Zoom REST API v2 playing the conference.

Routes (mount the blueprint under ``/zoom/v2``; the OAuth token endpoint, on ``zoom.us`` in real
life, is served at ``oauth/token`` under the same prefix):

==========================================================  ======================================
``POST oauth/token?grant_type=account_credentials``         S2S OAuth: Basic client
                                                            id:secret → bearer valid 3600 s
``GET meetings/{id}``                                       the meeting: topic, start, ``status``
                                                            ``started`` while it runs, else
                                                            ``waiting``
``GET metrics/meetings/{id}?type=live``                     dashboard detail while live, else 404
                                                            code 3001
``GET metrics/meetings/{id}/participants?type=live``        live participants, one row per
                                                            session, ``leave_time`` once left
``GET report/meetings/{id}``                                report detail once ended (+ lag)
``GET report/meetings/{id}/participants``                   one row per join/leave;
                                                            guests have empty ids
==========================================================  ======================================

Errors: 401 code 124 for an expired/unknown token; 400 code 300 for a ``next_page_token`` older
than 15 minutes; 404 code 3001 for a meeting not live / not ended; 429 with ``X-RateLimit-*``
headers (``Retry-After`` as a timestamp only for the daily limit); 400 code 4700 for a
missing scope. Fault switches: ``rate_limit`` (opts ``daily``), ``server_error``, ``token_expired``,
``missing_scope``.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, Response, request

from sandbox.clock import Clock
from sandbox.conference import Conference, Session, stable_id
from sandbox.loopback import FaultQueue, RequestLog

TOKEN_TTL = 3600  # seconds
PAGE_TOKEN_TTL = 900  # next_page_token expires after 15 minutes
FAULTS = ("rate_limit", "server_error", "token_expired", "missing_scope")


@dataclass
class ZoomSettings:
    account_id: str = "acc-bhxh-na"
    client_id: str = "zoom-client"
    client_secret: str = "zoom-secret"
    report_lag: int = 60  # report data appears "a minute or two" after the end


class ZoomError(Exception):
    def __init__(self, status: int, code: int, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class ZoomFake:
    """The fake's state: minted tokens, issued page tokens, fault switches, request log."""

    def __init__(
        self, conference: Conference, clock: Clock, settings: ZoomSettings | None = None
    ) -> None:
        self.conference = conference
        self.clock = clock
        self.settings = settings or ZoomSettings()
        self.faults = FaultQueue(FAULTS)
        self.log = RequestLog()
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.tokens: dict[str, float] = {}  # token → expiry (scenario seconds)
            self.minted = 0
            self._pages: dict[str, tuple[str, int, float]] = {}  # token → (list, offset, issued)
            self._serial = itertools.count(1)
        self.faults.clear()
        self.log.clear()
        self.conference.reset()

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    # --- routes -----------------------------------------------------------------------------

    def blueprint(self, name: str = "sandbox_zoom") -> Blueprint:
        bp = Blueprint(name, __name__)
        bp.add_url_rule("/oauth/token", "token", self._token, methods=["POST"])
        bp.add_url_rule("/meetings/<mid>", "meeting", lambda mid: self._serve(self._get, mid))
        bp.add_url_rule("/metrics/meetings/<mid>", "live", lambda mid: self._serve(self._live, mid))
        bp.add_url_rule(
            "/metrics/meetings/<mid>/participants",
            "live_participants",
            lambda mid: self._serve(self._live_participants, mid),
        )
        bp.add_url_rule(
            "/report/meetings/<mid>", "report", lambda mid: self._serve(self._report, mid)
        )
        bp.add_url_rule(
            "/report/meetings/<mid>/participants",
            "report_participants",
            lambda mid: self._serve(self._report_participants, mid),
        )
        return bp

    def _token(self) -> Response:
        self._record()
        s = self.settings
        expected = base64.b64encode(f"{s.client_id}:{s.client_secret}".encode()).decode()
        basic = request.headers.get("Authorization", "")
        if request.args.get("grant_type") != "account_credentials":
            return _json(400, {"reason": "Unsupported grant type", "error": "invalid_request"})
        if basic != f"Basic {expected}" or request.args.get("account_id") != s.account_id:
            return _json(
                400, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
            )
        with self._lock:
            self.minted += 1
            token = f"zt{self.minted:04d}.{s.account_id}"
            self.tokens[token] = self.clock.now() + TOKEN_TTL
        body = {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": TOKEN_TTL,
            "scope": "meeting:read:admin report:read:admin dashboard_meetings:read:admin",
        }
        return _json(200, body)

    def _serve(self, handler: Any, mid: str) -> Response:
        self._record()
        t = self.clock.now()
        try:
            self._authenticate(t)
            self._fault(t)
            if mid not in (self.conference.params.zoom_meeting_id, self.uuid):
                raise ZoomError(404, 3001, f"Meeting does not exist: {mid}.")
            return _json(200, handler(t))
        except ZoomError as e:
            return _json(e.status, {"code": e.code, "message": e.message}, e.headers)

    def _record(self) -> None:
        self.log.add(
            method=request.method,
            path=request.path,
            params=request.args.to_dict(),
            headers=dict(request.headers),
            t=self.clock.now(),
        )

    def _authenticate(self, t: float) -> None:
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with self._lock:
            expiry = self.tokens.get(token)
        if expiry is None or t >= expiry:
            raise ZoomError(401, 124, "Invalid access token.")

    def _fault(self, t: float) -> None:
        fault = self.faults.take()
        if fault is None:
            return
        if fault.kind == "token_expired":
            self.expire_tokens()
            raise ZoomError(401, 124, "Invalid access token.")
        if fault.kind == "missing_scope":
            raise ZoomError(
                400, 4700, "Invalid access token, does not contain scopes:[report:read:admin]."
            )
        if fault.kind == "server_error":
            raise ZoomError(500, 500, "Internal server error.")
        headers = {
            "X-RateLimit-Category": "Heavy",
            "X-RateLimit-Limit": "40",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Type": "QPS",
        }
        message = "You have reached the maximum per-second rate limit for this API."
        if fault.opt("daily", False):
            now = self.conference.datetime_at(t)
            midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0)
            headers |= {
                "X-RateLimit-Type": "Daily-limit",
                "X-RateLimit-Limit": "60000",
                "Retry-After": _zoom_time(midnight),
            }
            message = "You have exceeded the daily rate limit of Heavy API requests."
        raise ZoomError(429, 429, message, **headers)

    # --- answers ----------------------------------------------------------------------------

    @property
    def uuid(self) -> str:
        return base64.b64encode(f"uuid-{self.conference.params.seed:08d}".encode()).decode()

    def _meeting(self) -> dict[str, Any]:
        c = self.conference
        return {
            "uuid": self.uuid,
            "id": int(c.params.zoom_meeting_id),
            "topic": c.params.title,
            "host": c.params.host_name,
            "start_time": _zoom_time(c.datetime_at(c.start)),
        }

    def _get(self, t: float) -> dict[str, Any]:
        """``GET /meetings/{id}``: a scheduled meeting (type 2) as its host set it up."""
        c = self.conference
        mid = c.params.zoom_meeting_id
        return {
            **self._meeting(),
            "host_id": stable_id("zoom-host", c.params.host_name, length=22),
            "type": 2,
            "status": "started" if c.phase(t) == "live" else "waiting",
            "duration": c.params.duration // 60,
            "timezone": "Asia/Ho_Chi_Minh",
            "created_at": _zoom_time(c.datetime_at(0)),
            "join_url": f"https://us02web.zoom.us/j/{mid}?pwd=QmhYaE5naGVBbjIwMjc",
            "agenda": "",
            "pre_schedule": False,
        }

    def _live(self, t: float) -> dict[str, Any]:
        if self.conference.phase(t) != "live" or request.args.get("type") != "live":
            raise ZoomError(404, 3001, "Meeting does not exist or has ended.")
        return {**self._meeting(), "participants": len(self.conference.active(t))}

    def _report(self, t: float) -> dict[str, Any]:
        c = self.conference
        if t < c.end + self.settings.report_lag:
            raise ZoomError(404, 3001, "Meeting ID is invalid or not end.")
        duration = (c.end - c.start) // 60
        return {
            **self._meeting(),
            "end_time": _zoom_time(c.datetime_at(c.end)),
            "duration": duration,
            "participants_count": len(c.sessions()),
        }

    def _live_participants(self, t: float) -> dict[str, Any]:
        self._live(t)
        rows = [self._live_row(s, t) for s in self.conference.sessions_started(t)]
        return self._page("live", rows, t, "participants")

    def _report_participants(self, t: float) -> dict[str, Any]:
        self._report(t)
        rows = [self._report_row(s) for s in self.conference.sessions()]
        return self._page("report", rows, t, "participants")

    def _ids(self, s: Session) -> dict[str, Any]:
        """Guests have empty ids since March 2023; ``user_id`` is per join."""
        zid = "zp" + stable_id("zoom", s.attendee.key, length=20)
        signed = s.attendee.signed_in
        return {
            "id": zid if signed else "",
            "participant_user_id": zid if signed else "",
            "user_id": str(16778240 + 1024 * _index(self.conference, s)),
        }

    def _live_row(self, s: Session, t: float) -> dict[str, Any]:
        row = {
            **self._ids(s),
            "user_name": s.name,
            "join_time": self._at(s.join),
            "status": "in_meeting",
            "device": "Windows",
            "network_type": "Wifi",
        }
        if s.left_by(t):
            row["leave_time"] = self._at(s.leave)
            row["leave_reason"] = "left the meeting"
        return row

    def _report_row(self, s: Session) -> dict[str, Any]:
        email = f"{s.attendee.key}@bhxh-nghean.example" if s.attendee.signed_in else ""
        return {
            **self._ids(s),
            "name": s.name,
            "user_email": email,
            "join_time": self._at(s.join),
            "leave_time": self._at(s.leave),
            "duration": s.leave - s.join,
            "registrant_id": "",
            "failover": False,
            "status": "in_meeting",
            "customer_key": "",
            "bo_mtg_id": "",
        }

    def _at(self, t: int) -> str:
        return _zoom_time(self.conference.datetime_at(t))

    def _page(self, kind: str, rows: list[dict], t: float, key: str) -> dict[str, Any]:
        size = min(max(int(request.args.get("page_size", 30)), 1), 300)
        offset = 0
        if token := request.args.get("next_page_token"):
            with self._lock:
                issued = self._pages.get(token)
            if issued is None or issued[0] != kind or t - issued[2] > PAGE_TOKEN_TTL:
                raise ZoomError(400, 300, "The next page token is invalid or expired.")
            offset = issued[1]
        next_token = ""
        if offset + size < len(rows):
            next_token = f"{kind[:2]}{next(self._serial):06d}x{offset + size}"
            with self._lock:
                self._pages[next_token] = (kind, offset + size, t)
        return {
            "page_count": -(-len(rows) // size),
            "page_size": size,
            "total_records": len(rows),
            "next_page_token": next_token,
            key: rows[offset : offset + size],
        }


def _index(conference: Conference, session: Session) -> int:
    return [s.key for s in conference.sessions()].index(session.key)


def _zoom_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        headers=headers or {},
        content_type="application/json;charset=UTF-8",
    )


def create_app(fake: ZoomFake, prefix: str = "/zoom/v2") -> Flask:
    """A WSGI app serving only this fake (tests); the Sandbox mounts ``fake.blueprint()``."""
    app = Flask(__name__)
    app.register_blueprint(fake.blueprint(), url_prefix=prefix)
    return app
