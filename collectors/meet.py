"""Google Meet conferences through the Meet REST API v2 (meet.googleapis.com).

The target is a meeting code (or a ``conferenceRecords/{id}`` name). Each poll lists the
participants (``pageSize`` 250, the maximum): a participant's ``earliestStartTime`` and
``latestEndTime`` (absent while it is in the call) say who is present without reading sessions.
A participant's sessions are read only when it is new or its ``latestEndTime`` moved since the
last read (it left, came back, or left again): the cursor keeps each participant's last seen
``latestEndTime`` (``seen``). So a quiet meeting costs two reads a poll however many attend, and
each join or leave one more; the old way, a sessions read for every present participant on every
poll, cost ~1,000 reads in 8 minutes for one 40-hall meeting. Once the record has an ``endTime``,
the participants still unread (those present at the last poll, or all of them on a first read)
are read, resumably (the participants ``nextPageToken`` lives in the cursor). One
``ParticipantRecord`` per session, keyed by the participant id (guests have one too; a guest's
rejoin is a new participant).

Auth: an account holding a service account's JSON key buys its own access token by the JWT-bearer
grant (``collectors.app_tokens``; cached in the cursor, bought again once after a 401); one holding
only an ``access_token`` uses it until it is refused.

Errors (``ERROR_TABLE``, in this order; the code is the body's ``error.status``):

=============================================  ===================================================
answer (Google error ``status``)               class
=============================================  ===================================================
429 RESOURCE_EXHAUSTED                         RateLimited(60 s: quotas are per minute)
401 UNAUTHENTICATED                            AuthExpired (after one fresh token when the
                                               account buys its own)
403 PERMISSION_DENIED                          AuthExpired: a human must grant the scope
404 NOT_FOUND                                  TargetGone (record deleted 30 days after the end)
5xx (UNAVAILABLE, INTERNAL)                    TransientError
other 4xx (INVALID_ARGUMENT)                   PermanentError
=============================================  ===================================================
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

import requests

from collectors.app_tokens import DEFAULT_GOOGLE_TOKEN_URL, AppToken, GoogleServiceClient
from collectors.base import (
    Batch,
    Description,
    PagedCollector,
    ParticipantRecord,
    TargetSpec,
    not_after,
    parse_time,
)
from collectors.errors import (
    SERVER_ERRORS,
    AuthExpired,
    ErrorTable,
    RateLimited,
    Rule,
    TargetGone,
    TransientError,
    error_object,
    wait_for,
)
from collectors.pagination import Paginator

PLATFORM = "meet"
PAGE_SIZE = 250  # the maximum for participants and sessions
QUOTA_WAIT = 60.0
USER_KINDS = ("signedinUser", "anonymousUser", "phoneUser")


ERROR_TABLE = ErrorTable(
    PLATFORM,
    error_object("status"),
    (
        Rule(RateLimited, statuses={429}, codes={"RESOURCE_EXHAUSTED"}, wait=wait_for(QUOTA_WAIT)),
        Rule(AuthExpired, statuses={401, 403}, codes={"UNAUTHENTICATED", "PERMISSION_DENIED"}),
        Rule(TargetGone, statuses={404}),
        Rule(TransientError, statuses=SERVER_ERRORS),
    ),
)


def participant_user(participant: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The display name, and which kind of user this is (signed in, anonymous, phone)."""
    for kind in USER_KINDS:
        if isinstance(participant.get(kind), dict):
            user = participant[kind]
            return str(user.get("displayName") or ""), {"user_kind": kind, **user}
    return "", {}


def parse_sessions(
    participant: Mapping[str, Any], payload: Mapping[str, Any]
) -> tuple[ParticipantRecord, ...]:
    """One record per session of one participant."""
    name, user = participant_user(participant)
    pid = str(participant.get("name", "")).rsplit("/", 1)[-1]
    records = []
    for session in payload.get("participantSessions") or []:
        joined = parse_time(session.get("startTime"))
        if joined is None:
            continue
        records.append(
            ParticipantRecord(
                participant_key=pid,
                display_name=name,
                joined_at=joined,
                left_at=parse_time(session.get("endTime")),
                detail={
                    "participant": participant.get("name"),
                    "session": session.get("name"),
                    **user,
                },
            )
        )
    return tuple(records)


class MeetConferenceCollector(PagedCollector):
    """The roster of one Meet conference: the sessions of participants that moved, each poll."""

    kind: ClassVar[str] = "meet_conference"

    default_page_size: ClassVar[int] = PAGE_SIZE

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        state = dict(cursor)
        now = self.clock()
        auth = AppToken(self.client, target.credentials, state, now)
        calls = self.client.calls
        record = self._record(target.external_id, auth)
        if record is None:
            return Batch(cursor=state, status="scheduled", calls=self.client.calls - calls)
        state["record"] = record["name"]
        seen = dict(state.get("seen") or {})
        records: list[ParticipantRecord] = []
        started_at = not_after(parse_time(record.get("startTime")), now)
        live = not record.get("endTime")
        if not live:
            state["phase"] = "final"
        state["seen"] = seen
        pages = Paginator(self.max_pages)
        for participant in self._participants(record["name"], state, auth, pages):
            pid = str(participant.get("name", "")).rsplit("/", 1)[-1]
            mark = str(participant.get("latestEndTime") or "")
            if seen.get(pid) != mark:  # new, left, back, or left again: its sessions moved
                records.extend(self._sessions(participant, auth))
                seen[pid] = mark
        if live:
            state.pop("participants_token", None)  # the live list is a snapshot
            return Batch(
                participants=tuple(records),
                cursor=state,
                status="live",
                calls=self.client.calls - calls,
                started_at=started_at,
            )
        return Batch(
            participants=tuple(records),
            cursor=state,
            status="ended",
            finished=not pages.capped,
            calls=self.client.calls - calls,
            started_at=started_at,
            ended_at=not_after(parse_time(record.get("endTime")), now),
        )

    def _record(self, external_id: str, auth: AppToken) -> dict[str, Any] | None:
        """The conference record: by name, or the latest one of the meeting code."""
        if external_id.startswith("conferenceRecords/"):
            return auth.get(external_id)
        params = {"filter": f'space.meeting_code = "{external_id}"'}
        body = auth.get("conferenceRecords", params)
        found = body.get("conferenceRecords") or []
        return max(found, key=lambda r: r.get("startTime") or "") if found else None

    def _participants(
        self, record: str, state: dict, auth: AppToken, pages: Paginator
    ) -> Iterator[dict[str, Any]]:
        """Every participant, page by page; after the end the page token is kept in the cursor,
        so a run capped at ``max_pages`` goes on where it stopped."""
        resumable = state.get("phase") == "final"
        while True:
            params: dict[str, Any] = {"pageSize": self.page_size}
            if resumable and state.get("participants_token"):
                params["pageToken"] = state["participants_token"]
            elif pages.token:
                params["pageToken"] = pages.token
            body = auth.get(f"{record}/participants", params)
            yield from body.get("participants") or []
            more = pages.advance(body.get("nextPageToken"))
            if resumable:  # advance only after the page's sessions were read
                state["participants_token"] = pages.token
            if not more:
                return

    def _sessions(self, participant: Mapping[str, Any], auth: AppToken) -> list[ParticipantRecord]:
        """Every session of one participant, open and closed."""
        records: list[ParticipantRecord] = []
        pages = Paginator(self.max_pages)
        params: dict[str, Any] = {"pageSize": self.page_size}
        while True:
            body = auth.get(f"{participant['name']}/participantSessions", params)
            records.extend(parse_sessions(participant, body))
            if not pages.advance(body.get("nextPageToken")):
                return records
            params["pageToken"] = pages.token


def describe(client: GoogleServiceClient, target: TargetSpec, now: datetime) -> Description:
    """The meeting space of a code (``GET spaces/{code}``) and its latest conference record.

    A space has no title; without a record the meeting has not started yet.
    """
    auth = AppToken(client, target.credentials, {}, now)
    space = auth.get(f"spaces/{target.external_id}")
    code = str(space.get("meetingCode") or target.external_id)
    record = MeetConferenceCollector(client)._record(code, auth)
    status = "scheduled" if record is None else "ended" if record.get("endTime") else "live"
    return Description(
        kind=MeetConferenceCollector.kind,
        external_id=code,
        title="",
        status=status,
        starts_at=parse_time(record.get("startTime")) if record else None,
        ends_at=parse_time(record.get("endTime")) if record else None,
    )


def make_client(
    session: requests.Session,
    base_url: str,
    *,
    token_url: str = DEFAULT_GOOGLE_TOKEN_URL,
    **kw: Any,
) -> GoogleServiceClient:
    """The Meet API at ``base_url``; a service account's tokens bought at ``token_url``."""
    return GoogleServiceClient(session, base_url, ERROR_TABLE, token_url=token_url, **kw)
