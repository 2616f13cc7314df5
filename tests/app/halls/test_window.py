"""A hall reports people present only from two hours before its event's start (app.halls.window).

Before then its page says, in Vietnamese, when it opens instead of showing its forms; a form
post, a JSON post (409 with the message) and an organiser's typed count are refused and store
nothing; a queued report pressed before the opening is refused even when it arrives after it;
an event whose start moves earlier opens earlier (worked out from the event, never stored).
The clock is the one the pages read (``utcnow`` of the module), set to moments away from now.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.halls import checkin, routes, services, window
from app.models import Attendance, AttendanceReport, BridgePoint, Event
from tests.app.halls.conftest import form_key, page_token
from tests.conftest import HOME, Factory

# Also on PostgreSQL: there a lone count is stored by a statement of its own, checking the link.
pytestmark = pytest.mark.postgres

START = datetime(2026, 12, 14, 1, 0, tzinfo=UTC)  # 08:00 on 14/12/2026 in Vietnam
WEEK_BEFORE = START - timedelta(days=7)
OPENS = "Điểm cầu nhận báo cáo từ 06:00 ngày 14/12/2026."


def hall(make: Factory, start: datetime = START) -> BridgePoint:
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    point = services.set_bridge_points(event, "all", {})[0]
    db.session.commit()
    return point


def at(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    """The check-in page's and the organiser pages' clock."""
    monkeypatch.setattr(checkin, "utcnow", lambda: now)
    monkeypatch.setattr(routes, "utcnow", lambda: now)


def stored() -> tuple[int, int]:
    db.session.expire_all()
    reports = db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceReport))
    return reports, db.session.scalar(sa.select(sa.func.count()).select_from(Attendance))


def report(key: str = "report-key-0001", **extra: object) -> dict:
    return {"idempotency_key": key, "head_count": 97, **extra}


def test_the_opening_is_two_hours_before_the_earlier_start() -> None:
    assert window.reports_open_at(None, START) == START - timedelta(hours=2)
    earlier = START - timedelta(minutes=30)  # started half an hour early
    assert window.reports_open_at(earlier, START) == earlier - timedelta(hours=2)
    assert window.reports_open_at(None, None) is None  # no start: no opening
    assert window.when_params(START - timedelta(hours=2)) == {"time": "06:00", "date": "14/12/2026"}


def test_before_the_opening_the_page_says_when_instead_of_its_forms(
    client, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    point = hall(make)
    at(monkeypatch, WEEK_BEFORE)
    html = client.get(f"/checkin/{point.checkin_token}").get_data(as_text=True)
    assert OPENS in html
    assert 'id="checkin"' not in html
    assert 'name="sheet"' not in html
    at(monkeypatch, START - timedelta(hours=2))  # open from 06:00 sharp
    html = client.get(f"/checkin/{point.checkin_token}").get_data(as_text=True)
    assert 'id="checkin"' in html
    assert 'name="sheet"' in html
    assert 'id="not-open"' not in html


def test_a_json_report_before_the_opening_is_refused_and_stores_nothing(
    client, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    point = hall(make)
    at(monkeypatch, WEEK_BEFORE)
    names = [{"name": "Lê Thị Mai", "birth": "1980"}]
    for key, count in [("tester-key-0097", 97), ("tester-key-5000", "5.000"),
                       ("tester-key-1234", "1.234")]:  # fmt: skip
        answer = client.post(f"/checkin/{point.checkin_token}",
                             json=report(key, head_count=count, attendees=names))  # fmt: skip
        assert answer.status_code == 409
        body = answer.get_json()
        assert body["message"].startswith(OPENS)
        assert body["opens_at"] == (START - timedelta(hours=2)).isoformat()
    assert stored() == (0, 0)


def test_a_form_post_before_the_opening_is_refused_and_stores_nothing(
    client, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    point = hall(make)
    at(monkeypatch, START - timedelta(hours=2, minutes=1))  # a minute early
    answer = client.post(f"/checkin/{point.checkin_token}",
                         data={"idempotency_key": "form-key-0001", "head_count": "45"})  # fmt: skip
    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    assert OPENS in html
    assert "không được tính" in html
    assert 'id="checkin"' not in html
    assert stored() == (0, 0)


def test_a_report_pressed_before_the_opening_is_refused_when_it_arrives_after(
    client, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    point = hall(make)
    at(monkeypatch, START)  # the queue reaches the server once the hall is open
    pressed = (START - timedelta(hours=3)).isoformat()  # queued at 05:00, offline
    late = client.post(f"/checkin/{point.checkin_token}",
                       json=report(sent_at=pressed, clock=START.isoformat()))  # fmt: skip
    assert late.status_code == 409
    assert stored() == (0, 0)
    in_time = (START - timedelta(hours=1)).isoformat()
    again = report("report-key-0002", sent_at=in_time, clock=START.isoformat())
    answer = client.post(f"/checkin/{point.checkin_token}", json=again)
    assert answer.status_code == 201
    assert stored() == (1, 0)


def test_an_event_moved_earlier_opens_its_halls_earlier(
    client, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    point = hall(make)
    at(monkeypatch, START - timedelta(hours=4))  # 04:00
    assert client.post(f"/checkin/{point.checkin_token}", json=report()).status_code == 409
    event = db.session.get(Event, point.event_id)
    event.planned_start = START - timedelta(hours=2)  # the conference now starts at 06:00
    db.session.commit()
    assert client.post(f"/checkin/{point.checkin_token}", json=report()).status_code == 201
    assert stored() == (1, 0)


def test_an_event_moved_later_closes_a_link_read_before(
    client, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link opened lately is not read again for a lone count (``links.open_hall``): the write
    checks that its event's dates did not change, and the report is refused once they did."""
    point = hall(make)
    at(monkeypatch, START)
    assert client.post(f"/checkin/{point.checkin_token}", json=report()).status_code == 201
    event = db.session.get(Event, point.event_id)
    event.planned_start = START + timedelta(days=7)  # postponed by a week
    event.planned_end = START + timedelta(days=7, hours=3)
    db.session.commit()
    answer = client.post(f"/checkin/{point.checkin_token}", json=report("report-key-0002"))
    assert answer.status_code == 409
    assert stored() == (1, 0)


def test_the_organisers_pages_say_when_the_links_open_and_refuse_an_early_count(
    client, make: Factory, monkeypatch: pytest.MonkeyPatch, organiser
) -> None:
    point = hall(make)
    at(monkeypatch, WEEK_BEFORE)
    path = f"/events/{point.event_id}/bridge-points"
    html = client.get(path).get_data(as_text=True)
    assert "Các đường dẫn điểm danh nhận báo cáo từ 06:00 ngày 14/12/2026" in html
    event_page = client.get(f"/events/{point.event_id}").get_data(as_text=True)
    assert "Các đường dẫn điểm danh nhận báo cáo từ 06:00 ngày 14/12/2026" in event_page
    answer = client.post(path, data={"csrf_token": page_token(client, path), "action": "head_count",
                                     "point": point.id, "head_count": "45",
                                     "idempotency_key": form_key(html, point.id)})  # fmt: skip
    assert OPENS in answer.get_data(as_text=True)
    assert stored() == (0, 0)
