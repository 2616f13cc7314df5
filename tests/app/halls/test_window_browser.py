"""The phone's queue and a hall not open yet (app.halls.window), in headless Chromium: a report
queued offline whose event then moves to tomorrow is refused when it is sent, and the page shows
it as refused, with when the hall opens, instead of retrying it for ever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.halls import services
from app.models import BridgePoint, Event
from tests.app.halls.test_checkin_browser import phone, press, reports
from tests.conftest import HOME, Factory

# Committing: Chromium's requests are served on the server's threads.
pytestmark = pytest.mark.committing


@pytest.fixture
def point(app: Flask, make: Factory) -> BridgePoint:
    start = datetime.now(UTC) + timedelta(minutes=30)  # open: two hours before the start
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    hall = services.set_bridge_points(event, "all", {})[0]
    db.session.commit()
    return hall


def test_a_queued_report_refused_as_too_early_is_shown_refused(
    live_server: str, browser, point: BridgePoint
) -> None:
    context, page = phone(browser)
    page.goto(f"{live_server}/checkin/{point.checkin_token}")
    context.set_offline(True)
    press(page, "97")
    page.locator("#queue").wait_for(state="visible")
    event = db.session.get(Event, point.event_id)
    event.planned_start = event.planned_start + timedelta(days=7)  # postponed by a week
    event.planned_end = event.planned_end + timedelta(days=7)
    db.session.commit()
    context.set_offline(False)  # the queued report goes, and the server refuses it
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    assert "không được tính: khi đó điểm cầu chưa nhận báo cáo" in card.inner_text()
    assert "Điểm cầu nhận báo cáo từ" in card.inner_text()
    assert page.locator("#queue").is_hidden()  # not waiting to be sent again
    assert reports() == []
    page.reload()  # the page now says when the hall opens; the refused report is not sent
    assert "Điểm cầu nhận báo cáo từ" in page.locator("#not-open").inner_text()
    assert page.locator("#checkin").count() == 0
    assert reports() == []
    context.close()
