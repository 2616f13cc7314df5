""" "Hẹn lại" (call back) names its day, in headless Chromium on a 390 px phone: the follow-up
list's editor offers tomorrow when the status is chosen and refuses to save a call back whose day
was cleared, in Vietnamese; the button says "Ghi kết quả gọi" as on "My calls"; outcomes sent
together are counted and named; an outcome queued by a page from before the rule (a call back
without a day) is said refused for its missing day, not for a badly written one."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import LeadStatus, LeadWork, utcnow
from app.timeparse import VN
from tests.app.followup.lead_pages import officer_on, stored_calls
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

NO_DAY = "Hẹn gọi lại cần có ngày: ghi ngày gọi lại (dd/mm/yyyy)."


def _tomorrow():
    return utcnow().astimezone(VN).date() + timedelta(days=1)


def test_a_call_back_offers_tomorrow_needs_a_day_and_outcomes_sent_together_are_named(
    live_server: str, browser, make: Factory
) -> None:
    # Lan (a number) and Bình (none), commenters
    _world, _officer, context, page, errors = officer_on(live_server, browser, make)
    lan = page.locator("#call-table tbody tr", has_text="Nguyễn Thị Lan")
    binh = page.locator("table.list tbody tr", has_text="Trần Văn Bình")  # no number: below
    # One wording with "My calls" for the same action.
    expect(lan.locator("button.lead-edit")).to_have_text("Ghi kết quả gọi")
    lan.locator("button.lead-edit").click()
    editor = page.locator("#lead-editor")
    day = editor.locator("input[name=next_call_on]")
    expect(day).to_have_value("")
    editor.locator("select[name=status]").select_option("call_back")
    expect(day).to_have_value(_tomorrow().strftime("%d/%m/%Y"))  # offered, to be changed
    page.screenshot(path="/tmp/call-back-editor-390.png")
    day.fill("")
    editor.locator("button[value=save]").click()
    expect(editor.locator(".lead-editor-error")).to_have_text(NO_DAY)
    expect(editor).to_be_visible()
    assert stored_calls() == []
    day.fill(_tomorrow().strftime("%d/%m/%Y"))

    context.set_offline(True)  # both saved without a connection, sent together when it is back
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    binh.locator("button.lead-edit").click()
    editor.locator("select[name=status]").select_option("new")
    expect(day).to_have_value("")  # no day offered but for a call back
    editor.locator("select[name=status]").select_option("call_back")
    day.fill((_tomorrow() + timedelta(days=1)).strftime("%d/%m/%Y"))
    editor.locator("textarea[name=notes]").fill("Gọi lại sau giờ làm")
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    queue = page.locator("#call-queue")
    expect(queue.locator(".call-queue-waiting")).to_contain_text("Còn 2 kết quả cuộc gọi chờ gửi")
    context.set_offline(False)
    sent = queue.locator(".call-queue-sent")
    expect(sent).to_contain_text("Đã gửi 2 kết quả cuộc gọi lúc ")
    expect(sent).to_contain_text(": Nguyễn Thị Lan, Trần Văn Bình.")
    page.screenshot(path="/tmp/call-back-sent-390.png")
    calls = stored_calls()
    assert [(c.status, c.next_call_on) for c in calls] == [
        (LeadStatus.CALL_BACK, _tomorrow()),
        (LeadStatus.CALL_BACK, _tomorrow() + timedelta(days=1)),
    ]
    assert errors == []


def test_a_call_back_queued_without_a_day_by_an_older_page_is_refused_for_its_day(
    live_server: str, browser, make: Factory
) -> None:
    world, officer, _context, page, _errors = officer_on(live_server, browser, make)
    # What the live page's cards queued before: a status alone.
    old = {"url": f"/api/v1/events/{world.event_id}/comments/{world.first}/calls",
           "body": {"status": "call_back"}, "event": str(world.event_id), "person": None,
           "comment": str(world.first), "name": "Nguyễn Thị Lan", "key": "old-page-key-0001",
           "sent_at": utcnow().isoformat(), "state": "waiting"}  # fmt: skip
    page.evaluate("([k, v]) => localStorage.setItem(k, v)",
                  [f"lantoa-calls:{officer.id}", json.dumps([old])])  # fmt: skip
    page.reload()
    refused = page.locator("#call-queue .call-queue-refused li span")
    expect(refused).to_have_text(f"Chưa ghi được kết quả cho Nguyễn Thị Lan: {NO_DAY}")
    assert stored_calls() == []
    assert db.session.scalar(select(LeadWork)) is None
