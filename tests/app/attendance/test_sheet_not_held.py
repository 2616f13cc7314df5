"""An attendee sheet records people present: one for an event whose halls may not report yet
(``app.halls.window``: two hours before its start) is refused whole, in Vietnamese, saying from
when it can be imported, and writes nothing, from the organiser's import page, the CLI's
importer and the hall's check-in page alike. The clock is set to moments away from now."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.attendance import sheet as attendee_sheet
from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.halls import checkin
from app.halls.services import communes_of, set_bridge_points
from app.models import Attendance, ImportBatch, Person
from app.sheets.issues import FileRejected
from tests.app.sheets.files import xlsx
from tests.conftest import HOME, Factory, csrf_token

pytestmark = pytest.mark.postgres

START = datetime(2026, 12, 14, 1, 0, tzinfo=UTC)  # 08:00 on 14/12/2026 in Vietnam
WEEK_BEFORE = START - timedelta(days=7)
REFUSED = (
    "Sự kiện chưa diễn ra: danh sách người tham dự ghi những người có mặt, nên chỉ nhập được từ "
    "06:00 ngày 14/12/2026. Chưa có gì được nhập."
)


@pytest.fixture
def conference(app: Flask, make: Factory):  # type: ignore[no-untyped-def]
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=START, planned_end=START + timedelta(hours=3))  # fmt: skip
    communes = communes_of(event)[:1]
    points = set_bridge_points(event, [c.code for c in communes], {})
    db.session.commit()
    return event, communes[0], points[0]


def sheet(commune) -> bytes:  # type: ignore[no-untyped-def]
    return xlsx([["Họ và tên", "Năm sinh", "Xã/Phường"], ["Nguyễn Thị Hoà", 1975, commune.name],
                 ["Trần Văn Nam", 1980, commune.name]])  # fmt: skip


def written() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(  # type: ignore[return-value]
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Person, Attendance, ImportBatch)
    )


def test_a_sheet_before_the_event_is_refused_and_after_the_opening_imported(conference) -> None:
    event, commune, _point = conference
    with pytest.raises(FileRejected) as refused:
        preview_attendees(event, sheet(commune), "ds.xlsx", now=WEEK_BEFORE)
    (issue,) = refused.value.issues
    assert issue.params == {"time": "06:00", "date": "14/12/2026"}
    assert written() == (0, 0, 0)
    preview = preview_attendees(event, sheet(commune), "ds.xlsx", now=START - timedelta(hours=2))
    commit_attendees(preview, user=None, now=START)
    db.session.commit()
    assert written() == (2, 2, 1)


def test_the_import_page_says_when_in_vietnamese(
    client, logged_in, conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, commune, _point = conference
    logged_in("officer")
    monkeypatch.setattr(attendee_sheet, "utcnow", lambda: WEEK_BEFORE)
    url = f"/events/{event.id}/attendance/import"
    data = {"csrf_token": csrf_token(client, url), "file": (io.BytesIO(sheet(commune)), "ds.xlsx")}
    html = client.post(url, data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert REFUSED in html
    assert written() == (0, 0, 0)


def test_the_halls_page_refuses_a_sheet_before_the_opening(
    client, conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forged upload: before the opening the page shows no sheet form at all."""
    _event, commune, point = conference
    monkeypatch.setattr(attendee_sheet, "utcnow", lambda: WEEK_BEFORE)
    monkeypatch.setattr(checkin, "utcnow", lambda: WEEK_BEFORE)
    data = {"sheet": (io.BytesIO(sheet(commune)), "ds.xlsx")}
    answer = client.post(f"/checkin/{point.checkin_token}", data=data,
                         content_type="multipart/form-data")  # fmt: skip
    assert answer.status_code == 422
    assert "Điểm cầu nhận báo cáo từ 06:00 ngày 14/12/2026." in answer.get_data(as_text=True)
    assert written() == (0, 0, 0)
