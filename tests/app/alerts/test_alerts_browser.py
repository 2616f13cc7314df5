"""The live page in headless Chromium shows an event's alerts as they open and lets an officer
acknowledge one: the page then says who acknowledged it and when, in Vietnamese."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.alerts import engine
from app.extensions import db
from app.models import Alert
from tests.app.alerts.test_engine import at, conference, join
from tests.app.live.pages import log_in
from tests.conftest import Factory

pytestmark = pytest.mark.committing


def test_the_live_page_shows_alerts_and_acknowledges_one(
    live_server: str, browser, make: Factory
) -> None:
    event, (a, b), target = conference(make, halls=2)
    join(target, a, at(1), at(6))  # back within 5 minutes, or dropped at 11
    engine.evaluate(at(10))  # b never joined
    officer = make.user("officer")
    officer.display_name = "Anh Minh"
    db.session.commit()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{event.id}/live")
    first = page.locator('#event-alerts li[data-rule="hall_absent"]')
    first.wait_for()
    assert "Điểm cầu chưa kết nối" in first.inner_text()
    assert b.org_unit.name in first.inner_text()
    assert page.inner_text("#event-alerts .count") == "1"
    # A hall drops while the page is open: its alert arrives without reloading.
    engine.evaluate(at(11))
    dropped = page.locator('#event-alerts li[data-rule="hall_dropped"]')
    dropped.wait_for(timeout=30_000)
    assert a.org_unit.name in dropped.inner_text()
    first.locator("button.alert-ack-button").click()
    page.locator('#event-alerts li[data-rule="hall_absent"] .alert-ack').wait_for()
    ack = first.locator(".alert-ack").inner_text()
    assert ack.startswith("Đã xác nhận bởi Anh Minh lúc ")
    alert = db.session.scalar(sa.select(Alert).where(Alert.rule == "hall_absent"))
    assert alert.acknowledged_by_id == officer.id
    folder = os.environ.get("LANTOA_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / "alerts-live-vi.png"), full_page=False)
    page.reload()
    page.locator('#event-alerts li[data-rule="hall_absent"] .alert-ack').wait_for()
    assert dropped.locator("button.alert-ack-button").count() == 1
    assert errors == []


def test_the_wall_shows_alerts_in_dark_ink_on_their_light_box(
    live_server: str, browser, make: Factory
) -> None:
    """Projector mode is white on dark: an alert's pale box must keep its own dark ink."""
    event, _, _ = conference(make, halls=2)
    engine.evaluate(at(10))  # neither hall joined
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    log_in(page, live_server, make.user("viewer").email)
    page.goto(f"{live_server}/events/{event.id}/live?wall=1")
    item = page.locator('#event-alerts li[data-rule="hall_absent"]').first
    item.wait_for()
    ink = item.evaluate("e => getComputedStyle(e).color")
    assert ink == "rgb(29, 39, 51)", ink  # the page's ink, not the wall's #f4f7fb
