"""A commune officer's part of a provincial event on a 390 px phone, in headless Chromium.

A new user's tour found the page 596 px wide: the hall's check-in link, one unbroken word,
pushed it past the screen; and an event not yet held read "Thực tế — –". The link now wraps
inside the screen, and the times say "Chưa ghi nhận". Screenshots go to ``LANTOA_SCREENSHOTS``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Event, EventStatus
from tests.app.events.provincial import START, provincial, stop_clock, with_meeting
from tests.app.live.pages import log_in, shots
from tests.app.sheets.files import xlsx
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
    assert "Số người có mặt (điểm danh số lượng)\n38" in card, card
    attendees = page.locator("#own-attendee-list")  # a card per attendee, none cut at the edge
    assert attendees.evaluate("t => t.scrollWidth <= t.clientWidth")
    assert "Nguyễn Thị Lan" in attendees.inner_text()
    text = page.inner_text("body")
    assert english_in(text) == []
    for word in ("None", "nan", "Infinity", "undefined"):
        assert word not in text


def test_the_commune_officer_imports_the_halls_list_weeks_later_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three weeks after the conference the hall's link has expired and no new one is issued:
    the card says so and offers the import, whose rows land on the hall, dated at the event."""
    later = START + timedelta(weeks=3)
    world = provincial(make)
    event = db.session.get(Event, world.conference)
    assert event is not None
    event.status, event.actual_end = EventStatus.ENDED, START + timedelta(hours=3)
    officer = make.user("officer", world.mine)
    db.session.commit()
    stop_clock(monkeypatch, later)
    for module in ("app.attendance.routes", "app.attendance.sheet"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: later)
    sheet = tmp_path / "danh-sach-diem-cau.xlsx"
    sheet.write_bytes(xlsx([
        ["STT", "Họ và tên", "Năm sinh", "SĐT", "Thôn/Xóm", "Đồng ý"],
        [1, "Nguyễn Văn Bình", 1968, "0912345678", "Xóm 3", "Có"],
        [2, "Hồ Thị Thu", "12/04/1975", "", "Xóm Đông", "Có"],
    ]))  # fmt: skip
    page = browser.new_page(viewport=PHONE_SCREEN, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{world.conference}")
    card = page.locator(".own-hall").inner_text()
    assert "sự kiện đã kết thúc nên không cấp liên kết mới" in card, card
    assert "đề nghị đơn vị tổ chức" not in card, card
    page.screenshot(path=str(shots(tmp_path) / "event-part-over-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]
    page.get_by_role("link", name="Nhập danh sách người tham dự của điểm cầu").click()
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="Xem trước").click()
    page.get_by_role("button", name="Nhập 2 người dự").click()
    page.wait_for_url(f"{live_server}/events/{world.conference}")
    listed = page.locator("#own-attendee-list").inner_text()
    for name in ("Nguyễn Văn Bình", "Hồ Thị Thu", "Nguyễn Thị Lan"):
        assert name in listed, listed
    assert "25/11/2026 08:00" in listed  # seen at the event, not on the day of the import
    assert "Người tham dự có tên trong danh sách: 3" in page.inner_text("#own-attendees")
    page.screenshot(path=str(shots(tmp_path) / "event-part-imported-390.png"), full_page=True)
    assert english_in(page.inner_text("body")) == []
