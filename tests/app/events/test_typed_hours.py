"""The event form reads the hour as an invitation writes it: "15/12/2030 8h00", "8h", "8 giờ 30".

Seen on make run: an officer copying the time from the province's invitation typed
"15/12/2030 8h00" and was told the time was invalid; anything not an hour is still refused.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event
from tests.conftest import HOME, csrf_token


def post_event(client: FlaskClient, start: str, end: str = ""):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/events/new")
    return client.post("/events/new", data={
        "csrf_token": token, "title": "Hội nghị tháng 12", "channel": "online_conference",
        "status": "scheduled", "org_unit": HOME, "campaign_id": "",
        "planned_start": start, "planned_end": end,
    })  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        ("15/12/2030 8h00", datetime(2030, 12, 15, 1, 0, tzinfo=UTC)),
        ("15/12/2030 8h", datetime(2030, 12, 15, 1, 0, tzinfo=UTC)),
        ("15/12/2030 8H30", datetime(2030, 12, 15, 1, 30, tzinfo=UTC)),
        ("15/12/2030 14 giờ 15 phút", datetime(2030, 12, 15, 7, 15, tzinfo=UTC)),
        ("15/12/2030 08:00", datetime(2030, 12, 15, 1, 0, tzinfo=UTC)),
    ],
)
def test_an_hour_written_as_on_an_invitation_is_read(
    client: FlaskClient, logged_in, typed: str, utc: datetime
) -> None:
    logged_in("officer")
    answer = post_event(client, typed, "15/12/2030 17h")
    assert answer.status_code == 302
    event = db.session.scalars(sa.select(Event)).one()
    assert event.planned_start == utc
    assert event.planned_end == datetime(2030, 12, 15, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["15/12/2030 8h00 sáng", "15/12/2030 25h", "15/12/2030"])
def test_anything_else_is_still_refused_as_typed(
    client: FlaskClient, logged_in, typed: str
) -> None:
    logged_in("officer")
    answer = post_event(client, typed)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Thời gian không hợp lệ (định dạng dd/mm/yyyy hh:mm)." in page
    assert f'value="{typed}"' in page  # what was typed stays in the box
    assert db.session.scalars(sa.select(Event)).all() == []
