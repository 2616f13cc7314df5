"""A hall's officer corrects or withdraws an entry the server accepted (``app.halls.entries``):
the tour's "Hoàng Thị Dung, 1990, Xóm 3" sent twice with two phones ends as one person with the
right phone on the follow-up page, whose count says one person named, not two."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.consent import CURRENT
from app.extensions import db
from app.halls import entries, services
from app.models import Attendance, AttendanceReport, AuditLog, BridgePoint, LeadWork, Person
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

DUNG = {"name": "Hoàng Thị Dung", "birth": "1990", "phone": "0345 678 901", "hamlet": "Xóm 3",
        "consent": "Có"}  # fmt: skip
OTHERS = [{"name": f"Người {n}", "birth": "1970", "phone": f"09123456{n}{n}", "consent": "Có"}
          for n in range(1, 5)]  # fmt: skip


def halls(make: Factory, ago: timedelta = timedelta(minutes=30)) -> list[BridgePoint]:
    start = datetime.now(UTC) - ago
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    points = services.set_bridge_points(event, commune_codes(HOME, 2), {})
    db.session.commit()
    return points


def send(client: FlaskClient, point: BridgePoint, key: str, rows: list[dict[str, str]]) -> None:
    body = {"idempotency_key": key, "head_count": 20, "attendees": rows,
            "consent_version": CURRENT}  # fmt: skip
    assert client.post(f"/checkin/{point.checkin_token}", json=body).status_code == 201


def correct(client: FlaskClient, point: BridgePoint, **body: object):  # type: ignore[no-untyped-def]
    return client.post(f"/checkin/{point.checkin_token}/entries",
                       json={"consent_version": CURRENT, **body})  # fmt: skip


def named(client: FlaskClient, event_id: int) -> tuple[str, str]:
    """The follow-up page's "Được ghi tên" count, and its whole text."""
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    match = re.search(r"Được ghi tên: ([\d.]+)", html)
    assert match, "no accounting line"
    return match.group(1), html


def test_edit_replaces_the_phone_and_withdraw_leaves_one_person(
    client: FlaskClient, make: Factory, logged_in
) -> None:
    point, other = halls(make)
    send(client, point, "report-0001", [*OTHERS, DUNG])
    send(client, point, "report-0002", [{**DUNG, "phone": "0345 678 910"}])
    listed = client.get(f"/checkin/{point.checkin_token}/entries").get_json()["entries"]
    assert [e["ref"] for e in listed] == [  # newest first
        "report-0002:1",
        *(f"report-0001:{n}" for n in range(5, 0, -1)),
    ]
    assert all("0345" not in e["phone"] for e in listed)  # masked: a link is no account

    # The right phone goes into the first entry, the second copy is withdrawn.
    fixed = {**DUNG, "phone": "0345678910"}
    edit = correct(client, point, idempotency_key="fix-000001", action="edit",
                   ref="report-0001:5", attendee=fixed)  # fmt: skip
    assert edit.status_code == 201, edit.get_json()
    assert edit.get_json()["entry"]["phone"].endswith("910")
    gone = correct(client, point, idempotency_key="fix-000002", action="withdraw",
                   ref="report-0002:1")  # fmt: skip
    assert gone.status_code == 201
    db.session.expire_all()
    people = db.session.scalars(sa.select(Person).where(Person.full_name == "Hoàng Thị Dung")).all()
    assert [(p.phone, p.consent_agreed, p.consent_version) for p in people] == [
        ("+84345678910", True, CURRENT)
    ]
    touches = db.session.scalars(
        sa.select(Attendance.source_ref).where(Attendance.bridge_point_id == point.id)
    ).all()
    assert len(touches) == 5
    assert f"checkin:{point.id}:report-0002:1" not in touches
    report = db.session.scalar(sa.select(AttendanceReport).filter_by(idempotency_key="report-0002"))
    assert report.attendees == 0
    actions = db.session.scalars(
        sa.select(AuditLog.action).where(AuditLog.object_type == "checkin_entry")
    ).all()
    assert sorted(actions) == ["checkin.entry_edit", "checkin.entry_withdraw"]
    audit = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "checkin.entry_edit"))
    assert audit.detail["changed"] == ["phone"]
    assert "0345678910" not in str(audit.detail)
    assert "+84345678910" not in str(audit.detail)

    logged_in("officer")
    count, html = named(client, point.event_id)
    assert count == "5"  # five people, not six
    assert "0345 678 910" in html
    assert "0345 678 901" not in html


def test_replays_answered_once_and_other_halls_refused(client: FlaskClient, make: Factory) -> None:
    point, other = halls(make)
    send(client, point, "report-0001", [*OTHERS, DUNG])
    body = {"idempotency_key": "fix-000001", "action": "edit", "ref": "report-0001:5",
            "attendee": {**DUNG, "phone": "0345678910"}}  # fmt: skip
    first = correct(client, point, **body)
    assert first.status_code == 201
    # The phone typed the name again meanwhile: the replay changes nothing, answered as before.
    db.session.execute(sa.update(Person).where(Person.full_name == "Hoàng Thị Dung")
                       .values(hamlet="Xóm 4"))  # fmt: skip
    db.session.commit()
    again = correct(client, point, **body)
    assert again.status_code == 200
    assert again.get_json()["duplicate"] is True
    assert again.get_json()["entry"] == {**first.get_json()["entry"], "hamlet": "Xóm 4"}
    db.session.expire_all()
    hamlet = sa.select(Person.hamlet).filter_by(full_name="Hoàng Thị Dung")
    assert db.session.scalar(hamlet) == "Xóm 4"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)
                             .where(AuditLog.object_type == "checkin_entry")) == 1  # fmt: skip

    # Another hall's link reaches nothing of this hall's, and lists none of it.
    refused = correct(client, other, idempotency_key="fix-000009", action="withdraw",
                      ref="report-0001:5")  # fmt: skip
    assert refused.status_code == 404
    assert "Hoàng" not in str(client.get(f"/checkin/{other.checkin_token}/entries").get_json())
    assert correct(client, point, idempotency_key="fix-000010", action="withdraw",
                   ref="report-0001:5").status_code == 201  # fmt: skip
    # An unknown link: the same 404 as for a report.
    assert client.post("/checkin/not-a-token/entries", json=body).status_code == 404


def test_refused_when_old_worked_or_without_consent_text(
    client: FlaskClient, make: Factory
) -> None:
    point, _other = halls(make, ago=timedelta(hours=14))  # the meeting began this morning
    sent = datetime.now(UTC) - timedelta(hours=13)
    body = {"idempotency_key": "report-0001", "attendees": [DUNG, OTHERS[0]],
            "consent_version": CURRENT, "sent_at": sent.isoformat()}  # fmt: skip
    assert client.post(f"/checkin/{point.checkin_token}", json=body).status_code == 201
    old = correct(client, point, idempotency_key="fix-000001", action="withdraw",
                  ref="report-0001:1")  # fmt: skip
    assert old.status_code == 409
    assert "12 giờ" in old.get_json()["message"]
    send(client, point, "report-0002", [OTHERS[1], OTHERS[2]])
    person = db.session.scalar(sa.select(Person).filter_by(full_name=OTHERS[1]["name"]))
    db.session.add(LeadWork(event_id=point.event_id, person_id=person.id, status="called"))
    db.session.commit()
    worked = correct(client, point, idempotency_key="fix-000002", action="withdraw",
                     ref="report-0002:1")  # fmt: skip
    assert worked.status_code == 409
    # A new answer to the purpose text needs the text the page showed.
    no_text = client.post(f"/checkin/{point.checkin_token}/entries", json={
        "idempotency_key": "fix-000003", "action": "edit", "ref": "report-0002:2",
        "attendee": {**OTHERS[2], "consent": "Không"}, "consent_version": "no-such"})  # fmt: skip
    assert no_text.status_code == 422
    assert no_text.get_json()["field"] == "consent_version"
    bad = correct(client, point, idempotency_key="fix-000004", action="edit",
                  ref="report-0002:2", attendee={**OTHERS[2], "phone": "12"})  # fmt: skip
    assert bad.status_code == 422
    assert bad.get_json()["field"] == "attendee.phone"
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)
                             .where(AuditLog.object_type == "checkin_entry")) == 0  # fmt: skip


def test_the_server_warns_of_the_same_name_and_year_with_another_phone(
    client: FlaskClient, make: Factory
) -> None:
    """A second phone of the hall, or a page without the script, was not asked: the answer
    says so; a namesake is no reason to refuse, so the row is stored all the same."""
    point, other = halls(make)
    send(client, point, "report-0001", [*OTHERS, DUNG])

    def answer(hall: BridgePoint, key: str, row: dict[str, str]) -> dict[str, object]:
        body = {"idempotency_key": key, "consent_version": CURRENT, "attendees": [row]}
        response = client.post(f"/checkin/{hall.checkin_token}", json=body)
        assert response.status_code == 201
        return response.get_json()

    # Not a twin: the same phone (the linkage's to merge), another year, another hall.
    for hall, key, row in [(point, "report-0002", DUNG),
                           (point, "report-0003", {**DUNG, "birth": "1991", "phone": ""}),
                           (other, "report-0004", {**DUNG, "phone": "0345 000 111"})]:  # fmt: skip
        said = answer(hall, key, row)
        assert said["twin"] is False, key
        assert "trùng" not in said["message"]
    said = answer(point, "report-0005", {**DUNG, "phone": "0345 678 910"})
    assert said["twin"] is True
    assert re.search(r"Có thể ghi trùng: Hoàng Thị Dung \(1990\) đã ghi lúc \d\d:\d\d\.",
                     said["message"])  # fmt: skip
    assert said["attendees"] == 1  # stored all the same


def test_with_the_rollups_built_the_reports_count_one_person(
    client: FlaskClient, make: Factory, unit
) -> None:
    """Once the report rollups are kept, a withdrawn entry leaves them as it leaves the source
    tables: the channels report says five people identified, from either path."""
    from app.reports.facts import ReportFilter
    from app.reports.report import build_report
    from app.reports.rollups.full_build import rebuild

    point, _other = halls(make)
    rebuild()
    db.session.commit()
    send(client, point, "report-0001", [*OTHERS, DUNG])
    send(client, point, "report-0002", [{**DUNG, "phone": "0345 678 910"}])
    report = ReportFilter(unit=unit(HOME))
    assert build_report(report, rollups=True).totals()["identified"] == 6
    gone = correct(client, point, idempotency_key="fix-000002", action="withdraw",
                   ref="report-0002:1")  # fmt: skip
    assert gone.status_code == 201
    db.session.expire_all()
    for rollups in (True, False):
        assert build_report(report, rollups=rollups).totals()["identified"] == 5, rollups


def test_a_report_s_rows_are_found_by_a_prefix_that_escapes_the_key_s_wildcards() -> None:
    # A key may hold "_" or "%": as LIKE wildcards they would find another report's rows.
    assert entries.like_prefix("checkin:7:a_b%/c:") == "checkin:7:a/_b/%//c:%"
