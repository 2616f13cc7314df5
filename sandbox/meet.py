"""Fake Google Meet REST API v2 playing the conference.

Mount the blueprint under ``/meet/v2``. Routes:

=====================================================================  ==========================
``GET spaces/{meetingCode}`` (or ``spaces/{id}``)                      the meeting space; its
                                                                       ``activeConference`` while
                                                                       live
``GET conferenceRecords?filter=space.meeting_code = "…"``              the record once started;
                                                                       ``endTime`` once ended
``GET conferenceRecords/{c}/participants``                             newest join first;
                                                                       ``latest_end_time IS NULL``
``GET conferenceRecords/{c}/participants/{p}/participantSessions``     ``end_time IS NULL``
=====================================================================  ==========================

A signed-in attendee is one participant (``signedinUser``) with a session per join; a guest is a
participant per join (``anonymousUser``). Paging: ``pageSize`` (default 100, coerced to 250) and
``pageToken``/``nextPageToken``, the token bound to its filter. Records expire 30 days after the
end. Errors use Google's envelope with ``status``: 401 UNAUTHENTICATED, 403 PERMISSION_DENIED,
404 NOT_FOUND, 400 INVALID_ARGUMENT (unknown filter, bad token), 429 RESOURCE_EXHAUSTED,
503 UNAVAILABLE. Besides the fixed ``access_token``, tokens a service account bought at the
sandbox's Google token endpoint (``sandbox.oauth_apps``) are accepted. Fault switches:
``rate_limit``, ``server_error``, ``token_expired`` (every token given so far stops working),
``permission_denied``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, request

from sandbox.clock import Clock
from sandbox.conference import Conference, Session, stable_id
from sandbox.jsonfake import FakeError, JsonFake

FAULTS = ("rate_limit", "server_error", "token_expired", "permission_denied")
EXPIRY = 30 * 86_400  # records are deleted 30 days after the end
FILTERS = {"participants": "latest_end_time IS NULL", "sessions": "end_time IS NULL"}


@dataclass
class MeetSettings:
    access_token: str = "ya29.meet-bhxh"


class MeetFake(JsonFake):
    FAULTS = FAULTS
    CONTENT_TYPE = "application/json; charset=UTF-8"

    def __init__(
        self, conference: Conference, clock: Clock, settings: MeetSettings | None = None
    ) -> None:
        super().__init__(conference, clock, settings or MeetSettings())

    @property
    def record_id(self) -> str:
        return stable_id("meet", self.conference.params.meet_code, length=16)

    def blueprint(self, name: str = "sandbox_meet") -> Blueprint:
        bp = Blueprint(name, __name__)
        bp.add_url_rule("/spaces/<sid>", "space", self.route(self._space))
        bp.add_url_rule("/conferenceRecords", "records", self.route(self._records))
        base = "/conferenceRecords/<cid>/participants"
        bp.add_url_rule(base, "participants", self.route(self._participants))
        bp.add_url_rule(f"{base}/<pid>/participantSessions", "sessions", self.route(self._sessions))
        return bp

    def error_body(self, e: FakeError, t: float) -> dict[str, Any]:
        return {"error": {"code": e.status, "message": e.message, "status": e.code}}

    def check(self, kw: dict[str, str]) -> dict[str, str]:
        fault = self.faults.take()
        if fault is not None and fault.kind == "token_expired":
            self.expire_tokens()
        if not self.bearer_ok():
            raise FakeError(
                401, "UNAUTHENTICATED", "Request had invalid authentication credentials."
            )
        if fault is None or fault.kind == "token_expired":
            return kw
        if fault.kind == "permission_denied":
            raise FakeError(403, "PERMISSION_DENIED", "The caller does not have permission.")
        if fault.kind == "server_error":
            raise FakeError(503, "UNAVAILABLE", "The service is currently unavailable.")
        raise FakeError(
            429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests'."
        )

    # --- answers ----------------------------------------------------------------------------

    def _visible(self, t: float) -> bool:
        c = self.conference
        return c.start <= t < c.end + EXPIRY

    def _conference(self, cid: str, t: float) -> None:
        if cid != self.record_id or not self._visible(t):
            raise FakeError(404, "NOT_FOUND", "Requested entity was not found.")

    def _space(self, t: float, sid: str) -> dict[str, Any]:
        """A space by its meeting code (an alias Meet accepts) or its own id."""
        code = self.conference.params.meet_code
        space_id = stable_id("space", code)
        if sid not in (code, space_id):
            raise FakeError(404, "NOT_FOUND", "Requested entity was not found.")
        space: dict[str, Any] = {
            "name": f"spaces/{space_id}",
            "meetingUri": f"https://meet.google.com/{code}",
            "meetingCode": code,
            "config": {"accessType": "TRUSTED", "entryPointAccess": "ALL"},
        }
        if self.conference.phase(t) == "live":
            space["activeConference"] = {"conferenceRecord": f"conferenceRecords/{self.record_id}"}
        return space

    def _records(self, t: float) -> dict[str, Any]:
        c = self.conference
        wanted = request.args.get("filter", "")
        if wanted and wanted != f'space.meeting_code = "{c.params.meet_code}"':
            return {}
        if not self._visible(t):
            return {}
        record = {
            "name": f"conferenceRecords/{self.record_id}",
            "startTime": self._at(c.start),
            "space": f"spaces/{stable_id('space', c.params.meet_code)}",
        }
        if c.phase(t) == "ended":
            record |= {"endTime": self._at(c.end), "expireTime": self._at(c.end + EXPIRY)}
        return {"conferenceRecords": [record]}

    def _groups(self, t: float) -> dict[str, list[Session]]:
        """Participants by id: one per signed-in account, one per guest join."""
        groups: dict[str, list[Session]] = {}
        for s in self.conference.sessions_started(t):
            key = s.attendee.key if s.attendee.signed_in else s.key
            groups.setdefault(stable_id("participant", key, length=12), []).append(s)
        return groups

    def _participants(self, t: float, cid: str) -> dict[str, Any]:
        self._conference(cid, t)
        rows = []
        for pid, sessions in self._groups(t).items():
            first, active = sessions[0], any(not s.left_by(t) for s in sessions)
            row = {
                "name": f"conferenceRecords/{cid}/participants/{pid}",
                "earliestStartTime": self._at(first.join),
            }
            if not active:
                row["latestEndTime"] = self._at(max(s.leave for s in sessions))
            kind = "signedinUser" if first.attendee.signed_in else "anonymousUser"
            row[kind] = {"displayName": first.name}
            if first.attendee.signed_in:
                row[kind]["user"] = f"users/{stable_id('user', first.attendee.key)}"
            if (
                row.get("latestEndTime") is None
                or request.args.get("filter") != FILTERS["participants"]
            ):
                rows.append(row)
        rows.sort(key=lambda r: r["earliestStartTime"], reverse=True)
        return self._page(rows, "participants", FILTERS["participants"])

    def _sessions(self, t: float, cid: str, pid: str) -> dict[str, Any]:
        self._conference(cid, t)
        sessions = self._groups(t).get(pid)
        if sessions is None:
            raise FakeError(404, "NOT_FOUND", "Requested entity was not found.")
        rows = []
        for s in sessions:
            row = {
                "name": f"conferenceRecords/{cid}/participants/{pid}/participantSessions/"
                f"{stable_id('session', s.key)}",
                "startTime": self._at(s.join),
            }
            if s.left_by(t):
                row["endTime"] = self._at(s.leave)
            if "endTime" not in row or request.args.get("filter") != FILTERS["sessions"]:
                rows.append(row)
        return self._page(rows, "participantSessions", FILTERS["sessions"])

    def _page(self, rows: list[dict[str, Any]], key: str, allowed: str) -> dict[str, Any]:
        wanted = request.args.get("filter", "")
        if wanted and wanted != allowed:
            raise FakeError(400, "INVALID_ARGUMENT", f"Invalid filter: {wanted}")
        size = min(max(int(request.args.get("pageSize", 100)), 1), 250)
        offset = 0
        if token := request.args.get("pageToken"):
            try:
                state = json.loads(base64.urlsafe_b64decode(token))
            except ValueError as exc:
                raise FakeError(400, "INVALID_ARGUMENT", "Invalid page token.") from exc
            if state.get("f") != wanted:
                raise FakeError(
                    400, "INVALID_ARGUMENT", "The page token does not match the filter."
                )
            offset = int(state["o"])
        body: dict[str, Any] = {key: rows[offset : offset + size]}
        if offset + size < len(rows):
            state = json.dumps({"o": offset + size, "f": wanted}).encode()
            body["nextPageToken"] = base64.urlsafe_b64encode(state).decode()
        return body

    def _at(self, t: float) -> str:
        return self.conference.datetime_at(t).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def create_app(fake: MeetFake, prefix: str = "/meet/v2") -> Flask:
    """A WSGI app serving only this fake (tests); the Sandbox mounts ``fake.blueprint()``."""
    app = Flask(__name__)
    app.register_blueprint(fake.blueprint(), url_prefix=prefix)
    return app
