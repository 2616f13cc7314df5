"""Microsoft Teams meeting attendance through Microsoft Graph's meeting attendance reports.

Graph has no live roster: an attendance report appears each time the meeting ends.
Each poll reads the meeting (scheduled start and end, for the status), lists its reports and reads
the records of every report not yet read, following ``@odata.nextLink`` verbatim; the cursor keeps
finished report ids and the next link of a report read part-way. A record is one attendee with an
interval per session; each interval becomes a ``ParticipantRecord``. Anonymous guests have no
identity id, so their key is derived from name + join time. Tokens are app-only tokens: an account
with its Entra app's tenant, client id and secret buys its own (``collectors.app_tokens``, cached
in the cursor, bought again once after a 401); one holding only an ``access_token`` uses it until
it is refused (``AuthExpired``). The organiser's user id comes from ``credentials["organizer_id"]``
(or the target's account id).

Errors (``ERROR_TABLE``, in this order; the code lives in the body's ``error.code``):

======================================================  =====================================
answer                                                  class
======================================================  =====================================
429 TooManyRequests                                     RateLimited(``Retry-After`` or None:
                                                        it is not always sent)
InvalidAuthenticationToken (any status)                 AuthExpired
401 InvalidAuthenticationToken                          AuthExpired
403 (no access policy / not the organiser)              AuthExpired: a human must grant it
404 NotFound                                            TargetGone
5xx                                                     TransientError
other 4xx                                               PermanentError
======================================================  =====================================
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

import requests

from collectors.app_tokens import DEFAULT_LOGIN_URL, AppToken, GraphClient
from collectors.base import (
    Batch,
    Description,
    PagedCollector,
    ParticipantRecord,
    TargetSpec,
    guest_key,
    not_after,
    parse_time,
    title_of,
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
    retry_after_header,
)
from collectors.pagination import Paginator

PLATFORM = "teams"
PAGE_SIZE = 100


ERROR_TABLE = ErrorTable(
    PLATFORM,
    error_object("code"),
    (
        Rule(RateLimited, statuses={429}, wait=retry_after_header),
        Rule(AuthExpired, statuses={401, 403}, codes={"InvalidAuthenticationToken"}),
        Rule(TargetGone, statuses={404}),
        Rule(TransientError, statuses=SERVER_ERRORS),
    ),
)


def parse_records(payload: Mapping[str, Any], report_id: str) -> tuple[ParticipantRecord, ...]:
    """One record per attendance interval (one join → leave)."""
    records = []
    for item in payload.get("value") or []:
        identity = item.get("identity") or {}
        name = str(identity.get("displayName") or "")
        pid = str(identity.get("id") or "")
        detail = {
            "identity_id": pid,
            "emailAddress": item.get("emailAddress") or "",
            "role": item.get("role"),
            "tenantId": identity.get("tenantId"),
            "report_id": report_id,
        }
        for interval in item.get("attendanceIntervals") or []:
            joined = parse_time(interval.get("joinDateTime"))
            if joined is None:
                continue
            records.append(
                ParticipantRecord(
                    participant_key=pid or guest_key(name, joined.isoformat()),
                    display_name=name,
                    joined_at=joined,
                    left_at=parse_time(interval.get("leaveDateTime")),
                    detail=detail,
                )
            )
    return tuple(records)


def held(reports: list[dict[str, Any]]) -> tuple[datetime | None, datetime | None]:
    """When the meeting was actually held, from its attendance reports (one per time it
    ended): the first report's start and the last one's end; (None, None) before any report.
    The scheduled times say nothing of a meeting begun late or run over."""
    starts = [t for r in reports if (t := parse_time(r.get("meetingStartDateTime")))]
    ends = [t for r in reports if (t := parse_time(r.get("meetingEndDateTime")))]
    return (min(starts) if starts else None), (max(ends) if ends else None)


def meetings_path(target: TargetSpec) -> str:
    """The organiser's online meetings: the account's ``organizer_id`` (or its external id)."""
    organizer = target.credentials.get("organizer_id") or target.account_external_id
    if not organizer:
        raise AuthExpired("the account needs an organizer_id", platform=PLATFORM)
    return f"users/{organizer}/onlineMeetings"


def describe(client: GraphClient, target: TargetSpec, now: datetime) -> Description:
    """The meeting a join link (or the numeric meeting ID of a ``/meet/`` link) belongs to.

    Graph finds it among the organiser's meetings with ``$filter=JoinWebUrl eq '…'`` (or
    ``joinMeetingIdSettings/joinMeetingId eq '…'``); its own id is what the collector reads.
    Graph has no live state for a meeting; as when collecting, an attendance report says it has
    ended, and without one the scheduled start says whether it should be running.
    """
    auth = AppToken(client, target.credentials, {}, now)
    wanted = target.external_id.replace("'", "''")  # an OData string literal
    field = "joinMeetingIdSettings/joinMeetingId" if wanted.isdigit() else "JoinWebUrl"
    body = auth.get(meetings_path(target), {"$filter": f"{field} eq '{wanted}'"})
    found = body.get("value") or []
    if not found:
        raise TargetGone("the organiser has no meeting with this link", platform=PLATFORM)
    meeting = found[0]
    start, end = parse_time(meeting.get("startDateTime")), parse_time(meeting.get("endDateTime"))
    path = f"{meetings_path(target)}/{meeting['id']}/attendanceReports"
    reports = auth.get(path).get("value") or []
    status = "ended" if reports else "scheduled" if start is not None and now < start else "live"
    return Description(
        kind=TeamsMeetingCollector.kind,
        external_id=str(meeting["id"]),
        title=str(meeting.get("subject") or ""),
        status=status,
        starts_at=start,
        ends_at=end,
        url=str(meeting.get("joinWebUrl") or ""),  # Graph's own join address, as it gives it
    )


class TeamsMeetingCollector(PagedCollector):
    """Attendance reports of one Teams online meeting, read once each after every end."""

    kind: ClassVar[str] = "teams_meeting"

    default_page_size: ClassVar[int] = PAGE_SIZE

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        now = self.clock()
        state = dict(cursor)
        done: list[str] = list(state.get("reports_done") or [])
        auth = AppToken(self.client, target.credentials, state, now)
        base = f"{meetings_path(target)}/{target.external_id}"
        calls = self.client.calls
        meeting = auth.get(base)
        reports = self._reports(base, auth)
        pages = Paginator(self.max_pages)
        records: list[ParticipantRecord] = []
        for report in sorted(reports, key=lambda r: r.get("meetingEndDateTime") or ""):
            rid = str(report["id"])
            if rid in done:
                continue
            url = state.get("next") if state.get("report") == rid else None
            url = url or f"{base}/attendanceReports/{rid}/attendanceRecords?$top={self.page_size}"
            while True:
                body = auth.get(url)
                records.extend(parse_records(body, rid))
                if not pages.advance(body.get("@odata.nextLink")):
                    break
                url = str(pages.token)
            if pages.capped:  # come back for the rest of this report
                state.update(report=rid, next=pages.token)
                break
            done.append(rid)
            state.pop("report", None)
            state.pop("next", None)
        state["reports_done"] = done
        status = "ended" if reports else "scheduled"
        start, end = (
            parse_time(meeting.get("startDateTime")),
            parse_time(meeting.get("endDateTime")),
        )
        if not reports and start is not None and now >= start:
            status = "live"
        unread = [r for r in reports if r["id"] not in done]
        finished = bool(done) and not unread and (end is None or now >= end)
        began, ended = held(reports)
        return Batch(
            participants=tuple(records),
            cursor=state,
            status=status,
            finished=finished,
            calls=self.client.calls - calls,
            started_at=not_after(began, now),
            ended_at=not_after(ended, now),
            title=title_of(meeting.get("subject")),
            url=title_of(meeting.get("joinWebUrl")),  # Graph's join address; no passcode in it
        )

    def _reports(self, base: str, auth: AppToken) -> list[dict[str, Any]]:
        """All reports of the meeting (Graph keeps the 50 latest)."""
        reports: list[dict[str, Any]] = []
        pages = Paginator(self.max_pages)
        url = f"{base}/attendanceReports"
        while True:
            body = auth.get(url)
            reports.extend(r for r in body.get("value") or [] if r.get("id"))
            if not pages.advance(body.get("@odata.nextLink")):
                return reports
            url = str(pages.token)


def make_client(
    session: requests.Session, base_url: str, *, login_url: str = DEFAULT_LOGIN_URL, **kw: Any
) -> GraphClient:
    """Graph at ``base_url``; app tokens bought at ``login_url`` (the Entra login host)."""
    return GraphClient(session, base_url, ERROR_TABLE, login_url=login_url, **kw)
