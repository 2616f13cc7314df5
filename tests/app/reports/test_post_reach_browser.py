"""The posts' reach under their views in the channels comparison, in headless Chromium.

A manager's tour read "640Tổng lượt tiếp cận của các bài đăng: 448" in the Post row's reach cell:
the note ran on from the figure, as if the two were one number. The note sits on its own line,
under the figure, at 1366 px (a table cell) as on a 390 px phone (a card), in every table of the
page that carries it.
"""

from __future__ import annotations

import pytest

from tests.app.live.pages import log_in
from tests.app.reports.test_post_reach import REACHED, _reached
from tests.conftest import HOME, Factory

pytestmark = [
    pytest.mark.committing,  # Chromium's requests are served on the server's threads
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]


@pytest.fixture
def report_path(app) -> str:
    """The browser reads the page once: from the source tables."""
    app.config["REPORTS_ROLLUPS"] = "off"
    return "sources"


CELLS_JS = """() => Array.from(document.querySelectorAll('main td'))
  .filter(td => td.querySelector('small.post-reach'))
  .map(td => td.innerText.split('\\n').map(line => line.trim()).filter(Boolean))"""


@pytest.mark.parametrize(
    ("width", "unit"), [(1366, None), (390, None), (1366, "commune_a")], ids=str
)
def test_the_posts_reach_is_a_line_of_its_own(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, month, width: int, unit: str | None
) -> None:
    _reached(month)
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="vi-VN")
    log_in(page, live_server, make.user("manager", HOME).email)
    where = f"&org_unit={getattr(month, unit).code}" if unit else ""
    page.goto(f"{live_server}/reports/channels?from=01/10/2026&to=31/10/2026{where}")
    cells = page.evaluate(CELLS_JS)
    assert cells, "no reach cell with a post's reach"
    for lines in cells:
        figure, note = lines[-2], lines[-1]  # on a phone the card's label comes first
        assert figure == "400", lines  # P1's views, alone on their line
        assert f"{REACHED:,}".replace(",", ".") in note, lines  # the posts' reach, 1.700
    page.close()
