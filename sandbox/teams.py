"""Fake Microsoft Graph (Teams online meeting attendance) playing the conference.

Mount the blueprint under ``/msgraph/v1.0``. Routes, all but the first under
``users/{organizerId}/onlineMeetings/{meetingId}``:

======================================================  =======================================
``GET users/{organizerId}/onlineMeetings?$filter=``     the organiser's meetings matching
                                                        ``JoinWebUrl eq '…'`` or
                                                        ``joinMeetingIdSettings/joinMeetingId eq
                                                        '…'``: ``value[]``, empty when none
``GET``  (the meeting)                                  subject, scheduled start and end
``GET attendanceReports``                               one report once the meeting has ended
                                                        (+ ``report_lag``), none before
``GET attendanceReports/{id}/attendanceRecords``        ``value[]`` + ``@odata.nextLink``
                                                        (``$top``, ``$skiptoken``)
======================================================  =======================================

A signed-in attendee is one record with an interval per session; an anonymous guest is a record
per join with an empty identity id. Errors use Graph's envelope ``{"error": {"code", "message",
"innerError"}}``: 401 InvalidAuthenticationToken (expired token), 403 Forbidden (another
organiser), 404 NotFound, 400 BadRequest (a list without a filter it supports), 429
TooManyRequests with ``Retry-After`` — omitted when the ``rate_limit`` fault says
``retry_after=None`` — and 503 ServiceUnavailable. Besides the fixed ``access_token``, tokens of
the sandbox's Entra app (``sandbox.oauth_apps``) are accepted; one whose ``roles`` lack the
route's permission (OnlineMeetings.Read.All, or OnlineMeetingArtifact.Read.All for reports) is
403 Forbidden. Fault switches: ``rate_limit``, ``server_error``, ``token_expired`` (every token
given so far stops working).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, request

from sandbox.clock import Clock
from sandbox.conference import Conference, Session, stable_id
from sandbox.jsonfake import FakeError, JsonFake

FAULTS = ("rate_limit", "server_error", "token_expired")
# The application permission each route needs of an app token (``roles`` claim).
MEETINGS_ROLE = "OnlineMeetings.Read.All"
ARTIFACTS_ROLE = "OnlineMeetingArtifact.Read.All"
# The two lookups Graph documents for finding a meeting; property names are case-insensitive.
FILTER = re.compile(
    r"^\s*(JoinWebUrl|joinMeetingIdSettings/joinMeetingId)\s+eq\s+'((?:[^']|'')*)'\s*$",
    re.IGNORECASE,
)


@dataclass
class TeamsSettings:
    access_token: str = "graph-token-bhxh"
    tenant_id: str = "tenant-bhxh-na"
    page_size: int = 20  # records per page when ``$top`` is not given
    report_lag: int = 120  # seconds after the end before the report is listed
    join_meeting_id: str = "3456789012345"  # the numeric ID of teams.microsoft.com/meet/ links


class TeamsFake(JsonFake):
    FAULTS = FAULTS

    def __init__(
        self, conference: Conference, clock: Clock, settings: TeamsSettings | None = None
    ) -> None:
        super().__init__(conference, clock, settings or TeamsSettings())

    @property
    def report_id(self) -> str:
        return stable_id("teams-report", self.conference.params.teams_meeting_id, length=32)

    def blueprint(self, name: str = "sandbox_teams") -> Blueprint:
        bp = Blueprint(name, __name__)
        bp.add_url_rule("/users/<uid>/onlineMeetings", "find", self.route(self._find))
        base = "/users/<uid>/onlineMeetings/<mid>"
        bp.add_url_rule(base, "meeting", self.route(self._meeting))
        bp.add_url_rule(f"{base}/attendanceReports", "reports", self.route(self._reports))
        bp.add_url_rule(
            f"{base}/attendanceReports/<rid>/attendanceRecords",
            "records",
            self.route(self._records),
        )
        return bp

    def error_body(self, e: FakeError, t: float) -> dict[str, Any]:
        inner = {"request-id": stable_id(str(t), request.path)}
        return {"error": {"code": e.code, "message": e.message, "innerError": inner}}

    def check(self, kw: dict[str, str]) -> dict[str, str]:
        if not self.bearer_ok():
            raise FakeError(
                401,
                "InvalidAuthenticationToken",
                "Lifetime validation failed, the token is expired.",
            )
        fault = self.faults.take()
        if fault is not None:
            if fault.kind == "token_expired":
                self.expire_tokens()
                return self.check(kw)
            if fault.kind == "server_error":
                raise FakeError(503, "ServiceUnavailable", "Service is temporarily unavailable.")
            wait = fault.opt("retry_after", 7)
            headers = {} if wait is None else {"Retry-After": str(wait)}
            raise FakeError(429, "TooManyRequests", "Too many requests.", **headers)
        roles = self.token_claims() or {}
        needed = ARTIFACTS_ROLE if "/attendanceReports" in request.path else MEETINGS_ROLE
        if "roles" in roles and needed not in roles["roles"]:
            raise FakeError(403, "Forbidden", "Insufficient privileges to complete the operation.")
        p, rest = self.conference.params, dict(kw)
        if rest.pop("uid") != p.teams_organizer_id:
            raise FakeError(403, "Forbidden", "No application access policy for this user.")
        if rest.pop("mid", p.teams_meeting_id) != p.teams_meeting_id:
            raise FakeError(404, "NotFound", "The meeting was not found.")
        return rest

    # --- answers ----------------------------------------------------------------------------

    @property
    def join_web_url(self) -> str:
        """The meeting's join link as Teams writes it (thread id and context percent-encoded)."""
        p = self.conference.params
        thread = stable_id("teams-thread", p.teams_meeting_id, length=24)
        tenant, organizer = self.settings.tenant_id, p.teams_organizer_id
        context = f"%7b%22Tid%22%3a%22{tenant}%22%2c%22Oid%22%3a%22{organizer}%22%7d"
        return (
            f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{thread}%40thread.v2/0"
            f"?context={context}"
        )

    def _meeting(self, t: float) -> dict[str, Any]:
        c = self.conference
        return {
            "id": c.params.teams_meeting_id,
            "subject": c.params.title,
            "startDateTime": _graph_time(c, c.start),
            "endDateTime": _graph_time(c, c.params.start_offset + c.params.duration),
            "joinWebUrl": self.join_web_url,
            "joinMeetingIdSettings": {
                "isPasscodeRequired": True,
                "joinMeetingId": self.settings.join_meeting_id,
                "passcode": "Bh7xNa",
            },
        }

    def _find(self, t: float) -> dict[str, Any]:
        """The organiser's meetings matching the filter: a join link or a numeric meeting ID."""
        wanted = FILTER.match(request.args.get("$filter", ""))
        if wanted is None:
            raise FakeError(400, "BadRequest", "Filter is required and must be on JoinWebUrl.")
        field, value = wanted.group(1).lower(), wanted.group(2).replace("''", "'")
        meeting = self._meeting(t)
        if field == "joinweburl":
            found = value == meeting["joinWebUrl"]
        else:
            found = value == meeting["joinMeetingIdSettings"]["joinMeetingId"]
        return {"value": [meeting] if found else []}

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
            raise FakeError(404, "NotFound", "The attendance report was not found.")
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


def create_app(fake: TeamsFake, prefix: str = "/msgraph/v1.0") -> Flask:
    """A WSGI app serving only this fake (tests); the Sandbox mounts ``fake.blueprint()``."""
    app = Flask(__name__)
    app.register_blueprint(fake.blueprint(), url_prefix=prefix)
    return app
