"""The enrolment import's preview at 1366 px, in headless Chromium.

A manager's tour read the preview's problems and rows on a laptop as bare browser tables: cells
1 px apart with no rule between the rows, and the rows' table touching the file field under it.
They are set like the app's other lists (a card's background, padded cells, a rule under each
row, room below); on a phone they stay cards (tests/app/followup/test_enrolment_phone_browser.py).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from app.extensions import db
from tests.app.followup.test_enrolment_phone_browser import _export, pytestmark  # noqa: F401
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

# For each cell of the preview's two tables: its table, left padding and bottom rule, in px.
CELLS_JS = """() => Array.from(document.querySelectorAll('table.issues td, table.preview td'))
  .map(td => { const s = getComputedStyle(td);
               return [td.closest('table').className, parseFloat(s.paddingLeft),
                       parseFloat(s.borderBottomWidth)]; })"""
GAP_JS = """() => { const t = document.querySelector('table.preview');
  const label = document.querySelector('input[name=file]').closest('form').querySelector('label');
  return label.getBoundingClientRect().top - t.getBoundingClientRect().bottom; }"""


def test_the_preview_tables_read_as_lists_on_a_laptop(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    officer = make.user("officer", HOME)
    db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/follow-up/enrolments/import")
    page.set_input_files("input[name=file]", str(_export(tmp_path)))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("table.preview")).to_be_attached()
    expect(page.locator("table.issues thead")).to_be_visible()  # a table, not cards
    cells = page.evaluate(CELLS_JS)
    assert {c[0].split()[0] for c in cells} == {"issues", "preview"}
    cramped = [c for c in cells if c[1] < 6 or c[2] < 1]
    assert not cramped, cramped
    assert page.evaluate(GAP_JS) >= 12  # the rows' table does not touch the file field
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.close()
