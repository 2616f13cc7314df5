"""The hall's "Just entered" list on a phone (headless Chromium, 390 px): each entry's "Sửa" and
"Xóa" are buttons like the page's others — the same height, corners and weight as "Gửi" — two
halves of a line of their own under the entry and its time, not small chips beside the time.
Asking to remove one shows its "Xóa" in red, as the page's errors are. A screenshot is kept
(``checkin-recent-390.png``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.models import BridgePoint
from tests.app.halls.checkin_phones import PHONE, hall_url, on_phone, sent
from tests.app.live.pages import shots

pytestmark = pytest.mark.committing

LOOK = "b => { const s = getComputedStyle(b); return [s.borderRadius, s.fontWeight, s.fontSize]; }"


def test_edit_and_remove_look_like_the_page_s_buttons(
    live_server: str, browser, open_hall: BridgePoint, tmp_path: Path
) -> None:
    _context, page = on_phone(browser, hall_url(live_server, open_hall))
    item = sent(page, [("Nguyễn Văn An", "1970", "0912345611")], head_count="12", consent="yes")
    page.screenshot(path=str(shots(tmp_path) / "checkin-recent-390.png"), full_page=True)

    send = page.locator("#checkin button[type=submit]")
    edit, remove = item.locator("button.edit"), item.locator("button.withdraw")
    assert (edit.inner_text(), remove.inner_text()) == ("Sửa", "Xóa")
    s, e, r = send.bounding_box(), edit.bounding_box(), remove.bounding_box()
    assert s
    assert e
    assert r
    assert abs(e["height"] - s["height"]) < 1
    assert abs(r["height"] - s["height"]) < 1
    assert edit.evaluate(LOOK) == send.evaluate(LOOK) == remove.evaluate(LOOK)
    when = item.locator("span.muted").bounding_box()
    assert when
    assert e["y"] >= when["y"] + when["height"]
    line = item.bounding_box()
    assert line
    assert abs(e["y"] - r["y"]) < 1
    assert e["width"] > 0.4 * line["width"]
    assert r["width"] > 0.4 * line["width"]
    assert r["x"] + r["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    remove.click()
    yes = page.locator("#recent button.withdraw-yes")
    assert yes.inner_text() == "Xóa"
    assert yes.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(185, 28, 28)"
