"""Bridge points and the hall's check-in link: idempotent reports, revoked and expired links,
one event's link giving nothing of another, attendee sheets stored encrypted, errors named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.halls import checkin
from app.models import Attendance, AttendanceReport, BridgePoint, Person
from tests.conftest import HOME, OTHER, Factory


@pytest.fixture
def organiser(app: Flask, make: Factory) -> dict[str, str]:
    token = issue_token(make.user("officer", HOME))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def conference(make: Factory, org_unit: str = HOME, **kw):  # type: ignore[no-untyped-def]
    start = datetime.now(UTC)
    end = start + timedelta(hours=3)
    title = "Hội nghị trực tuyến"
    return make.event(org_unit, title=title, channel="online_conference", planned_start=start,
                      planned_end=end, **kw)  # fmt: skip


def halls(client: FlaskClient, headers: dict, event_id: int, body: dict) -> list[dict]:
    response = client.post(f"/api/v1/events/{event_id}/bridge-points", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def link_path(point: dict) -> str:
    return "/checkin/" + point["checkin_url"].rsplit("/checkin/", 1)[1]


def reports() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceReport))


def test_all_communes_of_the_province_become_halls(client, organiser, make) -> None:
    event = conference(make)
    points = halls(client, organiser, event.id, {"communes": "all", "expected": {}})
    assert len(points) == 130
    assert len({p["checkin_url"] for p in points}) == 130
    listed = client.get(f"/api/v1/events/{event.id}/bridge-points", headers=organiser).get_json()
    assert [p["checkin_url"] for p in listed] == [p["checkin_url"] for p in points]


def test_picked_communes_with_expected_attendance(client, organiser, make) -> None:
    event = conference(make)
    codes = [
        u["code"]
        for u in client.get(f"/api/v1/org-units?parent={HOME}", headers=organiser).get_json()[:3]
    ]
    points = halls(client, organiser, event.id, {"communes": codes, "expected": {codes[0]: 45}})
    assert [(p["commune"], p["expected"]) for p in points] == [
        (codes[0], 45),
        (codes[1], 0),
        (codes[2], 0),
    ]
    again = halls(client, organiser, event.id, {"communes": codes[:1], "expected": {codes[0]: 50}})
    assert again[0]["checkin_url"] == points[0]["checkin_url"]  # same hall, same link
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BridgePoint)) == 3


def test_foreign_communes_are_refused(client, organiser, make) -> None:
    event = conference(make)
    foreign = client.get(f"/api/v1/org-units?parent={HOME}", headers=organiser)  # own ones fine
    assert foreign.status_code == 200
    response = client.post(f"/api/v1/events/{event.id}/bridge-points",
                           json={"communes": ["46001", "x"]}, headers=organiser)  # fmt: skip
    assert response.status_code == 422
    assert "communes" in response.get_json()["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BridgePoint)) == 0


# Also on PostgreSQL: the idempotency key meets a unique index inside a SAVEPOINT.
@pytest.mark.postgres
def test_the_same_submission_counts_once(client, organiser, make) -> None:
    event = conference(make)
    (point,) = halls(client, organiser, event.id, {"communes": "all"})[:1]
    hoa = {"name": "Nguyễn Thị Hoa", "birth": "1975", "phone": "0912 345 678"}
    body = {"idempotency_key": "k-0001-abcd", "head_count": 45, "attendees": [hoa]}
    first = client.post(link_path(point), json=body)
    assert first.status_code == 201
    for _ in range(3):  # retries, a second tab, the offline queue flushing later
        again = client.post(link_path(point), json=body)
        assert again.status_code == 200
        assert again.get_json()["duplicate"] is True
    assert reports() == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
    later = client.post(link_path(point), json={**body, "idempotency_key": "k-0002-abcd",
                                                "head_count": 52, "attendees": []})  # fmt: skip
    assert later.status_code == 201
    assert reports() == 2
    listed = client.get(f"/api/v1/events/{event.id}/bridge-points", headers=organiser).get_json()
    assert next(p for p in listed if p["id"] == point["id"])["head_count"] == 52


def test_attendees_are_stored_encrypted_and_linked_to_the_event(client, organiser, make) -> None:
    event = conference(make)
    point = halls(client, organiser, event.id, {"communes": "all"})[0]
    body = {"idempotency_key": "sheet-000001", "attendees": [
        {"name": "Trần Văn Nam", "birth": "17/05/1975", "phone": "+84 912.345.678",
         "cccd": "040075001234", "hamlet": "Xóm 3"}]}  # fmt: skip
    assert client.post(link_path(point), json=body).status_code == 201
    person = db.session.scalars(sa.select(Person)).one()
    assert (person.phone, person.cccd, person.birth_date) == (
        "+84912345678",
        "040075001234",
        "1975-05-17",
    )
    attendance = db.session.scalars(sa.select(Attendance)).one()
    assert (attendance.event_id, attendance.bridge_point_id) == (event.id, point["id"])
    raw = db.session.execute(sa.text("SELECT phone, cccd FROM people")).one()
    assert b"040075001234" not in bytes(raw[1])


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"name": "", "birth": "1975"}, "attendees[2].name"),
        ({"name": "A", "birth": "31/02/1975"}, "attendees[2].birth"),
        ({"name": "A", "phone": "12345"}, "attendees[2].phone"),
        ({"name": "A", "cccd": "123456789"}, "attendees[2].cccd"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(client, organiser, make, row, field) -> None:
    event = conference(make)
    point = halls(client, organiser, event.id, {"communes": "all"})[0]
    body = {"idempotency_key": "bad-row-0001", "head_count": 10,
            "attendees": [{"name": "Lê Thị Mai", "birth": "1980"}, row]}  # fmt: skip
    response = client.post(link_path(point), json=body)
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["field"] == field
    assert answer["message"].startswith("Người thứ 2 · ")  # the page's words, not the field's code
    assert field not in answer["message"]
    assert reports() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_revoked_expired_and_unknown_links_are_refused(client, organiser, make) -> None:
    event = conference(make)
    point = halls(client, organiser, event.id, {"communes": "all"})[0]
    body = {"idempotency_key": "revoked-0001", "head_count": 5}
    stored = db.session.get(BridgePoint, point["id"])
    stored.checkin_revoked_at = datetime.now(UTC)
    db.session.commit()
    assert client.get(link_path(point)).status_code == 404
    assert client.post(link_path(point), json=body).status_code == 404
    old = make.event(HOME, title="Hội nghị tháng trước", channel="online_conference",
                     planned_start=datetime.now(UTC))  # fmt: skip
    expired = halls(client, organiser, old.id, {"communes": "all"})[0]  # chosen before it
    old.planned_start = datetime.now(UTC) - timedelta(days=30)  # then it was held, a month ago
    old.planned_end = datetime.now(UTC) - timedelta(days=30, hours=-3)
    db.session.commit()
    assert client.post(link_path(expired), json=body).status_code == 410  # says since when
    assert client.get("/checkin/not-a-real-token").status_code == 404
    assert reports() == 0


def test_a_link_gives_nothing_else(client, organiser, make) -> None:
    event = conference(make)
    point = halls(client, organiser, event.id, {"communes": "all"})[0]
    path = link_path(point)
    page = client.get(path).get_data(as_text=True)
    assert point["name"] in page
    # No session is opened: the rest of the app still asks to log in.
    assert client.get(f"/events/{event.id}").status_code == 302
    assert client.get(f"/api/v1/events/{event.id}/bridge-points").status_code == 401
    other = conference(make, OTHER)
    assert other.id != event.id


def test_the_html_form_reports_in_vietnamese(client, organiser, make) -> None:
    event = conference(make)
    point = halls(client, organiser, event.id, {"communes": "all"})[0]
    form = {"idempotency_key": "form-000001", "head_count": "38", "rows": "5",
            "name-0": "Phạm Văn Long", "birth-0": "1968"}  # fmt: skip
    response = client.post(link_path(point), data=form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Đã nhận. Cảm ơn!" in html
    again = client.post(link_path(point), data=form).get_data(as_text=True)
    assert "Đã nhận trước đó" in again
    bad = client.post(
        link_path(point), data={**form, "idempotency_key": "form-000002", "head_count": "ba mươi"}
    )
    assert bad.status_code == 422
    assert "Số người phải là số nguyên, ví dụ 35." in bad.get_data(as_text=True)
    below = client.post(
        link_path(point), data={**form, "idempotency_key": "form-000003", "head_count": "-1"}
    )
    assert below.status_code == 422
    assert "Phải từ 0 đến 10.000." in below.get_data(as_text=True)  # not "must be a number"
    assert reports() == 1
    # A hall of a thousand writes its count the Vietnamese way.
    dotted = {**form, "idempotency_key": "form-000004", "head_count": "1.200", "rows": "0"}
    asked = client.post(link_path(point), data=dotted).get_data(as_text=True)
    assert "Số người (1.200) khác nhiều so với dự kiến" in asked  # a hall with none expected
    assert reports() == 1
    assert client.post(link_path(point), data={**dotted, "confirmed": "1200"}).status_code == 200
    listed = client.get(f"/api/v1/events/{event.id}/bridge-points", headers=organiser).get_json()
    assert next(p for p in listed if p["id"] == point["id"])["head_count"] == 1200


def test_bridge_points_need_an_organiser(client, make) -> None:
    event = conference(make)
    viewer = issue_token(make.user("viewer", HOME))
    db.session.commit()
    headers = {"Authorization": f"Bearer {viewer}"}
    assert (
        client.get(f"/api/v1/events/{event.id}/bridge-points", headers=headers).status_code == 403
    )
    response = client.post(
        f"/api/v1/events/{event.id}/bridge-points", json={"communes": "all"}, headers=headers
    )
    assert response.status_code == 403


def test_a_report_is_dated_when_the_officer_sent_it(client, organiser, make) -> None:
    """Queued offline at T and delivered later, the report and its people's visits carry T."""
    now = datetime.now(UTC)
    event = conference(make)
    event.actual_start = now - timedelta(hours=3)
    db.session.commit()
    point = halls(client, organiser, event.id, {"communes": "all"})[0]
    sent = now - timedelta(hours=2, minutes=10)
    body = {"idempotency_key": "queued-00001", "head_count": 40, "sent_at": sent.isoformat(),
            "attendees": [{"name": "Trần Văn Nam", "birth": "1975"}]}  # fmt: skip
    assert client.post(link_path(point), json=body).status_code == 201
    report = db.session.scalars(sa.select(AttendanceReport)).one()
    assert report.reported_at == sent
    assert db.session.scalars(sa.select(Attendance.touched_at)).one() == sent
    # An earlier press arriving after a later one does not replace it.
    earlier = {**body, "idempotency_key": "queued-00000", "head_count": 35, "attendees": [],
               "sent_at": (sent - timedelta(minutes=5)).isoformat()}  # fmt: skip
    assert client.post(link_path(point), json=earlier).status_code == 201
    listed = client.get(f"/api/v1/events/{event.id}/bridge-points", headers=organiser).get_json()
    assert next(p for p in listed if p["id"] == point["id"])["head_count"] == 40


def test_a_wrong_phone_clock_gives_way_to_the_server(client, organiser, make) -> None:
    event = conference(make)
    point = halls(client, organiser, event.id, {"communes": "all"})[0]
    ahead = datetime.now(UTC) + timedelta(hours=5)
    body = {"idempotency_key": "ahead-000001", "head_count": 12, "sent_at": ahead.isoformat()}
    assert client.post(link_path(point), json=body).status_code == 201
    assert db.session.scalars(sa.select(AttendanceReport.reported_at)).one() < ahead
    bad = client.post(link_path(point), json={**body, "idempotency_key": "ahead-000002",
                                              "sent_at": "hôm qua"})  # fmt: skip
    assert bad.status_code == 422
    assert bad.get_json()["field"] == "sent_at"
    assert reports() == 1


def test_a_report_processed_later_dates_its_visits_at_the_send_time(app: Flask, make) -> None:
    from app.halls.services import communes_of, record_report, set_bridge_points

    sent = datetime(2026, 3, 10, 2, 15, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị", channel="online_conference",
                       planned_start=sent - timedelta(hours=1))  # fmt: skip
    (point,) = set_bridge_points(event, [communes_of(event)[0].code], {})
    rows = [{"name": "Lê Thị Mai", "birth": "1980"}]
    report, created = record_report(point, "late-000001", None, rows,
                                    now=sent + timedelta(hours=6), sent_at=sent)  # fmt: skip
    db.session.commit()
    assert created
    assert report.reported_at == sent
    assert db.session.scalars(sa.select(Attendance.touched_at)).one() == sent


def test_check_in_links_skip_the_rate_limiter_and_the_log_in_keeps_its_limit(
    app: Flask,
) -> None:
    """A hall resends each report until it is answered: no rate limit applies to its link, and
    the limiter's filter spares its requests the look-up; every other route is still checked."""
    with app.test_request_context("/checkin/some-token", method="POST"):
        assert checkin.exempt_from_limits()
    for path in ("/login", "/checkin-not", "/api/v1/events"):
        with app.test_request_context(path, method="POST"):
            assert not checkin.exempt_from_limits()
