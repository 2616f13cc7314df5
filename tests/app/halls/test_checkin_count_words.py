"""A head count typed with the word for people after it ("75 người", "75 nguoi", "75 ng", " 75 ")
is the number; anything else is refused with the one message as before. The page reads a typed
count by the server's rule (``checkin_form.COUNT_RULE``): its unusual-count question asks about
"4.500 người" as it does about "4500"."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from playwright.sync_api import expect

from app.halls.checkin_form import whole_count
from app.halls.services import HallError
from tests.app.halls.checkin_phones import hall_url, on_phone
from tests.app.halls.checkin_posts import NoScriptPhone, one_hall, stored
from tests.conftest import Factory

REFUSED = "Số người phải là số nguyên, ví dụ 35."


NFD = "75 ngu\u031bo\u031b\u0300i"  # "75 người" as some keyboards write it: tones apart
READ = [("75 người", 75), ("75 nguoi", 75), ("75 ng", 75), (" 75 ", 75), ("75người", 75),
        ("75 NGƯỜI", 75), ("1.200 người", 1200), (NFD, 75)]  # fmt: skip


@pytest.mark.parametrize(("typed", "count"), READ)
def test_a_count_followed_by_the_word_for_people_is_read(typed: str, count: int) -> None:
    assert whole_count(typed) == count


@pytest.mark.parametrize(
    "typed", ["75 người người", "75 đ", "75 ngu", "người", "75,5", "bảy lăm", "75 khách", "ng 75"]
)
def test_anything_else_is_refused_as_before(typed: str) -> None:
    with pytest.raises(HallError) as refused:
        whole_count(typed)
    assert refused.value.field == "head_count"


def test_the_phone_and_the_form_store_the_number(client: FlaskClient, make: Factory) -> None:
    _event, point = one_hall(make)
    path = f"/checkin/{point.checkin_token}"
    sent = client.post(path, json={"idempotency_key": "people-0001", "head_count": "75 người"})
    assert sent.status_code == 201
    assert sent.get_json()["head_count"] == 75
    phone = NoScriptPhone(client, point)
    answer = phone.post(phone.blank(), head_count=" 40 ng ")
    assert answer.status_code == 200
    assert "Đã nhận" in answer.get_data(as_text=True)
    bad = client.post(path, json={"idempotency_key": "people-0002", "head_count": "75 khách"})
    assert bad.status_code == 422
    assert bad.get_json()["field"] == "head_count"
    refused = phone.post(phone.blank(), head_count="75 khách")
    assert refused.status_code == 422
    assert REFUSED in refused.get_data(as_text=True)
    assert [count for _key, count, _rows in stored()] == [75, 40]


@pytest.mark.committing  # Chromium's requests are served on the server's threads
def test_the_page_asks_about_an_unusual_count_written_with_people(
    live_server: str, browser, make: Factory
) -> None:
    _event, point = one_hall(make, expected=45)
    context, page = on_phone(browser, hall_url(live_server, point))
    page.fill("#head_count", "4.500 người")
    page.click("#checkin button[type=submit]")
    expect(page.locator("#unusual-text")).to_have_text(
        "Bạn nhập 4.500 người, gấp 100 lần số dự kiến (45). Kiểm tra lại?"
    )
    page.click("#unusual-send")
    expect(page.locator("#done")).to_be_visible()
    assert [count for _key, count, _rows in stored()] == [4500]
    context.close()
