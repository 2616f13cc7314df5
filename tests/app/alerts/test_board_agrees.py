"""The hall board and the alerts say the same of a hall (``app.halls.meeting.tracks_meeting``).

An online conference followed by check-in alone (no meeting collector) sees nothing of its
meeting: its alert speaks of a head count not sent, and its board used to call every hall "not
connected to the meeting" (a reported hall among the halls to call, "Halls connected 0/2") while
no alert did. Its board now speaks as the alert does: a hall is in once it sent its head count.
With a meeting collector, both speak of the connection.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.alerts import engine, rules
from app.extensions import db
from app.halls import services
from app.models import Alert, AttendanceReport, Platform
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory, login

pytestmark = pytest.mark.postgres

START = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)


def conference(make: Factory):  # type: ignore[no-untyped-def]
    """Two halls of an online conference: ``sent`` reported 30 people, ``silent`` nothing."""
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
    codes = commune_codes(HOME, 2)
    sent, silent = services.set_bridge_points(event, codes, dict.fromkeys(codes, 40))
    db.session.add(AttendanceReport(bridge_point_id=sent.id, head_count=30, reported_at=START,
                                    idempotency_key="k-sent"))  # fmt: skip
    db.session.commit()
    return event, sent, silent


def alerts(event_id: int) -> set[tuple[str, str]]:
    rows = db.session.execute(sa.select(Alert.rule, Alert.subject).where(
        Alert.event_id == event_id, Alert.open_key.is_not(None)))  # fmt: skip
    return {tuple(r) for r in rows}  # type: ignore[misc]


def board_words(client: FlaskClient, event_id: int) -> dict[str, str]:
    """Each hall's status on the event page's board, by commune code."""
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    rows = re.findall(r'<tr data-hall="(\w+)">.*?class="status hall-\w+">([^<]*)<', html, re.S)
    return dict(rows)


def test_check_in_alone_the_board_and_the_alert_speak_of_head_counts(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    event, sent, silent = conference(make)
    login(client, make.user("officer", HOME).email)
    engine.evaluate(START + timedelta(minutes=15))
    assert alerts(event.id) == {(rules.HALL_UNREPORTED, f"hall:{silent.id}")}
    assert board_words(client, event.id) == {sent.org_unit.code: "Đã báo số người",
                                             silent.org_unit.code: "Chưa báo số người"}  # fmt: skip
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'data-key="halls_connected"' not in html  # no meeting seen: no "0/2 connected"
    assert "kết nối" not in html.split('class="list hall-board')[1].split("</table>")[0]
    live = client.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert '"meeting": false' in live
    # The page holds the meeting's tile for the day a meeting is added, hidden until then.
    tile = re.search(r'<[^>]*data-key="halls_connected"[^>]*>', live)
    assert tile is None or re.search(r'data-meeting="yes"[^>]*\bhidden\b', tile.group(0))
    home = client.get("/").get_data(as_text=True)
    assert "1/2 điểm cầu chưa báo số người" in home


def test_with_a_meeting_collector_both_speak_of_the_connection(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    event, sent, silent = conference(make)
    account = make.account(platform=Platform.ZOOM, name="Zoom tỉnh")
    make.target(event, account, kind="zoom_meeting", external_id="850")
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    engine.evaluate(START + timedelta(minutes=15))
    assert alerts(event.id) == {(rules.HALL_ABSENT, f"hall:{sent.id}"),
                                (rules.HALL_ABSENT, f"hall:{silent.id}")}  # fmt: skip
    assert board_words(client, event.id) == {
        sent.org_unit.code: "Đã báo số người, chưa kết nối vào cuộc họp",
        silent.org_unit.code: "Chưa kết nối, chưa báo số người",
    }
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'data-key="halls_connected"' in html
