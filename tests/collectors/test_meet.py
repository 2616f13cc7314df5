"""The Meet collector against the fake Meet REST API v2 over loopback HTTP.

Pins the Meet API: no conference record before the start; while live, the participants list
(``earliestStartTime``, ``latestEndTime``) each poll, and the sessions of a participant only when
it joined, left or came back since the last poll; after the end the sessions still unread, paged
with ``pageToken``/``nextPageToken`` and resumable; 429
RESOURCE_EXHAUSTED → RateLimited; 401/403 → AuthExpired; 404 (expired record) → TargetGone;
503 → TransientError; INVALID_ARGUMENT → PermanentError.
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
from collectors.meet import ERROR_TABLE, MeetConferenceCollector, make_client
from sandbox.clock import ManualClock
from sandbox.conference import Conference
from sandbox.conferences import ConferenceFakes
from sandbox.loopback import LoopbackServer
from sandbox.meet import EXPIRY, MeetFake, create_app


@pytest.fixture
def meet(conference_fakes: ConferenceFakes) -> MeetFake:
    return conference_fakes.meet


@pytest.fixture
def url(platform_url: Callable[[str], str]) -> str:
    return platform_url("meet")


def setup(meet: MeetFake, url: str, **kw: Any) -> tuple[MeetConferenceCollector, TargetSpec]:
    client = make_client(make_session(retries=0, backoff=0), url, timeout=2)
    conf = meet.conference
    collector = MeetConferenceCollector(
        client, clock=lambda: conf.datetime_at(meet.clock.now()), **kw
    )
    creds = {"access_token": meet.settings.access_token}
    return collector, TargetSpec("meet_conference", conf.params.meet_code, url, creds)


def run(collector: MeetConferenceCollector, spec: TargetSpec, cursor: dict) -> Batch:
    batch = collector.collect(spec, cursor)
    cursor.clear()
    cursor.update(batch.cursor)
    return batch


def test_live_polls_read_the_sessions_of_participants_that_moved(meet: MeetFake, url: str) -> None:
    collector, spec = setup(meet, url, page_size=10)
    conf, cursor = meet.conference, {}
    assert run(collector, spec, cursor).status == "scheduled"
    t = conf.start + 1000
    meet.clock.set(t)
    batch = run(collector, spec, cursor)
    assert batch.status == "live"
    assert not batch.finished
    assert (batch.started_at, batch.ended_at) == (conf.datetime_at(conf.start), None)
    # The first read: every session so far, the open ones open, the others with their leave.
    so_far = {
        (s.name, conf.datetime_at(s.join), conf.datetime_at(s.leave) if s.left_by(t) else None)
        for s in conf.sessions_started(t)
    }
    assert {(p.display_name, p.joined_at, p.left_at) for p in batch.participants} == so_far
    # Nothing moved: the record and the participants list, no sessions.
    meet.log.clear()
    assert run(collector, spec, cursor).participants == ()
    paths = [e["path"] for e in meet.log.entries()]
    assert not [p for p in paths if p.endswith("/participantSessions")]
    assert len(paths) == 1 + -(-len({s.attendee.key if s.attendee.signed_in else s.key
                                     for s in conf.sessions_started(t)}) // 10)  # fmt: skip
    # Later: only the sessions of those that joined, left or came back since.
    later = t + 600
    meet.clock.set(later)
    batch = run(collector, spec, cursor)
    moved = {
        (s.name, conf.datetime_at(s.join), conf.datetime_at(s.leave) if s.left_by(later) else None)
        for s in conf.sessions_started(later)
    } - so_far
    assert moved
    assert moved <= {(p.display_name, p.joined_at, p.left_at) for p in batch.participants}


def _reads_over_the_meeting(halls: int, poll: int) -> tuple[int, int, int]:
    """(requests, polls, sessions) of one meeting of ``halls`` halls polled every ``poll`` s."""
    fake = MeetFake(Conference(halls=halls), ManualClock())
    with LoopbackServer(create_app(fake)) as server:
        collector, spec = setup(fake, server.url + "/meet/v2")
        conf, cursor, polls = fake.conference, {}, 0
        for t in range(conf.start, conf.end + 2 * poll, poll):
            fake.clock.set(t)
            batch = run(collector, spec, cursor)
            polls += 1
            if batch.finished:
                break
        assert batch.finished
        return len(fake.log.entries()), polls, len(conf.sessions())


def test_reads_do_not_grow_with_participants_times_polls() -> None:
    """Two reads a poll (the record, one page of participants), and a sessions read for each join
    or leave: however many polls, a bigger meeting adds only its own joins and leaves."""
    counts = {}
    for halls, poll in ((10, 15), (39, 15), (39, 5)):
        requests, polls, sessions = _reads_over_the_meeting(halls, poll)
        assert requests <= 2 * polls + 2 * sessions + 2, (halls, poll, requests)
        counts[halls, poll] = requests
    # Three times the polls cost two reads each, not a sessions read per participant each.
    extra_polls = (counts[39, 5] - counts[39, 15]) / (3600 // 5 - 3600 // 15)
    assert extra_polls < 2.5, counts


def test_after_the_end_every_session_is_collected_once(meet: MeetFake, url: str) -> None:
    collector, spec = setup(meet, url, page_size=10, max_pages=2)
    conf, cursor = meet.conference, {}
    meet.clock.set(conf.end + 60)
    rows: Counter = Counter()
    for _ in range(10):
        batch = run(collector, spec, cursor)
        rows.update((p.display_name, p.joined_at, p.left_at) for p in batch.participants)
        if batch.finished:
            break
    assert batch.finished
    assert batch.status == "ended"
    assert (batch.started_at, batch.ended_at) == (  # the record's, not the poll's
        conf.datetime_at(conf.start),
        conf.datetime_at(conf.end),
    )
    truth = Counter(
        (s.name, conf.datetime_at(s.join), conf.datetime_at(s.leave)) for s in conf.sessions()
    )
    assert rows == truth
    lan = [p for p, n in rows.items() if p[0] == "iPhone của Lan"]
    assert len(lan) == 1


def test_a_signed_in_rejoin_keeps_its_participant_id(meet: MeetFake, url: str) -> None:
    collector, spec = setup(meet, url)
    meet.clock.set(meet.conference.end + 60)
    records = collector.collect(spec, {}).participants
    keys = Counter(p.participant_key for p in records)
    rejoined = [k for k, n in keys.items() if n > 1]
    assert rejoined
    assert all(
        p.detail["user_kind"] == "signedinUser" for p in records if p.participant_key in rejoined
    )
    assert len({(p.participant_key, p.joined_at) for p in records}) == len(records)


def test_an_expired_record_is_gone(meet: MeetFake, url: str) -> None:
    collector, spec = setup(meet, url)
    meet.clock.set(meet.conference.end + 60)
    name = collector.collect(spec, {}).cursor["record"]
    meet.clock.set(meet.conference.end + EXPIRY + 1)
    by_name = TargetSpec(spec.kind, name, url, spec.credentials)
    with pytest.raises(TargetGone):
        collector.collect(by_name, {})


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("rate_limit", RateLimited),
        ("server_error", TransientError),
        ("token_expired", AuthExpired),
        ("permission_denied", AuthExpired),
    ],
)
def test_faults_are_classified(meet: MeetFake, url: str, fault: str, error: type) -> None:
    collector, spec = setup(meet, url)
    meet.clock.set(meet.conference.start + 600)
    meet.faults.fail_next(fault)
    with pytest.raises(error):
        collector.collect(spec, {})


@pytest.mark.parametrize(
    ("status", "name", "error"),
    [
        (429, "RESOURCE_EXHAUSTED", RateLimited),
        (401, "UNAUTHENTICATED", AuthExpired),
        (403, "PERMISSION_DENIED", AuthExpired),
        (404, "NOT_FOUND", TargetGone),
        (400, "INVALID_ARGUMENT", PermanentError),
        (503, "UNAVAILABLE", TransientError),
        (200, None, None),
    ],
)
def test_classification_table(status: int, name: str | None, error: type | None) -> None:
    body = {"error": {"code": status, "message": "x", "status": name}} if name else {}
    result = classify_http(status, body, {}, ERROR_TABLE)
    assert (type(result) if result else None) is error
