"""Removing a hall added by mistake, as a browser without JavaScript does it (plain form posts).

A hall that holds nothing goes with its link (the hall's phone is told the link no longer
works); one that holds reports, attendees or platform sessions is refused, naming the hall and
what it holds, and nothing is deleted. The removal asks first and is audited.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.models import (
    Attendance,
    AttendanceReport,
    AuditLog,
    BridgePoint,
    Participant,
    Person,
)
from tests.app.halls.conftest import commune_codes, event_with_channel, page_token, roster
from tests.conftest import Factory, login


def url(event_id: int) -> str:
    return f"/events/{event_id}/bridge-points"


def remove(client: FlaskClient, event_id: int, point_id: int):  # type: ignore[no-untyped-def]
    token = page_token(client, url(event_id))
    data = {"csrf_token": token, "action": "remove", "point": str(point_id)}
    return client.post(url(event_id), data=data)


def halls_of(event_id: int) -> list[BridgePoint]:
    db.session.expire_all()
    stmt = sa.select(BridgePoint).where(BridgePoint.event_id == event_id).order_by(BridgePoint.id)
    return list(db.session.scalars(stmt))


def two_halls(make: Factory):  # type: ignore[no-untyped-def]
    event = event_with_channel(make)
    points = services.set_bridge_points(event, commune_codes(n=2), {})
    db.session.commit()
    return event, points


def test_a_hall_with_nothing_goes_with_its_link(client, make: Factory, organiser) -> None:
    event, (wrong, kept) = two_halls(make)
    name, code, token, wrong_id = (wrong.org_unit.name, wrong.org_unit.code, wrong.checkin_token,
                                   wrong.id)  # fmt: skip
    link = f"/checkin/{token}"
    assert client.get(link).status_code == 200  # the link opened before
    response = remove(client, event.id, wrong_id)
    assert response.status_code == 302
    assert [p.id for p in halls_of(event.id)] == [kept.id]
    page = client.get(url(event.id)).get_data(as_text=True)
    assert f"Đã bỏ điểm cầu {name} khỏi sự kiện" in page
    assert f"/checkin/{token}" not in page
    # The hall's phone, on the page or sending a report, is told the link is no longer valid.
    closed = client.get(link)
    assert closed.status_code == 404
    assert "Đường dẫn báo cáo này không còn hiệu lực" in closed.get_data(as_text=True)
    sent = client.post(link, json={"idempotency_key": "sau-khi-bo-01", "head_count": 30})
    assert sent.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceReport)) == 0
    (entry,) = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "bridge_point.remove")
    ).all()
    assert entry.object_id == str(event.id)
    assert entry.detail["hall"] == wrong_id
    assert entry.detail["commune"] == code


def test_a_hall_that_reported_is_refused_and_keeps_its_figures(
    client, make: Factory, organiser
) -> None:
    event, (hall, _other) = two_halls(make)
    token = hall.checkin_token
    # The commune reported twice from its phone (a count, then the count corrected).
    for key, count in (("bao-cao-0001", 45), ("bao-cao-0002", 47)):
        sent = client.post(f"/checkin/{token}", json={"idempotency_key": key, "head_count": count})
        assert sent.status_code == 201
    response = remove(client, event.id, hall.id)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f"Không thể bỏ {hall.org_unit.name}: điểm cầu này đã có 2 báo cáo của sự kiện" in text
    assert len(halls_of(event.id)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceReport)) == 2
    assert client.get(f"/checkin/{token}").status_code == 200  # its link still works
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(AuditLog.action == "bridge_point.remove")
        )
        == 0
    )


def test_attendees_and_platform_sessions_also_keep_a_hall(client, make: Factory) -> None:
    event, _target = roster(make, ["Xã thứ nhất", "Điểm cầu 2"])
    login(client, make.user("officer", event.org_unit.code).email)
    first, second, _third = halls_of(event.id)
    participant = db.session.scalars(sa.select(Participant).order_by(Participant.id)).first()
    participant.bridge_point_id = first.id
    person = Person(full_name="Nguyễn Thị Hoa")  # a touch at the hall, as an attendee sheet writes
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event.id, bridge_point_id=second.id,
                              source="sheet", touched_at=event.planned_start))  # fmt: skip
    db.session.commit()
    by_session = remove(client, event.id, first.id)
    assert by_session.status_code == 422
    assert "1 lượt tham gia trên nền tảng" in by_session.get_data(as_text=True)
    by_attendee = remove(client, event.id, second.id)
    assert by_attendee.status_code == 422
    assert f"Không thể bỏ {second.org_unit.name}: điểm cầu này đã có 1 người dự" in (
        by_attendee.get_data(as_text=True)
    )
    assert len(halls_of(event.id)) == 3


def test_without_javascript_the_removal_asks_first(client, make: Factory, organiser) -> None:
    event, (hall, _other) = two_halls(make)
    plain = client.get(url(event.id)).get_data(as_text=True)
    row = plain[plain.index(f'id="hall-{hall.id}"') :]
    assert f'href="/events/{event.id}/bridge-points?remove={hall.id}#hall-{hall.id}"' in row
    assert '<span class="remove-confirm" data-confirm role="alert" hidden>' in row
    asked = client.get(f"{url(event.id)}?remove={hall.id}").get_data(as_text=True)
    row = asked[asked.index(f'id="hall-{hall.id}"') :]
    row = row[: row.index("</tr>")]
    assert '<span class="remove-confirm" data-confirm role="alert">' in row
    assert f"Bỏ điểm cầu {hall.org_unit.name} khỏi sự kiện?" in row
    assert '<button type="submit" name="action" value="remove">Đồng ý bỏ</button>' in row
    assert len(halls_of(event.id)) == 2  # asking removed nothing


def test_a_hall_of_another_event_cannot_be_removed(client, make: Factory, organiser) -> None:
    mine, _points = two_halls(make)
    other, (theirs, _x) = two_halls(make)
    assert remove(client, mine.id, theirs.id).status_code == 404
    assert len(halls_of(other.id)) == 2


def test_viewers_cannot_remove(client, make: Factory) -> None:
    event, (hall, _other) = two_halls(make)
    login(client, make.user("viewer").email)
    token = page_token(client, f"/events/{event.id}")
    data = {"csrf_token": token, "action": "remove", "point": str(hall.id)}
    assert client.post(url(event.id), data=data).status_code in (400, 403)
    assert len(halls_of(event.id)) == 2


def test_a_hall_that_would_be_refused_is_not_offered_removal(client, make: Factory) -> None:
    """Sessions, attendees or a report keep a hall: its row offers no "Bỏ điểm cầu"; an empty
    hall's row still does, and the offer goes once the hall reports."""
    event, _target = roster(make, ["Xã thứ nhất", "Điểm cầu 2"])
    login(client, make.user("officer", event.org_unit.code).email)
    first, second, empty = halls_of(event.id)
    participant = db.session.scalars(sa.select(Participant).order_by(Participant.id)).first()
    participant.bridge_point_id = first.id
    person = Person(full_name="Lê Văn Tám")
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event.id, bridge_point_id=second.id,
                              source="sheet", touched_at=event.planned_start))  # fmt: skip
    db.session.commit()

    def offered(hall: BridgePoint) -> bool:
        page = client.get(url(event.id)).get_data(as_text=True)
        row = page[page.index(f'id="hall-{hall.id}"') :]
        row = row[: row.index("</tr>")]
        return f"?remove={hall.id}" in row and 'value="remove"' in row

    assert (offered(first), offered(second), offered(empty)) == (False, False, True)
    token = db.session.get(BridgePoint, empty.id).checkin_token
    sent = client.post(
        f"/checkin/{token}", json={"idempotency_key": "bao-cao-xa-3", "head_count": 52}
    )
    assert sent.status_code == 201
    assert not offered(empty)
