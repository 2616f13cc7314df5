"""The check-in page in headless Chromium at a phone's width: usable, and its offline queue
resends a report typed without a connection exactly once when the connection returns.

A hall's report is never silently lost (the network is cut and restored with
``context.set_offline``, by routing the report's POST, or by the server dropping every
connection while a service worker controls the page):

- a queued report the server refuses stays on the page, marked, each reason in Vietnamese beside
  its field at fault, all at once, editable and sent again from there (never an alert, never
  dropped);
- "Đã nhận" stays when the connection drops (it is still true) and goes as soon as a newer
  report waits;
- a later press wins over an earlier one that arrives late, even from a phone whose clock is fast;
- after one visit the page opens without a connection (its service worker), and a report typed
  then survives a reload and is sent when the connection returns.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.halls import links, services
from app.models import AttendanceReport
from tests.app.live.webserver import wait_for

# Committing: Chromium's requests are served on the server's threads.
pytestmark = pytest.mark.committing

PHONE = {"width": 375, "height": 740}


def reports() -> list[AttendanceReport]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AttendanceReport)))


def test_usable_at_phone_width(live_server: str, browser, checkin_link: str) -> None:
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(live_server + checkin_link)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator("#checkin button[type=submit]").bounding_box()
    assert box["height"] >= 44  # a finger, not a mouse
    assert box["width"] >= PHONE["width"] * 0.8
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('head_count')).fontSize)"
    )
    assert size >= 16  # no zoom-on-focus on phones
    scripts = page.evaluate(
        "Array.from(document.scripts).filter(s => s.src).map(s => new URL(s.src).pathname)"
    )
    assert scripts == ["/static/js/checkin.js"]  # the app's own, one small file, no CDN
    page.fill("#head_count", "45")
    page.click("#checkin button[type=submit]")
    page.locator("#done").wait_for(state="visible")
    assert [r.head_count for r in reports()] == [45]


def test_typed_offline_sent_once_when_back_online(
    live_server: str, browser, checkin_link: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server + checkin_link)
    context.set_offline(True)
    page.fill("#head_count", "38")
    page.click("#checkin button[type=submit]")
    page.locator("#queue").wait_for(state="visible")
    assert "chờ" in page.inner_text("#queue")
    assert reports() == []
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(lambda: len(reports()) == 1)
    page.reload()  # the queue is empty now: nothing is sent again
    page.evaluate("window.dispatchEvent(new Event('online'))")
    time.sleep(1.0)
    assert [r.head_count for r in reports()] == [38]
    context.close()


def latest_head_count(checkin_link: str) -> int | None:
    db.session.expire_all()
    point = links.hall_for_token(checkin_link.rsplit("/", 1)[1], datetime.now(UTC))
    latest = services.latest_head_count(point)
    return None if latest is None else latest.head_count


def phone(browser, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    return context, context.new_page()


def press(page, head_count: str, **row: str) -> None:
    """Type a head count (and the first attendee row) and press send."""
    page.fill("#head_count", head_count)
    if row:
        page.click("#checkin summary")
        for field, value in row.items():
            page.fill(f"#{field}-0", value)
    page.click("#checkin button[type=submit]")


def test_a_refused_queued_report_stays_marked_editable_and_resendable(
    live_server: str, browser, checkin_link: str
) -> None:
    context, page = phone(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server + checkin_link)
    context.set_offline(True)
    press(page, "40", name="Lê Thị Mai", birth="1980", phone="12345")  # not a phone number
    page.locator("#queue").wait_for(state="visible")
    context.set_offline(False)  # the queued report goes, and the server refuses it
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    assert "chưa được nhận" in card.inner_text()
    bad = card.locator("input[aria-invalid=true]")
    assert bad.input_value() == "12345"
    assert bad.get_attribute("name") == "phone-0"
    reason = card.locator(".field-error")
    assert reason.inner_text() == "Không phải số điện thoại Việt Nam. (12345)"
    assert page.evaluate(
        "document.querySelector('#rejected input[aria-invalid=true]').nextElementSibling"
        ".classList.contains('field-error')"
    )  # beside the field
    assert card.locator("[name=head_count]").input_value() == "40"
    assert page.locator("#queue").is_hidden()  # not waiting: it needs the officer
    assert reports() == []
    # One count box at a time: the blank form waits behind a button while the card is there.
    assert page.locator("#checkin").is_hidden()
    assert page.locator("#new-report").inner_text() == "Gửi một báo cáo mới thay vì sửa"
    page.reload()  # still there after a reload: never dropped
    card.wait_for(state="visible")
    assert page.locator("#checkin").is_hidden()
    page.click("#new-report")
    assert page.locator("#checkin").is_visible()
    assert page.locator("#new-report").is_hidden()
    assert page.evaluate("document.activeElement.id") == "head_count"
    card.locator("[name=phone-0]").fill("0912 345 678")
    card.locator("[name=head_count]").fill("41")
    card.locator("button[type=submit]").click()
    page.locator("#done").wait_for(state="visible")
    assert "Đã nhận" in page.inner_text("#done")
    assert card.count() == 0
    assert page.locator("#checkin").is_visible()
    assert page.locator("#new-report").is_hidden()
    stored = reports()
    assert [(r.head_count, r.attendees) for r in stored] == [(41, 1)]
    assert dialogs == []
    context.close()


def test_a_refused_report_marks_every_field_at_fault_at_once(
    live_server: str, browser, checkin_link: str
) -> None:
    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    context.set_offline(True)
    page.click("#checkin summary")
    for field, value in {"name-0": "Lê Thị Mai", "phone-0": "09123", "name-1": "Phạm Văn Long",
                         "birth-1": "31/02/1975"}.items():  # fmt: skip
        page.fill(f"#{field}", value)
    press(page, "40")
    context.set_offline(False)
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    bad = card.locator("[aria-invalid=true]")
    assert [bad.nth(i).get_attribute("name") for i in range(bad.count())] == ["phone-0", "birth-1"]
    reasons = card.locator(".field-error").all_inner_texts()
    assert reasons[0] == "Không phải số điện thoại Việt Nam. (09123)"
    assert "31/02/1975" in reasons[1]
    card.locator("[name=phone-0]").fill("0912 345 678")
    card.locator("[name=birth-1]").fill("28/02/1975")
    card.locator("button[type=submit]").click()
    page.locator("#done").wait_for(state="visible")
    assert [(r.head_count, r.attendees) for r in reports()] == [(40, 2)]
    context.close()


def test_received_stays_offline_and_goes_when_a_newer_report_waits(
    live_server: str, browser, checkin_link: str
) -> None:
    context, page = phone(browser, service_workers="block")
    page.goto(live_server + checkin_link)
    press(page, "45")
    done = page.locator("#done")
    done.wait_for(state="visible")
    assert "Đã nhận" in done.inner_text()
    context.set_offline(True)
    page.locator("#offline").wait_for(state="visible")
    assert done.is_visible()  # the server has it: no connection does not undo that
    assert "Đã nhận" in done.inner_text()
    press(page, "46")  # typed offline: it waits, and "received" goes
    page.locator("#queue").wait_for(state="visible")
    assert done.is_hidden()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    done.wait_for(state="visible")
    # Online, but this report's POST does not get through: it waits, and "received" must go.
    context.route(live_server + checkin_link, lambda route: route.abort()
                  if route.request.method == "POST" else route.continue_())  # fmt: skip
    press(page, "47")
    page.locator("#queue").wait_for(state="visible")
    assert done.is_hidden()
    context.unroute(live_server + checkin_link)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    done.wait_for(state="visible")
    assert [r.head_count for r in reports()] == [45, 46, 47]
    context.close()


def test_a_later_press_wins_over_an_earlier_one_arriving_late(
    live_server: str, browser, checkin_link: str
) -> None:
    """The hall's phone (its clock ten minutes fast) queues 38 offline; another phone then
    sends 45; when 38 finally arrives it is kept, and 45 stays the hall's count."""
    first, slow = phone(browser)
    slow.clock.install(time=datetime.now(UTC) + timedelta(minutes=10))
    slow.goto(live_server + checkin_link)
    first.set_offline(True)
    press(slow, "38")
    slow.locator("#queue").wait_for(state="visible")
    second, other = phone(browser)
    other.goto(live_server + checkin_link)
    press(other, "45")
    other.locator("#done").wait_for(state="visible")
    assert latest_head_count(checkin_link) == 45
    first.set_offline(False)
    wait_for(lambda: len(reports()) == 2)
    assert latest_head_count(checkin_link) == 45
    slow.locator("#done").wait_for(state="visible")
    assert "45" in slow.inner_text("#done")  # the page says which count stands
    assert "45" in slow.inner_text("#latest")
    first.close()
    second.close()


class Unreachable:
    """The app as a phone without a connection sees it: while ``cut``, every request's
    connection is closed unanswered, so the page's and its service worker's fetches fail.

    Chromium's offline emulation alone is not enough once a service worker controls the page:
    the document a reload or a new tab makes can start before the emulation reaches it
    (``navigator.onLine`` true, its POST sent), and Playwright's routes do not see the requests
    of a page a service worker controls. About one run in fifteen sent the queued report."""

    def __init__(self, app: Flask) -> None:
        self.app, self.inner, self.cut = app, app.wsgi_app, False
        app.wsgi_app = self  # type: ignore[method-assign]

    def __call__(self, environ: dict, start_response):  # type: ignore[no-untyped-def]
        if self.cut:
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            raise ConnectionResetError("the hall has no connection")  # werkzeug drops it quietly
        return self.inner(environ, start_response)

    def restore(self) -> None:
        self.app.wsgi_app = self.inner  # type: ignore[method-assign]


@pytest.fixture
def network(app: Flask) -> Iterator[Unreachable]:
    cuttable = Unreachable(app)
    yield cuttable
    cuttable.restore()


def test_the_page_opens_offline_after_one_visit(
    network: Unreachable, live_server: str, browser, checkin_link: str
) -> None:
    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    page.locator("#ready").wait_for(state="visible")  # the service worker has kept the page
    hall = page.inner_text("h1")
    context.set_offline(True)
    network.cut = True
    page.reload()
    assert page.inner_text("h1") == hall
    press(page, "52")
    page.locator("#queue").wait_for(state="visible")
    page.reload()  # a reload while offline keeps the queued report
    assert "1 báo cáo" in page.inner_text("#queue")
    other = context.new_page()  # a new tab, offline, opens the page too
    other.goto(live_server + checkin_link)
    assert other.inner_text("h1") == hall
    other.close()
    assert reports() == []
    network.cut = False
    context.set_offline(False)
    # Sent on the "online" event, or by the page's retry every 15 s when Chromium announces the
    # connection before its emulated network is back (the first attempt then fails).
    wait_for(lambda: len(reports()) == 1, seconds=20)
    assert [r.head_count for r in reports()] == [52]
    context.close()


def test_each_persons_answer_travels_with_the_queued_report(
    live_server: str, browser, checkin_link: str
) -> None:
    """The answers chosen on the page (Có / Không), kept through a refusal and a correction."""
    import sqlalchemy as sa

    from app.consent import CURRENT, PURPOSES
    from app.models import Person

    context, page = phone(browser)
    page.goto(live_server + checkin_link)
    # the form is named by its date on the page (its code only where an auditor looks)
    effective = PURPOSES[CURRENT].effective_on.strftime("%d/%m/%Y")
    assert f"Mẫu đồng ý ngày {effective}" in page.text_content("#purpose")
    context.set_offline(True)
    page.fill("#head_count", "12")
    page.click("#checkin summary")
    for i, (name, answer) in enumerate((("Lê Thị Mai", "yes"), ("Trần Văn Nam", "no"))):
        page.fill(f"#name-{i}", name)
        page.fill(f"#birth-{i}", "1980")
        page.select_option(f"#consent-{i}", answer)
    page.fill("#phone-0", "12345")  # refused by the server: the card keeps the answers
    page.click("#checkin button[type=submit]")
    page.locator("#queue").wait_for(state="visible")
    context.set_offline(False)
    card = page.locator("#rejected .rejected")
    card.wait_for(state="visible")
    assert card.locator("[name=consent-0]").input_value() == "yes"
    assert card.locator("[name=consent-1]").input_value() == "no"
    assert "Có, đồng ý" in card.locator("[name=consent-0]").inner_text()
    card.locator("[name=phone-0]").fill("0912 345 678")
    card.locator("button[type=submit]").click()
    page.locator("#done").wait_for(state="visible")
    db.session.expire_all()
    answers = dict(db.session.execute(sa.select(Person.full_name, Person.consent_agreed)).all())
    assert answers == {"Lê Thị Mai": True, "Trần Văn Nam": False}
    versions = set(db.session.scalars(sa.select(Person.consent_version)))
    assert versions == {CURRENT}
    context.close()
