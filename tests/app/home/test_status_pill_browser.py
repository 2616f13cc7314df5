"""The status pills with the longest wording (home page, events list), in headless Chromium
(1366 and 390 px).

A tour found "Đang diễn ra (theo lịch) — nền tảng chưa phát" broken on the home page: a pill
rounded for one line, drawn over two, or run past its card. The pill now holds its words on one
line when they fit and wraps inside a badge with square-ish corners when they do not, never past
its box. Screenshots go to ``LANTOA_SCREENSHOTS``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Channel, utcnow
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
LONG = "Đang diễn ra (theo lịch) — nền tảng chưa phát"
PILLS_JS = """() => Array.from(document.querySelectorAll('main span.status')).map(s => {
  const b = s.getBoundingClientRect(), box = s.parentElement.getBoundingClientRect();
  const style = getComputedStyle(s), line = parseFloat(style.lineHeight);
  const pad = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  return {text: s.innerText, height: b.height, line, oneLine: line + pad,
          lines: Math.round((b.height - pad) / line),
          radius: parseFloat(style.borderTopLeftRadius), left: b.left, right: b.right,
          boxLeft: box.left, boxRight: box.right, inner: s.scrollWidth <= s.clientWidth,
          fragments: s.getClientRects().length};
})"""


@pytest.mark.parametrize("width", [1366, 390])
def test_the_longest_status_reads_as_one_badge(
    live_server: str, browser, make: Factory, tmp_path: Path, width: int
) -> None:
    now = utcnow()
    event = make.event(HOME, title="Livestream tư vấn BHXH tự nguyện cho người lao động tự do",
                       channel=Channel.LIVESTREAM, planned_start=now - timedelta(minutes=10),
                       planned_end=now + timedelta(hours=2))  # fmt: skip
    make.target(event, make.account(HOME), status="scheduled")  # Facebook has not started it
    officer = make.user("officer", HOME)
    db.session.commit()
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/")
    expect(page.locator(f"#under-way [data-event='{event.id}'] span.status")).to_have_text(LONG)
    page.screenshot(path=str(shots(tmp_path) / f"home-status-{width}.png"), full_page=True)
    pills = [p for p in page.evaluate(PILLS_JS) if p["text"] == LONG]
    assert len(pills) == 1  # the card under way (today's table lists the others)
    page.goto(f"{live_server}/events")  # a table's cell; a card's on a phone
    page.screenshot(path=str(shots(tmp_path) / f"events-status-{width}.png"), full_page=True)
    listed = [p for p in page.evaluate(PILLS_JS) if p["text"] == LONG]
    assert len(listed) == 1
    for pill in [*pills, *listed]:
        assert pill["fragments"] == 1, pill  # one box, not an inline run split over lines
        assert pill["inner"], pill  # its words inside it
        assert pill["left"] >= pill["boxLeft"] - 0.5, pill
        assert pill["right"] <= pill["boxRight"] + 0.5, pill  # never past its cell or card
        assert pill["lines"] <= 2, pill  # broken between its two parts at most
        if pill["lines"] == 2:  # a badge rounded as a one-line pill, not a blob
            assert pill["radius"] <= pill["oneLine"] / 2 + 0.5, pill
        else:
            assert pill["height"] <= pill["oneLine"] + 0.5, pill
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()
