"""The Zoom collector against the fake Zoom API over loopback HTTP.

Pins Zoom API v2: the Dashboard live list while running, the report (one row per
join/leave, guests with empty ids) after the end; S2S OAuth tokens reused for their hour and
minted once more on 401 code 124; ``next_page_token`` expiring after 15 minutes (code 300, the
report restarts); 429 with ``X-RateLimit-*`` → RateLimited; 3001 → TargetGone; 4700 → AuthExpired
(never swallowed); 5xx → TransientError.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from collectors.base import Batch, TargetSpec, guest_key
from collectors.errors import (
    AuthExpired,
    PermanentError,
    RateLimited,
    TargetGone,
    TransientError,
    classify_http,
)
from collectors.http import make_session
from collectors.zoom import ERROR_TABLE, ZoomMeetingCollector, make_client
from sandbox.conference import Conference
from sandbox.conferences import ConferenceFakes
from sandbox.zoom import ZoomFake


@pytest.fixture
def zoom(conference_fakes: ConferenceFakes) -> ZoomFake:
    return conference_fakes.zoom


@pytest.fixture
def url(platform_url: Callable[[str], str]) -> str:
    return platform_url("zoom")


def setup(zoom: ZoomFake, url: str, retries: int = 0, **kw: Any) -> tuple[Any, TargetSpec]:
    client = make_client(
        make_session(retries=retries, backoff=0), url, token_url=f"{url}/oauth/token", timeout=2
    )
    conf = zoom.conference
    collector = ZoomMeetingCollector(client, clock=lambda: conf.datetime_at(zoom.clock.now()), **kw)
    s = zoom.settings
    creds = {"account_id": s.account_id, "client_id": s.client_id, "client_secret": s.client_secret}
    return collector, TargetSpec("zoom_meeting", conf.params.zoom_meeting_id, url, creds)


def run(collector: Any, spec: TargetSpec, cursor: dict) -> Batch:
    batch = collector.collect(spec, cursor)
    cursor.clear()
    cursor.update(batch.cursor)
    return batch


def truth_rows(conf: Conference) -> Counter:
    return Counter(
        (s.name, conf.datetime_at(s.join), conf.datetime_at(s.leave)) for s in conf.sessions()
    )


def test_before_the_start_the_meeting_is_scheduled(zoom: ZoomFake, url: str) -> None:
    collector, spec = setup(zoom, url)
    batch = collector.collect(spec, {})
    assert (batch.status, batch.finished, batch.participants) == ("scheduled", False, ())
    assert "access_token" in batch.cursor["token"]


def test_live_roster_then_the_report_gives_every_session_exactly_once(
    zoom: ZoomFake, url: str
) -> None:
    collector, spec = setup(zoom, url)
    conf, cursor, live_keys = zoom.conference, {}, set()
    zoom.clock.set(conf.start + 600)
    batch = run(collector, spec, cursor)
    assert batch.status == "live"
    assert batch.started_at == conf.datetime_at(conf.start)  # the meeting's own start
    started = conf.sessions_started(conf.start + 600)
    assert len(batch.participants) == len(started)
    live_keys |= {(p.participant_key, p.joined_at) for p in batch.participants}
    zoom.clock.set(conf.end + 10)  # ended, the report is not ready yet
    batch = run(collector, spec, cursor)
    assert (batch.status, batch.finished) == ("ended", False)
    zoom.clock.set(conf.end + 120)
    batch = run(collector, spec, cursor)
    assert (batch.status, batch.finished) == ("ended", True)
    assert (batch.started_at, batch.ended_at) == (
        conf.datetime_at(conf.start),
        conf.datetime_at(conf.end),
    )
    rows = Counter((p.display_name, p.joined_at, p.left_at) for p in batch.participants)
    assert rows == truth_rows(conf)
    keys = {(p.participant_key, p.joined_at) for p in batch.participants}
    assert len(keys) == len(batch.participants)
    assert live_keys <= keys  # the live records upsert into the same rows
    for commune, sessions in conf.truth().items():
        mine = [
            p
            for p in batch.participants
            if (p.display_name, p.joined_at)
            in {(s.name, conf.datetime_at(s.join)) for s in sessions}
        ]
        assert len(mine) == len(sessions), commune


def test_guests_get_a_stable_key_and_rejoins_are_separate_rows(zoom: ZoomFake, url: str) -> None:
    collector, spec = setup(zoom, url)
    conf = zoom.conference
    zoom.clock.set(conf.start + 600)
    live = {p.display_name: p for p in collector.collect(spec, {}).participants}
    zoom.clock.set(conf.end + 120)
    report = collector.collect(spec, {"phase": "report"}).participants
    lan = [p for p in report if p.display_name == "iPhone của Lan"]
    assert len(lan) == 1
    assert lan[0].participant_key == live["iPhone của Lan"].participant_key
    assert lan[0].participant_key == guest_key("iPhone của Lan", "2026-12-03T01:03:20Z")
    assert "id" not in lan[0].detail
    rejoiner = next(
        a
        for a in conf.attendees()
        if a.signed_in
        and a.kind == "hall"
        and len([s for s in conf.sessions() if s.attendee == a]) > 1
    )
    rows = [p for p in report if p.display_name == rejoiner.account_name]
    assert len(rows) > 1
    assert len({p.participant_key for p in rows}) == 1  # one account, several sessions


def test_the_token_is_reused_for_its_hour_and_sent_only_in_a_header(
    zoom: ZoomFake, url: str
) -> None:
    collector, spec = setup(zoom, url)
    cursor: dict = {}
    zoom.clock.set(zoom.conference.start + 60)
    for _ in range(5):
        run(collector, spec, cursor)
        zoom.clock.advance(300)
    assert zoom.minted == 1
    zoom.clock.advance(3600)
    run(collector, spec, cursor)
    assert zoom.minted == 2
    for entry in zoom.log.entries():
        assert not any("token" in k and k != "next_page_token" for k in entry["params"])
        assert entry["headers"]["Authorization"].startswith(("Bearer ", "Basic "))


def test_a_revoked_token_is_replaced_once(zoom: ZoomFake, url: str) -> None:
    collector, spec = setup(zoom, url)
    cursor: dict = {}
    zoom.clock.set(zoom.conference.start + 60)
    run(collector, spec, cursor)
    zoom.expire_tokens()
    assert run(collector, spec, cursor).status == "live"
    assert zoom.minted == 2


def test_a_token_refused_twice_is_auth_expired(zoom: ZoomFake, url: str) -> None:
    collector, spec = setup(zoom, url)
    zoom.clock.set(zoom.conference.start + 60)
    zoom.faults.fail_next("token_expired", times=2)
    with pytest.raises(AuthExpired) as info:
        collector.collect(spec, {})
    assert info.value.code == 124
    assert zoom.minted == 2


def test_wrong_client_secret_is_auth_expired(zoom: ZoomFake, url: str) -> None:
    collector, spec = setup(zoom, url)
    bad = TargetSpec(spec.kind, spec.external_id, url, {**spec.credentials, "client_secret": "x"})
    with pytest.raises(AuthExpired):
        collector.collect(bad, {})


def test_an_expired_page_token_restarts_the_report(zoom: ZoomFake, url: str) -> None:
    collector, spec = setup(zoom, url, max_pages=1, page_size=20)
    conf, cursor = zoom.conference, {}
    zoom.clock.set(conf.end + 120)
    seen: Counter = Counter()
    batch = run(collector, spec, cursor)
    seen.update((p.participant_key, p.joined_at) for p in batch.participants)
    assert cursor["report_token"]
    assert not batch.finished
    zoom.clock.advance(16 * 60)  # the token is now older than 15 minutes (code 300)
    while not batch.finished:
        batch = run(collector, spec, cursor)
        seen.update((p.participant_key, p.joined_at) for p in batch.participants)
    assert len(seen) == len(conf.sessions())
    assert seen.most_common(1)[0][1] == 2  # the first page was read again, nothing lost
    codes = [e for e in zoom.log.entries() if e["path"].endswith("/participants")]
    assert len(codes) == 5  # page 1, expired, page 1 again, pages 2 and 3


@pytest.mark.parametrize(
    ("fault", "opts", "error", "code"),
    [
        ("rate_limit", {}, RateLimited, 429),
        ("rate_limit", {"daily": True}, RateLimited, 429),
        ("server_error", {}, TransientError, 500),
        ("missing_scope", {}, AuthExpired, 4700),
    ],
)
def test_faults_are_classified(
    zoom: ZoomFake, url: str, fault: str, opts: dict, error: type, code: int
) -> None:
    collector, spec = setup(zoom, url)
    zoom.clock.set(zoom.conference.start + 60)
    zoom.faults.fail_next(fault, **opts)
    with pytest.raises(error) as info:
        collector.collect(spec, {})
    assert info.value.code == code


def test_a_single_server_error_is_retried_inside_the_request(zoom: ZoomFake, url: str) -> None:
    collector, spec = setup(zoom, url, retries=2)
    zoom.clock.set(zoom.conference.start + 60)
    zoom.faults.fail_next("server_error")
    assert collector.collect(spec, {}).status == "live"


def test_a_qps_limit_says_one_second(zoom: ZoomFake, url: str) -> None:
    session = requests.Session()
    token = session.post(
        f"{url}/oauth/token",
        params={"grant_type": "account_credentials", "account_id": "acc-bhxh-na"},
        auth=("zoom-client", "zoom-secret"),
    )
    zoom.faults.fail_next("rate_limit")
    reply = session.get(
        f"{url}/report/meetings/1",
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )
    assert reply.headers["X-RateLimit-Type"] == "QPS"
    error = classify_http(reply.status_code, reply.json(), reply.headers, ERROR_TABLE)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 1.0


NOW = datetime(2026, 12, 3, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "wait"),
    [
        (429, {"code": 429}, {"X-RateLimit-Type": "QPS"}, RateLimited, 1.0),
        (429, {"code": 429}, {"Retry-After": "2026-12-04T00:00:00Z"}, RateLimited, 7200.0),
        (429, {"code": 429}, {"X-RateLimit-Type": "Daily-limit"}, RateLimited, 7200.0),
        (429, {"code": 429}, {"Retry-After": "30"}, RateLimited, 30.0),
        (401, {"code": 124, "message": "Invalid access token."}, {}, AuthExpired, None),
        (400, {"code": 4700, "message": "no scope"}, {}, AuthExpired, None),
        (400, {"error": "invalid_client", "reason": "Invalid client"}, {}, AuthExpired, None),
        (404, {"code": 3001, "message": "Meeting does not exist"}, {}, TargetGone, None),
        (400, {"code": 300, "message": "expired token"}, {}, PermanentError, None),
        (400, {"code": 1010, "message": "bad field"}, {}, PermanentError, None),
        (502, None, {}, TransientError, None),
        (200, {"participants": []}, {}, None, None),
    ],
)
def test_classification_table(
    status: int, body: Any, headers: dict, error: type | None, wait: float | None
) -> None:
    result = classify_http(status, body, headers, ERROR_TABLE, now=NOW)
    if error is None:
        assert result is None
        return
    assert type(result) is error
    if wait is not None:
        assert isinstance(result, RateLimited)
        assert result.retry_after == wait
