"""On a phone (390 px), the check-in page's correction card and the moment an answer arrives:

- a report sent back for correction shows the purpose text once, above its rows, as the blank
  form does: each row asks "Đồng ý với nội dung trên", and the officer reads that text aloud;
- an answer the server gave (201 or 200) is the truth whatever ``navigator.onLine`` says:
  "Đã nhận" and "Lần báo gần nhất" show even when the connection drops right after it, and the
  report leaves the phone's outbox; a report whose answer never arrived stays in the outbox and is
  sent again under its key, answered as a duplicate, stored once.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.consent import CURRENT, PURPOSES
from app.extensions import db
from app.models import BridgePoint
from app.models.base import utcnow
from tests.app.halls.test_checkin_browser import reports
from tests.app.live.webserver import wait_for

pytestmark = pytest.mark.committing

PHONE = {"width": 390, "height": 844}


def phone(browser):  # type: ignore[no-untyped-def]
    # No service worker: Playwright's routes see every POST of a page it does not control.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  service_workers="block")  # fmt: skip
    return context, context.new_page()


def outbox(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """The reports the phone keeps to send (checkin.js's queue in localStorage)."""
    raw = page.evaluate("localStorage.getItem('lantoa-checkin:' + location.pathname)")
    return json.loads(raw or "[]")


def test_the_correction_card_shows_the_purpose_text_once_above_its_rows(
    live_server: str, browser, checkin_link: str, tmp_path
) -> None:
    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    page.fill("#head_count", "30")
    page.click("#checkin summary")
    page.fill("#name-0", "Lê Thị Mai")
    page.fill("#phone-0", "0912 34")  # not a phone number
    page.fill("#birth-1", "1980")  # a row with only a birth year
    page.click("#checkin button[type=submit]")
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    assert page.locator("#checkin").is_hidden()  # the blank form, and its text, wait behind
    expect(card.locator("select[name^=consent-]")).to_have_count(2)
    purpose = card.locator(".purpose")
    expect(purpose).to_have_count(1)  # once, as on the blank form, not once per row
    expect(purpose).to_be_visible()
    text = purpose.inner_text()
    assert PURPOSES[CURRENT].text in text
    assert text.startswith("Đọc nội dung này cho từng người")
    effective = PURPOSES[CURRENT].effective_on.strftime("%d/%m/%Y")
    assert f"Mẫu đồng ý ngày {effective}" in text
    assert text == page.locator("#purpose").inner_text()  # the blank form's words exactly
    # above the rows that ask "Đồng ý với nội dung trên"
    first_row = card.locator("p.muted", has_text="Người thứ 1")
    assert purpose.bounding_box()["y"] < first_row.bounding_box()["y"]
    assert card.locator("#purpose").count() == 0  # one id on the page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "correction.png"), full_page=True)
    # corrected and sent again, the card (and its text) goes
    card.locator("[name=phone-0]").fill("0912 345 678")
    card.locator("[name=name-1]").fill("Phạm Văn Long")
    card.locator("button[type=submit]").click()
    page.locator("#done").wait_for(state="visible")
    expect(page.locator("#rejected .purpose")).to_have_count(0)
    assert [(r.head_count, r.attendees) for r in reports()] == [(30, 2)]
    context.close()


def keyboards(scope) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """Each text box of ``scope`` by its field ("phone-0" → "phone"): the keyboard it opens."""
    boxes = scope.locator("input[name]:not([type=hidden]):not([type=file])")
    found = boxes.evaluate_all("els => els.map(e => [e.name, e.getAttribute('inputmode')])")
    return {name.split("-")[0]: mode for name, mode in found}


def test_the_boxes_to_correct_open_the_keyboard_of_the_blank_forms_boxes(
    live_server: str, browser, checkin_link: str
) -> None:
    """A phone number corrected on a refused report's card, or on an entry's "Sửa", opens the
    digits as the blank form's box does (the tour saw the letters' keyboard for a phone number)."""
    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    blank = keyboards(page.locator("#checkin"))
    assert (blank["head_count"], blank["phone"], blank["cccd"]) == ("numeric", "tel", "numeric")
    page.fill("#head_count", "30")
    page.click("#checkin summary")
    page.fill("#name-0", "Lê Thị Mai")
    page.fill("#phone-0", "0912 34")  # not a phone number
    page.click("#checkin button[type=submit]")
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    assert keyboards(card) == blank
    card.locator("[name=phone-0]").fill("0912 345 678")
    card.locator("button[type=submit]").click()
    page.locator("#done").wait_for(state="visible")
    page.locator("#recent li button.edit").first.click()
    fix = keyboards(page.locator("#recent form.fix"))
    assert fix == {f: blank[f] for f in ("name", "birth", "phone", "cccd", "hamlet")}
    context.close()


def test_a_report_kept_for_a_link_renewed_meanwhile_says_to_ask_for_the_new_link(
    live_server: str, browser, checkin_link: str
) -> None:
    """Queued offline, then the organiser renewed the hall's link: sending it again here can never
    work, so the card asks for the new link (no "correct it and send it again", no "Send again")
    and keeps the rows in sight to enter there."""
    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    page.fill("#head_count", "33")
    page.click("#checkin summary")
    page.fill("#name-0", "Lương Văn Thắng")
    page.fill("#phone-0", "0912 111 222")
    context.set_offline(True)
    page.click("#checkin button[type=submit]")
    expect(page.locator("#queue")).to_contain_text("1 báo cáo đang chờ mạng")
    db.session.execute(sa.update(BridgePoint).values(checkin_revoked_at=utcnow()))
    db.session.commit()
    context.set_offline(False)
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    said = card.locator("p.err").first.inner_text()
    assert "không còn dùng được" in said
    assert "đường dẫn mới" in said
    assert "sửa rồi gửi lại" not in said.lower()
    expect(card.get_by_role("button", name="Gửi lại")).to_have_count(0)
    assert card.locator("[name=name-0]").input_value() == "Lương Văn Thắng"  # kept to enter again
    expect(card.get_by_role("button", name="Bỏ báo cáo này")).to_be_visible()
    assert reports() == []
    context.close()


def test_a_count_alone_has_no_purpose_text_on_its_card(
    live_server: str, browser, checkin_link: str
) -> None:
    """A card with no attendee row asks no one anything: no text to read."""
    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    page.fill("#head_count", "ba mươi")
    page.click("#checkin button[type=submit]")
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    expect(card.locator(".purpose")).to_have_count(0)
    context.close()


def test_an_answer_received_just_before_the_connection_drops_is_shown(
    live_server: str, browser, checkin_link: str, tmp_path
) -> None:
    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    url = live_server + checkin_link

    def accepted_then_offline(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.method != "POST":
            route.continue_()
            return
        answer = route.fetch()  # the server stores the report and answers 201
        assert answer.status == 201
        context.set_offline(True)  # the 3G link drops at that moment...
        route.fulfill(response=answer)  # ...and the answer reaches the page all the same

    context.route(url, accepted_then_offline)
    page.fill("#head_count", "45")
    page.click("#checkin button[type=submit]")
    wait_for(lambda: [r.head_count for r in reports()] == [45])
    done, latest = page.locator("#done"), page.locator("#latest")
    expect(done).to_contain_text("Đã nhận")
    expect(latest).to_contain_text("45")
    expect(latest).to_contain_text("Lần báo gần nhất")
    assert page.evaluate("navigator.onLine") is False
    expect(page.locator("#offline")).to_be_visible()  # the page still says the link is down
    expect(page.locator("#queue")).to_be_hidden()  # nothing waits to be sent
    assert outbox(page) == []
    page.screenshot(path=str(tmp_path / "received-offline.png"), full_page=True)
    context.unroute(url)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(done).to_contain_text("Đã nhận")
    expect(latest).to_contain_text("45")
    expect(page.locator("#offline")).to_be_hidden()
    page.wait_for_timeout(500)  # an "online" flush would send anything left: nothing is
    assert [r.head_count for r in reports()] == [45]
    assert outbox(page) == []
    context.close()


def test_a_report_whose_answer_was_lost_is_sent_again_under_its_key(
    live_server: str, browser, checkin_link: str
) -> None:
    """The server stores it, the answer is lost on the way: the phone keeps it, sends it again
    under the same key when the connection returns, and the server answers it was already in."""
    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    url = live_server + checkin_link

    lost: list[bool] = []

    def stored_answer_lost(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.method != "POST":
            route.continue_()
            return
        assert route.fetch().status == 201
        route.abort("internetdisconnected")
        lost.append(True)

    context.route(url, stored_answer_lost)
    page.fill("#head_count", "47")
    page.click("#checkin button[type=submit]")
    expect(page.locator("#queue")).to_contain_text("1 báo cáo")
    (kept,) = outbox(page)
    expect(page.locator("#done")).to_be_hidden()
    while not lost:  # the answer is lost before the route goes (unrouting mid-answer races it)
        page.wait_for_timeout(50)
    assert [r.head_count for r in reports()] == [47]  # stored before its answer was lost
    context.unroute(url)
    # "online" while the lost send is still being given up (a loaded machine) finds the phone
    # busy and waits for its 15 s timer: say it again until the phone has sent it.
    done = page.locator("#done")
    for _ in range(40):
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(250)
        if done.is_visible():
            break
    expect(done).to_contain_text("Đã nhận trước đó")
    expect(page.locator("#latest")).to_contain_text("47")
    assert outbox(page) == []
    assert [r.head_count for r in reports()] == [47]  # stored once
    assert kept["idempotency_key"] == reports()[0].idempotency_key
    context.close()
