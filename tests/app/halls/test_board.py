"""The hall board on the event page: per-hall status, head count against expected, connection times;
for online conferences (rosters and check-ins) and in-person events (check-ins only)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.auth.tokens import issue_token
from app.extensions import db
from app.halls import services
from app.models import BridgePoint, EventStatus, Participant, Platform
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.conftest import Factory

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


def board_rows(html: str) -> dict[str, list[str]]:
    table = html[html.index('class="list hall-board phone-cards"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr data-hall="(\d+)">(.*?)</tr>', table, re.S)
    cells = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
    return {
        code: [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells.findall(body)]
        for code, body in rows
    }


def test_online_conference_board(client, make: Factory, logged_in) -> None:
    event = event_with_channel(make, start=START)  # the report below is sent during it
    a, b, c = commune_codes(n=3)
    services.set_bridge_points(event, [a, b, c], {a: 50, b: 40, c: 30})
    db.session.commit()
    halls = {p.org_unit.code: p for p in db.session.scalars(sa.select(BridgePoint))}
    account = make.account(platform=Platform.ZOOM, name="Zoom")
    target = make.target(event, account, kind="zoom_meeting", external_id="123")
    for key, (start, end) in enumerate([(0, 30), (40, 70)]):  # a drop-out in between
        db.session.add(Participant(target_id=target.id, participant_key=f"a{key}",
                                   display_name="xa a", bridge_point_id=halls[a].id,
                                   joined_at=START + timedelta(minutes=start),
                                   left_at=START + timedelta(minutes=end)))  # fmt: skip
    db.session.add(Participant(target_id=target.id, participant_key="b", display_name="xa b",
                               bridge_point_id=halls[b].id, joined_at=START,
                               left_at=START + timedelta(minutes=90)))  # fmt: skip
    services.record_report(halls[a], "report-0001", 47, [], START + timedelta(minutes=15))
    db.session.commit()
    logged_in("viewer")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    rows = board_rows(html)
    assert list(rows) == [a, b, c]
    # hall, status, head count, expected, last report, first join, last leave, minutes, drop-outs
    assert rows[a][2:] == ["47", "50", "20/11/2026 08:15", "20/11/2026 08:00",
                           "20/11/2026 09:10", "60", "1"]  # fmt: skip
    assert rows[b][2:] == ["—", "40", "—", "20/11/2026 08:00", "20/11/2026 09:30", "90", "0"]
    assert rows[c][2:] == ["—", "30", "—", "—", "—", "0", "0"]
    statuses = [rows[code][1] for code in (a, b, c)]
    assert len(set(statuses)) == 3  # reported, connected without head count, not connected
    assert "2/3" in html  # halls connected
    assert "47/120" in html  # people present / expected
    # A viewer sees the board but not the organisers' pages, which show the secret links.
    assert f"/events/{event.id}/bridge-points" not in html


def test_in_person_board_without_any_platform(client, make: Factory, organiser) -> None:
    event = event_with_channel(make, "small_group")
    (code,) = commune_codes(n=1)
    services.set_bridge_points(event, [code], {code: 25})
    db.session.commit()
    (hall,) = db.session.scalars(sa.select(BridgePoint)).all()
    # The hall officer reports through the link, as at an online conference.
    response = client.post(f"/checkin/{hall.checkin_token}",
                           json={"idempotency_key": "phone-0001", "head_count": 23})  # fmt: skip
    assert response.status_code == 201
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    rows = board_rows(html)
    assert rows[code][1:4] == ["Đã báo số người", "23", "25"]  # no meeting to connect to
    assert "23/25" in html
    assert 'data-key="halls_connected"' not in html
    assert re.search(r'data-key="halls_reported">\s*1/1<', html)
    assert f"/events/{event.id}/bridge-points" in html
    assert f"/events/{event.id}/participants/unmatched" not in html  # no platform, no roster


def test_a_hall_that_only_reported_is_not_connected(client, app, make: Factory, organiser) -> None:
    """The tour's case: a hall whose officer sent the head count from the phone but which the
    meeting never saw is "not connected" on the event page, the halls page and the API, with
    words saying it reported; the totals count it as reported, not as connected."""
    event = event_with_channel(make)
    both, reported, neither = commune_codes(n=3)
    services.set_bridge_points(
        event, [both, reported, neither], dict.fromkeys([both, reported, neither], 30)
    )
    db.session.commit()
    halls = {p.org_unit.code: p for p in db.session.scalars(sa.select(BridgePoint))}
    target = make.target(event, make.account(platform=Platform.ZOOM, name="Zoom"),
                         kind="zoom_meeting", external_id="m1")  # fmt: skip
    joined = event.planned_start - timedelta(minutes=5)
    db.session.add(Participant(target_id=target.id, participant_key="a", display_name="xa a",
                               bridge_point_id=halls[both].id, joined_at=joined))  # fmt: skip
    db.session.commit()
    for code, key, count in ((both, "phone-0001", 28), (reported, "phone-0002", 25)):
        response = client.post(f"/checkin/{halls[code].checkin_token}",
                               json={"idempotency_key": key, "head_count": count})  # fmt: skip
        assert response.status_code == 201

    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    rows = board_rows(html)
    assert rows[reported][1] == "Đã báo số người, chưa kết nối vào cuộc họp"
    assert rows[both][1] == "Đã kết nối, đã báo số người"
    assert rows[neither][1] == "Chưa kết nối, chưa báo số người"
    assert re.search(r'data-key="halls_connected">\s*1/3<', html)
    assert re.search(r'data-key="halls_reported">\s*2/3<', html)
    assert "reported_only" not in re.sub(r"<[^>]*>", "", html)  # no code on screen

    page = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    row = page[page.index(f'id="hall-{halls[reported].id}"') :]
    assert "Đã báo số người, chưa kết nối vào cuộc họp" in row[: row.index("</tr>")]

    token = issue_token(make.user("officer"))
    db.session.commit()
    listed = client.get(f"/api/v1/events/{event.id}/bridge-points",
                        headers={"Authorization": f"Bearer {token}"}).get_json()  # fmt: skip
    got = {p["commune"]: (p["status"], p["connected"], p["head_count"]) for p in listed}
    assert got == {both: ("connected_reported", True, 28), reported: ("reported_only", False, 25),
                   neither: ("not_connected", False, None)}  # fmt: skip


def test_livestream_page_has_no_board(client, make: Factory, organiser) -> None:
    event = make.event()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "hall-board" not in html
    assert "/bridge-points" not in html


def test_a_hall_still_connected_has_no_leave_time(client, make: Factory, logged_in) -> None:
    """Its last leave would be our now (21:22 at a tour): it reads as left. It says connected."""
    event = event_with_channel(make, start=START)
    a, b = commune_codes(n=2)
    services.set_bridge_points(event, [a, b], {a: 50, b: 40})
    db.session.commit()
    halls = {p.org_unit.code: p for p in db.session.scalars(sa.select(BridgePoint))}
    account = make.account(platform=Platform.ZOOM, name="Zoom")
    target = make.target(event, account, kind="zoom_meeting", external_id="124")
    db.session.add(Participant(target_id=target.id, participant_key="a-left", display_name="xa a",
                               bridge_point_id=halls[a].id, joined_at=START,
                               left_at=START + timedelta(minutes=20)))  # fmt: skip
    db.session.add(Participant(target_id=target.id, participant_key="a-back", display_name="xa a",
                               bridge_point_id=halls[a].id,
                               joined_at=START + timedelta(minutes=25)))  # fmt: skip
    db.session.add(Participant(target_id=target.id, participant_key="b", display_name="xa b",
                               bridge_point_id=halls[b].id, joined_at=START,
                               left_at=START + timedelta(minutes=90)))  # fmt: skip
    db.session.commit()
    logged_in("viewer")
    rows = board_rows(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert rows[a][5:7] == ["20/11/2026 08:00", "đang kết nối"]  # back after a drop-out
    assert rows[b][5:7] == ["20/11/2026 08:00", "20/11/2026 09:30"]
    # Once the event has ended, an open session ends with it: a time again, not "connected".
    event.status, event.actual_end = EventStatus.ENDED, START + timedelta(hours=2)
    db.session.commit()
    rows = board_rows(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert rows[a][6] == "20/11/2026 10:00"
