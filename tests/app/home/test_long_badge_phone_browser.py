"""A long hall badge on a commune officer's home at 390 px, in headless Chromium.

A tour found the home of a commune whose hall had sent its head count scrolling sideways: the
badge "Đã báo số người, chưa kết nối vào cuộc họp" was kept on one line, wider than the phone. A
long badge now wraps inside its line on a phone; a short one still reads whole, on one line.
Screenshots go to ``LANTOA_SCREENSHOTS``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Event, Platform
from tests.app.events.provincial import provincial, stop_clock
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
PHONE = {"width": 390, "height": 844}
LONG = "Đã báo số người, chưa kết nối vào cuộc họp"
BADGES_JS = """() => Array.from(document.querySelectorAll('main span.status')).map(s => {
  const b = s.getBoundingClientRect(), style = getComputedStyle(s);
  const pad = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  return {text: s.innerText, right: b.right, inner: s.scrollWidth <= s.clientWidth,
          lines: Math.round((b.height - pad) / parseFloat(style.lineHeight))};
})"""


def test_a_long_hall_badge_wraps_on_a_phone(
    live_server: str, browser, make: Factory, monkeypatch, tmp_path: Path
) -> None:
    stop_clock(monkeypatch)
    world = provincial(make)  # the commune's own hall sent 38 people
    account = make.account(HOME, platform=Platform.ZOOM, name="Zoom BHXH tỉnh")
    make.target(db.session.get(Event, world.conference), account, kind="zoom_meeting",
                external_id="85012345678")  # followed, the hall not in it  # fmt: skip
    db.session.commit()
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, make.user("officer", world.mine).email)
    expect(page.locator(f'[data-hall="{world.mine}"] span.status')).to_have_text(LONG)
    page.screenshot(path=str(shots(tmp_path) / "home-commune-390.png"), full_page=True)
    badges = page.evaluate(BADGES_JS)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for badge in badges:
        assert badge["inner"], badge  # its words inside it
        assert badge["right"] <= PHONE["width"], badge
        if len(badge["text"]) <= 20:
            assert badge["lines"] == 1, badge  # a short badge is never broken
    assert any(b["text"] == LONG and b["lines"] == 2 for b in badges), badges
    page.close()
