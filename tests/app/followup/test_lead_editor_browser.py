"""The follow-up list's lead editor in headless Chromium: an officer updates a lead (status,
assignee, next call, notes) in place, and the list read again shows it; a viewer has no editor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.models import utcnow
from app.timeparse import VN
from tests.app.followup.lead_world import lead_world
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

NEXT = (utcnow().astimezone(VN).date() + timedelta(days=18)).strftime("%d/%m/%Y")


def test_an_officer_updates_a_lead_on_the_follow_up_list(
    live_server: str, browser, make: Factory
) -> None:
    world = lead_world(make)
    officer = make.user("officer", HOME)
    colleague = make.user("manager", HOME)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{world.event_id}/follow-up")
    row = page.locator("table.list tbody tr", has_text="Trần Văn Bình")
    assert row.locator(".lead-status").inner_text() == "Mới"
    row.locator("button.lead-edit").click()
    editor = page.locator("#lead-editor")
    expect(editor.locator(".lead-editor-name")).to_have_text("Trần Văn Bình")
    editor.locator("select[name=status]").select_option("call_back")
    editor.locator("select[name=assignee_id]").select_option(str(colleague.id))
    day = editor.locator("input[name=next_call_on]")
    assert day.get_attribute("type") == "text"  # the pages' dd/mm/yyyy box, not the browser's
    assert day.get_attribute("placeholder") == "dd/mm/yyyy"
    day.fill("24-12-2026")
    editor.locator("textarea[name=notes]").fill("Bận, gọi lại sau 17h")
    editor.locator("button[value=save]").click()
    refusal = editor.locator(".lead-editor-error")
    assert refusal.inner_text() == "Ghi ngày gọi lại theo dạng dd/mm/yyyy (24/12/2026)."
    day.fill("01/01/2020")
    editor.locator("button[value=save]").click()
    expect(refusal).to_have_text("Ngày gọi lại không được trước hôm nay.")
    day.fill(NEXT)  # as a Vietnamese officer writes it
    # Bình wrote no number: he cannot have been called nor his number be wrong. The editor does
    # not offer them and says why, as the live page's card (the server refuses them too:
    # tests/app/followup/test_lead_work.py).
    status = editor.locator("select[name=status]")
    expect(status.locator('option[value="called"]')).to_be_disabled()
    expect(status.locator('option[value="wrong_number"]')).to_be_disabled()
    expect(status.locator('option[value="not_interested"]')).to_be_enabled()
    expect(editor.locator(".lead-editor-no-number")).to_be_visible()
    expect(editor.locator(".lead-editor-no-number")).to_have_text(
        "Người này không để lại số điện thoại nên không thể chọn “Đã gọi”, “Sai số điện thoại”: "
        "hãy liên hệ qua bình luận của họ hoặc qua xã/phường."
    )
    editor.locator("select[name=status]").select_option("call_back")
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    assert row.locator(".lead-status").inner_text() == "Hẹn lại"
    assert row.locator(".lead-assignee").inner_text() == colleague.email
    assert row.locator(".lead-next").inner_text() == NEXT
    # Lan left her number: every outcome is hers to choose, and nothing says otherwise.
    lan = page.locator("#call-table tbody tr", has_text="Nguyễn Thị Lan")
    lan.locator("button.lead-edit").click()
    expect(status.locator('option[value="called"]')).to_be_enabled()
    expect(status.locator('option[value="wrong_number"]')).to_be_enabled()
    expect(editor.locator(".lead-editor-no-number")).to_be_hidden()
    editor.locator("button[value=cancel]").click()
    page.reload()
    row = page.locator("table.list tbody tr", has_text="Trần Văn Bình")
    assert row.locator(".lead-status").inner_text() == "Hẹn lại"
    assert row.locator(".lead-notes").inner_text() == "Bận, gọi lại sau 17h"
    assert row.locator(".lead-next").inner_text() == NEXT
    row.locator("button.lead-edit").click()  # the box shows the saved day as it was typed
    assert editor.locator("input[name=next_call_on]").input_value() == NEXT
    editor.locator("button[value=cancel]").click()
    # Filtered by the colleague: only this lead (Bình wrote no number: not on the list to call).
    page.goto(f"{live_server}/events/{world.event_id}/follow-up?assignee={colleague.id}")
    assert page.locator("#no-phone-table tbody tr").count() == 1
    assert page.locator("#call-table tbody tr td.lead-work").count() == 0
    assert errors == []

    viewer = browser.new_context().new_page()
    log_in(viewer, live_server, make.user("viewer", HOME).email)
    viewer.goto(f"{live_server}/events/{world.event_id}/follow-up")
    assert viewer.locator("button.lead-edit").count() == 0
    assert viewer.locator("#lead-editor").count() == 0
    shown = viewer.locator("table.list tbody tr", has_text="Trần Văn Bình")
    assert shown.locator(".lead-status").inner_text() == "Hẹn lại"
