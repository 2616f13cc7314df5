"""A lead marked on the live page, in headless Chromium: the officer marks and takes a lead on
its comment card as the sandbox's comments arrive (Socket.IO deltas), without a reload; the
follow-up list and its Excel export then show it "Đã gọi"; a viewer sees it but has no controls.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import expect

from app.models import Target
from sandbox import Sandbox
from tests.app.live import redis_app
from tests.app.live.pages import (
    log_in,
    open_live_tab,
    play,
    short_live,  # noqa: F401 - fixture: this module's sandbox
)
from tests.app.live.webserver import WebProcess, wait_for
from tests.conftest import Factory

pytestmark = pytest.mark.committing  # a separate web process reads the rows

app = redis_app.app  # this module's app publishes through Redis (tests/app/live/redis_app.py)


def _excel_rows(page, url: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """The people of every sheet: to call, and without a phone number (its own sheet)."""
    response = page.request.get(url)
    assert response.status == 200
    rows = []
    for sheet in load_workbook(io.BytesIO(response.body())).worksheets[:2]:  # not who enrolled
        headers = [c.value for c in sheet[2]]
        rows += [
            dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=3, values_only=True)
        ]
    return rows


def test_a_lead_marked_on_the_live_page_shows_in_the_follow_up_list_and_excel(
    app: Flask, web: WebProcess, browser, make: Factory, sandbox: Sandbox, fb_target: Target
) -> None:
    officer = make.user("officer")
    viewer = make.user("viewer")
    event_id = fb_target.event_id
    page, errors = open_live_tab(browser, web.url, officer.email, event_id)
    assert page.locator("#feed li.comment.lead").count() == 0

    play(sandbox, 300)  # comments arrive by Socket.IO deltas, the page is not reloaded
    page.locator("#feed li.comment.lead .lead-work select.lead-status").first.wait_for(
        timeout=20000
    )
    # A commenter who left no number cannot have been called: the card does not offer it and
    # says why, in Vietnamese (the server refuses it too: tests/app/api/test_leads.py).
    silent = page.locator("#feed li.comment.lead", has_not_text=re.compile(r"\d{3} \d{3}")).first
    expect(silent.locator('select.lead-status option[value="called"]')).to_be_disabled()
    expect(silent.locator(".lead-no-number")).to_contain_text("Đã gọi")
    first = page.locator("#feed li.comment.lead", has_text=re.compile(r"\d{4} \d{3} \d{3}")).first
    comment_id = first.get_attribute("data-id")
    card = page.locator(f'#feed li.comment[data-id="{comment_id}"]')
    assert card.locator("select.lead-status").input_value() == "new"
    author = card.locator(".author").inner_text()
    card.locator("select.lead-status").select_option("called")
    card.locator("button.lead-save").click()
    card.locator(".lead-note", has_text="Đã lưu").wait_for(timeout=10000)
    card.locator("button.lead-take").click()
    wait_for(lambda: card.locator("select.lead-assignee").input_value() == str(officer.id),
             what="the lead taken by the officer")  # fmt: skip
    # Taken: "Nhận xử lý" goes away without a reload; given back, it returns.
    wait_for(lambda: not card.locator("button.lead-take").is_visible(), what="the button gone")
    card.locator("select.lead-assignee").select_option("")
    wait_for(lambda: card.locator("button.lead-take").is_visible(), what="the button back")
    card.locator("button.lead-take").click()
    wait_for(lambda: card.locator("select.lead-assignee").input_value() == str(officer.id),
             what="the lead taken again")  # fmt: skip
    assert card.get_attribute("data-lead-status") == "called"
    # Status labels are Vietnamese, and the colleague list names the officer as "tôi".
    labels = card.locator("select.lead-status option").all_inner_texts()
    assert labels == [
        "Mới", "Đã gọi", "Hẹn lại", "Đã đăng ký", "Không quan tâm", "Sai số điện thoại"
    ]  # fmt: skip

    if os.environ.get("LANTOA_SCREENSHOTS"):  # to look at: the cards with their controls
        page.screenshot(path=os.path.join(os.environ["LANTOA_SCREENSHOTS"], "lead-cards.png"))
    # More comments keep arriving; the marked card keeps its state.
    play(sandbox, 120)
    assert card.locator("select.lead-status").input_value() == "called"
    assert errors == []

    # The follow-up list, filtered to the leads called: the author's lead, marked so.
    page.goto(f"{web.url}/events/{event_id}/follow-up?status=called")
    rows = page.locator("table.list tbody tr", has=page.locator(".lead-status"))  # people's rows
    assert rows.count() == 1
    assert author in rows.first.inner_text()
    assert rows.first.locator(".lead-status").inner_text() == "Đã gọi"
    assert rows.first.locator(".lead-assignee").inner_text() == officer.email
    assert rows.first.locator("a[href^='https://www.facebook.com/']").count() == 1
    everyone = _excel_rows(page, f"{web.url}/events/{event_id}/follow-up.xlsx")
    mine = [r for r in everyone if r["Trạng thái"] == "Đã gọi"]
    assert [r["Họ và tên"] for r in mine] == [author]
    assert mine[0]["Người phụ trách"] == officer.email
    assert len(everyone) > 1
    called = _excel_rows(page, f"{web.url}/events/{event_id}/follow-up.xlsx?status=đã gọi")
    assert [r["Họ và tên"] for r in called] == [author]

    if os.environ.get("LANTOA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["LANTOA_SCREENSHOTS"], "lead-list.png"),
                        full_page=True)  # fmt: skip
    # A viewer sees the lead's state on its card, and nothing to change it with.
    other = browser.new_context().new_page()
    log_in(other, web.url, viewer.email)
    other.goto(f"{web.url}/events/{event_id}/live")
    seen = other.locator(f'#feed li.comment[data-id="{comment_id}"] .lead-state')
    seen.wait_for(timeout=20000)
    wait_for(lambda: seen.inner_text() == "Đã gọi", what="the viewer sees the status")
    assert other.locator("#feed select.lead-status").count() == 0
