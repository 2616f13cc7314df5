"""/api/v1/events keeps the pages' status rules (``app.events.status``), its refusals in JSON."""

from __future__ import annotations

from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event, EventStatus
from tests.app.events.test_status import stopped_clock, vn  # noqa: F401 - the stopped clock
from tests.conftest import Factory


def test_the_api_refuses_ended_for_an_event_not_started(
    client: FlaskClient, auth, make: Factory
) -> None:
    event = make.event(status=EventStatus.SCHEDULED, planned_start=vn(20, 9))
    answer = client.patch(f"/api/v1/events/{event.id}", json={"status": "ended"}, headers=auth)
    assert answer.status_code == 422
    payload = answer.get_json()
    assert payload["message"].startswith("status: ")
    assert "20/12/2026 09:00" in payload["message"]
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.SCHEDULED


def test_the_api_says_an_officer_ended_it_and_what_the_pages_show(
    client: FlaskClient, auth, make: Factory
) -> None:
    past = make.event(status=EventStatus.SCHEDULED, planned_start=vn(1, 8), planned_end=vn(1, 10))
    shown = client.get(f"/api/v1/events/{past.id}", headers=auth).get_json()
    assert (shown["status"], shown["shown_status"], shown["ended_by_hand"]) == (
        "scheduled", "overdue", False)  # fmt: skip
    ended = client.patch(f"/api/v1/events/{past.id}", json={"status": "ended"}, headers=auth)
    assert ended.status_code == 200
    assert (ended.get_json()["shown_status"], ended.get_json()["ended_by_hand"]) == ("ended", True)
