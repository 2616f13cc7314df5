""" "My calls" after an outcome is saved, in headless Chromium: the lead's group changes (a
call-back day moved on, the lead closed) and the section's counts follow at once, the row saying
where it now belongs, without the rows moving under the officer's finger. The page's "today" is
the server's (23:30 on 20/12/2026 in Vietnam) and the browser's clock is set to the same moment:
a phone decides a day's group as the server does."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.app.followup.calls_world import LATE, calls_world
from tests.app.live.pages import log_in
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads


def counts(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#held .call-counts li").all_inner_texts()


def test_a_saved_outcome_moves_its_count_to_the_lead_s_new_group(
    live_server: str, browser, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = calls_world(make)
    monkeypatch.setattr("app.followup.calls_page.utcnow", lambda: LATE)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, w.me.email)
    page.clock.set_fixed_time(LATE)
    page.goto(f"{live_server}/follow-up/calls")
    before = ["Quá hạn gọi lại: 1", "Hôm nay: 1", "Sắp tới: 0", "Chưa hẹn: 0"]
    assert counts(page) == before
    editor = page.locator("#lead-editor")

    # Today's call back moved to the 22nd: "Today" gives its one to "Coming up".
    row = page.locator("#held tbody tr", has_text="Đinh Văn Ánh")
    row.locator("button.lead-edit").click()
    editor.locator("select[name=status]").select_option("call_back")
    editor.locator("input[name=next_call_on]").fill("22/12/2026")
    editor.locator("button[value=save]").click()
    expect(row.locator(".call-moved")).to_have_text("Nay thuộc nhóm “Sắp tới”")
    assert counts(page) == ["Quá hạn gọi lại: 1", "Hôm nay: 0", "Sắp tới: 1", "Chưa hẹn: 0"]
    assert page.locator('#held h3.call-group[data-group="today"]').inner_text() == "Hôm nay (0)"

    # The overdue lead is not interested: closed, it leaves every group. Its own day, passed and
    # left in the box, is cleared with the outcome, not refused as a day in the past.
    row = page.locator("#held tbody tr", has_text="Lê Thị Hà")
    row.locator("button.lead-edit").click()
    editor.locator("select[name=status]").select_option("not_interested")
    editor.locator("button[value=save]").click()
    expect(row.locator(".call-moved")).to_contain_text("Không còn phải gọi")
    assert counts(page) == ["Quá hạn gọi lại: 0", "Hôm nay: 0", "Sắp tới: 1", "Chưa hẹn: 0"]

    # Saved again in the same group: nothing moves twice.
    row = page.locator("#held tbody tr", has_text="Đinh Văn Ánh")
    row.locator("button.lead-edit").click()
    editor.locator("input[name=next_call_on]").fill("23/12/2026")
    editor.locator("button[value=save]").click()
    expect(row.locator(".call-day")).to_have_text("23/12/2026")
    assert counts(page) == ["Quá hạn gọi lại: 0", "Hôm nay: 0", "Sắp tới: 1", "Chưa hẹn: 0"]

    # Read again, the server agrees with what the page said.
    page.reload()
    assert page.locator("#held tbody tr", has_text="Lê Thị Hà").count() == 0
    assert counts(page) == ["Quá hạn gọi lại: 0", "Hôm nay: 0", "Sắp tới: 1", "Chưa hẹn: 0"]
    assert errors == []
