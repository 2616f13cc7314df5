"""The Teams collector against the fake Microsoft Graph over loopback HTTP.

Pins Graph's attendance reports: no roster before the end, one attendance report after it; records
paged with ``@odata.nextLink`` (followed verbatim, resumable across runs); one record per
signed-in attendee with an interval per session, anonymous guests with no identity id; 429 with
or without ``Retry-After`` → RateLimited; 401 InvalidAuthenticationToken and 403 → AuthExpired;
404 → TargetGone; 503 → TransientError.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from collectors.base import Batch, TargetSpec
from collectors.errors import (
    AuthExpired,
    PermanentError,
    RateLimited,
    TargetGone,
    TransientError,
    classify_http,
)
from collectors.http import make_session
from collectors.teams import ERROR_TABLE, TeamsMeetingCollector, make_client
from sandbox.conferences import ConferenceFakes
from sandbox.teams import TeamsFake


@pytest.fixture
def teams(conference_fakes: ConferenceFakes) -> TeamsFake:
    return conference_fakes.teams


@pytest.fixture
def url(platform_url: Callable[[str], str]) -> str:
    return platform_url("teams")


def setup(teams: TeamsFake, url: str, **kw: Any) -> tuple[TeamsMeetingCollector, TargetSpec]:
    client = make_client(make_session(retries=0, backoff=0), url, timeout=2)
    conf = teams.conference
    collector = TeamsMeetingCollector(
        client, clock=lambda: conf.datetime_at(teams.clock.now()), **kw
    )
    creds = {
        "access_token": teams.settings.access_token,
        "organizer_id": conf.params.teams_organizer_id,
    }
    return collector, TargetSpec("teams_meeting", conf.params.teams_meeting_id, url, creds)


def run(collector: TeamsMeetingCollector, spec: TargetSpec, cursor: dict) -> Batch:
    batch = collector.collect(spec, cursor)
    cursor.clear()
    cursor.update(batch.cursor)
    return batch


def test_no_roster_until_the_report_after_the_end(teams: TeamsFake, url: str) -> None:
    collector, spec = setup(teams, url)
    conf, cursor = teams.conference, {}
    assert run(collector, spec, cursor).status == "scheduled"
    teams.clock.set(conf.start + 600)
    batch = run(collector, spec, cursor)
    assert (batch.status, batch.participants, batch.finished) == ("live", (), False)
    assert (batch.started_at, batch.ended_at) == (None, None)  # a guess from the schedule
    teams.clock.set(conf.end + 10)
    assert run(collector, spec, cursor).participants == ()


def test_the_report_dates_the_meeting_even_when_read_weeks_later(
    teams: TeamsFake, url: str
) -> None:
    collector, spec = setup(teams, url)
    conf = teams.conference
    teams.clock.set(conf.end + 21 * 86400)  # the link added three weeks after the meeting
    batch = run(collector, spec, {})
    assert batch.status == "ended"
    assert (batch.started_at, batch.ended_at) == (
        conf.datetime_at(conf.start),
        conf.datetime_at(conf.end),
    )


def test_every_session_is_collected_exactly_once_across_resumed_pages(
    teams: TeamsFake, url: str
) -> None:
    collector, spec = setup(teams, url, max_pages=1, page_size=10)
    conf, cursor = teams.conference, {}
    teams.clock.set(conf.end + 300)
    rows: Counter = Counter()
    runs = 0
    while True:
        batch = run(collector, spec, cursor)
        runs += 1
        rows.update((p.display_name, p.joined_at, p.left_at) for p in batch.participants)
        if batch.finished:
            break
        assert cursor["next"].startswith("http")  # the nextLink, kept verbatim
    truth = Counter(
        (s.name, conf.datetime_at(s.join), conf.datetime_at(s.leave)) for s in conf.sessions()
    )
    assert rows == truth
    assert runs > 3
    assert batch.status == "ended"
    again = run(collector, spec, cursor)  # a finished report is not read again
    assert again.participants == ()


def test_accounts_keep_one_key_guests_get_derived_keys(teams: TeamsFake, url: str) -> None:
    collector, spec = setup(teams, url)
    conf = teams.conference
    teams.clock.set(conf.end + 300)
    records = collector.collect(spec, {}).participants
    lan = [p for p in records if p.display_name == "iPhone của Lan"]
    assert len(lan) == 1
    assert lan[0].participant_key.startswith("guest:")
    by_key = Counter(p.participant_key for p in records)
    assert len(by_key) == len(records) - sum(n - 1 for n in by_key.values())
    assert any(n > 1 and not k.startswith("guest:") for k, n in by_key.items())  # rejoins
    assert len({(p.participant_key, p.joined_at) for p in records}) == len(records)


@pytest.mark.parametrize(
    ("fault", "opts", "error", "wait"),
    [
        ("rate_limit", {}, RateLimited, 7.0),
        ("rate_limit", {"retry_after": None}, RateLimited, None),
        ("server_error", {}, TransientError, None),
        ("token_expired", {}, AuthExpired, None),
    ],
)
def test_faults_are_classified(
    teams: TeamsFake, url: str, fault: str, opts: dict, error: type, wait: float | None
) -> None:
    collector, spec = setup(teams, url)
    teams.faults.fail_next(fault, **opts)
    with pytest.raises(error) as info:
        collector.collect(spec, {})
    if error is RateLimited:
        assert info.value.retry_after == wait


def test_another_organiser_is_refused_and_a_wrong_meeting_is_gone(
    teams: TeamsFake, url: str
) -> None:
    collector, spec = setup(teams, url)
    other = TargetSpec(spec.kind, spec.external_id, url, {**spec.credentials, "organizer_id": "x"})
    with pytest.raises(AuthExpired):
        collector.collect(other, {})
    with pytest.raises(TargetGone):
        collector.collect(TargetSpec(spec.kind, "nope", url, spec.credentials), {})


def test_the_token_travels_in_a_header(teams: TeamsFake, url: str) -> None:
    collector, spec = setup(teams, url)
    teams.clock.set(teams.conference.end + 300)
    collector.collect(spec, {})
    for entry in teams.log.entries():
        assert teams.settings.access_token not in str(entry["params"])
        assert entry["headers"]["Authorization"] == f"Bearer {teams.settings.access_token}"


@pytest.mark.parametrize(
    ("status", "body", "headers", "error"),
    [
        (429, {"error": {"code": "TooManyRequests"}}, {"Retry-After": "12"}, RateLimited),
        (429, {"error": {"code": "activityLimitReached"}}, {}, RateLimited),
        (401, {"error": {"code": "InvalidAuthenticationToken"}}, {}, AuthExpired),
        (403, {"error": {"code": "Forbidden"}}, {}, AuthExpired),
        (404, {"error": {"code": "NotFound"}}, {}, TargetGone),
        (400, {"error": {"code": "BadRequest"}}, {}, PermanentError),
        (504, None, {}, TransientError),
        (200, {"value": []}, {}, None),
    ],
)
def test_classification_table(status: int, body: Any, headers: dict, error: type | None) -> None:
    result = classify_http(status, body, headers, ERROR_TABLE)
    assert (type(result) if result else None) is error
