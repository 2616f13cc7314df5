"""The monthly report on a 390 px phone, in headless Chromium (the hand-made month of
tests/app/reports/conftest.py). A new user's tour found the page 761 px wide: the document's
tables of figures and its letterhead pushed it past the screen. The page now fits; a table of
figures too wide for the screen scrolls inside itself, its first column's words kept whole.
Screenshots go to ``LANTOA_SCREENSHOTS`` when set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

# Committing: Chromium's requests are served on the server's threads. One backend is enough here.
pytestmark = [
    pytest.mark.committing,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]
PHONE_SCREEN = {"width": 390, "height": 844}


def test_the_monthly_report_fits_a_phone(
    live_server: str, browser, make: Factory, month, tmp_path: Path
) -> None:
    page = browser.new_page(viewport=PHONE_SCREEN, locale="vi-VN")
    log_in(page, live_server, make.user("viewer", HOME).email)
    page.goto(f"{live_server}/reports/monthly?period=2026-10&org_unit={HOME}")
    page.screenshot(path=str(shots(tmp_path) / "monthly-390.png"), full_page=True)
    assert page.locator(".month-document table").count() > 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    # Every heading and paragraph of the document is inside the screen, not only the page's box.
    widest = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            '.month-document h1, .month-document h2, .month-document p, .month-document table')]
            .map(e => e.getBoundingClientRect().right))"""
    )
    assert widest <= PHONE_SCREEN["width"]
    # A table that scrolls inside itself is announced: the credited enrolments are off-screen.
    scrolling = page.evaluate(
        """() => [...document.querySelectorAll('.month-document table')]
            .filter(t => t.scrollWidth > t.clientWidth + 1).length"""
    )
    assert scrolling > 0
    assert page.locator(".swipe-hint").is_visible()
    assert "vuốt ngang" in page.locator(".swipe-hint").inner_text()
    wide = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    log_in(wide, live_server, make.user("viewer", HOME).email)
    wide.goto(f"{live_server}/reports/monthly?period=2026-10&org_unit={HOME}")
    assert not wide.locator(".swipe-hint").is_visible()
