"""Correcting another phone's entry on a 390 px phone (headless Chromium): what a blank phone or
CCCD box means is written whole under the box (a placeholder is cut at this width and goes at
the first key), and a refused correction, said at the top of the page, is brought into sight:
the officer pressed "Lưu chỗ sửa" far down in "Vừa ghi", so it names the entry it was about."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing

PHONE = {"width": 390, "height": 844}


def test_hints_under_the_boxes_and_a_refusal_in_sight(
    live_server: str, browser, make: Factory
) -> None:
    start = datetime.now(UTC) - timedelta(minutes=20)
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    (point,) = services.set_bridge_points(event, commune_codes(HOME, 1), {})
    db.session.commit()
    url = f"{live_server}/checkin/{point.checkin_token}"
    first = browser.new_page(viewport=PHONE, is_mobile=True)
    first.goto(url)
    first.click("#checkin summary")
    first.fill("#name-0", "Hoàng Thị Dung")
    first.fill("#birth-0", "1990")
    first.fill("#phone-0", "0345678901")
    first.click("#checkin button[type=submit]")
    first.locator("#done").wait_for(state="visible")

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url)
    page.locator("#recent li .edit").first.click()
    hint = page.locator("#fix-phone-hint")
    assert hint.inner_text() == "03xx xxx 901 — để trống thì giữ nguyên"
    assert page.locator("#fix-cccd-hint").inner_text() == "Để trống thì giữ nguyên"
    assert not page.get_attribute("#fix-phone", "placeholder")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.fill("#fix-phone", "12")
    page.click("#recent form.fix button[type=submit]")
    refusal = page.locator("#rejected .rejected")
    refusal.wait_for(state="visible")
    said = refusal.locator("p.err").inner_text()
    entered = re.search(r"ghi lúc (\d\d:\d\d)", page.locator("#recent li").first.inner_text())
    assert entered, "no time entered in the list"
    # Which entry it was about, as "Vừa ghi" names it: the name and the time it was entered.
    assert said.startswith(f"Chỗ sửa cho Hoàng Thị Dung (ghi lúc {entered.group(1)}), bấm lúc ")
    assert "Không phải số điện thoại Việt Nam" in said
    page.wait_for_function(
        "() => { const r = document.querySelector('#rejected .rejected').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    context.close()
