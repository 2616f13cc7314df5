"""On a phone (390 px), a report refused only because of an attendee row lets the officer send
its head count first: the count goes through the offline queue as a report of its own (through
a dropped connection and a reload), the rows stay on the page, marked, without the count, and
are sent afterwards; the hall's count is the one typed, each report is stored once."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.app.halls.test_checkin_browser import latest_head_count, reports
from tests.app.live.webserver import wait_for

pytestmark = pytest.mark.committing

PHONE = {"width": 390, "height": 844}


def refused_for_a_row(page) -> None:  # type: ignore[no-untyped-def]
    """Send 45 people and two attendee rows, the second with a phone too short to be one."""
    page.fill("#head_count", "45")
    page.click("#checkin summary")
    rows = {"name-0": "Nguyễn Thị Hoa", "birth-0": "1980", "phone-0": "0912 345 678",
            "name-1": "Trần Văn Bình", "birth-1": "12/3/1975", "phone-1": "09123"}  # fmt: skip
    for field, value in rows.items():
        page.fill(f"#{field}", value)
    page.click("#checkin button[type=submit]")


def test_the_head_count_goes_first_and_the_rows_after(
    live_server: str, browser, checkin_link
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  service_workers="block")  # its routes see every POST  # fmt: skip
    page = context.new_page()
    page.goto(live_server + checkin_link)
    refused_for_a_row(page)
    card = page.locator("#rejected .rejected")
    first = card.locator("button.count-first")
    expect(first).to_have_text("Gửi trước số người (45), sửa danh sách sau")
    assert reports() == []  # all or nothing: the refusal stored no half of it
    box = first.bounding_box()
    assert box["height"] >= 44  # a finger, not a mouse
    assert 0 <= box["x"] <= box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The 3G link drops as the officer presses it: the count waits in the queue, through a reload.
    drop = lambda route: route.abort() if route.request.method == "POST" else route.continue_()  # noqa: E731
    context.route(live_server + checkin_link, drop)
    first.click()
    for _ in range(2):
        expect(page.locator("#queue")).to_contain_text("1 báo cáo")
        expect(card).to_contain_text("Danh sách người dự gửi lúc")
        expect(card).to_contain_text("số người (45) được gửi riêng")
        expect(card.locator("[name=head_count]")).to_have_count(0)
        expect(card.locator("button.count-first")).to_have_count(0)
        expect(card.locator("[aria-invalid=true]")).to_have_attribute("name", "phone-1")
        expect(card.locator("[name=phone-1]")).to_have_value("09123")
        page.reload()
    assert reports() == []
    context.unroute(live_server + checkin_link)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#latest")).to_contain_text("45")
    assert [(r.head_count, r.attendees) for r in reports()] == [(45, 0)]
    assert latest_head_count(checkin_link) == 45  # on the organiser's board while the rows wait

    card.locator("[name=phone-1]").fill("0912 345 679")
    card.locator("button[type=submit]").click()
    expect(card).to_have_count(0)
    wait_for(lambda: len(reports()) == 2)
    stored = reports()
    assert [(r.head_count, r.attendees) for r in stored] == [(45, 0), (None, 2)]
    assert stored[0].idempotency_key == stored[1].idempotency_key + "-n"
    page.reload()  # nothing is left to send again
    time.sleep(1.0)
    assert len(reports()) == 2
    assert latest_head_count(checkin_link) == 45
    context.close()


def test_without_javascript_the_page_offers_the_count_first_too(
    live_server: str, browser, checkin_link
) -> None:
    """The server's page does what the script's card does, with plain form posts; the Enter key
    still sends the report as corrected (the count-first button is not the form's default)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  java_script_enabled=False)  # fmt: skip
    page = context.new_page()
    page.goto(live_server + checkin_link)
    refused_for_a_row(page)
    first = page.locator("#checkin button[name=count_first]")
    expect(first).to_have_text("Gửi trước số người (45), sửa danh sách sau")
    expect(page.locator("#count-first-hint")).to_be_visible()
    assert reports() == []
    box = first.bounding_box()
    assert box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.press("#hamlet-1", "Enter")  # the default button: Send, refused again as it stands
    expect(page.locator("#checkin button[name=count_first]")).to_be_visible()
    assert reports() == []

    page.click("#checkin button[name=count_first]")
    expect(page.locator("#count-sent")).to_have_text(
        "Số người (45) đã được gửi riêng. Hãy sửa danh sách người dự bên dưới rồi gửi."
    )
    assert [(r.head_count, r.attendees) for r in reports()] == [(45, 0)]
    assert latest_head_count(checkin_link) == 45
    assert page.locator("#head_count").count() == 0
    expect(page.locator("#phone-1")).to_have_attribute("aria-invalid", "true")
    page.fill("#phone-1", "0912 345 679")
    page.click("#checkin button[type=submit]")
    expect(page.locator("#received")).to_have_text("Đã nhận. Cảm ơn!")
    stored = sorted((r.head_count or 0, r.attendees) for r in reports())
    assert stored == [(0, 2), (45, 0)]
    assert latest_head_count(checkin_link) == 45  # the rows leave the hall's count as it was
    context.close()
