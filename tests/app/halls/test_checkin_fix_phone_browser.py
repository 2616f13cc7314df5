"""Correcting another phone's entry on a 390 px phone (headless Chromium): what a blank phone or
CCCD box means is written whole under the box (a placeholder is cut at this width and goes at
the first key), and a refused correction, said at the top of the page, is brought into sight:
the officer pressed "Lưu chỗ sửa" far down in "Vừa ghi", so it names the entry it was about."""

from __future__ import annotations

import re

import pytest

from app.models import BridgePoint
from tests.app.halls.checkin_phones import PHONE, hall_url, on_phone, sent

pytestmark = pytest.mark.committing


def test_hints_under_the_boxes_and_a_refusal_in_sight(
    live_server: str, browser, open_hall: BridgePoint
) -> None:
    url = hall_url(live_server, open_hall)
    _first_phone, first = on_phone(browser, url)
    sent(first, [("Hoàng Thị Dung", "1990", "0345678901")])
    context, page = on_phone(browser, url)
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
