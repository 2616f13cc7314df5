"""Fake Microsoft Graph (Teams online meeting attendance) playing the conference (§4, §10).

Mount the blueprint under ``/msgraph/v1.0``. Routes, all under
``users/{organizerId}/onlineMeetings/{meetingId}``:

======================================================  =======================================
``GET``  (the meeting)                                  subject, scheduled start and end
``GET attendanceReports``                               one report once the meeting has ended
                                                        (+ ``report_lag``), none before (§4.1)
``GET attendanceReports/{id}/attendanceRecords``        ``value[]`` + ``@odata.nextLink``
                                                        (``$top``, ``$skiptoken``)
======================================================  =======================================

A signed-in attendee is one record with an interval per session; an anonymous guest is a record
per join with an empty identity id. Errors use Graph's envelope ``{"error": {"code", "message",
"innerError"}}``: 401 InvalidAuthenticationToken (expired token), 403 Forbidden (another
organiser), 404 NotFound, 429 TooManyRequests with ``Retry-After`` — omitted when the
``rate_limit`` fault says ``retry_after=None`` (§4.3) — and 503 ServiceUnavailable. Fault switches:
``rate_limit``, ``server_error``, ``token_expired``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, request

from app.sandbox.clock import Clock
from app.sandbox.conference import Conference, FaultQueue, RequestLog, Session, stable_id

FAULTS = ("rate_limit", "server_error", "token_expired")


@dataclass
class TeamsSettings:
    access_token: str = "graph-token-bhxh"
    tenant_id: str = "tenant-bhxh-na"
    page_size: int = 20  # records per page when ``$top`` is not given
    report_lag: int = 120  # seconds after the end before the report is listed


class GraphError(Exception):
    def __init__(self, status: int, code: str, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class TeamsFake:
    def __init__(
        self, conference: Conference, clock: Clock, settings: TeamsSettings | None = None
    ) -> None:
        self.conference = conference
        self.clock = clock
        self.settings = settings or TeamsSettings()
        self.faults = FaultQueue(FAULTS)
        self.log = RequestLog()
        self.expired = False

    def reset(self) -> None:
        self.faults.clear()
        self.log.clear()
        self.conference.reset()
        self.expired = False

    @property
    def report_id(self) -> str:
        return stable_id("teams-report", self.conference.params.teams_meeting_id, length=32)

    def blueprint(self, name: str = "sandbox_teams") -> Blueprint:
        bp = Blueprint(name, __name__)
        base = "/users/<uid>/onlineMeetings/<mid>"
        bp.add_url_rule(base, "meeting", self._route(self._meeting))
        bp.add_url_rule(f"{base}/attendanceReports", "reports", self._route(self._reports))
        bp.add_url_rule(
            f"{base}/attendanceReports/<rid>/attendanceRecords",
            "records",
            self._route(self._records),
        )
        return bp

    def _route(self, handler: Callable[..., dict[str, Any]]) -> Callable[..., Response]:
        def view(uid: str, mid: str, **kw: str) -> Response:
            t = self.clock.now()
            self.log.add(
                path=request.path, params=request.args.to_dict(), headers=dict(request.headers), t=t
            )
            try:
                self._check(uid, mid)
                return _json(200, handler(t, **kw))
            except GraphError as e:
                body = {
                    "error": {
                        "code": e.code,
                        "message": e.message,
                        "innerError": {"request-id": stable_id(str(t), request.path)},
                    }
                }
                return _json(e.status, body, e.headers)

        view.__name__ = handler.__name__
        return view

    def _check(self, uid: str, mid: str) -> None:
        auth = request.headers.get("Authorization", "")
        if self.expired or auth != f"Bearer {self.settings.access_token}":
            raise GraphError(
                401,
                "InvalidAuthenticationToken",
                "Lifetime validation failed, the token is expired.",
            )
        fault = self.faults.take()
        if fault is not None:
            if fault.kind == "token_expired":
                self.expired = True
                self._check(uid, mid)
            if fault.kind == "server_error":
                raise GraphError(503, "ServiceUnavailable", "Service is temporarily unavailable.")
            wait = fault.opt("retry_after", 7)
            headers = {} if wait is None else {"Retry-After": str(wait)}
            raise GraphError(429, "TooManyRequests", "Too many requests.", **headers)
        p = self.conference.params
        if uid != p.teams_organizer_id:
            raise GraphError(403, "Forbidden", "No application access policy for this user.")
        if mid != p.teams_meeting_id:
            raise GraphError(404, "NotFound", "The meeting was not found.")

    # --- answers ----------------------------------------------------------------------------

    def _meeting(self, t: float) -> dict[str, Any]:
        c = self.conference
        return {
            "id": c.params.teams_meeting_id,
            "subject": c.params.title,
            "startDateTime": _graph_time(c, c.start),
            "endDateTime": _graph_time(c, c.params.start_offset + c.params.duration),
            "joinWebUrl": "https://teams.microsoft.com/l/meetup-join/19%3ahoinghi",
        }

    def _report(self) -> dict[str, Any]:
        c = self.conference
        return {
            "id": self.report_id,
            "totalParticipantCount": len(self._all_records()),
            "meetingStartDateTime": _graph_time(c, c.start),
            "meetingEndDateTime": _graph_time(c, c.end),
        }

    def _reports(self, t: float) -> dict[str, Any]:
        ready = t >= self.conference.end + self.settings.report_lag
        return {"value": [self._report()] if ready else []}

    def _records(self, t: float, rid: str) -> dict[str, Any]:
        if rid != self.report_id or t < self.conference.end + self.settings.report_lag:
            raise GraphError(404, "NotFound", "The attendance report was not found.")
        records = self._all_records()
        top = min(max(int(request.args.get("$top", self.settings.page_size)), 1), 100)
        token = request.args.get("$skiptoken")
        offset = int(base64.urlsafe_b64decode(token).decode()) if token else 0
        body: dict[str, Any] = {"value": records[offset : offset + top]}
        if offset + top < len(records):
            skip = base64.urlsafe_b64encode(str(offset + top).encode()).decode()
            body["@odata.nextLink"] = f"{request.base_url}?$top={top}&$skiptoken={skip}"
        return body

    def _all_records(self) -> list[dict[str, Any]]:
        grouped: dict[str, list[Session]] = {}
        for s in self.conference.sessions():
            key = s.attendee.key if s.attendee.signed_in else s.key
            grouped.setdefault(key, []).append(s)
        return [self._record(sessions) for sessions in grouped.values()]

    def _record(self, sessions: list[Session]) -> dict[str, Any]:
        c, first = self.conference, sessions[0]
        signed = first.attendee.signed_in
        intervals = [
            {
                "joinDateTime": _graph_time(c, s.join),
                "leaveDateTime": _graph_time(c, s.leave),
                "durationInSeconds": s.leave - s.join,
            }
            for s in sessions
        ]
        role = "Organizer" if first.attendee.kind == "host" else "Attendee"
        identity = {
            "id": stable_id("aad", first.attendee.key, length=32) if signed else "",
            "displayName": first.name,
            "tenantId": self.settings.tenant_id if signed else None,
        }
        return {
            "emailAddress": f"{first.attendee.key}@bhxh-nghean.example" if signed else "",
            "totalAttendanceInSeconds": sum(i["durationInSeconds"] for i in intervals),
            "role": role,
            "identity": identity,
            "attendanceIntervals": intervals,
        }


def _graph_time(c: Conference, t: float) -> str:
    return c.datetime_at(t).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status, headers or {}, content_type="application/json")


def create_app(fake: TeamsFake, prefix: str = "/msgraph/v1.0") -> Flask:
    """A WSGI app serving only this fake (tests); the Sandbox mounts ``fake.blueprint()``."""
    app = Flask(__name__)
    app.register_blueprint(fake.blueprint(), url_prefix=prefix)
    return app
