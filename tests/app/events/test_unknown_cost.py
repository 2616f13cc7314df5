"""An event saved without its cost has none (unknown), which the pages say; 0 stays "free".

The form's empty box is saved as no cost and shown empty again when the event is edited; the
list and the event page say "Chưa nhập" where they said "0"; the API reads and writes null
(tests/app/api/test_unknown_cost.py).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event
from tests.conftest import HOME, csrf_token

FORM = {"title": "Livestream tư vấn BHXH", "channel": "livestream", "status": "scheduled",
        "org_unit": HOME, "campaign_id": "", "planned_start": "25/11/2030 20:00",
        "planned_end": "25/11/2030 21:00"}  # fmt: skip


def _cost_box(html: str) -> str:
    box = re.search(r'<input[^>]*name="cost_vnd"[^>]*>', html)
    assert box, html
    return box.group(0)


def _created(client: FlaskClient, cost: str) -> tuple[Event, str]:
    """The event an officer saves on the new-event form with ``cost`` in the cost box, and the
    address of its page."""
    token = csrf_token(client, "/events/new")
    response = client.post("/events/new", data={**FORM, "csrf_token": token, "cost_vnd": cost})
    assert response.status_code == 302
    return db.session.scalars(sa.select(Event)).one(), response.location


def _edited(client: FlaskClient, event: Event, cost: str):  # type: ignore[no-untyped-def]
    """The event's edit form saved again with ``cost`` in the cost box."""
    token = csrf_token(client, f"/events/{event.id}/edit")
    saved = client.post(
        f"/events/{event.id}/edit", data={**FORM, "csrf_token": token, "cost_vnd": cost}
    )
    db.session.expire_all()
    return saved


def test_an_empty_cost_box_is_no_cost_and_stays_empty(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    event, location = _created(client, "")
    assert event.cost_vnd is None  # not 0: nobody said it was free
    detail = client.get(location).get_data(as_text=True)
    assert re.search(r"<dt>Chi phí \(đồng\)</dt><dd>.*Chưa nhập.*</dd>", detail)
    listed = client.get("/events").get_data(as_text=True)
    row = listed.split(FORM["title"])[1].split("</tr>")[0]
    assert "Chưa nhập" in row
    assert ">0<" not in row

    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    box = _cost_box(edit)
    assert 'value=""' in box or "value=" not in box  # empty, not "0"
    assert _edited(client, event, "").status_code == 302
    assert db.session.get(Event, event.id).cost_vnd is None


def test_a_cost_of_zero_is_free_and_shown_as_zero(client: FlaskClient, logged_in) -> None:
    logged_in("officer")
    event, location = _created(client, "0")
    assert event.cost_vnd == 0
    detail = client.get(location).get_data(as_text=True)
    assert "<dt>Chi phí (đồng)</dt><dd>0</dd>" in detail
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="0"' in _cost_box(edit)
    # Emptying the box takes the cost away again: it is no longer known.
    _edited(client, event, "")
    assert db.session.get(Event, event.id).cost_vnd is None
