"""A lead's status marked on the live page's comment cards without a connection, in headless
Chromium: the outcome goes through the queue of call outcomes kept on the phone
(app/static/js/call-queue.js), as on the follow-up list and "My calls": the card shows what was
marked and "Chờ gửi", the page says how many wait, and the queue sends it by itself once the
connection is back (the browser's `online`) or when the page is opened again — one call record
each; the commenter's other cards then show it too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Comment, LeadStatus, LeadWork
from tests.app.followup.lead_pages import another_tab, officer_on, stored_calls
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads


def test_a_status_marked_offline_on_a_card_is_sent_when_the_connection_is_back(
    live_server: str, browser, make: Factory
) -> None:
    # Lan wrote twice (first, second), Bình once; nobody a person yet
    world, officer, context, page, errors = officer_on(live_server, browser, make, "live")
    live = f"{live_server}/events/{world.event_id}/live"
    first = page.locator(f'#feed li.comment[data-id="{world.first}"]')
    second = page.locator(f'#feed li.comment[data-id="{world.second}"]')
    expect(first.locator("select.lead-status")).to_have_value("new")

    context.set_offline(True)  # the 3G drops while the officer watches the livestream
    first.locator("select.lead-status").select_option("call_back")
    first.locator("button.lead-save").click()  # the day offered (tomorrow) kept
    expect(first.locator(".call-waiting")).to_have_text("Chờ gửi")
    queue = page.locator("#call-queue")
    expect(queue.locator(".call-queue-waiting")).to_have_text(
        "Còn 1 kết quả cuộc gọi chờ gửi từ máy này; sẽ tự gửi ngay khi có mạng trở lại."
    )
    expect(queue.locator(".call-queue-offline")).to_be_visible()
    assert first.locator("select.lead-status").input_value() == "call_back"  # as marked
    expect(first.locator(".lead-note.failed")).to_have_count(0)  # nothing said lost
    first.scroll_into_view_if_needed()
    page.locator(".feed-section").screenshot(path="/tmp/live-lead-offline-390.png")
    assert stored_calls() == []

    context.set_offline(False)  # no click: the page sends it by itself
    expect(queue.locator(".call-queue-sent")).to_contain_text(
        "Đã gửi kết quả cuộc gọi của Nguyễn Thị Lan lúc "
    )
    expect(first.locator(".call-waiting")).to_have_count(0)
    # The commenter's other card is the same lead: it learns the outcome too.
    expect(second.locator("select.lead-status")).to_have_value("call_back")
    (call,) = stored_calls()
    lan = db.session.scalar(select(Comment.person_id).where(Comment.id == world.first))
    assert (call.person_id, call.status, call.user_id) == (lan, LeadStatus.CALL_BACK, officer.id)
    assert db.session.scalar(select(LeadWork.status)) == LeadStatus.CALL_BACK

    # Offline again, another commenter marked, the page closed before the connection came back:
    # opened again with one, the page sends it without a click.
    other = page.locator(f'#feed li.comment[data-id="{world.other}"]')
    context.set_offline(True)
    other.locator("select.lead-status").select_option("not_interested")
    other.locator("button.lead-save").click()
    expect(other.locator(".call-waiting")).to_have_text("Chờ gửi")
    page.close()
    assert len(stored_calls()) == 1
    context.set_offline(False)
    again = another_tab(context, live, errors)
    expect(again.locator("#call-queue .call-queue-sent")).to_contain_text("Trần Văn Bình")
    binh = again.locator(f'#feed li.comment[data-id="{world.other}"]')
    expect(binh.locator("select.lead-status")).to_have_value("not_interested")
    expect(binh.locator(".call-waiting")).to_have_count(0)
    calls = stored_calls()
    assert [c.status for c in calls] == [LeadStatus.CALL_BACK, LeadStatus.NOT_INTERESTED]
    again.screenshot(path="/tmp/live-lead-sent-390.png", full_page=True)
    assert errors == []
