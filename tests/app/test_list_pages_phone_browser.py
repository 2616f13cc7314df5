"""The list pages an officer opens first, on a 390 px phone, in headless Chromium.

A new user's tour found the events list, the users list and the home page's coming days cut on a
phone: their status and unit columns hid inside each table's own sideways scroll. Each row is now
a card (app.css ``phone-cards``): the title on top, every other cell under its own heading.
Screenshots go to ``LANTOA_SCREENSHOTS``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Channel
from app.timeparse import VN
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
PHONE = {"width": 390, "height": 844}
TABLES_JS = """() => Array.from(document.querySelectorAll('main table'))
  .filter(t => t.scrollWidth > t.clientWidth).map(t => t.id || t.className)"""
OUTSIDE_JS = """w => Array.from(document.querySelectorAll('main table td'))
  .filter(c => { const b = c.getBoundingClientRect();
                 return b.width && (b.left < 0 || b.right > w); })
  .map(c => c.innerText.slice(0, 40))"""


def whole_on_screen(page: Page, name: str, tmp_path: Path) -> None:
    page.screenshot(path=str(shots(tmp_path) / f"{name}-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(TABLES_JS) == []  # nothing hides inside a table either
    assert page.evaluate(OUTSIDE_JS, PHONE["width"]) == []


def test_events_users_and_the_coming_days_are_cards_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    # Two days ahead of the day the page is opened: the home page's "coming days" lists it.
    start = (datetime.now(VN) + timedelta(days=2)).replace(hour=8, minute=0, second=0)
    make.event(HOME, title="Hội nghị trực tuyến tuyên truyền BHXH tự nguyện năm 2027",
               channel=Channel.ONLINE_CONFERENCE, planned_start=start,
               planned_end=start + timedelta(hours=3), cost_vnd=1_500_000)  # fmt: skip
    officer = make.user("admin", HOME)  # the users page is an admin's
    make.user("viewer", HOME, email="can.bo.xa.chau.tien.rat.dai@bhxh-nghean.gov.vn")
    db.session.commit()
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, officer.email)

    page.goto(f"{live_server}/events")
    row = page.locator("#event-list tbody tr").first
    expect(row.locator("td[data-label='Trạng thái']")).to_be_visible()
    expect(row.locator("td[data-label='Chi phí (đồng)']")).to_contain_text("1.500.000")
    whole_on_screen(page, "events", tmp_path)

    page.goto(f"{live_server}/users")
    expect(page.locator("#users tbody tr")).to_have_count(2)
    expect(page.locator("#users td[data-label='Đơn vị']").first).to_be_visible()
    whole_on_screen(page, "users", tmp_path)

    page.goto(f"{live_server}/")
    coming = page.locator("#upcoming tbody tr")
    expect(coming).to_have_count(1)
    expect(coming.locator("td[data-label='Trạng thái']")).to_be_visible()
    whole_on_screen(page, "home", tmp_path)
    page.close()


def test_collection_status_is_cards_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    """/collection: each account and each tracked object a card, the object's title on top (a
    long one wraps), nothing cut or scrolled sideways."""
    account = make.account(HOME, name="Fanpage Bảo hiểm xã hội tỉnh Nghệ An (chính thức)",
                           rate_limit_usage={"usage_pct": 42})  # fmt: skip
    event = make.event(HOME, title="Hội nghị đối thoại chính sách BHXH, BHYT tháng 12")
    make.target(event, account, external_id="101796681214", status="live",
                title="Đối thoại trực tuyến: chính sách BHXH tự nguyện và BHYT hộ gia đình 2027",
                url="https://www.facebook.com/bhxhnghean/videos/987654321/",
                last_error="(#17) User request limit reached")  # fmt: skip
    officer = make.user("officer", HOME)
    db.session.commit()
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/collection")
    expect(
        page.locator("#platform-accounts td[data-label='Hạn mức nền tảng đã dùng']")
    ).to_be_visible()
    card = page.locator("#collection-targets tbody tr")
    expect(card.locator("a.object-title")).to_contain_text("Đối thoại trực tuyến")
    expect(card.locator("td[data-label='Số lần đọc']")).to_be_visible()
    expect(card.get_by_text("101796681214")).to_be_hidden()  # in the closed technical fold
    whole_on_screen(page, "collection", tmp_path)
    page.close()


@pytest.mark.parametrize("width", [360, 390])
def test_the_campaigns_are_cards_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path, width: int
) -> None:
    """The tour's /campaigns at 360 px: a 505 px table in a 328 px box, "Thời gian" and "Chỉ
    tiêu" off the screen. Each campaign is now a card, its period and goal under their names."""
    make.campaign(name="Vận động tham gia BHXH tự nguyện quý IV năm 2026", goal=1700)
    manager = make.user("manager", HOME)
    db.session.commit()
    page = browser.new_page(viewport={**PHONE, "width": width}, locale="vi-VN")
    log_in(page, live_server, manager.email)
    page.goto(f"{live_server}/campaigns")
    row = page.locator("#campaign-list tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td[data-label='Thời gian']")).to_contain_text("01/10/2026 – 31/12/2026")
    expect(row.locator("td[data-label='Chỉ tiêu']")).to_contain_text("1.700")
    expect(row.locator("td[data-label='Chỉ tiêu']")).to_be_in_viewport()
    page.screenshot(path=str(shots(tmp_path) / f"campaigns-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(TABLES_JS) == []
    assert page.evaluate(OUTSIDE_JS, width) == []
    page.close()
