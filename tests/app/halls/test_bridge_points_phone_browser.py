"""The organiser's halls page on a 390 px phone, in headless Chromium.

A new user's tour found its seven-column table cramped on a phone, the links and buttons beyond
the screen's edge. Each hall is now a card (app.css ``phone-cards``, as the hall board and the
reports): its name on top, every other cell under its own heading; the halls form's communes
too. Nothing scrolls sideways, on the page or inside a table. An ended event's page, where a hall
is added without a link, is checked the same way. Screenshots go to ``LANTOA_SCREENSHOTS``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.halls import services
from app.models import BridgePoint, Event
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
TABLES_JS = """() => Array.from(document.querySelectorAll('main table'))
  .filter(t => t.scrollWidth > t.clientWidth).map(t => t.className)"""
# Every cell of every hall's card, where it lies on the screen.
OUTSIDE_JS = """w => Array.from(document.querySelectorAll('table.halls td, #halls-form td'))
  .filter(c => { const b = c.getBoundingClientRect(); return b.left < 0 || b.right > w; })
  .map(c => c.innerText.slice(0, 40))"""


def halls(make: Factory) -> Event:
    event = event_with_channel(make)
    codes = commune_codes(n=3)
    points = services.set_bridge_points(event, codes, dict.fromkeys(codes, 40))
    points[0].contact_name, points[0].contact_phone = "Nguyễn Thị Lan", "+84912345678"
    services.record_report(points[0], "phone-report-1", 1234, [], datetime.now(UTC))
    points[1].checkin_revoked_at = datetime.now(UTC)
    db.session.commit()
    return event


def test_each_hall_is_a_card_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    event = halls(make)
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    table = page.locator("table.halls")
    expect(table.locator("tbody tr")).to_have_count(3)
    page.screenshot(path=str(shots(tmp_path) / "bridge-points-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(TABLES_JS) == []  # nothing hides inside a table either
    assert page.evaluate(OUTSIDE_JS, PHONE["width"]) == []
    expect(table.locator("thead")).to_be_hidden()
    first = table.locator("tbody tr").first
    tops = first.locator("td").evaluate_all(
        "cells => cells.map(c => [c.className, c.getBoundingClientRect().top])"
    )
    title_top = min(top for name, top in tops if name == "card-title")
    assert all(title_top < top for name, top in tops if name != "card-title")  # the name on top
    # Each figure under its heading, the link and its actions a line of their own.
    link = first.locator("td.link-cell")
    heading = link.evaluate("c => getComputedStyle(c, '::before').content")
    assert heading == '"Đường dẫn điểm danh"'
    assert link.bounding_box()["width"] > PHONE["width"] * 0.8
    expect(first.locator("td[data-label='Số người']")).to_contain_text("1.234")
    expect(first.locator("td[data-label='Liên hệ']")).to_contain_text("0912 345 678")
    expect(first.get_by_role("link", name="Cấp đường dẫn mới")).to_be_visible()
    expect(page.locator("#halls-form thead")).to_be_hidden()
    page.close()


def test_the_laptop_keeps_the_table(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    event = halls(make)
    page = browser.new_page(viewport=LAPTOP, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    page.screenshot(path=str(shots(tmp_path) / "bridge-points-1366.png"), full_page=True)
    expect(page.locator("table.halls thead")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    page.close()


def test_adding_a_hall_to_an_ended_event_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    """The form as a card per commune; the hall comes back without a link, and says why."""
    start = datetime.now(UTC) - timedelta(days=3)
    event = make.event(HOME, title="Hội nghị đã xong", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=2))  # fmt: skip
    db.session.commit()
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    expect(page.locator("#adding-after-end")).to_contain_text("Sự kiện đã kết thúc")
    code = commune_codes(n=1)[0]
    page.locator(f"#c-{code}").check()
    # Typed the Vietnamese way: a number box would refuse "1.500" and block saving silently.
    page.locator(f"input[name='expected-{code}']").fill("1.500")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu điểm cầu").click()
    expect(page.locator(".flash.warning").first).to_contain_text("không cấp đường dẫn điểm danh")
    db.session.expire_all()
    point = db.session.scalars(select(BridgePoint).where(BridgePoint.event_id == event.id)).one()
    assert point.expected_attendance == 1500
    expect(page.locator(f"input[name='expected-{code}']")).to_have_value("1.500")
    row = page.locator("table.halls tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td.link-cell")).to_have_text(
        "Chưa có đường dẫn: điểm cầu được thêm sau khi sự kiện đã kết thúc."
    )
    page.screenshot(path=str(shots(tmp_path) / "bridge-points-ended-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(TABLES_JS) == []
    assert page.evaluate(OUTSIDE_JS, PHONE["width"]) == []
    page.close()
