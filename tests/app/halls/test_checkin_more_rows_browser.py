"""A hall of 40 people is one report: "Thêm người" adds attendee rows to the sheet, each like the
first five (its keyboards, its number in "Người n", its reasons beside its boxes), up to the most
a report may carry (``services.MAX_ATTENDEES``, the one number the page receives); the rows go
through the queue and fold away after a send. Without script the page keeps its five rows and no
button (headless Chromium, 390 px)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.halls import services
from app.halls.checkin_form import FORM_ROWS
from app.models import Attendance, BridgePoint
from tests.app.halls.checkin_phones import PHONE, fill_row, hall_url, on_phone

pytestmark = pytest.mark.committing

HALL = 40


def touches(point: BridgePoint) -> int:
    db.session.expire_all()
    query = sa.select(sa.func.count()).select_from(Attendance)
    return db.session.scalar(query.where(Attendance.bridge_point_id == point.id)) or 0


@pytest.fixture
def sheet(live_server: str, browser, open_hall: BridgePoint) -> Iterator:  # type: ignore[no-untyped-def]
    """The open hall's check-in page on a phone, its attendee sheet unfolded."""
    context, page = on_phone(browser, hall_url(live_server, open_hall))
    page.click("#checkin summary")
    yield page
    context.close()


def add_rows(page, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        page.click("#add-row")


def test_forty_people_go_in_one_report(sheet, open_hall: BridgePoint) -> None:  # type: ignore[no-untyped-def]
    page = sheet
    add = page.locator("#add-row")
    expect(add).to_have_text("Thêm người")
    assert add.get_attribute("data-max") == str(services.MAX_ATTENDEES)
    add_rows(page, HALL - FORM_ROWS)
    last = HALL - 1
    expect(page.locator("#checkin fieldset")).to_have_count(HALL)
    expect(page.locator("#checkin fieldset legend").nth(last)).to_have_text(f"Người thứ {HALL}")
    assert page.evaluate("document.activeElement.id") == f"name-{last}"  # typed next
    assert page.get_attribute(f"#phone-{last}", "inputmode") == "tel"
    assert page.get_attribute(f"#cccd-{last}", "inputmode") == "numeric"
    assert page.get_attribute(f"label[for=hamlet-{last}]", "for") == f"hamlet-{last}"
    assert page.locator("#checkin [name=rows]").input_value() == str(HALL)
    page.fill("#head_count", str(HALL))
    for i in range(HALL):
        fill_row(page, i, f"Người Dự {i + 1:02d}", "1980", f"09123456{i:02d}", consent="yes")
    page.click("#checkin button[type=submit]")
    page.locator("#done").wait_for(state="visible")
    assert page.locator("#checkin details").get_attribute("open") is None  # folded after the send
    assert touches(open_hall) == HALL


def test_an_added_rows_reason_is_beside_its_box(sheet, open_hall: BridgePoint) -> None:  # type: ignore[no-untyped-def]
    page = sheet
    add_rows(page, 3)
    fill_row(page, 7, "Lò Văn Páo", "1980", "12")  # no phone has two digits
    page.click("#checkin button[type=submit]")
    card = page.locator("#rejected form.rejected")
    card.wait_for()
    expect(card.locator(".field-error")).to_contain_text("(12)")
    expect(card.locator("[aria-invalid=true]")).to_have_count(1)
    assert card.locator("[aria-invalid=true]").get_attribute("inputmode") == "tel"
    assert touches(open_hall) == 0


def test_no_more_rows_than_a_report_carries(sheet) -> None:  # type: ignore[no-untyped-def]
    """The cap is read from the button's number (here lowered in the page, for a short test)."""
    page = sheet
    page.evaluate("document.getElementById('add-row').setAttribute('data-max', '7')")
    add_rows(page, 2)
    expect(page.locator("#add-row")).to_be_hidden()
    expect(page.locator("#checkin fieldset")).to_have_count(7)


def test_without_script_five_rows_and_no_button(
    live_server: str, browser, open_hall: BridgePoint
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(hall_url(live_server, open_hall))
    page.click("#checkin summary")
    expect(page.locator("#checkin fieldset")).to_have_count(FORM_ROWS)
    expect(page.locator("#add-row")).to_be_hidden()
    context.close()
