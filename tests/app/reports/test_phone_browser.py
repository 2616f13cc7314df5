"""The channels comparison and a campaign page on a 390 px phone, in headless Chromium.

A new user's tour found the comparison's ten-column table wider than the screen: the page
scrolled sideways. On a phone each row becomes a card (the hall board's pattern, app.css
``phone-cards``), so neither the page nor a table scrolls sideways. The hand-made month of
tests/app/reports/conftest.py fills both pages. Screenshots at 390 and 1366 px go to
``LANTOA_SCREENSHOTS`` when set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.live.pages import log_in, shots
from tests.app.reports.test_charts_browser import all_drawn, drawn
from tests.conftest import HOME, Factory

pytestmark = [
    pytest.mark.committing,  # Chromium's requests are served on the server's threads
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
TABLES_JS = """() => Array.from(document.querySelectorAll('main table'))
  .filter(t => t.scrollWidth > t.clientWidth).map(t => t.id || t.className)"""


@pytest.fixture
def report_path(app) -> str:
    """The browser reads the pages once: from the source tables."""
    app.config["REPORTS_ROLLUPS"] = "off"
    return "sources"


def pages(live_server: str, month) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "channels": f"{live_server}/reports/channels?from=01/09/2026&to=31/12/2026",
        "campaign": f"{live_server}/reports/campaigns/{month.campaign_id}",
    }


@pytest.mark.parametrize("name", ["channels", "campaign"])
def test_the_report_fits_a_phone(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, month, name: str, tmp_path: Path
) -> None:
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, make.user("manager", HOME).email)
    page.goto(pages(live_server, month)[name])
    drawn(page, "fig-enrolments" if name == "channels" else "fig-funnel")
    assert page.locator("main table tbody tr").count() > 1  # the month's rows are there
    page.screenshot(path=str(shots(tmp_path) / f"{name}-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(TABLES_JS) == []  # nothing hides inside a table either
    page.close()


@pytest.mark.parametrize("name", ["channels", "campaign"])
def test_a_laptop_keeps_the_tables(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, month, name: str, tmp_path: Path
) -> None:
    """Cards are for the phone: at 1366 px the headings show above the columns."""
    page = browser.new_page(viewport=LAPTOP, locale="vi-VN")
    log_in(page, live_server, make.user("manager", HOME).email)
    page.goto(pages(live_server, month)[name])
    drawn(page, "fig-enrolments" if name == "channels" else "fig-funnel")
    page.screenshot(path=str(shots(tmp_path) / f"{name}-1366.png"), full_page=True)
    assert page.locator("main table thead").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    page.close()


TITLES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(chart => {
  const svg = chart.querySelector('.main-svg').getBoundingClientRect();
  return Array.from(chart.querySelectorAll('.gtitle')).map(t => {
    const b = t.getBoundingClientRect();
    return [chart.id, t.textContent, b.left - svg.left, svg.right - b.right]; }); })"""


def test_every_chart_title_fits_its_chart_on_a_phone(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, month
) -> None:
    """The title "Người tham gia mới được ghi nhận theo kênh" ran 2 px past both edges of its
    chart; the English titles, drawn from the same layout, must fit as well."""
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    log_in(page, live_server, make.user("manager", HOME).email)
    page.goto(pages(live_server, month)["channels"])
    for language in ("vi", "en"):
        if language == "en":
            with page.expect_navigation():
                page.click("form.lang button")
        all_drawn(page)  # every chart's title is read, not only the first drawn
        titles = page.evaluate(TITLES_JS)
        assert len(titles) >= 3, titles
        over = [t for t in titles if min(t[2], t[3]) < 0]
        assert not over, (language, over)
    page.close()
