"""The halls form's commune search in headless Chromium on a 390 px phone, with and without
JavaScript: today's and pre-2025 names, no accents needed, ticked rows kept, typing ticks a row,
and nothing scrolls sideways. Screenshots go to ``LANTOA_SCREENSHOTS``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.app.halls.conftest import event_with_channel
from tests.app.halls.test_bridge_points_phone_browser import OUTSIDE_JS, PHONE, TABLES_JS
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
BACH_HA, THANH_VINH, BAC_LY = "17707", "16681", "16819"


def no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(TABLES_JS) == []
    assert page.evaluate(OUTSIDE_JS, PHONE["width"]) == []


def test_search_as_the_officer_types(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    event = event_with_channel(make)
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    rows = page.locator("#halls-form tbody tr")
    expect(rows).to_have_count(130)
    page.locator(f"#c-{BAC_LY}").check()
    search = page.get_by_label("Tìm xã, phường theo tên hiện nay hoặc tên trước năm 2025")
    search.fill("bach ha")
    search.press("Enter")  # filters, never submits the form
    expect(page.locator("#halls-form tbody tr:visible")).to_have_count(2)  # + the ticked Bắc Lý
    expect(page.locator(f"#c-{BACH_HA}")).to_be_visible()
    expect(page.locator(f"#c-{BAC_LY}")).to_be_checked()
    expect(page.locator("#search-found")).to_have_text(
        "1 xã, phường khớp; các xã đã chọn vẫn được giữ trong danh sách."
    )
    # Typing the expected count ticks the row.
    page.locator(f"input[name='expected-{BACH_HA}']").fill("30")
    expect(page.locator(f"#c-{BACH_HA}")).to_be_checked()
    search.fill("Phường Hưng Bình, TP Vinh")
    thanh_vinh = page.locator(f"#c-{THANH_VINH}").locator("xpath=ancestor::tr")
    expect(thanh_vinh).to_be_visible()
    expect(thanh_vinh.locator("small.former:visible")).to_have_text(
        ["(trước đây: Phường Hưng Bình, Thành phố Vinh)"]
    )
    expect(page.locator(f"#c-{BACH_HA}")).to_be_visible()  # ticked and typed: kept
    page.screenshot(path=str(shots(tmp_path) / "commune-search-390.png"), full_page=True)
    no_sideways_scroll(page)
    search.fill("")
    expect(rows.locator("visible=true")).to_have_count(130)
    expect(page.locator("small.former:visible")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu điểm cầu").click()
    expect(page.locator("table.halls tbody tr")).to_have_count(2)
    page.close()


def test_search_without_javascript(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    event = event_with_channel(make)
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    page.locator(f"#c-{BAC_LY}").check()
    page.locator(f"input[name='expected-{BAC_LY}']").fill("40")
    page.locator("#commune-q").fill("hung binh")
    with page.expect_navigation():
        page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator("#halls-form tbody tr:visible")).to_have_count(2)
    expect(page.locator(f"#c-{BAC_LY}")).to_be_checked()
    expect(page.locator(f"input[name='expected-{BAC_LY}']")).to_have_value("40")
    expect(page.locator("small.former:visible")).to_have_text(
        ["(trước đây: Phường Hưng Bình, Thành phố Vinh)"]
    )
    page.screenshot(path=str(shots(tmp_path) / "commune-search-nojs-390.png"), full_page=True)
    no_sideways_scroll(page)
    # Typed but not ticked: refused, naming the commune, the form as typed.
    page.locator(f"input[name='expected-{THANH_VINH}']").fill("25")
    page.get_by_role("button", name="Lưu điểm cầu").click()
    expect(page.locator(".flash.error")).to_contain_text(
        "Phường Thành Vinh có số dự kiến 25 nhưng chưa được chọn"
    )
    expect(page.locator(f"input[name='expected-{THANH_VINH}']")).to_have_value("25")
    no_sideways_scroll(page)
    context.close()


def test_the_count_of_communes_found_in_english(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    """The English line said "1 communes match". One commune or several, with JavaScript (the
    page's words from ngettext) and without it (the server's ngettext); one Vietnamese form."""
    event = event_with_channel(make)
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    path = f"{live_server}/events/{event.id}/bridge-points"
    page.goto(path)
    search, found = page.locator("#commune-q"), page.locator("#search-found")
    search.fill("hung")
    expect(found).to_have_text(re.compile(r"^\d+ xã, phường khớp; các xã đã chọn vẫn"))
    with page.expect_navigation():
        page.click("form.lang button")  # English
    search.fill("bach ha")
    expect(found).to_have_text("1 commune matches; ticked ones stay listed.")
    search.fill("hung")
    expect(found).to_have_text(re.compile(r"^\d+ communes match; ticked ones stay listed\.$"))
    assert not found.inner_text().startswith("1 ")
    search.fill("zzzz")
    expect(found).to_have_text("No commune matches; ticked ones stay listed.")
    page.screenshot(path=str(shots(tmp_path) / "commune-search-en-390.png"), full_page=True)
    page.close()

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(path)
    with page.expect_navigation():
        page.click("form.lang button")  # English
    page.locator("#commune-q").fill("bach ha")
    with page.expect_navigation():
        page.get_by_role("button", name="Find", exact=True).click()
    expect(page.locator("#search-found")).to_have_text(
        "1 commune matches; ticked ones stay listed. Show all"
    )
    context.close()
