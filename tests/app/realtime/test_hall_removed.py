"""A hall removed from the bridge-points page leaves the live board at once: the removal
publishes a delta (reason "halls"), and the summary a page holds after it no longer lists it."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.app.realtime.conftest import applied, join, received, token_for
from tests.conftest import HOME, csrf_token, login

pytestmark = pytest.mark.postgres


def test_a_removed_hall_leaves_the_live_board(client: FlaskClient, make: Any, live: Any) -> None:
    event = event_with_channel(make)
    kept, wrong = services.set_bridge_points(event, commune_codes(n=2), {})
    db.session.commit()
    kept_id, wrong_id = kept.id, wrong.id
    sio = live(auth={"token": token_for(make.user("viewer"))})
    ack = join(sio, event.id)
    (snap,) = received(sio, "snapshot")
    assert sorted(h["id"] for h in snap["summary"]["halls"]) == sorted([kept_id, wrong_id])
    login(client, make.user("officer", HOME).email)
    path = f"/events/{event.id}/bridge-points"
    form = {"csrf_token": csrf_token(client, path), "action": "remove", "point": str(wrong_id)}
    assert client.post(path, data=form).status_code == 302
    (delta,) = received(sio, "delta")
    assert delta["reason"] == "halls"
    assert delta["seq"] == ack["seq"] + 1
    shown = applied(snap["summary"], delta)
    assert [h["id"] for h in shown["halls"]] == [kept_id]
    assert shown["halls_expected"] == 1
