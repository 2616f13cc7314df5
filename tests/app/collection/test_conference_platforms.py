"""Acceptance: a 39-hall conference played by the one sandbox on Zoom, Teams, Meet and BBB.

Through the real runner, the real check-in endpoint and the organiser's API, on both databases.
The halls type their names the ways officers do (case, no diacritics, "xã/UBND/Điểm cầu"
prefixes, "X.", "- 45 người", extra spaces, rejoins "… 2"), and a few participants are no hall
("Hội trường tỉnh", "iPhone của Lan"). Every hall session must be stored, matched to its own hall
or listed unmatched — never to another hall; once the organiser assigns the listed ones, the
summary must equal the scenario's truth: halls connected/expected, people present/expected, and
per hall its first join, last leave, minutes connected and drop-outs.

Head counts are sent at the second the script has them. The runner polls every five minutes and
once after the end; for BigBlueButton, whose roster has no join times, it polls at every moment
something happens (each join and leave), so it sees every session begin and end at its true
second.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from app.auth.tokens import issue_token
from app.collection import runner
from app.extensions import db
from app.halls import services
from app.live.summary import event_summary
from app.models import Participant, Platform
from sandbox import ManualClock, Sandbox
from sandbox.conference import Conference
from sandbox.conferences import TARGET_KINDS

# Also on PostgreSQL: the 39-hall acceptance (upserts, check-ins, API) on both databases.
pytestmark = pytest.mark.postgres

PLATFORMS = ("zoom", "teams", "meet", "bbb")
LINKS_VALID_UNTIL = datetime(2099, 1, 1, tzinfo=UTC)
EVERY_MOMENT = {"bbb"}  # a roster without join times: sessions are bounded by the polls
POLL = 300
HALL_FIELDS = ("expected", "head_count", "minutes_connected", "drop_outs")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(clock=ManualClock())
    yield sb
    sb.stop()


def _moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moments(conf: Conference) -> list[int]:
    """Every second at which something happens: joins, leaves, head counts; then the report."""
    times = {s.join for s in conf.sessions()} | {s.leave for s in conf.sessions()}
    times |= {r.t for r in conf.head_counts()}
    return sorted(times) + [conf.end + 180]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_39_halls_matched_never_wrongly_and_totals_equal_the_truth(
    app: Flask, client, make, sandbox: Sandbox, scenario_communes, platform: str
) -> None:
    app.config.update(COLLECTOR_HTTP_BACKOFF=0, COLLECTOR_HTTP_TIMEOUT=30.0)
    app.extensions.pop("lantoa_http", None)
    conf = sandbox.conferences.conference
    units = scenario_communes(conf)
    code_of = {u.short_name: u.code for u in units}
    account = make.account("98", platform=Platform(platform), name=f"{platform} (sandbox)",
                           credentials=sandbox.conference_credentials(platform))  # fmt: skip
    event = make.event("98", title="Hội nghị 39 điểm cầu", channel="online_conference")
    target = make.target(event, account, kind=TARGET_KINDS[platform],
                         external_id=sandbox.conferences.external_id(platform))  # fmt: skip
    expected = {code_of[c]: n for c, n in conf.expected().items()}
    points = services.set_bridge_points(event, "all", expected)
    for point in points:  # the sandbox's conference has a fixed date; the test runs on any day
        point.checkin_expires_at = LINKS_VALID_UNTIL
    db.session.commit()
    links = {p.org_unit.code: p.checkin_token for p in points}
    headers = {"Authorization": f"Bearer {issue_token(make.user('officer', '98'))}"}
    db.session.commit()
    event_id, target_id = event.id, target.id

    middle, last_run = conf.start + 900, -1e9
    for t in _moments(conf):
        sandbox.clock.set(t)
        for report in (r for r in conf.head_counts() if r.t == t):
            answer = client.post(
                f"/checkin/{links[code_of[report.commune]]}",
                json={"idempotency_key": report.key, "head_count": report.count},
            )
            assert answer.status_code == 201, answer.get_json()
        if platform not in EVERY_MOMENT and t - last_run < POLL and t <= conf.end:
            continue  # platforms with join times in the roster: a poll every few minutes
        last_run = t
        (result,) = runner.run_targets(
            [target_id], clock=lambda t=t: conf.datetime_at(t), publish=lambda *a: None
        )
        assert result.outcome in ("ok", "skipped"), result.error
        if t <= middle:
            summary = event_summary(event_id).as_dict()
            truth = sandbox.conferences.truth(t)
            assert summary["people_present"] == truth["people_present"]
            assert summary["halls_connected"] <= truth["halls_connected"]
            assert summary["halls_reported"] == truth["halls_reported"]
    db.session.expire_all()

    # Every session stored once, with its true join and leave.
    rows = db.session.execute(
        sa.select(Participant.id, Participant.display_name, Participant.joined_at,
                  Participant.left_at, Participant.bridge_point_id)
    ).all()  # fmt: skip
    stored = sorted((r.display_name, r.joined_at, r.left_at) for r in rows)
    played = sorted((s.name, conf.datetime_at(s.join), conf.datetime_at(s.leave))
                    for s in conf.sessions())  # fmt: skip
    assert stored == played

    # Matched to its own hall or left unmatched; never to another hall.
    hall_of = {(s.name, conf.datetime_at(s.join)): s.attendee.commune for s in conf.sessions()}
    point_code = {
        p.id: p.org_unit.code for p in services.points_of(db.session.get(type(event), event_id))
    }
    unmatched_halls = {}
    for row in rows:
        commune = hall_of[(row.display_name, row.joined_at)]
        if row.bridge_point_id is not None:
            assert commune is not None, f"{row.display_name!r} is no hall but was matched"
            assert point_code[row.bridge_point_id] == code_of[commune], row.display_name
        elif commune is not None:
            unmatched_halls[row.display_name] = commune
    assert 0 < len(unmatched_halls) <= 3  # the names that fold like both "Hoa" and "Hoà Thành"

    # Listed for the organiser, who assigns them with one click each.
    listed = client.get(f"/api/v1/events/{event_id}/participants?unmatched=1", headers=headers)
    by_name = {p["display_name"]: p["id"] for p in listed.get_json()}
    assert set(unmatched_halls) <= set(by_name)
    listed_points = client.get(f"/api/v1/events/{event_id}/bridge-points", headers=headers)
    hall_ids = {p["commune"]: p["id"] for p in listed_points.get_json()}
    for name, commune in unmatched_halls.items():
        answer = client.post(
            f"/api/v1/events/{event_id}/participants/{by_name[name]}/assign",
            json={"bridge_point_id": hall_ids[code_of[commune]]},
            headers=headers,
        )
        assert answer.status_code == 200, answer.get_json()
    still = client.get(f"/api/v1/events/{event_id}/participants?unmatched=1", headers=headers)
    truth = sandbox.conferences.truth()
    assert {p["display_name"] for p in still.get_json()} == set(truth["non_halls"])

    # The summary equals the truth, in totals and hall by hall.
    summary = event_summary(event_id).as_dict()
    keys = ("halls_expected", "halls_connected", "halls_reported", "people_expected",
            "people_present")  # fmt: skip
    for key in keys:
        assert summary[key] == truth[key], key
    assert (summary["halls_connected"], summary["halls_expected"]) == (39, 39)
    halls = {h["commune"]: h for h in summary["halls"]}
    for hall in truth["halls"]:
        got = halls[code_of[hall["commune"]]]
        assert {k: got[k] for k in HALL_FIELDS} == {k: hall[k] for k in HALL_FIELDS}, hall
        assert _moment(got["first_join"]) == _moment(hall["first_join"]), hall["commune"]
        assert _moment(got["last_leave"]) == _moment(hall["last_leave"]), hall["commune"]
        reported = hall["head_count"] is not None
        assert got["status"] == ("connected_reported" if reported else "connected")
