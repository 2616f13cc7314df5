"""Unmatched participants on a 390 px phone, in headless Chromium.

The names' table scrolled inside its box (528 px in 358). Each name is now a card (app.css
``phone-cards``, as the hall board and the halls page): the name on top, its sessions and first
join under their headings, the hall picker and "not a hall" across the card. The names marked as
not a hall and the remembered ones read as cards too. Nothing scrolls sideways, on the page or in
a table. Screenshots (390 and 1366 px) go to ``LANTOA_SCREENSHOTS``."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.halls.roster import assign, mark_not_a_hall
from app.models import BridgePoint
from tests.app.halls.conftest import HALL, HOST, PHONE, first_of, roster
from tests.app.halls.test_bridge_points_phone_browser import LAPTOP, TABLES_JS
from tests.app.halls.test_bridge_points_phone_browser import PHONE as SCREEN
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
# Every cell of the page's tables lying beyond the screen's edges.
OUTSIDE_JS = """w => Array.from(document.querySelectorAll('main table td'))
  .filter(c => { const b = c.getBoundingClientRect(); return b.left < 0 || b.right > w; })
  .map(c => c.innerText.slice(0, 40))"""


def test_each_unmatched_name_is_a_card_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    long_name = "Phòng họp tầng 2 trụ sở BHXH tỉnh Nghệ An"
    event, _ = roster(make, [HALL, PHONE, long_name, HOST, "Hội trường UBND xã Bạch Hà"])
    mark_not_a_hall(event.id, first_of(HOST))
    point = db.session.scalars(
        sa.select(BridgePoint).where(BridgePoint.event_id == event.id)
    ).first()
    assign(event.id, first_of("Hội trường UBND xã Bạch Hà"), point, None)  # a remembered name
    db.session.commit()
    page = browser.new_page(viewport=SCREEN, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/participants/unmatched")
    table = page.locator("table.unmatched")
    expect(table.locator("tbody tr")).to_have_count(3)
    page.screenshot(path=str(shots(tmp_path) / "unmatched-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    assert page.evaluate(TABLES_JS) == []  # nothing hides inside a table
    assert page.evaluate(OUTSIDE_JS, SCREEN["width"]) == []
    assert table.locator("thead").is_hidden()  # each value under its own heading
    card = table.locator("tbody tr").first
    labels = card.locator("td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels == ['"Lượt kết nối"', '"Vào lần đầu"', '"Điểm cầu"']
    # The name heads its card; the picker and its button come under it, inside the screen.
    name = card.locator("td.card-title").bounding_box()
    picker = card.locator("select").bounding_box()
    button = card.get_by_role("button", name="Không phải điểm cầu").bounding_box()
    assert name
    assert picker
    assert button
    assert name["y"] < picker["y"] < button["y"]
    assert button["x"] + button["width"] <= SCREEN["width"]
    assert page.locator("table.not-halls thead").is_hidden()
    assert page.locator("table.remembered thead").is_hidden()
    page.close()

    wide = browser.new_page(viewport=LAPTOP, locale="vi-VN")
    log_in(wide, live_server, make.user("officer", HOME).email)
    wide.goto(f"{live_server}/events/{event.id}/participants/unmatched")
    expect(wide.locator("table.unmatched thead")).to_be_visible()  # a table on a laptop
    wide.screenshot(path=str(shots(tmp_path) / "unmatched-1366.png"), full_page=True)
    wide.close()
