"""The organiser's list of a hall's check-in entries (``app.halls.organiser_entries``): after
the hall's 12 hours, the organiser corrects or removes an entry with the hall's own rules — the
same person and attendance corrected, the attendance, new lead and person removed, refused once
the person is followed up — by CSRF-checked forms, audited with field names only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.consent import CURRENT
from app.extensions import db
from app.halls import services
from app.halls.organiser_entries import PAGE_SIZE
from app.models import Attendance, AttendanceReport, AuditLog, BridgePoint, LeadWork, Person
from tests.app.halls.conftest import commune_codes, page_token
from tests.app.halls.test_checkin_entries import DUNG, OTHERS, correct
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres


def old_hall(make: Factory) -> BridgePoint:
    """A hall of a conference that began 14 hours ago, whose report of DUNG and one other was
    sent 13 hours ago: past the hall's own 12 hours."""
    start = datetime.now(UTC) - timedelta(hours=14)
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    (point,) = services.set_bridge_points(event, commune_codes(HOME, 1), {})
    db.session.commit()
    return point


def send_old(client: FlaskClient, point: BridgePoint, key: str, rows: list[dict[str, str]]) -> None:
    sent = datetime.now(UTC) - timedelta(hours=13)
    body = {"idempotency_key": key, "attendees": rows, "consent_version": CURRENT,
            "sent_at": sent.isoformat()}  # fmt: skip
    assert client.post(f"/checkin/{point.checkin_token}", json=body).status_code == 201


def url(point: BridgePoint) -> str:
    return f"/events/{point.event_id}/bridge-points/entries?hall={point.id}"


def post(client: FlaskClient, point: BridgePoint, **form: str):  # type: ignore[no-untyped-def]
    token = page_token(client, url(point))
    return client.post(url(point), data={"csrf_token": token, **form})


def log_out(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session.clear()


def person_named(name: str) -> Person | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Person).where(Person.full_name == name))


def test_officers_of_the_event_see_it_others_are_refused(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    point = old_hall(make)
    send_old(client, point, "report-0001", [DUNG, OTHERS[0]])
    logged_in("viewer")
    assert client.get(url(point)).status_code == 403
    log_out(client)
    other_commune = commune_codes(HOME)[5]  # an officer of a commune that is not the event's
    logged_in("officer", other_commune)
    assert client.get(url(point)).status_code == 404
    log_out(client)
    logged_in("officer")
    page = client.get(url(point))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Hoàng Thị Dung" in html
    assert "1990" in html
    assert point.org_unit.name in html
    # In clear to an officer, as on the follow-up and call lists, and the view audited.
    assert "0345 678 901" in html
    assert "xxx" not in html
    (seen,) = db.session.scalars(sa.select(AuditLog).where(
        AuditLog.action == "bridge_point.entries_view")).all()  # fmt: skip
    assert (seen.object_id, seen.detail) == (str(point.id), {"rows": 2})
    assert "0345" not in str(seen.detail)
    assert "2 người đã ghi" in html
    halls_page = client.get(f"/events/{point.event_id}/bridge-points").get_data(as_text=True)
    assert f'href="{url(point)}"' in halls_page


def test_the_organiser_corrects_the_same_person_after_the_halls_12_hours(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    point = old_hall(make)
    send_old(client, point, "report-0001", [DUNG, OTHERS[0]])
    late = correct(client, point, idempotency_key="fix-000001", action="edit", ref="report-0001:1",
                   attendee={**DUNG, "phone": "0345678910"})  # fmt: skip
    assert late.status_code == 409  # the hall's link no longer may
    before = person_named("Hoàng Thị Dung")
    touch_id = db.session.scalar(sa.select(Attendance.id).filter_by(person_id=before.id))
    user = logged_in("officer")

    # Without the form's token nothing is changed.
    assert client.post(url(point), data={"action": "edit", "ref": "report-0001:1",
                                         "name": "X"}).status_code == 400  # fmt: skip
    # A box at fault is named, in Vietnamese, and nothing is written.
    bad = post(client, point, action="edit", ref="report-0001:1", name="Hoàng Thị Dung",
               birth="1990", hamlet="Xóm 3", phone="12")  # fmt: skip
    assert bad.status_code == 422
    shown = bad.get_data(as_text=True)
    assert "Số điện thoại: Không phải số điện thoại Việt Nam. (12)" in shown
    assert re.search(r'<div class="field invalid">\s*<label for="entry-phone">', shown)
    assert 'name="phone" value="12"' in shown  # the form again, as typed

    done = post(client, point, action="edit", ref="report-0001:1", name="Hoàng Thị Dung",
                birth="1991", hamlet="Xóm 4", phone="0345 678 910", page="1")  # fmt: skip
    assert done.status_code == 302
    after = person_named("Hoàng Thị Dung")
    assert after.id == before.id
    assert (after.birth_year, after.hamlet, after.phone) == (1991, "Xóm 4", "+84345678910")
    assert db.session.scalar(sa.select(Attendance.id).filter_by(person_id=after.id)) == touch_id
    # An empty phone box keeps the phone (the page shows it masked).
    assert post(client, point, action="edit", ref="report-0001:1", name="Hoàng Thị Dung",
                birth="1991", hamlet="Xóm 4").status_code == 302  # fmt: skip
    assert person_named("Hoàng Thị Dung").phone == "+84345678910"
    audits = db.session.scalars(
        sa.select(AuditLog)
        .where(AuditLog.action == "bridge_point.entry_edit")
        .order_by(AuditLog.id)
    ).all()
    assert [a.detail["changed"] for a in audits] == [["birth_date", "phone", "hamlet"], []]
    assert {a.user_id for a in audits} == {user.id}
    assert "0345678910" not in str(audits[0].detail)
    assert "Xóm 4" not in str(audits[0].detail)
    assert "Đã sửa thông tin của Hoàng Thị Dung." in client.get(url(point)).get_data(as_text=True)


def test_the_organiser_removes_as_the_hall_does(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    point = old_hall(make)
    send_old(client, point, "report-0001", [DUNG, OTHERS[0]])
    dung = person_named("Hoàng Thị Dung")
    db.session.add(LeadWork(event_id=point.event_id, person_id=dung.id, status="new"))
    db.session.commit()
    dung_id = dung.id
    logged_in("officer")
    asked = client.get(f"{url(point)}&withdraw=report-0001:1").get_data(as_text=True)
    assert "Xóa Hoàng Thị Dung khỏi danh sách" in asked
    assert post(client, point, action="withdraw", ref="report-0001:1").status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, dung_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)
                             .where(Attendance.person_id == dung_id)) == 0  # fmt: skip
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LeadWork)
                             .where(LeadWork.person_id == dung_id)) == 0  # fmt: skip
    report = db.session.scalar(sa.select(AttendanceReport).filter_by(idempotency_key="report-0001"))
    assert report.attendees == 1
    assert person_named(OTHERS[0]["name"]) is not None
    (audit,) = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "bridge_point.entry_withdraw")
    ).all()
    assert audit.detail["person_id"] == dung_id
    assert "Hoàng" not in str(audit.detail)
    # Gone: a second press finds nothing.
    again = post(client, point, action="withdraw", ref="report-0001:1")
    assert again.status_code == 404


def test_refused_once_the_person_is_followed_up(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    point = old_hall(make)
    send_old(client, point, "report-0001", [DUNG, OTHERS[0]])
    dung = person_named("Hoàng Thị Dung")
    db.session.add(LeadWork(event_id=point.event_id, person_id=dung.id, status="called"))
    db.session.commit()
    logged_in("officer")
    for form in ({"action": "withdraw"}, {"action": "edit", "name": "Hoàng Thị Dung",
                                          "birth": "1991"}):  # fmt: skip
        refused = post(client, point, ref="report-0001:1", **form)
        assert refused.status_code == 409
        assert "đang được theo dõi" in refused.get_data(as_text=True)
    after = person_named("Hoàng Thị Dung")
    assert (after.id, after.birth_year) == (dung.id, 1990)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)
                             .where(AuditLog.object_type == "bridge_point",
                                    AuditLog.action.like("bridge_point.entry_%"))) == 0  # fmt: skip


def test_hundreds_of_entries_come_a_page_at_a_time(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    point = old_hall(make)
    rows = [{"name": f"Người Số {n:03d}", "birth": "1970", "consent": "Có"} for n in range(120)]
    send_old(client, point, "report-0001", rows)
    logged_in("officer")
    first = client.get(url(point)).get_data(as_text=True)
    assert first.count('data-ref="report-0001:') == PAGE_SIZE
    assert "Trang 1 / 3" in first
    last = client.get(f"{url(point)}&page=3").get_data(as_text=True)
    refs = re.findall(r'data-ref="report-0001:(\d+)"', last)
    assert len(refs) == 120 - 2 * PAGE_SIZE
    beyond = client.get(f"{url(point)}&page=99").get_data(as_text=True)
    assert re.findall(r'data-ref="report-0001:(\d+)"', beyond) == refs  # the last page
