"""The BigBlueButton collector against the fake BBB API over loopback HTTP.

Pins BigBlueButton's API: XML answers; failures are HTTP 200 with
``<returncode>FAILED</returncode>`` and a ``messageKey`` — checksumError → AuthExpired, notFound →
"not started" / "ended" (TargetGone when classified alone), missingParamMeetingID →
PermanentError; SHA-1 and SHA-256 checksums accepted; a proxy's 503 page or a cut body →
TransientError. The roster has no join times: sessions are bounded by the polls that saw them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import requests

from collectors.base import ParticipantRecord, TargetSpec
from collectors.bbb import ERROR_TABLE, BBBMeetingCollector, make_client, parse_xml, signed
from collectors.errors import (
    AuthExpired,
    PermanentError,
    TargetGone,
    TransientError,
    classify_http,
)
from collectors.http import make_session
from sandbox.bbb import BBBFake
from sandbox.conferences import ConferenceFakes

POLL = 20  # seconds between polls


@pytest.fixture
def bbb(conference_fakes: ConferenceFakes) -> BBBFake:
    return conference_fakes.bbb


@pytest.fixture
def url(platform_url: Callable[[str], str]) -> str:
    return platform_url("bbb")


def setup(bbb: BBBFake, url: str, **creds: Any) -> tuple[BBBMeetingCollector, TargetSpec]:
    client = make_client(make_session(retries=0, backoff=0), url, timeout=2)
    conf = bbb.conference
    collector = BBBMeetingCollector(client, clock=lambda: conf.datetime_at(bbb.clock.now()))
    creds = {"secret": bbb.settings.secret, **creds}
    return collector, TargetSpec("bbb_meeting", conf.params.bbb_meeting_id, url, creds)


def play(bbb: BBBFake, collector: BBBMeetingCollector, spec: TargetSpec, until: float) -> tuple:
    """Poll every POLL seconds; the last record per key, and the statuses seen in order."""
    cursor: dict = {}
    last: dict[str, ParticipantRecord] = {}
    statuses: list[str] = []
    while bbb.clock.now() <= until:
        batch = collector.collect(spec, cursor)
        cursor = dict(batch.cursor)
        last.update({p.participant_key: p for p in batch.participants})
        if not statuses or statuses[-1] != batch.status:
            statuses.append(str(batch.status))
        if batch.finished:
            break
        bbb.clock.advance(POLL)
    return last, statuses, batch


def test_every_hall_session_is_seen_once_within_a_poll(bbb: BBBFake, url: str) -> None:
    collector, spec = setup(bbb, url)
    conf = bbb.conference
    last, statuses, batch = play(bbb, collector, spec, conf.end + 60)
    assert statuses == ["scheduled", "live", "ended"]
    assert batch.finished
    assert len(last) == len(conf.sessions())
    poll = timedelta(seconds=POLL)
    for commune, sessions in conf.truth().items():
        for s in sessions:
            join, leave = conf.datetime_at(s.join), conf.datetime_at(s.leave)
            mine = [
                p
                for p in last.values()
                if p.display_name == s.name and join <= p.joined_at < join + poll
            ]
            assert len(mine) == 1, (commune, s.name)
            assert mine[0].left_at is not None
            assert leave <= mine[0].left_at < leave + poll
    rejoins = [p for p in last.values() if p.display_name.endswith(" 2")]
    assert rejoins  # "xã Tăng thành 2"-style rejoins are sessions of their own
    assert any(p.display_name == "iPhone của Lan" for p in last.values())


def test_the_server_dates_the_meeting_not_the_polls(bbb: BBBFake, url: str) -> None:
    collector, spec = setup(bbb, url)
    conf = bbb.conference
    bbb.clock.set(conf.start + 600)
    live = collector.collect(spec, {})
    assert (live.status, live.started_at, live.ended_at) == (
        "live",
        conf.datetime_at(conf.start),
        None,
    )
    bbb.clock.set(conf.end + 45)
    over = collector.collect(spec, live.cursor)
    assert (over.status, over.ended_at) == ("ended", conf.datetime_at(conf.end))


def test_a_removed_meeting_after_the_end_still_finishes(bbb: BBBFake, url: str) -> None:
    collector, spec = setup(bbb, url)
    conf = bbb.conference
    bbb.clock.set(conf.start + 600)
    cursor = dict(collector.collect(spec, {}).cursor)
    assert cursor["present"]
    bbb.clock.set(conf.end + 3600)  # notFound: the server dropped the ended meeting
    batch = collector.collect(spec, cursor)
    assert (batch.status, batch.finished) == ("ended", True)
    assert all(p.left_at is not None for p in batch.participants)
    assert len(batch.participants) == len(cursor["present"])


def test_sha256_checksums_are_accepted(bbb: BBBFake, url: str) -> None:
    collector, spec = setup(bbb, url, checksum="sha256")
    bbb.clock.set(bbb.conference.start + 600)
    batch = collector.collect(spec, {})
    assert batch.status == "live"
    assert batch.samples[0].live_viewers == len(bbb.conference.active(bbb.clock.now()))
    assert len(bbb.log.entries()[-1]["query"].split("checksum=")[1]) == 64


def test_the_secret_never_travels(bbb: BBBFake, url: str) -> None:
    collector, spec = setup(bbb, url)
    bbb.clock.set(bbb.conference.start + 600)
    collector.collect(spec, {})
    assert all(bbb.settings.secret not in e["query"] for e in bbb.log.entries())


@pytest.mark.parametrize("creds", [{"secret": "wrong"}, {"checksum": "sha512"}])
def test_a_refused_checksum_is_auth_expired(bbb: BBBFake, url: str, creds: dict) -> None:
    collector, spec = setup(bbb, url, **creds)
    bbb.clock.set(bbb.conference.start + 600)
    with pytest.raises(AuthExpired) as info:
        collector.collect(spec, {})
    assert info.value.code == "checksumError"
    assert info.value.status == 200  # FAILED inside HTTP 200


def test_failed_in_200_with_a_missing_parameter_is_permanent(bbb: BBBFake, url: str) -> None:
    query = signed("getMeetingInfo", {}, bbb.settings.secret)
    reply = requests.get(f"{url}/{query}", timeout=2)
    assert reply.status_code == 200
    error = classify_http(reply.status_code, parse_xml(reply.content), {}, ERROR_TABLE)
    assert isinstance(error, PermanentError)
    assert error.code == "missingParamMeetingID"


@pytest.mark.parametrize("fault", ["server_error", "malformed_xml"])
def test_broken_answers_are_transient(bbb: BBBFake, url: str, fault: str) -> None:
    collector, spec = setup(bbb, url)
    bbb.clock.set(bbb.conference.start + 600)
    bbb.faults.fail_next(fault)
    with pytest.raises(TransientError):
        collector.collect(spec, {})


def failed(key: str) -> bytes:
    body = f"<returncode>FAILED</returncode><messageKey>{key}</messageKey>"
    return f"<response>{body}</response>".encode()


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, failed("checksumError"), AuthExpired),
        (200, failed("notFound"), TargetGone),
        (200, failed("invalidMeetingIdentifier"), TargetGone),
        (200, failed("missingParamMeetingID"), PermanentError),
        (200, failed("somethingNew"), PermanentError),
        (200, b"<response><returncode>SUCCESS</returncode></response>", None),
        (503, b"<html>busy</html>", TransientError),
        (401, b"", AuthExpired),
        (404, b"<html>nginx</html>", PermanentError),
    ],
)
def test_classification_table(status: int, body: bytes, error: type | None) -> None:
    result = classify_http(status, parse_xml(body), {}, ERROR_TABLE)
    assert (type(result) if result else None) is error
