"""Without JavaScript, an unusual head count is asked about by the server, as the script asks it
(tests/app/halls/test_checkin_sanity_browser.py): the form's post comes back as the page, the
count kept, with the question and a confirm button; nothing is stored until it is confirmed, and
the confirmed post keeps the form's key, so a resend is a duplicate. A JSON report (the script,
which asked already) is never asked again.

Plain form posts, as a phone without JavaScript sends them: each step posts the form the page
before it rendered, with the fields it carried.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from app.models import BridgePoint
from tests.app.halls.checkin_posts import CheckinForm, NoScriptPhone, one_hall, stored
from tests.conftest import Factory

pytestmark = [pytest.mark.postgres, pytest.mark.committing]

ASKED = "Số người (4.500) khác nhiều so với dự kiến (45 người). Bạn có chắc?"
ASKED_NO_EXPECTED = (
    "Số người (1.500) khác nhiều so với dự kiến: nhiều hơn sức chứa thường thấy của một "
    "điểm cầu xã. Bạn có chắc?"
)


def phone(client: FlaskClient, make: Factory, expected: int | None = 45) -> NoScriptPhone:
    """The check-in page of a hall expecting ``expected`` people."""
    point: BridgePoint = one_hall(make, expected)[1]
    return NoScriptPhone(client, point)


def test_an_unusual_count_is_asked_about_then_stored_once(
    client: FlaskClient, make: Factory
) -> None:
    hall = phone(client, make)
    blank = hall.blank()
    key = blank.fields["idempotency_key"]
    assert "confirmed" not in blank.fields

    asked = hall.post(blank, head_count="4.500")
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert ASKED in html
    assert "Đúng, gửi" in html
    assert stored() == []  # nothing until it is confirmed
    page = CheckinForm(html)
    assert page.fields["head_count"] == "4.500"  # the count kept as typed
    assert page.fields["idempotency_key"] == key  # the same submission, confirmed
    assert page.fields["confirmed"] == "4500"

    sent = hall.post(page)  # "Đúng, gửi"
    assert sent.status_code == 200
    html = sent.get_data(as_text=True)
    assert "Đã nhận. Cảm ơn!" in html
    assert ASKED not in html
    assert stored() == [(key, 4500, 0)]

    again = hall.post(page)  # a reload resending the confirmed post
    assert "Đã nhận trước đó" in again.get_data(as_text=True)
    assert stored() == [(key, 4500, 0)]


def test_a_count_changed_after_the_question_is_asked_about_again(
    client: FlaskClient, make: Factory
) -> None:
    hall = phone(client, make)
    blank = hall.blank()
    page = hall.next_form(blank, head_count="4500")
    other = hall.post(page, head_count="450")  # still unusual, not confirmed
    assert "Số người (450) khác nhiều so với dự kiến" in other.get_data(as_text=True)
    assert stored() == []
    fixed = hall.post(page, head_count="45")  # corrected: a usual count
    assert "Đã nhận. Cảm ơn!" in fixed.get_data(as_text=True)
    assert stored() == [(blank.fields["idempotency_key"], 45, 0)]


def test_a_hall_without_an_expected_count_is_asked_too(client: FlaskClient, make: Factory) -> None:
    hall = phone(client, make, expected=None)
    html = hall.post(hall.blank(), head_count="1500").get_data(as_text=True)
    assert ASKED_NO_EXPECTED in html
    assert stored() == []


def test_the_confirmation_outlives_a_refused_row(client: FlaskClient, make: Factory) -> None:
    """Confirmed, then refused for an attendee row: correcting the row is not asked again."""
    hall = phone(client, make)
    blank = hall.blank()
    rows = {"name-0": "Nguyễn Thị Hoa", "birth-0": "1980", "phone-0": "09123", "hamlet-0": "Thôn 3"}
    page = hall.next_form(blank, head_count="4500", **rows)
    refused = hall.post(page)
    assert refused.status_code == 422
    left = CheckinForm(refused.get_data(as_text=True))
    assert left.fields["confirmed"] == "4500"
    fixed = hall.post(left, **{"phone-0": "0912 345 678"})
    assert "Đã nhận. Cảm ơn!" in fixed.get_data(as_text=True)
    assert stored() == [(blank.fields["idempotency_key"], 4500, 1)]


def test_a_json_report_is_not_asked_again(client: FlaskClient, make: Factory) -> None:
    """The script asked before sending: the server stores its report at once."""
    _event, point = one_hall(make, 45)
    body = {"idempotency_key": "k" * 32, "head_count": 4500}
    answer = client.post(f"/checkin/{point.checkin_token}", json=body)
    assert answer.status_code == 201
    assert stored() == [("k" * 32, 4500, 0)]


def test_a_count_out_of_range_is_refused_not_asked(client: FlaskClient, make: Factory) -> None:
    hall = phone(client, make)
    refused = hall.post(hall.blank(), head_count="20000")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Phải từ 0 đến 10.000." in html
    assert "Bạn có chắc?" not in html
    assert stored() == []
