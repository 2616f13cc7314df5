"""The campaign page printed from the browser (headless Chromium, print media): the figures and
tables alone, without the menu, the buttons or the pager; the phone's cards stay a table.
A screenshot goes to ``LANTOA_SCREENSHOTS`` when set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.live.pages import log_in, shots
from tests.app.reports.test_charts_browser import drawn
from tests.conftest import HOME, Factory

pytestmark = [
    pytest.mark.committing,  # Chromium's requests are served on the server's threads
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]
SHOWN_JS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(e => e.getClientRects().length > 0).length"""


@pytest.fixture
def report_path(app) -> str:
    app.config["REPORTS_ROLLUPS"] = "off"
    return "sources"


def test_the_printed_campaign_has_no_buttons_and_whole_tables(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, month, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("manager", HOME).email)
    page.goto(f"{live_server}/reports/campaigns/{month.campaign_id}")
    drawn(page, "fig-funnel")
    assert page.evaluate(SHOWN_JS, "#campaign-xlsx") == 1  # on screen, the buttons are there
    page.emulate_media(media="print")
    for selector in ("header.top", "#campaign-xlsx", "[data-print]", "a.button"):
        assert page.evaluate(SHOWN_JS, selector) == 0, selector
    assert page.evaluate(SHOWN_JS, "#by-week tbody tr") > 1
    assert page.evaluate(SHOWN_JS, "#campaign-events tbody tr") == 6
    breaks = page.evaluate(
        "() => getComputedStyle(document.querySelector('#by-week tbody tr')).breakInside"
    )
    assert breaks == "avoid"
    page.screenshot(path=str(shots(tmp_path) / "campaign-print.png"), full_page=True)
    page.close()
