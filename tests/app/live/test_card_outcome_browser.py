"""A call's outcome recorded on the live page's comment card, in headless Chromium: as the follow-up
list's editor, the card has the next call's day (tomorrow offered for "Hẹn lại", which needs one)
and the call's notes, compact on a 390 px phone and on a 1366 px laptop, sent through the queue of
call outcomes (one call record with its day and notes); closed, the card says the outcome, its
day and its note; "Ghi kết quả gọi" opens it again with what was saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import LeadCall, LeadStatus, LeadWork, utcnow
from app.timeparse import VN
from tests.app.followup.lead_world import lead_world
from tests.app.live.pages import log_in
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.committing  # Chromium's requests are served on the server's threads

NO_DAY = "Hẹn gọi lại cần có ngày: ghi ngày gọi lại (dd/mm/yyyy)."


def _live_page(live_server: str, browser, make: Factory, width: int):  # type: ignore[no-untyped-def]
    """The lead world's live page, opened by an officer ``width`` px wide; the script errors it
    raises."""
    world = lead_world(make)
    officer = make.user("officer", HOME)
    page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, officer.email)
    page.goto(f"{live_server}/events/{world.event_id}/live")
    return world, page, errors


@pytest.mark.parametrize("width", [390, 1366])
def test_a_card_records_the_call_back_day_and_notes_through_the_queue(
    live_server: str, browser, make: Factory, width: int
) -> None:
    world, page, errors = _live_page(live_server, browser, make, width)
    card = page.locator(f'#feed li.comment[data-id="{world.first}"]')
    expect(card.locator("select.lead-status")).to_have_value("new")
    outcome = card.locator("form.lead-outcome")
    expect(outcome).to_be_hidden()

    card.locator("select.lead-status").select_option("call_back")
    expect(outcome).to_be_visible()
    tomorrow = utcnow().astimezone(VN).date() + timedelta(days=1)
    day = outcome.locator("input[name=next_call_on]")
    expect(day).to_have_value(tomorrow.strftime("%d/%m/%Y"))
    day.fill("")
    outcome.locator("button.lead-save").click()
    expect(outcome.locator(".lead-outcome-error")).to_have_text(NO_DAY)
    later = tomorrow + timedelta(days=2)
    day.fill(later.strftime("%d/%m/%Y"))
    expect(outcome.locator(".lead-outcome-error")).to_be_hidden()  # said until corrected
    outcome.locator("textarea[name=notes]").fill("Bận họp, gọi lại sau 17h")
    # Compact: the card's fields stay within the card and the page does not scroll sideways.
    box, form = card.bounding_box(), outcome.bounding_box()
    assert form["x"] >= box["x"]
    assert form["x"] + form["width"] <= box["x"] + box["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    card.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/live-card-outcome-{width}.png")
    outcome.locator("button.lead-save").click()
    expect(card.locator(".lead-note")).to_have_text("Đã lưu")
    expect(outcome).to_be_hidden()
    # Closed, the card says what was saved: the outcome, its day and the note, one compact line.
    saved = card.locator(".lead-saved")
    expect(saved).to_have_text(
        f"Hẹn lại · Ngày gọi lại: {later.strftime('%d/%m/%Y')} · Bận họp, gọi lại sau 17h"
    )
    line = saved.bounding_box()
    assert line["height"] <= 2 * 1.6 * 16, line  # two lines at most, at 390 px too
    assert line["x"] + line["width"] <= box["x"] + box["width"] + 1
    card.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/live-card-saved-{width}.png")
    db.session.expire_all()
    call = db.session.scalar(select(LeadCall))
    assert (call.status, call.next_call_on, call.notes) == (
        LeadStatus.CALL_BACK, later, "Bận họp, gọi lại sau 17h"
    )  # fmt: skip
    work = db.session.scalar(select(LeadWork))
    assert (work.next_call_on, work.notes) == (later, "Bận họp, gọi lại sau 17h")

    # Opened again with its button: what was saved, to add to.
    record = card.locator("button.lead-record")
    expect(record).to_have_text("Ghi kết quả gọi")
    record.click()
    expect(day).to_have_value(later.strftime("%d/%m/%Y"))
    expect(outcome.locator("textarea[name=notes]")).to_have_value("Bận họp, gọi lại sau 17h")
    expect(saved).to_be_hidden()  # the form says it while open
    outcome.locator("button.lead-cancel").click()
    expect(outcome).to_be_hidden()
    expect(saved).to_be_visible()
    assert errors == []


NO_NUMBER_HINT = (
    "Người này không để lại số điện thoại nên không thể chọn “Đã gọi”, “Sai số điện thoại”: "
    "hãy liên hệ qua bình luận của họ hoặc qua xã/phường."
)


@pytest.mark.parametrize("width", [390, 1366])
def test_a_lead_with_no_number_is_offered_no_call_outcome_and_the_day_is_a_call_back_s(
    live_server: str, browser, make: Factory, width: int
) -> None:
    """Bình left no number: "Đã gọi" and "Sai số điện thoại" are disabled on his card, which says
    why (the server would refuse them after "Lưu"). Lan's second comment has no number but her
    first has: hers are offered, and "Đã gọi" is saved. The day box shows for "Hẹn lại" alone."""
    world, page, errors = _live_page(live_server, browser, make, width)
    bin_card = page.locator(f'#feed li.comment[data-id="{world.other}"]')
    status = bin_card.locator("select.lead-status")
    hint = bin_card.locator(".lead-no-number")
    expect(hint).to_have_text(NO_NUMBER_HINT)
    for code in ("called", "wrong_number"):
        expect(status.locator(f'option[value="{code}"]')).to_be_disabled()
    for code in ("new", "call_back", "enrolled", "not_interested"):
        expect(status.locator(f'option[value="{code}"]')).to_be_enabled()
    bin_card.scroll_into_view_if_needed()
    page.screenshot(path=f"/tmp/live-card-no-number-{width}.png")

    status.select_option("not_interested")
    outcome = bin_card.locator("form.lead-outcome")
    expect(outcome).to_be_visible()
    expect(outcome.locator("label.lead-day")).to_be_hidden()  # no call back: no day to ask
    status.select_option("call_back")
    expect(outcome.locator("label.lead-day")).to_be_visible()
    outcome.locator("button.lead-cancel").click()

    lan = page.locator(f'#feed li.comment[data-id="{world.second}"]')
    expect(lan.locator(".lead-no-number")).to_be_hidden()
    expect(lan.locator('select.lead-status option[value="called"]')).to_be_enabled()
    lan.locator("select.lead-status").select_option("called")
    lan_outcome = lan.locator("form.lead-outcome")
    expect(lan_outcome.locator("label.lead-day")).to_be_hidden()
    lan_outcome.locator("textarea[name=notes]").fill("Đã tư vấn mức đóng")
    lan_outcome.locator("button.lead-save").click()
    expect(lan.locator(".lead-note")).to_have_text("Đã lưu")
    db.session.expire_all()
    call = db.session.scalar(select(LeadCall))
    assert (call.status, call.next_call_on) == (LeadStatus.CALLED, None)
    assert errors == []
