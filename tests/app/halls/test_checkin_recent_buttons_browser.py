"""The hall's "Just entered" list on a phone (headless Chromium, 390 px): each entry's "Sửa" and
"Xóa" are buttons like the page's others — the same height, corners and weight as "Gửi" — two
halves of a line of their own under the entry and its time, not small chips beside the time.
Asking to remove one shows its "Xóa" in red, as the page's errors are. A screenshot is kept
(``checkin-recent-390.png``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes
from tests.app.live.pages import shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing

PHONE = {"width": 390, "height": 844}
LOOK = "b => { const s = getComputedStyle(b); return [s.borderRadius, s.fontWeight, s.fontSize]; }"


def test_edit_and_remove_look_like_the_page_s_buttons(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    start = datetime.now(UTC) - timedelta(minutes=20)  # the hall may report: its window is open
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    (point,) = services.set_bridge_points(event, commune_codes(HOME, 1), {})
    db.session.commit()
    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{live_server}/checkin/{point.checkin_token}")
    page.fill("#head_count", "12")
    page.click("#checkin summary")
    page.fill("#name-0", "Nguyễn Văn An")
    page.fill("#birth-0", "1970")
    page.fill("#phone-0", "0912345611")
    page.select_option("#consent-0", "yes")
    page.click("#checkin button[type=submit]")
    page.locator("#done").wait_for(state="visible")
    item = page.locator("#recent li").first
    item.wait_for()
    page.screenshot(path=str(shots(tmp_path) / "checkin-recent-390.png"), full_page=True)

    send = page.locator("#checkin button[type=submit]")
    edit, remove = item.locator("button.edit"), item.locator("button.withdraw")
    assert (edit.inner_text(), remove.inner_text()) == ("Sửa", "Xóa")
    sent, e, r = send.bounding_box(), edit.bounding_box(), remove.bounding_box()
    assert sent
    assert e
    assert r
    assert abs(e["height"] - sent["height"]) < 1
    assert abs(r["height"] - sent["height"]) < 1
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
