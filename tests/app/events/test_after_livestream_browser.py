"""The event page of a finished livestream in headless Chromium, in Vietnamese.

The livestreams of tests/app/reports/test_livestreams.py: E5 beside its office's four earlier
ones, E3 from a platform that reports no views. The page must read in Vietnamese (no English, no
internal codes, no NaN/Infinity), draw its chart, and show "chưa có" for views not reported.
Screenshots go to ``LANTOA_SCREENSHOTS`` when set (to look at them), else to the test's folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.app.live.pages import log_in, shots
from tests.app.reports.test_livestreams import seed
from tests.conftest import HOME, Factory

# Committing: Chromium's requests are served on the server's threads.
pytestmark = pytest.mark.committing

SCREEN = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}
INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b|Infinity|NaN|\bNone\b|\bnull\b|\bnan\b")
ENGLISH = ("After the livestream", "This livestream", "Median", "Rank", "Views", "Peak",
           "Interactions", "Comments", "Lead comments", "Leads", "Enrolments", "previous",
           "Compared")  # fmt: skip


def test_finished_livestream_page_in_chromium(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    streams = seed()
    page = browser.new_page(viewport=SCREEN, locale="vi-VN")
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{streams['E5'].id}")
    section = page.locator("#after-livestream")
    page.locator("#fig-after-livestream .main-svg").first.wait_for()
    text = section.inner_text()
    assert not INTERNAL.findall(text), INTERNAL.findall(text)
    for word in ENGLISH:
        assert word not in text, word
    assert "Sau buổi livestream" in text
    views = section.locator('tr[data-metric="views"]')
    assert views.locator('[data-key="value"]').inner_text() == "4.200"
    assert views.locator('[data-key="ratio"]').inner_text() == "4,2 lần"
    section.locator("#after-earlier summary").click()
    earlier = section.locator("#after-earlier").inner_text()
    assert "08/11/2026" in earlier
    assert "chưa có" in earlier  # E3's views
    chart = page.locator("#fig-after-livestream").inner_text()
    assert "NaN" not in chart
    assert "Infinity" not in chart
    section.screenshot(path=str(shots(tmp_path) / "after-livestream.png"))

    page.goto(f"{live_server}/events/{streams['E3'].id}")
    row = page.locator('#after-livestream tr[data-metric="views"] [data-key="value"]')
    assert row.inner_text() == "chưa có"
    page.goto(f"{live_server}/events/{streams['L'].id}")
    assert page.locator("#after-livestream").count() == 0

    page.goto(f"{live_server}/reports/monthly?period=2026-11&org_unit={HOME}")
    month = page.locator("#month-livestreams")
    heading = page.locator("h2", has_text="Các buổi livestream đã kết thúc trong tháng")
    assert heading.count() == 1
    text = month.inner_text()
    assert not INTERNAL.findall(text), INTERNAL.findall(text)
    for word in ENGLISH:
        assert word not in text, word
    assert "chưa có" in text
    month.screenshot(path=str(shots(tmp_path) / "month-livestreams.png"))


def test_the_comparison_reads_as_cards_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    """At 390 px the figures and the earlier livestreams are cards: the tour found the figures'
    names one word a line ("Người / xem / cùng / lúc / cao / nhất") and the earlier ones' table
    scrolling inside its box."""
    streams = seed()
    page = browser.new_page(viewport=PHONE, locale="vi-VN", is_mobile=True)
    log_in(page, live_server, make.user("officer", HOME).email)
    page.goto(f"{live_server}/events/{streams['E5'].id}")
    section = page.locator("#after-livestream")
    section.locator("#after-earlier summary").click()
    section.screenshot(path=str(shots(tmp_path) / "after-livestream-390.png"))
    for table in ("#after-figures", "#after-earlier-table"):
        box = page.locator(table)
        assert box.evaluate("t => t.scrollWidth <= t.clientWidth"), f"{table} scrolls in its box"
        assert box.locator("thead").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    peak = section.locator('#after-figures tr[data-metric="peak_viewers"] td.card-title')
    assert peak.inner_text() == "Người xem cùng lúc cao nhất"
    one_line = peak.evaluate("td => parseFloat(getComputedStyle(td).lineHeight)")
    assert peak.bounding_box()["height"] < 2.5 * one_line  # the name on a line or two, not six
    value = section.locator('#after-figures tr[data-metric="views"] [data-key="value"]')
    label = value.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Buổi này"'
    earlier = section.locator("#after-earlier-table tbody tr").first
    labels = earlier.locator("td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels[:2] == ['"Ngày"', '"Lượt xem"']
    # The chart's title inside the chart, in Vietnamese and in English (it was cut at both ends:
    # "ương tác: buổi này và các buổi trước của đơn").
    assert title_overflow(page) == ("Tương tác: buổi này và các buổi trước", False)
    with page.expect_navigation():
        page.click("form.lang button")
    assert title_overflow(page) == ("Interactions: this and the earlier livestreams", False)


def title_overflow(page) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    """The comparison chart's title, and whether it runs past the chart's box."""
    page.locator("#fig-after-livestream .gtitle").wait_for()
    found = page.evaluate("""() => {
        const chart = document.querySelector('#fig-after-livestream');
        const title = chart.querySelector('.gtitle'), c = chart.getBoundingClientRect();
        const t = title.getBoundingClientRect();
        return [title.textContent, t.left < c.left || t.right > c.right];
    }""")
    return found[0], found[1]
