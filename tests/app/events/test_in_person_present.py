"""People present on the page of a conference or small group held without halls.

A manager's tour of the demo found the commune's in-person conference (64 people on its attendee
sheet, no halls) counted with 64 "Người có mặt" by the reports, while its event page said to look
for "Số người có mặt" below, where only "Chưa có điểm cầu nào" was, and its live page said
"0 / 0 · chưa có số liệu". The event page now shows the reports' figure, its hint says where it
comes from, and no "Theo dõi trực tiếp" is offered: without halls or a collection target nothing
arrives live (the sheet is imported afterwards).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from app.extensions import db
from app.models import Attendance, BridgePoint, Channel, EventStatus, OrgUnit, Person
from app.reports.facts import ReportFilter
from app.reports.sources import event_facts
from tests.app.events.test_routes import home_and_a_commune
from tests.conftest import HOME, Factory

HELD = datetime.now(UTC) - timedelta(days=3)
BELOW = "bên dưới"  # the hint that points to the hall board


def _held(make: Factory, unit: str, channel: Channel, title: str, people: int) -> int:
    event = make.event(unit, title=title, channel=channel, status=EventStatus.ENDED,
                       planned_start=HELD, planned_end=HELD + timedelta(hours=2))  # fmt: skip
    for n in range(people):
        person = Person(full_name=f"Người dự {n}", birth_year=1970 + n)
        db.session.add(person)
        db.session.flush()
        db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                                  touched_at=HELD))  # fmt: skip
    return event.id


def _present(page: str) -> str | None:
    found = re.search(r'<dd class="present-no-halls">([^<]*)</dd>', page)
    return found.group(1) if found else None


def test_a_meeting_without_halls_shows_the_reports_people_present(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    _, commune = home_and_a_commune()
    conference = _held(make, commune.code, Channel.CONFERENCE, "Hội nghị tại xã", 5)
    group = _held(make, commune.code, Channel.SMALL_GROUP, "Tổ nhóm nhỏ", 3)
    db.session.commit()
    province = db.session.query(OrgUnit).filter_by(code=HOME).one()
    facts = {f.event_id: f for f in event_facts(ReportFilter(unit=province))}
    assert (facts[conference].reach, facts[group].reach) == (5, 3)
    logged_in("manager")
    for event_id, shown in ((conference, "5"), (group, "3")):
        page = client.get(f"/events/{event_id}").get_data(as_text=True)
        assert _present(page) == shown == str(facts[event_id].reach)
        assert "Số người có mặt" in page
        assert BELOW not in page  # no "below" that leads to nothing
        assert "không có điểm cầu" in page  # where the figure comes from
        assert f"/events/{event_id}/live" not in page  # nothing to follow live


def test_a_meeting_with_halls_keeps_its_board_and_live_page(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    _, commune = home_and_a_commune()
    event_id = _held(make, HOME, Channel.CONFERENCE, "Hội nghị có điểm cầu", 2)
    db.session.add(BridgePoint(event_id=event_id, org_unit_id=commune.id, expected_attendance=30))
    db.session.commit()
    logged_in("manager")
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert _present(page) is None  # the hall board's "People present" says it
    assert BELOW in page
    assert "Số người có mặt" in page
    assert f"/events/{event_id}/live" in page


NOTHING_LIVE = "Cuộc họp này không có số liệu nào đến trực tiếp"


def test_the_live_address_of_a_meeting_without_halls_leads_to_its_event_page(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    """Bookmarked or typed, the address no page offers any more does not show 0 / 0: it leads
    to the event page (its people present are there) saying why."""
    _, commune = home_and_a_commune()
    held = _held(make, commune.code, Channel.CONFERENCE, "Hội nghị tại xã", 5)
    group = _held(make, commune.code, Channel.SMALL_GROUP, "Tổ nhóm nhỏ", 3)
    db.session.commit()
    logged_in("manager")
    for event_id in (held, group):
        for address in (f"/events/{event_id}/live", f"/events/{event_id}/live?wall=1"):
            answer = client.get(address)
            assert answer.status_code == 302
            assert answer.location.endswith(f"/events/{event_id}")
            page = client.get(answer.location).get_data(as_text=True)
            assert NOTHING_LIVE in page
            assert _present(page) == ("5" if event_id == held else "3")
            assert "0 / 0" not in page


def test_a_meeting_with_a_hall_or_an_online_one_keeps_its_live_page(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    _, commune = home_and_a_commune()
    with_hall = _held(make, HOME, Channel.CONFERENCE, "Hội nghị có điểm cầu", 2)
    db.session.add(BridgePoint(event_id=with_hall, org_unit_id=commune.id, expected_attendance=30))
    online = _held(make, HOME, Channel.ONLINE_CONFERENCE, "Hội nghị trực tuyến chưa có điểm cầu", 0)
    db.session.commit()
    logged_in("manager")
    for event_id in (with_hall, online):
        answer = client.get(f"/events/{event_id}/live")
        assert answer.status_code == 200
        assert NOTHING_LIVE not in answer.get_data(as_text=True)
