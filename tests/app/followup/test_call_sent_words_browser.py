"""What the queue of call outcomes says it sent, in headless Chromium: a batch sent when the
connection is back is said once it settles (the count of those waiting only falls meanwhile),
and is said again, once, on the follow-up list read anew because one of them closed a lead; an
outcome saved a while before it went says both times, as the officer reads them ("lúc 10:05
(ghi lúc 09:50)")."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import LeadCall, utcnow
from app.timeparse import VN
from tests.app.followup.lead_world import lead_world
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

# Every change of the queue's box, kept across reloads: (waiting line, sent line).
WATCH = """document.addEventListener('DOMContentLoaded', function () {
  var q = document.getElementById('call-queue');
  if (!q) { return; }
  function note() {
    var w = q.querySelector('.call-queue-waiting'), s = q.querySelector('.call-queue-sent');
    var seen = JSON.parse(sessionStorage.getItem('seen') || '[]');
    seen.push([w.hidden ? '' : w.textContent, s.hidden ? '' : s.textContent]);
    sessionStorage.setItem('seen', JSON.stringify(seen));
  }
  note();
  new MutationObserver(note).observe(q, {subtree: true, childList: true, characterData: true,
                                         attributes: true});
});"""


def _calls() -> list[LeadCall]:
    db.session.expire_all()
    return list(db.session.scalars(select(LeadCall).order_by(LeadCall.id)))


@pytest.mark.parametrize("width", [390, 1366])
def test_a_batch_is_said_once_settled_and_again_after_a_closed_lead_reloads_the_list(
    live_server: str, browser, make: Factory, width: int
) -> None:
    world = lead_world(make)  # Lan (a number) and Bình (none)
    officer = make.user("officer", HOME)
    context = browser.new_context(viewport={"width": width, "height": 844})
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{world.event_id}/follow-up")
    editor = page.locator("#lead-editor")
    context.set_offline(True)
    for name, status in [("Trần Văn Bình", "not_interested"), ("Nguyễn Thị Lan", "called"),
                         ("Nguyễn Thị Lan", "wrong_number")]:  # fmt: skip
        page.locator("table.list tbody tr", has_text=name).locator("button.lead-edit").click()
        editor.locator("select[name=status]").select_option(status)
        editor.locator("button[value=save]").click()
        editor.wait_for(state="hidden")
    queue = page.locator("#call-queue")
    expect(queue.locator(".call-queue-waiting")).to_contain_text("Còn 3 kết quả cuộc gọi chờ gửi")
    page.evaluate("sessionStorage.setItem('seen', '[]')")

    context.set_offline(False)  # Bình's "Không quan tâm" closes the lead: the list is read anew
    sent = page.locator("#call-queue .call-queue-sent")
    expect(sent).to_have_text(
        re.compile(r"^Đã gửi 3 kết quả cuộc gọi lúc \d\d:\d\d: Trần Văn Bình, Nguyễn Thị Lan\.$")
    )
    expect(page.locator("#closed-table tbody tr", has_text="Trần Văn Bình")).to_have_count(1)
    expect(queue.locator(".call-queue-waiting")).to_be_hidden()
    assert len(_calls()) == 3
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    waiting = [int(re.search(r"\d+", w).group()) if w else 0 for w, _ in seen]
    assert waiting == sorted(waiting, reverse=True), seen  # only falls
    said = {s for _, s in seen if s}
    assert said == {sent.inner_text()}, seen  # the batch said once, whole
    sent.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/calls-batch-sent-{width}.png")
    assert errors == []

    page.reload()  # said once: not again
    expect(page.locator("#call-table")).to_be_visible()
    expect(page.locator("#call-queue")).to_be_hidden()


def test_an_outcome_sent_a_while_after_it_was_saved_says_both_times(
    live_server: str, browser, make: Factory
) -> None:
    world = lead_world(make)
    officer = make.user("officer", HOME)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{world.event_id}/follow-up")
    # Saved on this phone a quarter of an hour ago, the connection gone since.
    pressed = utcnow() - timedelta(minutes=15)
    item = {"url": f"/api/v1/events/{world.event_id}/comments/{world.first}/calls",
            "body": {"status": "called", "notes": "Đã tư vấn"}, "event": str(world.event_id),
            "person": None, "comment": str(world.first), "name": "Nguyễn Thị Lan",
            "key": "saved-earlier-0001", "sent_at": pressed.isoformat(),
            "state": "waiting"}  # fmt: skip
    page.evaluate("([k, v]) => localStorage.setItem(k, v)",
                  [f"lantoa-calls:{officer.id}", json.dumps([item])])  # fmt: skip
    page.reload()
    local = pressed.astimezone(VN)
    today = utcnow().astimezone(VN).date()
    saved = local.strftime("%H:%M" if local.date() == today else "%d/%m/%Y %H:%M")
    expect(page.locator("#call-queue .call-queue-sent")).to_have_text(
        re.compile(
            r"^Đã gửi kết quả cuộc gọi của Nguyễn Thị Lan lúc \d\d:\d\d "
            + re.escape(f"(ghi lúc {saved}).")
            + "$"
        )
    )
    page.screenshot(path="/tmp/calls-sent-later-390.png")
    (call,) = _calls()
    assert abs(call.called_at - pressed) < timedelta(minutes=1)  # the call dated when saved

    # Sent at once: one time.
    row = page.locator("#call-table tbody tr", has_text="Nguyễn Thị Lan")
    row.locator("button.lead-edit").click()
    page.locator("#lead-editor select[name=status]").select_option("called")
    page.locator("#lead-editor button[value=save]").click()
    expect(page.locator("#call-queue .call-queue-sent")).to_have_text(
        re.compile(r"^Đã gửi kết quả cuộc gọi của Nguyễn Thị Lan lúc \d\d:\d\d\.$")
    )
