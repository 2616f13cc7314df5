"""One sandbox process speaks all four conference platforms, with truth on its control surface."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from collectors.bbb import signed
from sandbox import ManualClock, Sandbox
from sandbox.conference import NON_HALLS, Conference
from sandbox.truth import conference_truth


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox.start(clock=ManualClock())
    yield sb
    sb.stop()


def _zoom_token(sandbox: Sandbox) -> str:
    creds = sandbox.conference_credentials("zoom")
    basic = base64.b64encode(f"{creds['client_id']}:{creds['client_secret']}".encode()).decode()
    answer = requests.post(
        creds["token_url"],
        params={"grant_type": "account_credentials", "account_id": creds["account_id"]},
        headers={"Authorization": f"Basic {basic}"},
        timeout=5,
    )
    assert answer.status_code == 200
    return answer.json()["access_token"]


def test_every_platform_answers_on_the_sandbox_port(sandbox: Sandbox) -> None:
    conf = sandbox.conferences.conference
    sandbox.clock.set(conf.start + 600)
    active = {s.name for s in conf.active(conf.start + 600)}
    zoom = sandbox.conference_credentials("zoom")
    mid = sandbox.conferences.external_id("zoom")
    live = requests.get(
        f"{zoom['base_url']}/metrics/meetings/{mid}/participants",
        params={"type": "live", "page_size": 300},
        headers={"Authorization": f"Bearer {_zoom_token(sandbox)}"},
        timeout=5,
    ).json()
    assert {p["user_name"] for p in live["participants"] if "leave_time" not in p} == active

    meet = sandbox.conference_credentials("meet")
    records = requests.get(
        f"{meet['base_url']}/conferenceRecords",
        headers={"Authorization": f"Bearer {meet['access_token']}"},
        timeout=5,
    ).json()
    assert len(records["conferenceRecords"]) == 1

    bbb = sandbox.conference_credentials("bbb")
    path = signed("getMeetingInfo", {"meetingID": sandbox.conferences.external_id("bbb")},
                  bbb["secret"])  # fmt: skip
    xml = requests.get(f"{bbb['base_url']}/{path}", timeout=5).text
    assert f"<participantCount>{len(conf.active(conf.start + 600))}</participantCount>" in xml

    teams = sandbox.conference_credentials("teams")
    base = (f"{teams['base_url']}/users/{teams['organizer_id']}/onlineMeetings/"
            f"{sandbox.conferences.external_id('teams')}/attendanceReports")  # fmt: skip
    auth = {"Authorization": f"Bearer {teams['access_token']}"}
    assert requests.get(base, headers=auth, timeout=5).json() == {"value": []}  # not ended yet
    sandbox.clock.set(conf.end + 300)
    assert len(requests.get(base, headers=auth, timeout=5).json()["value"]) == 1
    # The livestream fakes are still there, on the same port.
    assert requests.get(f"{sandbox.control_url}/state", timeout=5).status_code == 200


def test_control_surface_serves_truth_faults_end_and_reset(sandbox: Sandbox) -> None:
    control = f"{sandbox.control_url}/conference"
    conf = sandbox.conferences.conference
    sandbox.clock.set(conf.start + 900)
    truth = requests.get(f"{control}/truth", timeout=5).json()
    assert truth == conference_truth(conf, conf.start + 900)
    assert truth["halls_expected"] == 39
    assert 0 < truth["people_present"] < truth["people_expected"]
    assert set(truth["non_halls"]) <= {*NON_HALLS, conf.params.host_name}
    later = requests.get(f"{control}/truth", params={"t": conf.end}, timeout=5).json()
    assert later["people_present"] >= truth["people_present"]
    assert later["halls_connected"] == 39

    answer = requests.post(f"{control}/faults", json={"platform": "zoom", "kind": "rate_limit"},
                           timeout=5)  # fmt: skip
    assert answer.status_code == 200
    zoom = sandbox.conference_credentials("zoom")
    limited = requests.get(
        f"{zoom['base_url']}/metrics/meetings/{sandbox.conferences.external_id('zoom')}",
        params={"type": "live"},
        headers={"Authorization": f"Bearer {_zoom_token(sandbox)}"},
        timeout=5,
    )
    assert limited.status_code == 429
    assert limited.headers["X-RateLimit-Category"] == "Heavy"
    logged = requests.get(f"{control}/requests", params={"platform": "zoom"}, timeout=5).json()
    assert len(logged["zoom"]) == 2
    assert all("headers" not in e for e in logged["zoom"])  # no credentials on the surface

    refused = requests.post(f"{control}/faults", json={"platform": "skype", "kind": "x"}, timeout=5)
    assert refused.status_code == 400
    assert "skype" in refused.json()["error"]

    state = requests.post(f"{control}/end", timeout=5).json()
    assert state["phase"] == "ended"
    assert conf.end == conf.start + 900
    requests.post(f"{control}/reset", timeout=5)
    assert conf.end == conf.start + conf.params.duration
    assert requests.get(f"{control}/requests", timeout=5).json()["zoom"] == []


def test_head_counts_follow_the_halls() -> None:
    conf = Conference()
    reports = conf.head_counts()
    people = {a.commune: a.people for a in conf.halls()}
    expected = conf.expected()
    first_join = {c: ss[0].join for c, ss in conf.truth().items()}
    assert len({r.key for r in reports}) == len(reports)
    assert [r.t for r in reports] == sorted(r.t for r in reports)
    assert all(first_join[r.commune] < r.t and 0 < r.count <= people[r.commune] for r in reports)
    assert all(people[c] <= expected[c] < people[c] + 10 for c in people)
    silent = set(people) - {r.commune for r in reports}
    assert len(silent) == conf.params.silent_halls
    assert any(sum(r.commune == c for r in reports) > 1 for c in people)  # corrections happen
    final = conference_truth(conf, conf.end)
    latest = conf.reported(conf.end)
    assert final["people_present"] == sum(latest.values())
    corrected = {r.commune for r in reports if sum(x.commune == r.commune for x in reports) > 1}
    assert all(latest[c] == people[c] for c in corrected)  # a correction is the full hall
    assert {h["commune"] for h in final["halls"] if h["head_count"] is None} == silent


def test_a_demo_province_plays_its_own_communes() -> None:
    conf = Conference(communes=("Yên Thành", "Quang Đồng", "Đô Lương"), halls=3, seed=1)
    assert set(conf.truth()) == {"Yên Thành", "Quang Đồng", "Đô Lương"}
    with pytest.raises(ValueError, match="halls must be between 1 and 3"):
        Conference(communes=("A", "B", "C"), halls=4)


def test_the_lookups_a_pasted_link_needs_answer_as_the_platforms_do(sandbox: Sandbox) -> None:
    """Zoom ``GET /meetings/{id}``, Graph's ``onlineMeetings?$filter=``, Meet ``spaces/{code}``."""
    conf = sandbox.conferences.conference
    zoom = sandbox.conference_credentials("zoom")
    bearer = {"Authorization": f"Bearer {_zoom_token(sandbox)}"}

    def get(url: str, **kw: Any) -> requests.Response:
        return requests.get(url, timeout=5, **kw)

    meeting = get(f"{zoom['base_url']}/meetings/{conf.params.zoom_meeting_id}", headers=bearer)
    assert (meeting.json()["topic"], meeting.json()["status"]) == (conf.params.title, "waiting")
    sandbox.clock.set(conf.start + 60)
    meeting = get(f"{zoom['base_url']}/meetings/{conf.params.zoom_meeting_id}", headers=bearer)
    assert meeting.json()["status"] == "started"
    unknown = get(f"{zoom['base_url']}/meetings/81234567890", headers=bearer)
    assert (unknown.status_code, unknown.json()["code"]) == (404, 3001)
    assert get(f"{zoom['base_url']}/meetings/{conf.params.zoom_meeting_id}").status_code == 401

    teams = sandbox.conference_credentials("teams")
    headers = {"Authorization": f"Bearer {teams['access_token']}"}
    meetings = f"{teams['base_url']}/users/{teams['organizer_id']}/onlineMeetings"
    join = sandbox.conferences.teams.join_web_url
    found = get(meetings, params={"$filter": f"JoinWebUrl eq '{join}'"}, headers=headers).json()
    assert [m["id"] for m in found["value"]] == [conf.params.teams_meeting_id]
    other = get(meetings, params={"$filter": "JoinWebUrl eq 'https://x'"}, headers=headers)
    assert other.json() == {"value": []}
    unfiltered = get(meetings, headers=headers)
    assert (unfiltered.status_code, unfiltered.json()["error"]["code"]) == (400, "BadRequest")

    meet = sandbox.conference_credentials("meet")
    headers = {"Authorization": f"Bearer {meet['access_token']}"}
    space = get(f"{meet['base_url']}/spaces/{conf.params.meet_code}", headers=headers).json()
    assert space["meetingCode"] == conf.params.meet_code
    assert "activeConference" in space  # the clock is inside the meeting
    missing = get(f"{meet['base_url']}/spaces/abc-defg-hij", headers=headers)
    assert (missing.status_code, missing.json()["error"]["status"]) == (404, "NOT_FOUND")
