"""The province's follow-up page on a 390 px phone in headless Chromium: the line that accounts
for everyone named, the enrolled rows with birth year and hamlet, nothing wider than the screen,
and the editor offering a commune's officers only on that commune's people's rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.consent import CURRENT
from app.extensions import db
from tests.app.followup.part_world import MET, MY_ENROLLED, part_world
from tests.app.followup.test_followup_words import namesake, refusing
from tests.app.live.pages import log_in, shots
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

WIDTH = 390


def test_the_follow_up_page_accounts_and_offers_the_communes_officers_on_a_phone(
    live_server: str, browser, make: Factory, tmp_path: Path
) -> None:
    world = part_world(make)
    namesake(world)
    refusing(world, "Ngô Văn Từ", consent_agreed=False, consent_at=MET, consent_version=CURRENT)
    db.session.commit()
    province = make.user("officer", HOME)
    mine, theirs = make.user("officer", world.mine.code), make.user("officer", world.theirs.code)
    page = browser.new_page(viewport={"width": WIDTH, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, province.email)
    page.goto(f"{live_server}/events/{world.event_id}/follow-up")
    page.screenshot(path=str(shots(tmp_path) / "follow-up-words-phone.png"), full_page=True)

    line = page.locator("#call-accounting")
    assert line.is_visible()
    assert line.inner_text().startswith("Được ghi tên: 9 = 5 cần gọi + 1 chưa có số điện thoại")
    assert "(1 không đồng ý liên hệ)" in line.inner_text()
    box = line.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= WIDTH
    enrolled = page.locator("#enrolled-table tbody tr", has_text=MY_ENROLLED)
    assert enrolled.locator(".enrolled-born").inner_text().endswith("1968")  # a card: label, value
    assert "Xóm 3" in enrolled.locator(".enrolled-place").inner_text()
    for index in range(page.locator("table.list").count()):
        assert page.locator("table.list").nth(index).evaluate("t => t.scrollWidth") <= WIDTH
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH

    row = page.locator("#call-table tbody tr", has_text="Đinh Văn Ánh")  # A's commenter
    row.locator("button.lead-edit").click()
    who = page.locator("#lead-editor select[name=assignee_id]")
    offered = who.locator("option:not(:disabled)").evaluate_all("os => os.map(o => o.value)")
    assert str(mine.id) in offered
    assert str(province.id) in offered
    assert str(theirs.id) not in offered
    who.select_option(str(mine.id))
    page.locator("#lead-editor button[value=save]").click()
    page.locator("#lead-editor").wait_for(state="hidden")
    assert row.locator(".lead-assignee").inner_text() == mine.email
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    assert errors == []
