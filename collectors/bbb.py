"""BigBlueButton meetings through ``getMeetingInfo``: the only platform with a fully live roster.

BBB answers XML and reports failures inside HTTP 200 (``<returncode>FAILED</returncode>`` with a
stable ``messageKey``), so classification reads the body. Every call carries ``checksum`` =
SHA-1 (or SHA-256…) of call name + query string + shared secret: a query parameter by design, and
not a secret itself (the secret never travels).

The roster has no join times: each attendee's ``userID`` is new on every join, so a session is
keyed by it, ``joined_at`` is the first poll that saw it and ``left_at`` the first poll that did
not (or the meeting's ``endTime``). The cursor keeps who is present. Poll often enough (≤ 30 s)
for short sessions to be seen.

Errors (``ERROR_TABLE``, in this order; an HTTP error is judged by its status alone, its body
being a proxy's page, and the ``messageKey`` of a FAILED answer is the code):

============================================  ===============================================
answer                                        class
============================================  ===============================================
HTTP 429                                      RateLimited (no documented limit: 30 s)
HTTP 401/403                                  AuthExpired
HTTP 5xx, timeouts, body that is not XML      TransientError
other HTTP 4xx                                PermanentError
200 FAILED ``checksumError``                  AuthExpired: the shared secret is wrong
200 FAILED ``notFound``                       TargetGone (the collector reads it as "not
                                              started yet" or "ended and removed")
200 FAILED ``invalidMeetingIdentifier``       TargetGone
200 FAILED ``missingParam…`` / other keys     PermanentError
============================================  ===============================================
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import requests

from collectors.base import (
    Batch,
    Clock,
    Description,
    ParticipantRecord,
    Sample,
    TargetSpec,
    not_after,
    title_of,
    utc_now,
)
from collectors.errors import (
    SERVER_ERRORS,
    AuthExpired,
    ErrorTable,
    Failure,
    RateLimited,
    Rule,
    TargetGone,
    TransientError,
    classify_http,
    wait_for,
)
from collectors.http import ApiClient, Reply

PLATFORM = "bbb"
GONE_KEYS = {"notFound", "invalidMeetingIdentifier"}
AUTH_KEYS = {"checksumError"}
DEFAULT_RATE_LIMIT_WAIT = 30.0
COUNTS = (
    "participantCount",
    "listenerCount",
    "voiceParticipantCount",
    "videoCount",
    "moderatorCount",
)


def parse_xml(content: bytes) -> ET.Element | None:
    """The document root, or None when the body is not XML (a proxy's HTML error page)."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        return None
    return root if root.tag == "response" else None


def read_failed(status: int, root: ET.Element | None) -> Failure | None:
    """A FAILED answer inside HTTP 200; an HTTP error's body is not BBB's and is not read."""
    if status >= 400 or root is None or root.findtext("returncode") != "FAILED":
        return None
    key = root.findtext("messageKey") or ""
    return Failure(key, root.findtext("message") or key or "FAILED")


ERROR_TABLE = ErrorTable(
    PLATFORM,
    read_failed,
    (
        Rule(
            RateLimited,
            statuses={429},
            wait=wait_for(DEFAULT_RATE_LIMIT_WAIT),
            text="too many requests",
        ),
        Rule(AuthExpired, statuses={401, 403}),
        Rule(TransientError, statuses=SERVER_ERRORS, text="server error"),
        Rule(AuthExpired, codes=AUTH_KEYS),
        Rule(TargetGone, codes=GONE_KEYS),
    ),
)


def checksum(call: str, query: str, secret: str, algorithm: str = "sha1") -> str:
    """hash(call name + query string without checksum + shared secret), as BBB's API asks."""
    return hashlib.new(algorithm, f"{call}{query}{secret}".encode()).hexdigest()


def signed(call: str, params: Mapping[str, str], secret: str, algorithm: str = "sha1") -> str:
    """The path and query of a call, checksum appended; the secret itself never travels."""
    query = urlencode(dict(params))
    return f"{call}?{query}&checksum={checksum(call, query, secret, algorithm)}"


class BBBClient(ApiClient):
    """An ``ApiClient`` whose bodies are XML: ``Reply.body`` is the ``<response>`` element."""

    def request(self, method: str, path: str, **kw: Any) -> Reply:
        self.calls += 1
        try:
            response = self.session.request(method, self.url(path), timeout=self.timeout, **kw)
        except requests.RequestException as exc:
            raise TransientError(f"no answer: {type(exc).__name__}", platform=PLATFORM) from exc
        root = parse_xml(response.content)
        error = classify_http(response.status_code, root, response.headers, self.errors)
        if error is not None:
            raise error
        if root is None:
            raise TransientError(
                "answer is not BBB XML", platform=PLATFORM, status=response.status_code
            )
        return Reply(root, response.headers, response.status_code)


def _millis(value: str | None) -> datetime | None:
    try:
        ms = int(value or 0)
    except ValueError:
        return None
    return datetime.fromtimestamp(ms / 1000, UTC) if ms > 0 else None


def parse_attendees(root: ET.Element) -> dict[str, dict[str, Any]]:
    """Attendees by ``userID``: name and the flags worth keeping as detail."""
    found = {}
    for node in root.iterfind("attendees/attendee"):
        uid = node.findtext("userID")
        if not uid:
            continue
        found[uid] = {
            "name": node.findtext("fullName") or "",
            "role": node.findtext("role") or "",
            "clientType": node.findtext("clientType") or "",
            "isListeningOnly": node.findtext("isListeningOnly") == "true",
            "hasVideo": node.findtext("hasVideo") == "true",
        }
    return found


def parse_counts(root: ET.Element, sampled_at: datetime) -> Sample:
    counts = {}
    for name in COUNTS:
        try:
            counts[name] = int(root.findtext(name) or "")
        except ValueError:
            continue
    return Sample(sampled_at=sampled_at, live_viewers=counts.get("participantCount"), extra=counts)


def _record(uid: str, seen: Mapping[str, Any], left_at: datetime | None) -> ParticipantRecord:
    detail = {k: v for k, v in seen.items() if k not in ("name", "joined_at")}
    return ParticipantRecord(
        participant_key=uid,
        display_name=str(seen["name"]),
        joined_at=datetime.fromisoformat(seen["joined_at"]),
        left_at=left_at,
        detail={"userID": uid, **detail},
    )


def meeting_info(client: ApiClient, target: TargetSpec) -> ET.Element | None:
    """``getMeetingInfo`` of the target; None when the server has no such meeting (``notFound``):
    not started yet, or ended and already removed."""
    secret = target.credentials.get("secret")
    if not secret:
        raise AuthExpired("the BBB server has no shared secret", platform=PLATFORM)
    algorithm = str(target.credentials.get("checksum", "sha1"))
    path = signed("getMeetingInfo", {"meetingID": target.external_id}, str(secret), algorithm)
    try:
        root: ET.Element = client.get(path).body
    except TargetGone as exc:
        if exc.code != "notFound":
            raise
        return None
    return root


def describe(client: ApiClient, target: TargetSpec, now: datetime) -> Description:
    """Name and state of a meeting. A BBB meeting exists only once created, shortly before it
    starts, so one the server does not know yet is described as ``known=False``, not refused."""
    root = meeting_info(client, target)
    if root is None:
        kind = BBBMeetingCollector.kind
        return Description(kind, target.external_id, "", "scheduled", known=False)
    running = root.findtext("running") == "true"
    ended = _millis(root.findtext("endTime"))
    return Description(
        kind=BBBMeetingCollector.kind,
        external_id=target.external_id,
        title=root.findtext("meetingName") or "",
        status="live" if running else "ended" if ended else "scheduled",
        starts_at=_millis(root.findtext("startTime")),
        ends_at=ended,
    )


class BBBMeetingCollector:
    """The live roster of one BBB meeting, polled with ``getMeetingInfo``."""

    kind: ClassVar[str] = "bbb_meeting"

    def __init__(self, client: ApiClient, *, clock: Clock = utc_now) -> None:
        self.client = client
        self.clock = clock

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        now = self.clock()
        state = dict(cursor)
        present: dict[str, dict[str, Any]] = dict(state.get("present") or {})
        calls = self.client.calls
        root = meeting_info(self.client, target)
        running = root is not None and root.findtext("running") == "true"
        ended_at = _millis(root.findtext("endTime")) if root is not None else None
        if running:
            state["seen_running"] = True
        finished = bool(state.get("seen_running")) and not running
        records: list[ParticipantRecord] = []
        current = parse_attendees(root) if running and root is not None else {}
        for uid in list(present):
            if uid not in current:  # left since the last poll (or the meeting ended)
                records.append(_record(uid, present.pop(uid), ended_at or now))
        for uid, seen in current.items():
            joined = present.get(uid, {}).get("joined_at", now.isoformat())
            present[uid] = {**seen, "joined_at": joined}
            if root is not None:
                present[uid]["internalMeetingID"] = root.findtext("internalMeetingID") or ""
            records.append(_record(uid, present[uid], None))
        state["present"] = present
        status = "live" if running else ("ended" if finished else "scheduled")
        samples = (parse_counts(root, now),) if running and root is not None else ()
        started_at = _millis(root.findtext("startTime")) if running and root is not None else None
        return Batch(
            samples=samples,
            participants=tuple(records),
            cursor=state,
            status=status,
            finished=finished,
            calls=self.client.calls - calls,
            started_at=not_after(started_at, now),
            ended_at=not_after(ended_at, now),
            title=title_of(root.findtext("meetingName")) if root is not None else None,
        )


def make_client(session: requests.Session, base_url: str, **kw: Any) -> BBBClient:
    return BBBClient(session, base_url, ERROR_TABLE, **kw)
