"""Without JavaScript, a report refused only because of an attendee row offers the same "count
first" as the script (tests/app/halls/test_checkin_count_first.py): the refused page carries a
button that sends the head count alone, keyed as the script keys it (the refused key + "-n"), and
the rows come back marked, to be corrected and sent under the refused key without the count.
Every submission stays all or nothing; a press twice, or a late resend, counts nothing twice.

Plain form posts, as a phone without JavaScript sends them: each step posts the form the page
before it rendered, with the fields it carried.
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.halls.board import hall_board
from app.models import Event
from tests.app.halls.checkin_posts import CheckinForm, NoScriptPhone, one_hall, stored
from tests.conftest import Factory

pytestmark = [pytest.mark.postgres, pytest.mark.committing]

BUTTON = "Gửi trước số người (45), sửa danh sách sau"
COUNT_SENT = "Số người (45) đã được gửi riêng. Hãy sửa danh sách người dự bên dưới rồi gửi."
BAD_PHONE = "Không phải số điện thoại Việt Nam. (09123)"


def test_the_count_goes_first_and_the_rows_after_without_javascript(
    client: FlaskClient, make: Factory
) -> None:
    event, point = one_hall(make)
    hall = NoScriptPhone(client, point)
    blank = hall.blank()
    key = blank.fields["idempotency_key"]
    rows = {"name-0": "Nguyễn Thị Hoa", "birth-0": "1980", "phone-0": "0912 345 678",
            "hamlet-0": "Thôn 3", "name-1": "Trần Văn Bình", "birth-1": "12/3/1975",
            "phone-1": "09123", "hamlet-1": "Xóm Đông"}  # fmt: skip
    refused = hall.post(blank, head_count="45", **rows)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert BUTTON in html
    assert BAD_PHONE in html
    assert stored() == []  # all or nothing: not half of it
    page = CheckinForm(html)
    assert page.buttons == {"count_first": "1"}
    assert page.fields["idempotency_key"] == key  # kept: its rows will go under it
    assert (page.fields["head_count"], page.fields["phone-1"]) == ("45", "09123")

    first = hall.post(page, count_first="1")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert COUNT_SENT in html
    assert "Đã nhận. Cảm ơn!" in html
    assert 'aria-invalid="true"' in html  # the wrong phone is still marked beside its box
    assert BAD_PHONE in html
    assert stored() == [(f"{key}-n", 45, 0)]
    assert hall_board(db.session.get(Event, event.id)).halls[0].head_count == 45
    left = CheckinForm(html)
    assert "head_count" not in left.fields  # the count is not offered, nor sent, twice
    assert left.fields["count_sent"] == "45"
    assert left.fields["idempotency_key"] == key
    assert left.buttons == {}
    # Pressed twice (a reload resending the post): stored once.
    twice = hall.post(page, count_first="1")
    assert "Đã nhận trước đó" in twice.get_data(as_text=True)
    assert stored() == [(f"{key}-n", 45, 0)]

    # Sent again uncorrected: refused, nothing stored, the page still without a count box.
    still = hall.post(left)
    assert still.status_code == 422
    again = CheckinForm(still.get_data(as_text=True))
    assert "head_count" not in again.fields
    assert again.fields["idempotency_key"] == key
    assert again.buttons == {}
    assert stored() == [(f"{key}-n", 45, 0)]

    fixed = hall.post(again, **{"phone-1": "0912 345 679"})
    assert fixed.status_code == 200
    assert "Đã nhận. Cảm ơn!" in fixed.get_data(as_text=True)
    done = CheckinForm(fixed.get_data(as_text=True))
    assert "head_count" in done.fields  # the blank form again, with a new key
    assert done.fields["idempotency_key"] != key
    assert stored() == [(f"{key}-n", 45, 0), (key, None, 2)]
    # A late resend of any step counts nothing twice.
    late = hall.post(again, **{"phone-1": "0912 345 679"})
    assert "Đã nhận trước đó" in late.get_data(as_text=True)
    late = hall.post(page, count_first="1")
    assert "Đã nhận trước đó" in late.get_data(as_text=True)
    assert COUNT_SENT not in late.get_data(as_text=True)  # its rows came already: nothing left
    assert "head_count" in CheckinForm(late.get_data(as_text=True)).fields
    assert stored() == [(f"{key}-n", 45, 0), (key, None, 2)]
    board = hall_board(db.session.get(Event, event.id))
    assert (board.halls[0].head_count, board.people_present, board.halls_reported) == (45, 45, 1)


@pytest.mark.parametrize(("count", "offered"), [("45", True), ("20000", False), ("", False)])
def test_the_button_only_when_the_count_alone_would_be_stored(
    client: FlaskClient, make: Factory, count: str, offered: bool
) -> None:
    hall = NoScriptPhone(client, one_hall(make)[1])
    blank = hall.blank()
    bad_row = {"name-0": "Trần Văn Bình", "birth-0": "1975", "phone-0": "09123"}
    refused = hall.post(blank, head_count=count, **bad_row)
    assert refused.status_code == 422
    page = CheckinForm(refused.get_data(as_text=True))
    assert ("count_first" in page.buttons) is offered
    assert (page.fields["idempotency_key"] == blank.fields["idempotency_key"]) is offered
    assert (
        re.search(r"Gửi trước số người", refused.get_data(as_text=True)) is not None or not offered
    )
    assert stored() == []
