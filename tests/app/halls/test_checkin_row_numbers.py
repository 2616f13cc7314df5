"""A refused report names each person by the form's row the officer typed them in, not by their
place among the rows filled: with rows 1 and 2 left empty, a bad phone in row 3 is "Người thứ 3" on
the refused card and in the server's answer (the page sends ``form_rows`` with its JSON, as the
plain form's row numbers are read from its field names)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import expect

from tests.app.halls.checkin_phones import fill_row, hall_url, on_phone
from tests.app.halls.checkin_posts import one_hall, stored
from tests.conftest import Factory

BAD = {"name": "Lê Thị Mai", "birth": "1980", "phone": "12345"}  # not a phone number


def refusal(client: FlaskClient, path: str, **body: object) -> str:
    answer = client.post(path, json={"idempotency_key": "rows-000001", "attendees": [BAD], **body})
    assert answer.status_code == 422
    return answer.get_json()["message"]


def test_the_answer_names_the_row_the_page_sent(client: FlaskClient, make: Factory) -> None:
    _event, point = one_hall(make)
    path = f"/checkin/{point.checkin_token}"
    assert refusal(client, path, form_rows=[3]).startswith("Người thứ 3 · Số điện thoại: ")
    assert refusal(client, path).startswith("Người thứ 1 · ")  # another client: rows as sent
    assert refusal(client, path, form_rows=[3, 4]).startswith("Người thứ 1 · ")  # they do not fit
    assert refusal(client, path, form_rows=[True]).startswith("Người thứ 1 · ")
    assert refusal(client, path, form_rows=[0]).startswith("Người thứ 1 · ")


@pytest.mark.committing  # Chromium's requests are served on the server's threads
def test_the_refused_card_names_the_forms_row(live_server: str, browser, make: Factory) -> None:
    _event, point = one_hall(make)
    context, page = on_phone(browser, hall_url(live_server, point))
    page.fill("#head_count", "30")
    page.click("#checkin summary")
    fill_row(page, 2, **BAD)  # the third row; the first two left empty
    page.click("#checkin button[type=submit]")
    card = page.locator("#rejected .rejected")
    expect(card.locator("[aria-invalid=true]")).to_have_value("12345")
    expect(card.locator("p.muted", has_text="Người")).to_have_text(["Người thứ 3"])
    card.locator("[name=phone-0]").fill("0912 345 678")
    card.locator("[name=name-0]").fill("Lê Thị Mai")
    card.locator("button[type=submit]").click()
    expect(page.locator("#done")).to_be_visible()
    assert stored()[0][1:] == (30, 1)
    context.close()
