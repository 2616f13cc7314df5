"""The phone that typed an entry keeps its rows whole ("Vừa ghi", ``:mine`` in localStorage), yet
the server's values win (headless Chromium, 390 px): after the entry is corrected elsewhere
(here another phone, as the page without script or the organiser's page would), the line and
"Sửa" read the server's name, birth year and hamlet; the phone's own full number stays only
while the server's masked one is still its mask; an entry the hall no longer has goes. The own
rows show the birth year alone, as the server keeps it; "Đã sửa." is said at the entry too."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import uuid4

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import BridgePoint, Person
from tests.app.halls.checkin_phones import PHONE, hall_url, on_phone, press, sent
from tests.app.live.webserver import wait_for

pytestmark = pytest.mark.committing


def people() -> list[tuple[str, str | None, str | None]]:
    db.session.expire_all()
    rows = db.session.execute(sa.select(Person.full_name, Person.phone, Person.hamlet))
    return [tuple(row) for row in rows]


def hall_page(live_server: str, browser, point: BridgePoint):  # type: ignore[no-untyped-def]
    url = hall_url(live_server, point)
    context, page = on_phone(browser, url)
    return context, page, url


def send_an(page, birth: str = "1980") -> str:  # type: ignore[no-untyped-def]
    row = ("Nguyễn Văn An", birth, "0912345611")
    item = sent(page, [row], head_count="40", hamlet="Xóm 1", consent="yes")
    return item.get_attribute("data-ref")


def elsewhere(context, url: str, ref: str, attendee: dict) -> None:  # type: ignore[no-untyped-def]
    """A correction by another phone of the hall: the entries' JSON, as its page sends it."""
    answer = context.request.post(url + "/entries", data=json.dumps(
        {"idempotency_key": uuid4().hex, "action": "edit" if attendee else "withdraw", "ref": ref,
         "attendee": attendee or None, "sent_at": datetime.now(UTC).isoformat()}
    ), headers={"Content-Type": "application/json"})  # fmt: skip
    assert answer.status == 201, answer.text()


def mine(page) -> dict:  # type: ignore[no-untyped-def]
    raw = page.evaluate("localStorage.getItem('lantoa-checkin:' + location.pathname + ':mine')")
    return json.loads(raw or "{}")


def test_the_servers_values_win_over_the_phones_copy(
    live_server: str, browser, open_hall: BridgePoint
) -> None:
    context, page, url = hall_page(live_server, browser, open_hall)
    ref = send_an(page)
    line = page.locator("#recent li .entry").first
    expect(line).to_have_text("Nguyễn Văn An · 1980 · 0912 345 611 · Xóm 1")

    elsewhere(context, url, ref, {"name": "Nguyễn Văn Ân", "hamlet": "Xóm 3A"})
    assert people() == [("Nguyễn Văn Ân", "+84912345611", "Xóm 3A")]
    page.reload()
    expect(line).to_have_text("Nguyễn Văn Ân · 1980 · 0912 345 611 · Xóm 3A")
    assert mine(page)[ref]["name"] == "Nguyễn Văn Ân"  # the kept copy follows the server
    page.locator("#recent li button.edit").first.click()
    assert page.input_value("#fix-name") == "Nguyễn Văn Ân"
    assert page.input_value("#fix-hamlet") == "Xóm 3A"
    # corrected elsewhere: its CCCD and answer may be newer there, so none is sent from this copy
    expect(page.locator("#fix-consent")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("#recent form.fix button.secondary")  # cancelled

    elsewhere(context, url, ref, {"name": "Nguyễn Văn Ân", "phone": "0912 345 699"})
    page.reload()
    expect(line).to_have_text("Nguyễn Văn Ân · 1980 · 09xx xxx 699 · Xóm 3A")  # not the old one
    assert "0912 345 611" not in page.inner_text("#recent")
    page.locator("#recent li button.edit").first.click()
    assert page.input_value("#fix-phone") == ""  # left blank, the server's phone is kept
    page.fill("#fix-hamlet", "Xóm 4")
    page.click("#recent form.fix button[type=submit]")
    wait_for(lambda: people() == [("Nguyễn Văn Ân", "+84912345699", "Xóm 4")])
    expect(line).to_have_text("Nguyễn Văn Ân · 1980 · 09xx xxx 699 · Xóm 4")

    elsewhere(context, url, ref, {})
    page.reload()
    expect(page.locator("#recent li")).to_have_count(0)
    assert ref not in mine(page)
    context.close()


def test_own_rows_show_the_birth_year_alone(
    live_server: str, browser, open_hall: BridgePoint
) -> None:
    """The label says "chỉ lưu năm sinh": a full date typed shows as the year, as the server has
    it, queued (no connection) and sent alike."""
    context, page, _ = hall_page(live_server, browser, open_hall)
    context.set_offline(True)
    press(page, [("Nguyễn Văn An", "17/05/1980")], head_count="40")
    line = page.locator("#recent li .entry").first
    expect(line).to_have_text("Nguyễn Văn An · 1980")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#done").wait_for(state="visible")
    page.reload()
    expect(line).to_have_text("Nguyễn Văn An · 1980")
    assert "17/05" not in page.inner_text("#recent")
    context.close()


def test_corrected_is_said_at_the_entry(live_server: str, browser, open_hall: BridgePoint) -> None:
    context, page, _ = hall_page(live_server, browser, open_hall)
    ref = send_an(page)
    item = page.locator(f"#recent li[data-ref='{ref}']")
    item.locator("button.edit").click()
    page.fill("#fix-hamlet", "Xóm 2")
    page.locator("#recent form.fix button[type=submit]").click()
    wait_for(lambda: people() == [("Nguyễn Văn An", "+84912345611", "Xóm 2")])
    said = item.locator(".said")
    expect(said).to_have_text("Đã sửa.")
    expect(said).to_be_in_viewport()
    expect(item.locator(".entry")).to_have_text("Nguyễn Văn An · 1980 · 0912 345 611 · Xóm 2")
    context.close()
