"""An event's status changed through the API reaches its open live pages as a delta: the
summary they hold then says it ended, when, and by which officer's hand; a reopening undoes it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from app.models import EventStatus, utcnow
from tests.app.realtime.conftest import applied, join, received, token_for
from tests.conftest import HOME, Factory


def test_an_end_and_a_reopening_through_the_api_reach_the_room(
    client: FlaskClient, make: Factory, live: Any
) -> None:
    started = utcnow() - timedelta(minutes=30)
    event = make.event(HOME, status=EventStatus.LIVE, planned_start=started,
                       planned_end=started + timedelta(hours=2), actual_start=started)  # fmt: skip
    make.target(event, make.account(), external_id="10123", status="live")
    manager = make.user("manager", HOME)
    manager.display_name = "Lê Thị Mai"
    token = token_for(manager)
    sio = live(auth={"token": token})
    assert join(sio, event.id)["ok"]
    summary = received(sio, "snapshot")[0]["summary"]
    assert (summary["ended"], summary["ended_by"]) == (False, None)

    headers = {"Authorization": f"Bearer {token}"}
    answer = client.patch(f"/api/v1/events/{event.id}", json={"status": "ended"}, headers=headers)
    assert answer.status_code == 200
    deltas = received(sio, "delta")
    assert [d["reason"] for d in deltas] == ["status"]
    summary = applied(summary, *deltas)
    assert (summary["ended"], summary["phase"], summary["ended_by"]) == (
        True,
        "ended",
        "Lê Thị Mai",
    )
    assert summary["ended_at"] is not None

    answer = client.patch(f"/api/v1/events/{event.id}", json={"status": "live"}, headers=headers)
    assert answer.status_code == 200
    summary = applied(summary, *received(sio, "delta"))
    assert (summary["ended"], summary["phase"], summary["ended_by"]) == (False, "live", None)
