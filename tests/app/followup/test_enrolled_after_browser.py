"""The follow-up page's "enrolled after the event" section on a 390 px phone: each person a card,
nothing wider than the screen. Screenshots go to ``LANTOA_SCREENSHOTS`` when set."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.followup.enrolled_world import enrolled_world
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

WIDTH = 390


def test_the_section_fits_a_phone(live_server: str, browser, make: Factory, tmp_path: Path) -> None:
    world = enrolled_world(make)
    email = make.user("officer", HOME).email
    page = browser.new_page(viewport={"width": WIDTH, "height": 844})
    log_in(page, live_server, email)
    page.goto(f"{live_server}/events/{world.event_id}/follow-up")
    page.click("a[href='#enrolled-after']")  # the count in the page's head leads to the list
    page.screenshot(path=str(shots(tmp_path) / "enrolled-after-phone.png"), full_page=True)
    table = page.locator("#enrolled-table")
    assert table.locator("tbody tr").count() == 4
    assert table.evaluate("t => t.scrollWidth") <= WIDTH
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    minh = table.locator("tbody tr", has_text="Trần Văn Minh")
    box = minh.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= WIDTH
    assert minh.locator("td").nth(5).inner_text().endswith("09/04/2026")  # a card: label, value
    assert page.locator("#enrolled-after").is_visible()
