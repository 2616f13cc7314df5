"""The hall board on the event page: per-hall status, head count against expected, connection times;
for online conferences (rosters and check-ins) and in-person events (check-ins only)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.halls import services
from app.models import BridgePoint, Participant, Platform
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.conftest import Factory

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


def board_rows(html: str) -> dict[str, list[str]]:
    table = html[html.index('class="list hall-board"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr data-hall="(\d+)">(.*?)</tr>', table, re.S)
    cells = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
    return {
        code: [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells.findall(body)]
        for code, body in rows
    }


def test_online_conference_board(client, make: Factory, logged_in) -> None:
    event = event_with_channel(make)
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
    assert rows[code][2:4] == ["23", "25"]
    assert "23/25" in html
    assert f"/events/{event.id}/bridge-points" in html
    assert f"/events/{event.id}/participants/unmatched" not in html  # no platform, no roster


def test_livestream_page_has_no_board(client, make: Factory, organiser) -> None:
    event = make.event()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "hall-board" not in html
    assert "/bridge-points" not in html
