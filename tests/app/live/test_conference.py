"""The conference live view on the server: the board's order, contact phones for officers only,
the halls series in the snapshot and the delta, and which counters the page carries.

Four halls: one connected through its participants only, one that reported twice (the later
count counts) but never joined the meeting, two never connected (one with a contact person and
phone, one without). The hall that only reported is not connected: the organiser phones it.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.live.delta import delta_pair
from app.live.snapshot import build_snapshot
from app.models import AttendanceReport, Participant, Platform
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
STAMP = {"epoch": "e1", "seq": 3}


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def conference(make: Factory):  # type: ignore[no-untyped-def]
    event = make.event(HOME, title="Hội nghị 4 điểm cầu", channel="online_conference",
                       planned_start=START)  # fmt: skip
    codes = commune_codes(HOME, 4)
    points = services.set_bridge_points(
        event, codes, dict(zip(codes, (30, 40, 50, 60), strict=True))
    )
    waiting, joined, reported, silent = points
    waiting.contact_name, waiting.contact_phone = "Chị Lan", "+84912345678"
    target = make.target(event, make.account(platform=Platform.ZOOM, name="Zoom"),
                         kind="zoom_meeting", external_id="m1")  # fmt: skip
    db.session.add(Participant(target_id=target.id, participant_key="p1", display_name="Xã 2",
                               joined_at=at(3), bridge_point_id=joined.id))  # fmt: skip
    for key, count, minutes in (("a", 20, 5), ("b", 45, 9)):
        db.session.add(AttendanceReport(bridge_point_id=reported.id, head_count=count,
                                        reported_at=at(minutes), idempotency_key=key))  # fmt: skip
    db.session.commit()
    return event, points


def test_snapshot_board_order_series_and_phones(conference) -> None:  # type: ignore[no-untyped-def]
    event, (waiting, joined, reported, silent) = conference
    snap = build_snapshot(event.id, can_see_phones=False, stamp=STAMP)
    summary = snap["summary"]
    assert (summary["halls_connected"], summary["halls_expected"]) == (1, 4)
    assert summary["halls_reported"] == 1
    assert (summary["people_present"], summary["people_expected"]) == (45, 180)
    # Not connected to the meeting first (in hall order), the one that only reported among
    # them, then the connected.
    assert [h["id"] for h in summary["halls"]] == [waiting.id, reported.id, silent.id, joined.id]
    assert [h["status"] for h in summary["halls"]] == [
        "not_connected", "reported_only", "not_connected", "connected"
    ]  # fmt: skip
    assert summary["halls"][0]["contact"] == "Chị Lan"
    assert all("phone" not in h for h in summary["halls"])
    assert "0912345678" not in json.dumps(snap)
    assert "0912 345 678" not in json.dumps(snap)
    # Halls connected and people present at each moment, the last one the totals: the reports
    # move the people, never the halls connected.
    assert snap["series"]["halls"] == [
        [at(3).isoformat(), 1, 0], [at(5).isoformat(), 1, 20], [at(9).isoformat(), 1, 45]
    ]  # fmt: skip
    full = build_snapshot(event.id, can_see_phones=True, stamp=STAMP)
    phones = {h["id"]: h["phone"] for h in full["summary"]["halls"]}
    assert phones == {waiting.id: "0912 345 678", silent.id: None, joined.id: None,
                      reported.id: None}  # fmt: skip


def test_delta_carries_the_series_tail_and_phones_only_for_officers(conference) -> None:  # type: ignore[no-untyped-def]
    event, (waiting, *_rest) = conference
    plain, full = delta_pair(event.id, "checkin", server_time=at(10))
    assert plain["series"]["halls"][-1] == [at(9).isoformat(), 1, 45]
    assert plain["summary"]["people_present"] == 45
    assert (plain["summary"]["halls_connected"], plain["summary"]["halls_reported"]) == (1, 1)
    assert "0912345678" not in json.dumps(plain)
    assert "0912 345 678" not in json.dumps(plain)
    assert full["summary"]["halls"][0]["phone"] == "0912 345 678"


def config_of(html: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="live-config">(.*?)</script>', html, re.S
    )
    assert found
    return json.loads(found.group(1))


def test_page_has_no_livestream_counters_without_a_livestream(
    client: FlaskClient, logged_in, make: Factory, conference
) -> None:
    event, (waiting, *_rest) = conference
    logged_in("viewer")
    html = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    page = html.split('id="live-config"')[0]
    assert 'data-key="halls_connected"' in page
    assert 'data-key="halls_reported"' in page
    assert 'data-key="people_present"' in page
    for key in ("live_viewers", "peak_viewers", "views", "comments", "shares", "leads"):
        assert f'data-key="{key}"' not in page, key
    assert "chart-viewers" not in page
    assert 'id="feed"' not in page
    assert "chart-halls" in page
    assert "chart-people" in page
    config = config_of(html)
    assert config["livestream"] is False
    assert config["figures"]["people"]["data"][0]["y"] == [0, 20, 45]
    assert config["figures"]["halls"]["layout"]["shapes"][0]["y0"] == 4
    assert "0912345678" not in html  # a viewer sees no phones
    assert "0912 345 678" not in html
    assert "Infinity" not in html
    assert "NaN" not in html


def test_officer_gets_phones_and_an_event_with_both_shows_both(
    client: FlaskClient, logged_in, make: Factory, conference
) -> None:
    event, (waiting, *_rest) = conference
    logged_in("officer")
    html = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert config_of(html)["summary"]["halls"][0]["phone"] == "0912 345 678"
    make.target(event, make.account(), kind="facebook_live", external_id="v1")
    html = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    page = html.split('id="live-config"')[0]
    assert 'class="live-groups both"' in page
    assert 'data-key="live_viewers"' in page
    assert 'data-key="halls_connected"' in page


def test_wall_mode_shows_the_board_and_totals(
    client: FlaskClient, logged_in, make: Factory, conference
) -> None:
    event, _points = conference
    logged_in("viewer")
    page = client.get(f"/events/{event.id}/live?wall=1").get_data(as_text=True)
    assert 'class="live-page wall"' in page
    assert 'id="hall-board"' in page
    assert 'data-key="halls_connected"' in page
    assert "chart-halls" not in page
    assert "chart-viewers" not in page
