"""The home screen and a commune officer's part of a provincial conference, in headless Chromium.

A province officer logs in and lands on the home screen of 25/11/2026 (tests/app/home/conftest.py),
reads it in Vietnamese and follows a campaign to its page and its events. A commune officer logs
in, finds the province's conference under way with their own hall, opens it and sees their
hall's check-in link and QR code and their attendees — nothing of the other commune.

Screenshots go to ``LANTOA_SCREENSHOTS`` when set (to look at them), else to the test's folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.app.events.provincial import SECRET, provincial, stop_clock
from tests.app.home.conftest import NOW, Day
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

# Committing: Chromium's requests are served on the server's threads.
pytestmark = pytest.mark.committing

SCREEN = {"width": 1280, "height": 900}
INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b|\b\d{9,}\b|Infinity|NaN|\bNone\b|\bnull\b")
ENGLISH = ("Today", "Under way", "Halls not connected", "Collection alerts", "Running campaigns",
           "Your hall", "Attendees", "Events of the campaign", "Live page", "people")  # fmt: skip


def assert_reads_vietnamese(page) -> str:  # type: ignore[no-untyped-def]
    text = page.inner_text("main")
    assert not INTERNAL.findall(text), INTERNAL.findall(text)
    for word in ENGLISH:
        assert word not in text, word
    return text


def test_the_home_screen_in_chromium(
    live_server: str, browser, make: Factory, day: Day, monkeypatch, tmp_path: Path
) -> None:
    stop_clock(monkeypatch, NOW)
    page = browser.new_page(viewport=SCREEN, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    assert page.url == live_server + "/"
    text = assert_reads_vietnamese(page)
    assert "Hôm nay, 25/11/2026" in text
    live = page.locator(f'article.now[data-event="{day.livestream}"]')
    assert live.locator('[data-key="live_viewers"] dd').inner_text() == "1.234"
    assert live.locator('[data-key="peak_viewers"] dd').inner_text() == "1.500"
    conference = page.locator(f'article.now[data-event="{day.conference}"]')
    assert conference.locator('[data-key="halls"] dd').inner_text() == "0/3"
    assert conference.locator('[data-key="halls_reported"] dd').inner_text() == "1/3"
    assert "3/3 điểm cầu chưa kết nối" in page.inner_text("#halls-missing")
    assert "Mã truy cập đã hết hạn" in page.inner_text("#alerts")
    assert "1.700" in page.inner_text("#campaigns")
    assert "người tham gia mới · 0,2 %" in page.inner_text("#campaigns")  # 3 of 1.700, as pages
    page.screenshot(path=str(shots(tmp_path) / "home-province.png"), full_page=True)

    with page.expect_navigation():
        page.click(f'#campaigns [data-campaign="{day.campaign}"] h3 a')
    assert page.url.endswith(f"/reports/campaigns/{day.campaign}")
    assert_reads_vietnamese(page)
    rows = page.locator("#campaign-events tbody tr")
    assert [rows.nth(i).get_attribute("data-event") for i in range(rows.count())] == [
        str(day.livestream), str(day.conference)]  # fmt: skip
    page.screenshot(path=str(shots(tmp_path) / "campaign.png"), full_page=True)
    with page.expect_navigation():
        rows.first.locator("a").click()
    assert page.url.endswith(f"/events/{day.livestream}")
    page.close()


def test_a_commune_officer_sees_their_part_of_a_provincial_conference(
    live_server: str, browser, make: Factory, monkeypatch, tmp_path: Path
) -> None:
    stop_clock(monkeypatch)
    world = provincial(make)
    page = browser.new_page(viewport=SCREEN, locale="vi-VN")
    log_in(page, live_server, make.user("officer", world.mine).email)
    text = assert_reads_vietnamese(page)
    card = page.locator(f'article.now[data-event="{world.conference}"]')
    assert "Đơn vị bạn tham gia" in card.inner_text()
    assert "38 người" in card.inner_text()
    assert page.locator(f'[data-hall="{world.theirs}"]').count() == 0
    assert SECRET not in text
    page.screenshot(path=str(shots(tmp_path) / "home-commune.png"), full_page=True)

    with page.expect_navigation():
        card.locator("h3 a").click()
    text = assert_reads_vietnamese(page)
    assert "Hội nghị trực tuyến triển khai BHXH tự nguyện" in text
    assert "Nguyễn Thị Lan" in text
    assert SECRET not in page.content()
    link = page.locator("a.checkin-link")
    assert link.inner_text().endswith(f"/checkin/{world.my_token}")
    assert page.locator("svg.qr").is_visible()
    assert world.their_token not in page.content()
    page.screenshot(path=str(shots(tmp_path) / "event-part-commune.png"), full_page=True)

    # The link opens the hall's phone page, which names their commune.
    with page.expect_navigation():
        link.click()
    assert page.locator("#head_count").is_visible()
    page.close()
