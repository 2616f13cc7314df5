"""A new user's tour at a 390 px phone: a mistyped head count is asked about before it is queued
(online or not), and on the bridge-points page a link is copied in one press while revoking one
takes two (with and without JavaScript).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.halls import services
from app.models import AttendanceReport, BridgePoint
from tests.app.halls.conftest import commune_codes
from tests.app.live.pages import log_in, shots
from tests.app.live.webserver import wait_for
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
PHONE = {"width": 390, "height": 844}
ASKED = "Bạn nhập 4.500 người, gấp 100 lần số dự kiến (45). Kiểm tra lại?"


def conference(make: Factory):  # type: ignore[no-untyped-def]
    """An online conference with two halls, the first expecting 45 people."""
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    codes = commune_codes(n=2)
    points = services.set_bridge_points(event, codes, {codes[0]: 45})
    db.session.commit()
    return event, next(p for p in points if p.org_unit.code == codes[0])


def counts() -> list[int | None]:
    db.session.expire_all()
    return [r.head_count for r in db.session.scalars(sa.select(AttendanceReport))]


def test_an_unusual_count_is_asked_about_and_corrected(
    live_server: str, browser, make, tmp_path: Path
) -> None:
    _event, point = conference(make)
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{live_server}/checkin/{point.checkin_token}")
    page.fill("#head_count", "4500")
    page.click("#checkin button[type=submit]")
    expect(page.locator("#unusual-text")).to_have_text(ASKED)
    expect(page.locator("#unusual-send")).to_have_text("Đúng, gửi")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(shots(tmp_path) / "checkin-unusual-390.png"), full_page=True)
    time.sleep(0.5)
    assert counts() == []  # nothing queued while the officer is asked
    page.click("#unusual-fix")  # "Sửa lại"
    expect(page.locator("#unusual")).to_be_hidden()
    expect(page.locator("#head_count")).to_be_focused()
    page.fill("#head_count", "45")
    page.click("#checkin button[type=submit]")
    page.locator("#done").wait_for(state="visible")
    expect(page.locator("#unusual")).to_be_hidden()  # a usual count is sent at once
    assert counts() == [45]
    page.close()


def test_confirmed_offline_it_is_stored_once_when_back_online(
    live_server: str, browser, make
) -> None:
    _event, point = conference(make)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server}/checkin/{point.checkin_token}")
    context.set_offline(True)
    page.fill("#head_count", "4.500")
    page.click("#checkin button[type=submit]")
    expect(page.locator("#unusual-text")).to_have_text(ASKED)
    page.click("#unusual-send")  # "Đúng, gửi": a real crowd
    page.locator("#queue").wait_for(state="visible")
    assert counts() == []
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(lambda: counts() == [4500])
    page.reload()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    time.sleep(1.0)
    assert counts() == [4500]  # stored once
    context.close()


def organiser_page(browser, live_server: str, make: Factory, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="vi-VN", **options)
    page = context.new_page()
    log_in(page, live_server, make.user("officer", HOME).email)
    return context, page


def test_the_copy_button_puts_the_link_on_the_clipboard(live_server: str, browser, make) -> None:
    event, point = conference(make)
    context, page = organiser_page(browser, live_server, make,
                                   permissions=["clipboard-read", "clipboard-write"])  # fmt: skip
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    row = page.locator(f"#hall-{point.id}")
    link = row.locator("code").inner_text()
    assert link.endswith(f"/checkin/{point.checkin_token}")
    row.get_by_role("button", name="Sao chép").click()
    expect(row.locator(".copied")).to_have_text("Đã sao chép")
    assert page.evaluate("navigator.clipboard.readText()") == link
    context.close()


def test_without_the_clipboard_api_the_link_is_selected(live_server: str, browser, make) -> None:
    event, point = conference(make)
    context, page = organiser_page(browser, live_server, make)
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    row = page.locator(f"#hall-{point.id}")
    row.get_by_role("button", name="Sao chép").click()
    selected = page.evaluate("String(window.getSelection())")
    assert selected == row.locator("code").inner_text()
    assert selected.endswith(f"/checkin/{point.checkin_token}")
    expect(row.locator(".copied")).not_to_be_empty()
    context.close()


def revoked(point: BridgePoint) -> bool:
    db.session.expire_all()
    return db.session.get(BridgePoint, point.id).checkin_revoked_at is not None


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_revoking_a_link_asks_first(live_server: str, browser, make, script: bool) -> None:
    event, point = conference(make)
    context, page = organiser_page(browser, live_server, make, java_script_enabled=script)
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    row = page.locator(f"#hall-{point.id}")
    row.get_by_role("link", name="Thu hồi đường dẫn").click()
    question = row.locator(".revoke-confirm")
    expect(question).to_be_visible()
    expect(question).to_contain_text(f"Thu hồi đường dẫn của {point.org_unit.name}?")
    assert not revoked(point)  # the first press only asks
    row.get_by_role("link", name="Hủy").click()
    expect(row.locator(".revoke-confirm")).to_be_hidden()
    assert not revoked(point)
    row.get_by_role("link", name="Thu hồi đường dẫn").click()
    with page.expect_navigation():
        row.get_by_role("button", name="Đúng, thu hồi").click()
    assert revoked(point)
    expect(page.locator(f"#hall-{point.id} .link-cell")).to_contain_text("Đã thu hồi")
    context.close()
