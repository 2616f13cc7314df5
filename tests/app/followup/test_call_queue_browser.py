"""Call outcomes saved without a connection, in headless Chromium (app/static/js/call-queue.js):
kept on the phone, said waiting on the page, and sent by themselves once the connection is back
(the browser's `online`) or when a page is opened again — one call record each, no click. On
"My calls" the outcome is recorded on the page itself, which stays where it is; an outcome the
server refuses (a person outside the officer's part) is said in Vietnamese until discarded."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import LeadCall, LeadStatus, LeadWork
from tests.app.followup.calls_world import LATE, calls_world, person_id
from tests.app.followup.lead_pages import PHONE, another_tab, officer_on, stored_calls, watched
from tests.app.live.pages import log_in
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads


def test_an_outcome_saved_offline_is_sent_when_the_connection_is_back(
    live_server: str, browser, make: Factory
) -> None:
    world, officer, context, page, errors = officer_on(live_server, browser, make)
    row = page.locator("#call-table tbody tr", has_text="Nguyễn Thị Lan")
    context.set_offline(True)  # the 3G drops while the officer is on the phone
    row.locator("button.lead-edit").click()
    editor = page.locator("#lead-editor")
    editor.locator("select[name=status]").select_option("call_back")
    editor.locator("textarea[name=notes]").fill("Bận họp, gọi lại sau 17h")
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    queue = page.locator("#call-queue")
    expect(queue.locator(".call-queue-waiting")).to_have_text(
        "Còn 1 kết quả cuộc gọi chờ gửi từ máy này; sẽ tự gửi ngay khi có mạng trở lại."
    )
    expect(queue.locator(".call-queue-offline")).to_be_visible()
    expect(row.locator(".call-waiting")).to_have_text("Chờ gửi")
    assert row.locator(".lead-status").inner_text() == "Hẹn lại"  # what was saved, shown
    # Scrolled to the foot of the list on a short screen, the officer still sees what waits.
    page.set_viewport_size({"width": 390, "height": 320})
    assert page.evaluate("document.documentElement.scrollHeight > 2 * innerHeight")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    box = page.evaluate("(() => { const r = document.getElementById('call-queue')"
                        ".getBoundingClientRect(); return [r.top, r.bottom]; })()")  # fmt: skip
    assert box[0] >= 0, box
    assert box[1] <= 320, box
    page.set_viewport_size(PHONE)
    page.screenshot(path="/tmp/calls-offline-390.png", full_page=True)
    assert stored_calls() == []

    context.set_offline(False)  # no click: the page sends it by itself
    expect(queue.locator(".call-queue-sent")).to_contain_text(
        "Đã gửi kết quả cuộc gọi của Nguyễn Thị Lan lúc "
    )
    expect(queue.locator(".call-queue-waiting")).to_be_hidden()
    expect(row.locator(".call-waiting")).to_have_count(0)
    (call,) = stored_calls()
    assert (call.status, call.notes, call.user_id) == (
        LeadStatus.CALL_BACK,
        "Bận họp, gọi lại sau 17h",
        officer.id,
    )
    assert db.session.scalar(select(LeadWork.status)) == LeadStatus.CALL_BACK
    page.reload()  # nothing left in the queue to send twice
    expect(page.locator("#call-queue")).to_be_hidden()
    assert len(stored_calls()) == 1
    assert errors == []


def test_my_calls_records_an_outcome_in_place_and_sends_it_when_reopened(
    live_server: str, browser, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = calls_world(make)
    monkeypatch.setattr("app.followup.calls_page.utcnow", lambda: LATE)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page = watched(context.new_page(), errors)
    log_in(page, live_server, w.me.email)
    here = f"{live_server}/follow-up/calls?page=1&free_page=1"
    page.goto(here)
    page.evaluate("window.notReloaded = true")
    card = page.locator("#held table.my-calls tbody tr", has_text="Lê Thị Hà")
    # Online first: recorded at once, the page where it was.
    card.locator("button.lead-edit").click()
    editor = page.locator("#lead-editor")
    expect(editor.locator(".lead-editor-name")).to_have_text("Lê Thị Hà")
    assert editor.locator("select[name=assignee_id]").count() == 0
    notes = editor.locator("textarea[name=notes]")
    assert notes.input_value() == "Máy bận\nGọi lại sau 19h, cần hỏi mức đóng"
    editor.locator("input[name=next_call_on]").fill("")
    editor.locator("select[name=status]").select_option("called")
    notes.fill(notes.input_value() + "\nĐã tư vấn mức đóng")
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    expect(page.locator("#call-queue .call-queue-sent")).to_contain_text("Lê Thị Hà")
    assert card.locator(".lead-status").inner_text() == "Đã gọi"
    assert card.locator(".call-note").inner_text() == "Đã tư vấn mức đóng"
    assert card.locator(".call-day").inner_text() == "—"
    assert page.url == here
    assert page.evaluate("window.notReloaded") is True
    assert len(stored_calls()) == 1
    page.screenshot(path="/tmp/calls-my-1366.png", full_page=True)

    # Offline: kept; the page closed; opened again with a connection: sent without a click.
    context.set_offline(True)
    free = page.locator("#free table.my-calls tbody tr", has_text="Phan Văn Cường")
    free.locator("button.lead-edit").click()
    editor.locator("select[name=status]").select_option("not_interested")
    editor.locator("textarea[name=notes]").fill("Không có nhu cầu")
    editor.locator("button[value=save]").click()
    editor.wait_for(state="hidden")
    expect(free.locator(".call-waiting")).to_have_text("Chờ gửi")
    assert free.locator(".lead-status").inner_text() == "Không quan tâm"
    # An outcome queued for someone who is not (or no longer) of the officer's part.
    url = f"/api/v1/events/{w.world.event_id}/leads/{w.world.their_lead}/calls"
    theirs = {"key": "f" * 32, "url": url, "body": {"status": "called", "notes": ""},
              "event": str(w.world.event_id), "person": str(w.world.their_lead),
              "name": "Võ Văn Bảy", "sent_at": "2026-12-20T09:00:00Z",
              "state": "waiting"}  # fmt: skip
    page.evaluate(
        """(item) => { var key = 'lantoa-calls:' + document.getElementById('call-queue')
             .getAttribute('data-user');
           var list = JSON.parse(localStorage.getItem(key) || '[]');
           localStorage.setItem(key, JSON.stringify(list.concat([item]))); }""",
        theirs,
    )
    page.close()
    assert len(stored_calls()) == 1
    context.set_offline(False)
    again = another_tab(context, here, errors)
    refused = again.locator("#call-queue .call-queue-refused li")
    expect(refused.locator("span")).to_have_text(
        "Chưa ghi được kết quả cho Võ Văn Bảy: Người này không thuộc đơn vị của bạn trong sự "
        "kiện này."
    )
    expect(refused.locator("button")).to_have_text("Bỏ")
    expect(again.locator("#call-queue .call-queue-sent")).to_contain_text("Phan Văn Cường")
    calls = stored_calls()
    assert [c.person_id for c in calls] == [person_id("Lê Thị Hà"), person_id("Phan Văn Cường")]
    assert calls[1].status == LeadStatus.NOT_INTERESTED
    assert db.session.scalar(select(func.count(LeadCall.id)).where(
        LeadCall.person_id == w.world.their_lead)) == 0  # fmt: skip
    again.set_viewport_size({"width": 390, "height": 844})
    again.screenshot(path="/tmp/calls-my-390.png", full_page=True)
    refused.locator("button").click()
    expect(refused).to_have_count(0)
    kept = again.evaluate("Object.keys(localStorage).map(k => localStorage.getItem(k))")
    assert all(json.loads(v) == [] for v in kept if v.startswith("["))
    assert errors == []


def test_outcomes_wait_for_a_new_log_in_when_the_session_ended(
    live_server: str, browser, make: Factory
) -> None:
    _world, officer, context, page, _errors = officer_on(live_server, browser, make)
    context.set_offline(True)
    row = page.locator("#call-table tbody tr", has_text="Nguyễn Thị Lan")
    row.locator("button.lead-edit").click()
    page.locator("#lead-editor select[name=status]").select_option("called")
    page.locator("#lead-editor button[value=save]").click()
    page.locator("#lead-editor").wait_for(state="hidden")
    context.clear_cookies()  # the session ends meanwhile
    context.set_offline(False)
    waiting = page.locator("#call-queue .call-queue-waiting")
    expect(waiting).to_contain_text("Phiên đăng nhập đã hết: hãy đăng nhập lại")
    assert stored_calls() == []
    log_in(context.new_page(), live_server, officer.email)  # another tab, another CSRF token
    expect(page.locator("#call-queue .call-queue-sent")).to_contain_text(
        "Nguyễn Thị Lan", timeout=30000
    )
    (call,) = stored_calls()
    assert call.status == LeadStatus.CALLED
