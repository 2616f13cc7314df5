"""The home screen shows an event's status as its dates and collectors say from the first
request (``app.events.status.shown_status``), not "scheduled" until a collector first runs.

The clock is stopped at 10:00 on 06/12/2026, Vietnam time: `make run`'s conference began at
09:58 with its Zoom meeting not read yet; a village meeting of this morning and a hall meeting of
01/12 were never set as ended.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from app.models import Channel, EventStatus, Platform
from tests.conftest import Factory

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


@pytest.fixture(autouse=True)
def stopped_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("app.events.routes", "app.home.routes"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: NOW)


def section(page: str, name: str) -> str:
    found = re.search(rf'<section id="{name}">(.*?)</section>', page, re.S)
    assert found is not None, name
    return found.group(1)


def test_an_event_begun_by_its_dates_is_under_way_before_any_collection(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    event = make.event(title="Hội nghị trực tuyến (sandbox)", channel=Channel.ONLINE_CONFERENCE,
                       status=EventStatus.SCHEDULED, planned_start=NOW - timedelta(minutes=2),
                       planned_end=NOW + timedelta(hours=1))  # fmt: skip
    make.target(event, make.account(platform=Platform.ZOOM, name="Zoom"), kind="zoom_meeting",
                external_id="85012345678")  # fmt: skip
    under_way = section(client.get("/").get_data(as_text=True), "under-way")
    assert "Hội nghị trực tuyến (sandbox)" in under_way
    assert "Đang diễn ra (theo lịch)" in under_way
    assert "Đã lên lịch" not in under_way
    assert "Không có sự kiện nào đang diễn ra" not in under_way


def test_past_events_never_ended_are_listed_to_update(
    client: FlaskClient, logged_in, make: Factory
) -> None:
    logged_in("officer")
    make.event(title="Họp thôn", channel=Channel.SMALL_GROUP, status=EventStatus.SCHEDULED,
               planned_start=NOW - timedelta(hours=2),
               planned_end=NOW - timedelta(minutes=30))  # fmt: skip
    make.event(title="Hội nghị tại xã ngày 01/12", channel=Channel.CONFERENCE,
               status=EventStatus.SCHEDULED, planned_start=NOW - timedelta(days=5),
               planned_end=NOW - timedelta(days=5) + timedelta(hours=2))  # fmt: skip
    make.event(title="Đã báo kết thúc", channel=Channel.CONFERENCE, status=EventStatus.ENDED,
               planned_start=NOW - timedelta(days=4))  # fmt: skip
    page = client.get("/").get_data(as_text=True)
    overdue = section(page, "overdue")
    assert overdue.index("Họp thôn") < overdue.index("Hội nghị tại xã ngày 01/12")
    assert overdue.count("Đã qua giờ kết thúc: cần cập nhật trạng thái") == 2
    assert "Đã lên lịch</span>" not in overdue  # the rows; the hint quotes the status
    assert "Đã báo kết thúc" not in page
    assert "Họp thôn" not in section(page, "today")  # listed once, as to update
