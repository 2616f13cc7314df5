"""A report refused only because of its attendee rows does not hold the hall's head count back.

The refusal stays all-or-nothing (nothing of it is stored), but its answer says whether the head
count alone would be stored (``count_alone``); the page then sends the count as a submission of
its own (its own key: the refused one's with ``-n``) and the corrected rows afterwards under the
refused key, without a head count. Each is stored once, the hall's count is the one sent, the
rows do not reset it, and a retry of the refused submission counts nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.halls.board import hall_board
from app.models import BridgePoint, Event
from tests.app.halls.checkin_posts import one_hall, stored
from tests.conftest import Factory

pytestmark = [pytest.mark.postgres, pytest.mark.committing]

SENT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=15)
HOA = {"name": "Nguyễn Thị Hoa", "birth": "1980", "phone": "0912 345 678", "hamlet": "Thôn 3"}
BINH = {"name": "Trần Văn Bình", "birth": "12/3/1975", "phone": "09123", "hamlet": "Xóm Đông"}
AGREES = {**HOA, "consent": "yes"}  # an answer to a purpose text the server does not know
KEY = "refused-0001"


def send(client: FlaskClient, point: BridgePoint, key: str, **body: Any) -> tuple[int, Any]:
    path = f"/checkin/{point.checkin_token}"
    response = client.post(path, json={"idempotency_key": key, "sent_at": SENT.isoformat(), **body})
    return response.status_code, response.get_json()


def test_the_count_goes_first_and_the_rows_after(client: FlaskClient, make: Factory) -> None:
    event, point = one_hall(make)
    status, refused = send(client, point, KEY, head_count=45, attendees=[HOA, BINH])
    assert status == 422
    phone = ["Không phải số điện thoại Việt Nam. (09123)"]
    assert refused["errors"] == {"attendees[2].phone": phone}
    assert refused["count_alone"] is True  # the page offers to send 45 first
    assert stored() == []  # all or nothing: not half of it

    count = {"head_count": 45, "attendees": []}
    assert send(client, point, f"{KEY}-n", **count)[0] == 201
    assert send(client, point, f"{KEY}-n", **count)[0] == 200  # its retry: stored once
    assert hall_board(db.session.get(Event, event.id)).halls[0].head_count == 45
    # The refused submission again, as a late retry would send it: still refused, nothing stored.
    assert send(client, point, KEY, head_count=45, attendees=[HOA, BINH])[0] == 422

    fixed = [HOA, {**BINH, "phone": "0912 345 679"}]
    status, rows = send(client, point, KEY, head_count=None, attendees=fixed)
    assert status == 201
    assert rows["latest"]["head_count"] == 45  # the rows leave the hall's count as it was
    for late in ({"head_count": 45, "attendees": [HOA, BINH]}, {"attendees": fixed}):
        status, again = send(client, point, KEY, **late)
        assert (status, again["duplicate"]) == (200, True)  # a retry of either counts nothing

    assert stored() == [(f"{KEY}-n", 45, 0), (KEY, None, 2)]
    board = hall_board(db.session.get(Event, event.id))
    assert (board.halls[0].head_count, board.people_present, board.halls_reported) == (45, 45, 1)
    db.session.refresh(point)
    assert (point.head_count, point.reports, point.attendees_reported) == (45, 2, 2)


@pytest.mark.parametrize(
    ("body", "alone"),
    [
        ({"head_count": 45, "attendees": [BINH]}, True),
        ({"head_count": 45, "attendees": [AGREES], "consent_version": "no-such-text"}, True),
        ({"attendees": [BINH]}, False),  # no head count to send
        ({"head_count": 20_000, "attendees": [BINH]}, False),  # the count is at fault too
        ({"head_count": 45, "attendees": [BINH], "sent_at": "yesterday"}, False),
    ],
)
def test_count_alone_only_when_every_problem_is_in_the_rows(
    client: FlaskClient, make: Factory, body: dict[str, Any], alone: bool
) -> None:
    _event, point = one_hall(make)
    status, answer = send(client, point, KEY, **body)
    assert (status, answer["count_alone"]) == (422, alone)
    assert stored() == []
