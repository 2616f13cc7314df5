"""The organiser's hall pages in headless Chromium, as a new user's tour found them.

On a 390 px phone the event page's hall board was a nine-column table: the status pill
("Chưa kết nối, chưa báo số người") pushed the head count off the screen, and nothing said the
table scrolled sideways. On the unmatched-participants page, "Gán" with no hall chosen was
stopped by the browser in its own language, and the hall picker was the browser's bare select.
Screenshots go to ``LANTOA_SCREENSHOTS`` when set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import PHONE, commune_codes, roster
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
PHONE_SCREEN = {"width": 390, "height": 844}


def test_the_hall_board_fits_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    start = datetime.now(UTC) - timedelta(days=2)
    event = make.event(HOME, title="Hội nghị trực tuyến 4 điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=2))  # fmt: skip
    points = services.set_bridge_points(event, commune_codes(n=4), {})
    services.record_report(points[0], "report-0001", 1234, [], start + timedelta(minutes=10))
    db.session.commit()
    page = browser.new_page(viewport=PHONE_SCREEN, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}")
    board = page.locator("table.hall-board")
    expect(board.locator("tr[data-hall]")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    # Nothing hides inside the table either: it has nothing to scroll sideways.
    assert board.evaluate("t => t.scrollWidth - t.clientWidth") <= 0
    for row in board.locator("tr[data-hall]").all():
        for cell in (row.locator(".status"), row.locator("td").nth(2)):  # status, head count
            box = cell.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE_SCREEN["width"], cell.inner_text()
    head_count = board.locator(f'tr[data-hall="{points[0].org_unit.code}"] td').nth(2)
    expect(head_count).to_contain_text("1.234")
    # No expected count and over 1.000 people: marked to check, and the mark fits the phone too.
    expect(head_count).to_contain_text("(chưa chắc: chưa có số dự kiến)")
    page.screenshot(path=str(shots(tmp_path) / "hall-board-390.png"), full_page=True)
    page.close()


def test_assign_without_a_hall_answers_in_vietnamese(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    event, _target = roster(make, [PHONE, "Phòng họp lạ"])
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    url = f"{live_server}/events/{event.id}/participants/unmatched"
    page.goto(url)
    select = page.locator("select[name=bridge_point]").first
    # Like the app's other selects (forms' .field select): a bordered, rounded, tappable box.
    style = select.evaluate(
        "s => { const c = getComputedStyle(s);"
        " return [c.borderTopLeftRadius, c.borderTopStyle, parseFloat(c.minHeight)]; }"
    )
    assert style[0] == "6px"
    assert style[1] == "solid"
    assert style[2] >= 40
    row = page.locator("tr", has_text=PHONE)
    row.get_by_role("button", name="Gán").click()
    error = row.locator("small.error")
    expect(error).to_have_text(f"Hãy chọn điểm cầu của sự kiện này cho {PHONE}.", timeout=5000)
    expect(row.locator("select[name=bridge_point]")).to_have_attribute("aria-invalid", "true")
    assert page.url == url  # the same page, the list still there
    expect(page.locator("tr", has_text="Phòng họp lạ")).to_have_count(1)
    page.screenshot(path=str(shots(tmp_path) / "unmatched-assign-empty.png"), full_page=True)
    page.close()
