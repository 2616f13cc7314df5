"""The reports printed to paper by headless Chromium (``page.pdf``, the print layout): a section's
heading is on the sheet of its table's first row, and a campaign's two charts share the first
sheet with its figures. A manager's tour found the month's "Các buổi livestream đã kết thúc
trong tháng" alone at the foot of a sheet, its table on the next, and the campaign's funnel on
sheet 2 under a half-empty sheet 1. The PDFs' text is read back with pypdf.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.models import EventStatus
from tests.app.live.pages import log_in
from tests.app.reports.test_charts_browser import drawn
from tests.conftest import HOME, Factory

pytestmark = [
    pytest.mark.committing,  # Chromium's requests are served on the server's threads
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]
LIVESTREAMS = "Các buổi livestream đã kết thúc trong tháng"
SPACER = """() => { const d = document.createElement('div'); d.id = 'spacer';
  document.querySelector('.month-document').before(d); }"""


@pytest.fixture
def report_path(app) -> str:
    app.config["REPORTS_ROLLUPS"] = "off"
    return "sources"


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)  # a title wrapped over two lines is still found


def sheets(pdf: bytes) -> list[str]:
    """Each sheet's text, without white space."""
    return [_squeezed(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def sheet_of(texts: list[str], text: str) -> int:
    found = [n for n, t in enumerate(texts, start=1) if _squeezed(text) in t]
    assert found, text
    return found[0]


def test_a_heading_is_printed_on_the_sheet_of_its_table(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, month
) -> None:
    for key in ("L1", "L2"):  # finished: the month's livestream section lists them
        month.events[key].status = EventStatus.ENDED
    db.session.commit()
    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("manager", HOME).email)
    page.goto(f"{live_server}/reports/monthly?period=2026-10&org_unit={HOME}")
    first = page.locator("#month-livestreams tbody tr").first.locator("td").nth(1).inner_text()
    assert first.strip()
    # The document pushed down by a blank of many heights, so that with one of them the
    # heading falls at the foot of an A4 sheet (the document's own @page size).
    page.evaluate(SPACER)
    moved = set()
    for height in range(0, 720, 20):
        page.evaluate(f"() => {{ document.getElementById('spacer').style.height = '{height}px'; }}")
        texts = sheets(page.pdf())
        heading = sheet_of(texts, LIVESTREAMS)
        assert sheet_of(texts, first) == heading, f"{height} px: heading on sheet {heading}"
        moved.add(heading)
    assert len(moved) > 1  # the heading did move from sheet to sheet
    page.close()


def test_the_campaign_charts_share_the_first_sheet(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, month
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("manager", HOME).email)
    page.goto(f"{live_server}/reports/campaigns/{month.campaign_id}")
    drawn(page, "fig-progress")
    drawn(page, "fig-funnel")
    screen = page.evaluate("() => document.getElementById('fig-funnel').offsetHeight")
    texts = sheets(page.pdf(format="Letter"))  # Chromium's default paper
    assert sheet_of(texts, "Phễu chiến dịch") == 1  # the funnel's title
    assert sheet_of(texts, "Tiến độ so với chỉ tiêu") == 1  # the progress chart's
    # Back on the screen after printing, the chart has its own height again ("afterprint"'s
    # relayout, waited for: it lags the PDF on a loaded machine; a timeout says it never came).
    page.wait_for_function(
        "h => document.getElementById('fig-funnel').offsetHeight === h", arg=screen
    )
    page.close()
