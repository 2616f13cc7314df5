"""The alerts page on a 390 px phone in headless Chromium: cards, no sideways scroll (a long
event name included), the menu's count, and acknowledging one alert from its card."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.alerts import engine
from app.extensions import db
from app.models import Alert
from tests.app.alerts.test_engine import at, conference
from tests.app.live.pages import log_in
from tests.conftest import Factory

pytestmark = pytest.mark.committing

LONG_TITLE = ("Hội nghị trực tuyến triển khai chính sách BHXH tự nguyện và BHYT hộ gia đình "
              "cho các xã, phường quý IV năm 2026")  # fmt: skip


def test_the_alerts_page_fits_a_phone_and_acknowledges_from_a_card(
    live_server: str, browser, make: Factory
) -> None:
    event, (a, b), _ = conference(make, halls=2)
    event.title = LONG_TITLE
    engine.evaluate(at(10))  # neither hall joined: two "not connected" alerts
    officer = make.user("officer")
    officer.display_name = "Anh Minh"
    db.session.commit()
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/alerts")
    rows = page.locator("#open-alerts tr.alert-row")
    assert rows.count() == 2
    assert page.locator("#open-alerts thead").is_hidden()  # cards, not a table, on a phone
    assert "Điểm cầu chưa kết nối" in rows.first.inner_text()
    # The rule's name is the card's heading, its sentence under it ("Điểm cầu chưa kết nối Xã …
    # chưa kết nối vào hội nghị." read as one sentence, the hall in its middle).
    label = rows.first.locator(".alert-label").bounding_box()
    text = rows.first.locator(".alert-text").bounding_box()
    assert label
    assert text
    assert text["y"] >= label["y"] + label["height"] - 1
    assert LONG_TITLE in rows.first.inner_text()
    assert page.locator("#menu-alerts .nav-count").text_content() == "2"
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, wide
    rows.first.locator("button.alert-ack-button").click()
    page.wait_for_url(f"{live_server}/alerts")
    acked = page.locator("#open-alerts .alert-ack").first
    assert acked.inner_text().startswith("Đã xác nhận bởi Anh Minh lúc ")
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Alert.acknowledged_by_id == officer.id))
        == 1
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    folder = os.environ.get("LANTOA_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / "alerts-page-390-vi.png"), full_page=True)
    assert errors == []
