"""Zoom meetings through REST API v2: live roster while running, participant report after the end.

While the meeting runs, the Dashboard API lists live participants
(``/metrics/meetings/{id}/participants?type=live``, Business+ plan); once it has ended and the
report is ready, the past-meeting report (``/report/meetings/{id}/participants``) gives one row per
join/leave and is read to the end, resumably (the ``next_page_token`` lives in the cursor). Guests
have empty ids since March 2023, so their key is derived from name + join time, which both
endpoints give identically.

Auth: Server-to-Server OAuth, a bearer valid 3600 s with no refresh token; it is cached in
the cursor for its lifetime (Zoom invalidates tokens minted too often) and minted again once on a
401 before ``AuthExpired`` is raised.

Errors (``ERROR_TABLE``, in this order; the code lives in the body's ``code``):

=============================================  ================================================
status / Zoom ``code``                         class
=============================================  ================================================
429 (``X-RateLimit-Type`` QPS / Daily-limit)   RateLimited(``Retry-After`` seconds or timestamp;
                                               1 s for QPS; until 00:00 GMT for daily)
401, code 124 (invalid/expired token)          AuthExpired (after one fresh token)
code 4700 / 4711 (missing scope)               AuthExpired: re-authorise the app
token endpoint 400/401 ``invalid_client``      AuthExpired
code 3001, 404 (no such meeting / not ended)   TargetGone (the collector catches it to tell
                                               "not live yet" / "report not ready")
code 300 (``next_page_token`` expired, 15 min)  PermanentError; the collector restarts the report
5xx                                            TransientError
other 4xx                                      PermanentError
=============================================  ================================================
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

import requests

from collectors.base import (
    Batch,
    Description,
    PagedCollector,
    ParticipantRecord,
    TargetSpec,
    guest_key,
    join_link,
    not_after,
    parse_time,
    title_of,
)
from collectors.errors import (
    SERVER_ERRORS,
    AuthExpired,
    ErrorTable,
    Failure,
    PermanentError,
    RateLimited,
    Rule,
    TargetGone,
    TransientError,
    retry_after_header,
)
from collectors.http import ApiClient
from collectors.pagination import Paginator

PLATFORM = "zoom"
DEFAULT_TOKEN_URL = "https://zoom.us/oauth/token"
TOKEN_MARGIN = timedelta(seconds=60)  # mint a new token a minute before the old one dies
AUTH_CODES = {124, 4700, 4711}
GONE_CODES = {3001}
PAGE_TOKEN_EXPIRED = 300
QPS_WAIT = 1.0  # seconds; QPS 429s often come without Retry-After
PAGE_SIZE = 300  # the maximum page_size of both participant lists


def retry_after(headers: Mapping[str, str], now: datetime) -> float:
    """Seconds to wait: ``Retry-After`` (seconds, HTTP date or ISO timestamp) or by limit type."""
    seconds = retry_after_header(headers, now)
    if seconds is not None:
        return seconds
    if headers.get("X-RateLimit-Type", "").lower().startswith("daily"):
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return (midnight - now).total_seconds()
    return QPS_WAIT


def read_error(status: int, body: Any) -> Failure | None:
    """Zoom's ``code`` and ``message`` (the OAuth host says ``error`` and ``reason``)."""
    if status < 400:
        return None
    body = body if isinstance(body, dict) else {}
    message = str(body.get("message") or body.get("reason") or f"HTTP {status}")
    return Failure(body.get("code"), message, body)


ERROR_TABLE = ErrorTable(
    PLATFORM,
    read_error,
    (
        Rule(RateLimited, statuses={429}, wait=retry_after),
        Rule(
            AuthExpired,
            statuses={401},
            codes=AUTH_CODES,
            when=lambda failure: failure.detail.get("error") == "invalid_client",
        ),
        Rule(TargetGone, statuses={404}, codes=GONE_CODES),
        Rule(TransientError, statuses=SERVER_ERRORS),
    ),
)


def parse_participants(payload: Mapping[str, Any], source: str) -> tuple[ParticipantRecord, ...]:
    """One record per row (a row is one join → leave); rows without a join time are skipped."""
    records = []
    for row in payload.get("participants") or []:
        joined = parse_time(row.get("join_time"))
        if joined is None:
            continue
        name = str(row.get("name") or row.get("user_name") or "")
        pid = row.get("participant_user_id") or row.get("id") or ""
        detail = {
            k: row.get(k)
            for k in (
                "id",
                "participant_user_id",
                "user_id",
                "user_email",
                "status",
                "leave_reason",
            )
            if row.get(k) not in (None, "")
        }
        records.append(
            ParticipantRecord(
                participant_key=str(pid) or guest_key(name, str(row["join_time"])),
                display_name=name,
                joined_at=joined,
                left_at=parse_time(row.get("leave_time")),
                detail={**detail, "source": source},
            )
        )
    return tuple(records)


class ZoomClient(ApiClient):
    """The API client plus the S2S OAuth token endpoint, which lives on another host."""

    def __init__(self, *args: Any, token_url: str = DEFAULT_TOKEN_URL, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.token_url = token_url

    def mint(self, credentials: Mapping[str, Any]) -> dict[str, Any]:
        """A new access token for the account (``grant_type=account_credentials``)."""
        try:
            account = credentials["account_id"]
            basic = f"{credentials['client_id']}:{credentials['client_secret']}"
        except KeyError as exc:
            raise AuthExpired(f"zoom credentials lack {exc}", platform=PLATFORM) from exc
        auth = base64.b64encode(basic.encode()).decode()
        params = {"grant_type": "account_credentials", "account_id": account}
        # An account may name its own OAuth host (a proxy, the sandbox); else the client's.
        token_url = str(credentials.get("token_url") or self.token_url)
        return self.post(token_url, params=params, headers={"Authorization": f"Basic {auth}"}).body


class _Auth:
    """The bearer token for one run: reused from the cursor, minted when missing or stale."""

    def __init__(self, client: ZoomClient, target: TargetSpec, state: dict, now: datetime) -> None:
        self.client, self.target, self.state, self.now = client, target, state, now
        self.refreshed = False

    def _token(self) -> str:
        cached = self.state.get("token") or {}
        expires = parse_time(cached.get("expires_at"))
        if cached.get("access_token") and expires and self.now + TOKEN_MARGIN < expires:
            return str(cached["access_token"])
        return self._mint()

    def _mint(self) -> str:
        body = self.client.mint(self.target.credentials)
        expires = self.now + timedelta(seconds=int(body.get("expires_in", 3600)))
        self.state["token"] = {
            "access_token": body["access_token"],
            "expires_at": expires.isoformat(),
        }
        return str(body["access_token"])

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        try:
            return self.client.get(path, params, headers=self._bearer(self._token())).body
        except AuthExpired as exc:
            if exc.status != 401 or self.refreshed:
                raise
            self.refreshed = True  # one fresh token, then give up: a human must re-authorise
            token = self._mint()
        return self.client.get(path, params, headers=self._bearer(token)).body

    @staticmethod
    def _bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def meeting_path(meeting_id: str) -> str:
    """Numeric ids as is; instance UUIDs starting with ``/`` or holding ``//`` double-encoded."""
    once = quote(meeting_id, safe="")
    return quote(once, safe="") if meeting_id.startswith("/") or "//" in meeting_id else once


class ZoomMeetingCollector(PagedCollector):
    """The roster of one Zoom meeting: live participants, then the final report."""

    kind: ClassVar[str] = "zoom_meeting"

    default_page_size: ClassVar[int] = PAGE_SIZE

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        state = dict(cursor)
        calls_before = self.client.calls
        auth = _Auth(self.client, target, state, self.clock())
        mid = meeting_path(target.external_id)
        url = None
        if not state.get("join_read"):  # once: the meeting's own record holds its join address
            state["join_read"] = True
            meeting = self._probe(auth, f"meetings/{mid}")
            url = join_link(meeting.get("join_url")) if meeting else None
        batch = self._read(auth, mid, state, calls_before)
        return replace(batch, url=url) if url else batch

    def _read(self, auth: _Auth, mid: str, state: dict, calls_before: int) -> Batch:
        """The live roster while the meeting runs, then its report's pages."""
        records: tuple[ParticipantRecord, ...] = ()
        topic: str | None = None  # the meeting's, as the live detail or the report says it
        if state.get("phase") != "report":
            live = self._probe(auth, f"metrics/meetings/{mid}", {"type": "live"})
            if live:
                state["seen_live"] = True
                records = self._live(auth, mid)
                started, topic = live.get("start_time"), live.get("topic")
                return self._batch(
                    records, state, "live", False, calls_before, started, None, topic
                )
            report = self._probe(auth, f"report/meetings/{mid}")
            if report is None:  # not started, or ended with the report not ready yet
                status = "ended" if state.get("seen_live") else "scheduled"
                return self._batch((), state, status, False, calls_before)
            state.update(phase="report", started_at=report.get("start_time"),
                         ended_at=report.get("end_time"))  # fmt: skip
            topic = report.get("topic")
        records, done = self._report(auth, mid, state)
        started, ended = state.get("started_at"), state.get("ended_at")
        return self._batch(records, state, "ended", done, calls_before, started, ended, topic)

    def _batch(
        self,
        records: tuple,
        state: dict,
        status: str,
        finished: bool,
        calls_before: int,
        started: str | None = None,
        ended: str | None = None,
        topic: str | None = None,
    ) -> Batch:
        """``started``, ``ended``: the meeting's own times as Zoom writes them (live metrics, then
        the report), so a meeting tracked after it ended is dated by Zoom, not by the poll;
        ``topic``: its title, where this poll read it."""
        now = self.clock()
        return Batch(
            participants=records,
            cursor=state,
            status=status,
            finished=finished,
            calls=self.client.calls - calls_before,
            started_at=not_after(parse_time(started), now),
            ended_at=not_after(parse_time(ended), now),
            title=title_of(topic),
        )

    @staticmethod
    def _probe(auth: _Auth, path: str, params: Mapping[str, Any] | None = None) -> dict | None:
        """The answer, or None when Zoom says 3001 (not live / not ended)."""
        try:
            return auth.get(path, params)
        except TargetGone:
            return None

    def _live(self, auth: _Auth, mid: str) -> tuple[ParticipantRecord, ...]:
        """The live list is a snapshot, so it is read from the first page on every poll."""
        records: list[ParticipantRecord] = []
        pages = Paginator(self.max_pages)
        params: dict[str, Any] = {"type": "live", "page_size": self.page_size}
        while True:
            body = auth.get(f"metrics/meetings/{mid}/participants", params)
            records.extend(parse_participants(body, "live"))
            if not pages.advance(body.get("next_page_token")):
                return tuple(records)
            params["next_page_token"] = pages.token

    def _report(
        self, auth: _Auth, mid: str, state: dict
    ) -> tuple[tuple[ParticipantRecord, ...], bool]:
        """Report pages from the cursor's token; an expired token (code 300) restarts once."""
        records: list[ParticipantRecord] = []
        pages = Paginator(self.max_pages)
        restarted = False
        while True:
            params: dict[str, Any] = {"page_size": self.page_size}
            if state.get("report_token"):
                params["next_page_token"] = state["report_token"]
            try:
                body = auth.get(f"report/meetings/{mid}/participants", params)
            except PermanentError as exc:
                if exc.code != PAGE_TOKEN_EXPIRED or restarted or "next_page_token" not in params:
                    raise
                restarted = True  # upserts absorb the pages read again
                state.pop("report_token", None)
                continue
            records.extend(parse_participants(body, "report"))
            more = pages.advance(body.get("next_page_token"))
            state["report_token"] = pages.token
            if not more:
                done = not pages.capped
                if done:
                    state.pop("report_token", None)
                return tuple(records), done


def describe(client: ZoomClient, target: TargetSpec, now: datetime) -> Description:
    """Topic, state and start of a meeting (``GET /meetings/{id}``, scope ``meeting:read``).

    ``status`` says ``started`` while it runs and ``waiting`` otherwise, so a meeting not running
    is looked up in the reports: one there has ended. An instant meeting that has ended is no
    longer a meeting (3001) but still has its report.
    """
    auth = _Auth(client, target, {}, now)
    mid = meeting_path(target.external_id)
    probe = ZoomMeetingCollector._probe
    meeting = probe(auth, f"meetings/{mid}")
    report = (
        None
        if meeting and meeting.get("status") == "started"
        else probe(auth, f"report/meetings/{mid}")
    )
    found = meeting or report
    if found is None:
        raise TargetGone("no such meeting", platform=PLATFORM, code=3001)
    return Description(
        kind=ZoomMeetingCollector.kind,
        external_id=target.external_id,
        title=str(found.get("topic") or ""),
        status="ended" if report else "live" if found.get("status") == "started" else "scheduled",
        starts_at=parse_time(found.get("start_time")),
        ends_at=parse_time(report.get("end_time")) if report else None,
        url=join_link((meeting or {}).get("join_url")) or "",
    )


def make_client(
    session: requests.Session, base_url: str, *, token_url: str = DEFAULT_TOKEN_URL, **kw: Any
) -> ZoomClient:
    return ZoomClient(session, base_url, ERROR_TABLE, token_url=token_url, **kw)


__all__ = ["ERROR_TABLE", "ZoomMeetingCollector", "describe", "make_client", "parse_participants"]
