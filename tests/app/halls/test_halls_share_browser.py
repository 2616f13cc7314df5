"""The halls page's new steps in headless Chromium on a 390 px phone: the search ranks as the
server does, "Sao chép tất cả đường dẫn" puts the Zalo message on the clipboard, and "Bỏ điểm cầu"
asks inline before removing. Screenshots go to ``LANTOA_SCREENSHOTS``."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.halls import services
from app.models import BridgePoint
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.app.halls.test_bridge_points_phone_browser import PHONE
from tests.app.halls.test_commune_rank import NGHI_LOC, shown_rows
from tests.app.halls.test_commune_search_browser import no_sideways_scroll
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
QUERIES = ("Thị trấn Quán Hành", "quan hanh", "nghĩa", "nghi", "hung binh", "Xã Bạch Hà", "son")
VISIBLE_CODES = """() => Array.from(document.querySelectorAll('#halls-form tbody tr'))
  .filter(r => !r.hidden).map(r => r.querySelector('[data-commune]').value)"""


def test_the_search_ranks_as_the_server_does(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    event = event_with_channel(make)
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    address = f"{live_server}/events/{event.id}/bridge-points"
    page.goto(address)
    search = page.locator("#commune-q")
    for query in QUERIES:
        search.fill(query)
        typed = page.evaluate(VISIBLE_CODES)
        served = page.request.get(address, params={"q": query}).text()
        assert typed == [code for code, _name in shown_rows(served)], query
    search.fill("Thị trấn Quán Hành")
    first = page.locator("#halls-form tbody tr:visible").first
    expect(first.locator("label")).to_have_text("Xã Nghi Lộc")
    expect(first.locator("small.former:visible")).to_have_text(
        ["(trước đây: Thị trấn Quán Hành, Huyện Nghi Lộc)"]
    )
    assert page.evaluate(VISIBLE_CODES)[0] == NGHI_LOC
    page.screenshot(path=str(shots(tmp_path) / "commune-rank-390.png"), full_page=True)
    no_sideways_scroll(page)
    search.fill("")  # back to the page's own order
    rows = page.locator("#halls-form tbody tr")
    places = rows.evaluate_all("rs => rs.map(r => Number(r.dataset.place))")
    assert places == list(range(130))
    page.close()


def test_copy_all_links_and_remove_a_hall(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    event = event_with_channel(make)
    points = services.set_bridge_points(event, commune_codes(n=3), {})
    db.session.commit()
    names = [p.org_unit.name for p in points]
    tokens = [p.checkin_token for p in points]
    context = browser.new_context(viewport=PHONE, locale="vi-VN",
                                  permissions=["clipboard-read", "clipboard-write"])  # fmt: skip
    page = context.new_page()
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    page.get_by_role("button", name="Sao chép tất cả đường dẫn").click()
    expect(page.locator("#copy-all-said")).to_have_text(
        "Đã sao chép tin nhắn: hãy dán vào nhóm Zalo"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#share-text").input_value()
    lines = copied.splitlines()
    assert lines[0] == event.title
    assert lines[1].startswith("Thời gian: ")
    assert lines[3:] == [
        f"{n}: {live_server}/checkin/{t}" for n, t in zip(names, tokens, strict=True)
    ]
    # "Bỏ điểm cầu" asks inline first; "Huỷ" takes it back, nothing removed.
    row = page.locator(f"#hall-{points[2].id}")
    row.get_by_role("link", name="Bỏ điểm cầu").click()
    confirm = row.locator(".remove-confirm")
    expect(confirm).to_be_visible()
    assert "remove=" not in page.url  # the script's step, no reload
    page.screenshot(path=str(shots(tmp_path) / "remove-hall-ask-390.png"), full_page=True)
    no_sideways_scroll(page)
    confirm.get_by_role("link", name="Hủy").click()
    expect(confirm).to_be_hidden()
    row.get_by_role("link", name="Bỏ điểm cầu").click()
    with page.expect_navigation():
        confirm.get_by_role("button", name="Đồng ý bỏ").click()
    expect(page.locator(".flash.success")).to_contain_text(f"Đã bỏ điểm cầu {names[2]}")
    expect(page.locator("table.halls tbody tr")).to_have_count(2)
    assert f"/checkin/{tokens[2]}" not in page.locator("#share-text").input_value()
    db.session.expire_all()
    left = db.session.scalars(sa.select(BridgePoint.id).where(BridgePoint.event_id == event.id))
    assert sorted(left) == sorted(p.id for p in points[:2])
    context.close()
