"""A commune's part in the events of the units above it (app.reports.parent_part).

Nghệ An (40) held an online conference 60 days ago, in its campaign with a 30-day attribution
window, with two halls: "mine" (45 expected; head counts 30 then 38) and "theirs" (60 expected,
52). At my hall: p1 enrolled new 5 days after (counts), p2 enrolled new 40 days after (outside
the campaign's 30 days), p3 renewed (not new). At theirs: p4, enrolled new 3 days after. The
province held a second conference where only "theirs" had a hall, and the country one where
"mine" had a hall (the province cannot open the country's event).

The report counts each event under its organiser, so the commune's own report is all zeros; the
section shows its halls beside it and the province's totals do not change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.models import (
    Attendance,
    BridgePoint,
    Enrolment,
    ImportBatch,
    Link,
    LinkStatus,
    OrgKind,
    OrgUnit,
    Person,
    Scheme,
)
from app.reports.facts import ReportFilter
from app.reports.parent_part import HallPart, parent_halls
from app.reports.report import build_report
from app.timeparse import VN
from tests.app.events.provincial import communes
from tests.conftest import HOME, Factory, login

DAY = datetime.now(VN).date() - timedelta(days=60)  # the conference's day, in Vietnam


def vn(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


@dataclass(frozen=True)
class World:
    mine: OrgUnit
    theirs: OrgUnit
    conference: int
    not_mine: int
    national: int


def _enrol(batch: ImportBatch, person: Person, paid: date, new: bool = True) -> None:
    row = Enrolment(import_batch_id=batch.id, source_row=person.id, row_key=uuid.uuid4().hex,
                    scheme=Scheme.BHXH_TU_NGUYEN, is_new=new, paid_on=paid,
                    commune_id=person.commune_id)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="phone",
                        status=LinkStatus.LINKED, created_at=vn(DAY)))  # fmt: skip


@pytest.fixture
def world(app, make: Factory) -> World:
    mine, theirs = communes()
    campaign = make.campaign(HOME, name="BHXH tự nguyện", attribution_window_days=30)
    conference = make.event(HOME, title="Hội nghị trực tuyến cấp tỉnh", channel="online_conference",
                            planned_start=vn(DAY), campaign=campaign)  # fmt: skip
    my_hall, their_hall = services.set_bridge_points(
        conference, [mine.code, theirs.code], {mine.code: 45, theirs.code: 60}
    )
    services.record_report(my_hall, "mine-0001", 30, [], vn(DAY, 9))
    services.record_report(my_hall, "mine-0002", 38, [], vn(DAY, 10))
    services.record_report(their_hall, "theirs-001", 52, [], vn(DAY, 10))
    not_mine = make.event(HOME, title="Hội nghị chỉ có xã bên", channel="online_conference",
                          planned_start=vn(DAY + timedelta(days=1)))  # fmt: skip
    services.set_bridge_points(not_mine, [theirs.code], {theirs.code: 10})
    country = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.kind == OrgKind.COUNTRY)).one()
    national = make.event(country.code, title="Hội nghị toàn quốc", channel="online_conference",
                          planned_start=vn(DAY + timedelta(days=2)))  # fmt: skip
    db.session.add(BridgePoint(event_id=national.id, org_unit_id=mine.id, expected_attendance=5))

    batch = ImportBatch(kind="enrolments", filename="thu.xlsx", sha256=uuid.uuid4().hex,
                        created_at=vn(DAY))  # fmt: skip
    db.session.add(batch)
    people = [Person(full_name=f"Người {i}", commune_id=c.id)
              for i, c in enumerate([mine, mine, mine, theirs], 1)]  # fmt: skip
    db.session.add_all(people)
    db.session.flush()
    for person, hall in zip(people, [my_hall, my_hall, my_hall, their_hall], strict=True):
        db.session.add(Attendance(person_id=person.id, event_id=conference.id, source="checkin",
                                  bridge_point_id=hall.id, touched_at=vn(DAY)))  # fmt: skip
    p1, p2, p3, p4 = people
    _enrol(batch, p1, DAY + timedelta(days=5))
    _enrol(batch, p2, DAY + timedelta(days=40))  # outside the campaign's 30 days
    _enrol(batch, p3, DAY + timedelta(days=5), new=False)  # a renewal
    _enrol(batch, p4, DAY + timedelta(days=3))
    db.session.commit()
    return World(mine, theirs, conference.id, not_mine.id, national.id)


def _period() -> dict[str, str]:
    start, end = DAY - timedelta(days=1), DAY + timedelta(days=5)
    return {"from": start.isoformat(), "to": end.isoformat()}


def test_a_commune_sees_its_hall_and_nothing_of_another(world: World, make: Factory) -> None:
    officer = make.user("officer", world.mine.code)
    rows = parent_halls(ReportFilter(unit=world.mine, start=DAY, end=DAY + timedelta(days=5)),
                        officer)  # fmt: skip
    conference = HallPart(
        event_id=world.conference, title="Hội nghị trực tuyến cấp tỉnh", day=DAY,
        channel="online_conference", organiser=rows[0].organiser, head_count=38, expected=45,
        identified=3, enrolled=1, can_open=True,
    )  # fmt: skip
    assert rows[0] == conference
    assert [r.event_id for r in rows] == [world.conference, world.national]
    assert rows[1].can_open  # the commune takes part: it may open the country's event in part
    theirs = make.user("officer", world.theirs.code)
    rows = parent_halls(ReportFilter(unit=world.theirs, start=DAY), theirs)
    assert [(r.event_id, r.head_count, r.identified, r.enrolled) for r in rows] == [
        (world.conference, 52, 1, 1),
        (world.not_mine, None, 0, 0),
    ]
    # The period is the report's: the conference is before this one.
    assert (
        parent_halls(ReportFilter(unit=world.mine, start=DAY + timedelta(days=1)), officer)[
            0
        ].event_id
        == world.national
    )


def test_commune_page_shows_its_part_in_vietnamese(
    client: FlaskClient, world: World, make: Factory
) -> None:
    login(client, make.user("viewer", world.mine.code).email)
    html = client.get("/reports/channels", query_string=_period()).get_data(as_text=True)
    assert "Điểm cầu của xã/phường tại sự kiện cấp trên" in html
    section = html[html.index('id="parent-events"') :]
    assert f'<tr data-event="{world.conference}">' in section
    assert f'href="/events/{world.conference}"' in section
    assert DAY.strftime("%d/%m/%Y") in section
    assert ">Hội nghị trực tuyến</td>" in section  # the channel, in Vietnamese
    row = section[section.index(f'data-event="{world.conference}"') :].split("</tr>")[0]
    assert 'data-key="head_count">38<' in row
    assert 'data-key="expected">45<' in row
    assert 'data-key="identified">3<' in row
    assert 'data-key="enrolled">1<' in row
    assert "Hội nghị chỉ có xã bên" not in html  # only the other commune had a hall
    assert 'data-key="head_count">52<' not in html
    assert "Tham gia sau sự kiện" in html


def test_province_totals_do_not_take_the_commune_part(
    client: FlaskClient, world: World, make: Factory
) -> None:
    period = _period()
    start, end = DAY - timedelta(days=1), DAY + timedelta(days=5)
    before = build_report(ReportFilter(unit=world.mine.parent, start=start, end=end)).totals()
    login(client, make.user("manager", HOME).email)
    html = client.get(
        "/reports/channels", query_string={**period, "org_unit": world.mine.code}
    ).get_data(as_text=True)
    section = html[html.index('id="parent-events"') :]
    row = section[section.index(f'data-event="{world.conference}"') :].split("</tr>")[0]
    assert 'data-key="head_count">38<' in row
    assert f'href="/events/{world.conference}"' in row  # the province's own event
    national = section[section.index(f'data-event="{world.national}"') :].split("</tr>")[0]
    assert "Hội nghị toàn quốc" in national
    assert "href=" not in national  # the country's event is not the province's to open
    # The commune's own figures stay zero, the province's are what they were.
    commune = build_report(ReportFilter(unit=world.mine, start=start, end=end)).totals()
    assert (commune["events"], commune["identified"]) == (0, 0)
    after = build_report(ReportFilter(unit=world.mine.parent, start=start, end=end)).totals()
    assert after == before
    assert (after["events"], after["identified"]) == (2, 4)
