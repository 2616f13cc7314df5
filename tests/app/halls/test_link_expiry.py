"""Every check-in link expires (issue 14, point 15).

The rule, most specific first: the link's own expiry; else a day after the event's end (actual
end, else planned end, else twelve hours after its start); else — an event with no dates — thirty
days after the link was issued (a new link starts the thirty days again). An expired link answers
410 with the moment it expired, in Vietnamese, on a page as light as the check-in page or as JSON;
an unknown and a revoked link answer the same 404.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.halls import links, services
from app.models import AttendanceReport, BridgePoint
from tests.conftest import HOME, Factory

ISSUED = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


def hall(make: Factory, issued: datetime = ISSUED, **dates: datetime) -> BridgePoint:
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference", **dates)
    point = services.set_bridge_points(event, "all", {}, now=issued)[0]  # chosen back then
    db.session.commit()
    return point


@pytest.mark.parametrize(
    ("dates", "expires"),
    [
        ({"planned_start": START, "planned_end": START + timedelta(hours=3),
          "actual_end": START + timedelta(hours=5)}, START + timedelta(days=1, hours=5)),
        ({"planned_start": START, "planned_end": START + timedelta(hours=3)},
         START + timedelta(days=1, hours=3)),
        ({"planned_start": START}, START + timedelta(days=1, hours=12)),
        ({"actual_start": START}, START + timedelta(days=1, hours=12)),
        ({}, ISSUED + timedelta(days=30)),
    ],
    ids=["actual-end", "planned-end", "start-only", "started-undated", "no-dates"],
)  # fmt: skip
def test_every_link_has_an_expiry(make: Factory, dates: dict, expires: datetime) -> None:
    point = hall(make, **dates)
    assert links.expires_at(point) == expires
    token = point.checkin_token
    assert links.hall_for_token(token, expires - timedelta(seconds=1)) == point
    with pytest.raises(links.LinkRefused) as refused:
        links.hall_for_token(token, expires + timedelta(seconds=1))
    assert refused.value.expired_at == expires


def test_the_links_own_expiry_comes_first(make: Factory) -> None:
    point = hall(make, planned_start=START, planned_end=START + timedelta(hours=3))
    point.checkin_expires_at = START + timedelta(hours=1)
    assert links.expires_at(point) == START + timedelta(hours=1)
    with pytest.raises(links.LinkRefused) as refused:
        links.hall_for_token(point.checkin_token, START + timedelta(hours=2))
    assert refused.value.expired_at == START + timedelta(hours=1)


def test_a_new_link_restarts_the_thirty_days(make: Factory) -> None:
    point = hall(make)
    later = ISSUED + timedelta(days=45)
    links.renew_link(point, later)
    assert links.expires_at(point) == later + timedelta(days=30)
    assert links.hall_for_token(point.checkin_token, later + timedelta(days=29)) == point


def test_an_undated_hall_made_now_gets_its_issue_time(make: Factory) -> None:
    event = make.event(HOME, title="Nhóm nhỏ", channel="small_group")
    before = datetime.now(UTC)
    point = services.set_bridge_points(event, "all", {})[0]
    assert point.checkin_issued_at is not None
    assert before <= point.checkin_issued_at <= datetime.now(UTC)


def expired_path(make: Factory) -> str:
    """A link of an undated event issued 31 days ago: expired a day ago."""
    point = hall(make, issued=datetime.now(UTC) - timedelta(days=31))
    return f"/checkin/{point.checkin_token}"


def test_an_expired_link_says_so_in_vietnamese_on_the_page(client, make: Factory) -> None:
    path = expired_path(make)
    response = client.get(path)
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "đã hết hạn lúc" in page
    assert "ban tổ chức" in page
    assert "<nav" not in page  # the phone page's own light answer, not the officers' layout
    posted = client.post(path, data={"head_count": "12", "idempotency_key": "k-expired-1"})
    assert posted.status_code == 410
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceReport)) == 0


def test_an_expired_link_answers_json_to_the_phone_script(client, make: Factory) -> None:
    path = expired_path(make)
    response = client.post(path, json={"idempotency_key": "k-expired-2", "head_count": 12})
    assert response.status_code == 410
    body = response.get_json()
    assert body["status"] == 410
    assert "đã hết hạn lúc" in body["message"]
    assert body["expired_at"].startswith(str((datetime.now(UTC) - timedelta(days=1)).year))


def test_unknown_and_revoked_links_get_the_same_answer(client, make: Factory) -> None:
    point = hall(make, issued=datetime.now(UTC))
    point.checkin_revoked_at = datetime.now(UTC)
    db.session.commit()
    revoked = client.post(f"/checkin/{point.checkin_token}", json={"idempotency_key": "k-r-1"})
    unknown = client.post("/checkin/not-a-real-token", json={"idempotency_key": "k-r-1"})
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.get_json() == unknown.get_json()
    assert "không còn hiệu lực" in revoked.get_json()["message"]
