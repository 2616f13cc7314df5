"""A phone number on "Cuộc gọi của tôi" reads as one number, on one line, in headless Chromium.

A manager's tour at 1366 px read "0982 377" on one line and "340" on the next: the number column
is narrow beside the events' titles, and the number broke at its group spaces, as if it were two.
From a laptop down to the narrowest table (641 px), each number keeps to one line; on a phone the
rows are cards and the number has its own line anyway.
"""

from __future__ import annotations

import pytest

from tests.app.followup.calls_world import LATE, calls_world
from tests.app.live.pages import log_in
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

# For each number shown: the text, and how many lines the browser set it on.
LINES_JS = """() => Array.from(document.querySelectorAll('td.call-phone')).map(td => {
  const range = document.createRange(); range.selectNodeContents(td);
  const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
  return [td.innerText.trim(), tops.size]; })"""


@pytest.mark.parametrize("width", [1366, 641, 390])
def test_every_phone_number_keeps_to_one_line(  # type: ignore[no-untyped-def]
    live_server: str, browser, make: Factory, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    w = calls_world(make)
    monkeypatch.setattr("app.followup.calls_page.utcnow", lambda: LATE)
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, live_server, w.me.email)
    page.goto(f"{live_server}/follow-up/calls")
    numbers = [n for n in page.evaluate(LINES_JS) if n[0] != "—"]
    assert len(numbers) >= 3, numbers
    broken = [n for n in numbers if n[1] != 1]
    assert not broken, broken
    page.close()
