"""A new check-in link kills the hall's old one at once: the officer is asked first, as for
revoking."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import BridgePoint
from tests.app.halls.test_checkin_sanity_browser import conference, organiser_page

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads


def token(point: BridgePoint) -> str:
    db.session.expire_all()
    return db.session.get(BridgePoint, point.id).checkin_token


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
def test_a_new_link_asks_first(live_server: str, browser, make, script: bool) -> None:
    event, point = conference(make)
    old = token(point)
    context, page = organiser_page(browser, live_server, make, java_script_enabled=script)
    page.goto(f"{live_server}/events/{event.id}/bridge-points")
    row = page.locator(f"#hall-{point.id}")
    row.get_by_role("link", name="Cấp đường dẫn mới").click()
    question = row.locator(".renew-confirm")
    expect(question).to_be_visible()
    expect(question).to_contain_text(f"Cấp đường dẫn mới cho {point.org_unit.name}?")
    expect(question).to_contain_text("ngừng hoạt động ngay trên các điện thoại")
    assert token(point) == old  # the first press only asks
    row.get_by_role("link", name="Hủy").click()
    expect(question).to_be_hidden()
    assert token(point) == old
    row.get_by_role("link", name="Cấp đường dẫn mới").click()
    with page.expect_navigation():
        row.get_by_role("button", name="Đúng, cấp đường dẫn mới").click()
    assert token(point) != old
    expect(page.locator(".flash.success")).to_contain_text("đường dẫn cũ không còn dùng được")
    context.close()
