"""A commune officer's part of a provincial event on a 390 px phone, in headless Chromium.

A new user's tour found the page 596 px wide: the hall's check-in link, one unbroken word,
pushed it past the screen; and an event not yet held read "Thực tế — –". The link now wraps
inside the screen, and the times say "Chưa ghi nhận". Screenshots go to ``LANTOA_SCREENSHOTS``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.extensions import db
from app.models import Event
from tests.app.events.provincial import provincial, stop_clock, with_meeting
from tests.app.live.pages import log_in, shots
from tests.app.vietnamese_text import english_in
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads
PHONE_SCREEN = {"width": 390, "height": 844}


def test_the_commune_officers_event_page_fits_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_clock(monkeypatch)
    world = provincial(make)
    event = db.session.get(Event, world.conference)
    assert event is not None
    event.actual_start = event.actual_end = None  # not held yet
    officer = make.user("officer", world.mine)
    db.session.commit()
    page = browser.new_page(viewport=PHONE_SCREEN, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{world.conference}")
    link = page.locator("a.checkin-link")
    assert len(link.inner_text()) > 40  # the long word that used to widen the page
    page.screenshot(path=str(shots(tmp_path) / "event-part-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    card = page.locator(".own-hall").bounding_box()
    assert card is not None
    for inside in (link, page.locator(".own-hall .status")):  # within the hall's card
        box = inside.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= card["x"] + card["width"]
    actual = page.locator("dl.facts").first.inner_text()
    assert "Thực tế\nChưa ghi nhận" in actual, actual
    assert "— –" not in page.inner_text("main")


@pytest.mark.parametrize("meeting", [False, True], ids=["check-in-alone", "zoom-meeting"])
def test_the_commune_hall_card_follows_the_meeting_on_a_phone(
    live_server: str,
    browser,
    make: Factory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    meeting: bool,
) -> None:
    """The hall's card says what the halls board says (``app.halls.meeting.tracks_meeting``):
    followed by check-in alone, "Đã báo số người" and no connection; with its Zoom meeting, the
    first join and the minutes in it. Either way within 390 px, in Vietnamese, no None."""
    stop_clock(monkeypatch)
    world = provincial(make)
    if meeting:
        with_meeting(make, world)
    officer = make.user("officer", world.mine)
    db.session.commit()
    page = browser.new_page(viewport=PHONE_SCREEN, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{world.conference}")
    name = "with-meeting" if meeting else "check-in-alone"
    page.screenshot(path=str(shots(tmp_path) / f"event-part-{name}-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    card = page.locator(".own-hall").inner_text()
    if meeting:
        assert "Đã kết nối, đã báo số người" in card, card
        assert "Vào lần đầu\n25/11/2026 08:05" in card, card
        assert "Số phút kết nối\n25" in card, card
    else:
        assert "Đã báo số người" in card, card
        assert "Vào lần đầu" not in card, card
        assert "kết nối" not in card, card
    assert "Số người\n38" in card, card
    attendees = page.locator("#own-attendee-list")  # a card per attendee, none cut at the edge
    assert attendees.evaluate("t => t.scrollWidth <= t.clientWidth")
    assert "Nguyễn Thị Lan" in attendees.inner_text()
    text = page.inner_text("body")
    assert english_in(text) == []
    for word in ("None", "nan", "Infinity", "undefined"):
        assert word not in text
