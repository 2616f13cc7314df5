"""The names sent with a head count: a date of birth not in the calendar is refused with the
value first and the expected form as an example (not two dates in brackets), and a list naming
more people than the count is stored with a warning, in Vietnamese, not refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.attendance.rows import NO_SUCH_DAY
from app.extensions import db
from app.halls import checkin, services
from app.models import Attendance, AttendanceReport, BridgePoint
from app.sheets.issues import ImportIssue
from tests.conftest import HOME, Factory

START = datetime(2026, 12, 14, 1, 0, tzinfo=UTC)  # 08:00 on 14/12/2026 in Vietnam
NO_DAY = "Ngày sinh 30/02/1990 không có trong lịch: hãy xem lại ngày và tháng (ví dụ 17/05/1975)."
MORE_NAMES = (
    "Xin kiểm tra lại: danh sách có 2 người nhưng số người có mặt là 1. Nếu trong hội trường có "
    "nhiều người hơn, hãy gửi lại số người có mặt."
)


@pytest.fixture
def point(make: Factory, monkeypatch: pytest.MonkeyPatch) -> BridgePoint:
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
    hall = services.set_bridge_points(event, "all", {})[0]
    db.session.commit()
    monkeypatch.setattr(checkin, "utcnow", lambda: START + timedelta(minutes=30))
    return hall


def stored() -> tuple[int, int]:
    db.session.expire_all()
    count = sa.select(sa.func.count())
    return (db.session.scalar(count.select_from(AttendanceReport)),
            db.session.scalar(count.select_from(Attendance)))  # fmt: skip


def test_a_day_not_in_the_calendar_says_the_value_first(client, point: BridgePoint) -> None:
    body = {"idempotency_key": "names-key-0001", "head_count": 3,
            "attendees": [{"name": "Lê Thị Mai", "birth": "30/02/1990"}]}  # fmt: skip
    answer = client.post(f"/checkin/{point.checkin_token}", json=body)
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {"attendees[1].birth": [NO_DAY]}
    form = {"idempotency_key": "names-key-0002", "head_count": "3", "name-0": "Lê Thị Mai",
            "birth-0": "30/02/1990"}  # fmt: skip
    html = client.post(f"/checkin/{point.checkin_token}", data=form).get_data(as_text=True)
    assert NO_DAY in html
    assert "(30/02/1990)" not in html  # written once, in the sentence
    assert stored() == (0, 0)


def test_a_sheets_issue_writes_the_value_in_its_sentence_and_stores_none() -> None:
    issue = ImportIssue(4, "birth", NO_SUCH_DAY, value="30/02/1990")
    assert issue.text().startswith("The date of birth 30/02/1990 is not in the calendar")
    assert issue.line().endswith("(for example 17/05/1975).")
    assert "30/02/1990" not in str(issue.stored())  # personal data: never stored


def test_more_names_than_the_count_are_stored_with_a_warning(client, point: BridgePoint) -> None:
    names = [{"name": "Lê Thị Mai", "birth": "1980"}, {"name": "Trần Văn Nam", "birth": "1975"}]
    body = {"idempotency_key": "names-key-0003", "head_count": 1, "attendees": names}
    answer = client.post(f"/checkin/{point.checkin_token}", json=body)
    assert answer.status_code == 201
    assert answer.get_json()["message"] == f"Đã nhận. Cảm ơn! {MORE_NAMES}"
    assert stored() == (1, 2)
    body = {"idempotency_key": "names-key-0004", "head_count": 2, "attendees": names}
    answer = client.post(f"/checkin/{point.checkin_token}", json=body)
    assert "Xin kiểm tra lại" not in answer.get_json()["message"]
