"""/api/v1/events/<id>/participants/<pid>/not-a-hall: the unmatched page's "not a hall" for
scripts. POST marks the name, DELETE undoes it; `?unmatched=1` leaves marked names out; errors
are JSON, as for the assignment next to it."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Participant
from tests.app.halls.conftest import HALL, HOST, PHONE, first_of, roster
from tests.conftest import OTHER, Factory


def bearer(make: Factory, role: str = "officer", org_unit: str = "40") -> dict[str, str]:
    token = issue_token(make.user(role, org_unit))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def unmatched(client: FlaskClient, event_id: int, headers: dict[str, str]) -> list[str]:
    answer = client.get(f"/api/v1/events/{event_id}/participants?unmatched=1", headers=headers)
    assert answer.status_code == 200
    return [p["display_name"] for p in answer.get_json()]


def test_mark_and_undo_through_the_api(client: FlaskClient, make: Factory) -> None:
    event, _ = roster(make, [HOST, HALL, HOST])
    headers = bearer(make)
    path = f"/api/v1/events/{event.id}/participants/{first_of(HOST).id}/not-a-hall"
    answer = client.post(path, headers=headers)
    assert answer.status_code == 200
    assert answer.get_json() == {"not_a_hall": True, "changed": 2, "display_name": HOST}
    assert unmatched(client, event.id, headers) == [HALL]
    listed = client.get(f"/api/v1/events/{event.id}/participants", headers=headers).get_json()
    assert [(p["display_name"], p["not_a_hall"]) for p in listed] == [
        (HOST, True),
        (HALL, False),
        (HOST, True),
    ]
    undone = client.delete(path, headers=headers)
    assert undone.status_code == 200
    assert undone.get_json() == {"not_a_hall": False, "changed": 2, "display_name": HOST}
    assert unmatched(client, event.id, headers) == [HOST, HALL, HOST]


def test_api_refusals_are_json(client: FlaskClient, make: Factory) -> None:
    event, _ = roster(make, [HOST])
    roster(make, [PHONE])
    foreign = f"/api/v1/events/{event.id}/participants/{first_of(PHONE).id}/not-a-hall"
    answer = client.post(foreign, headers=bearer(make))
    assert answer.status_code == 404
    assert "no participant" in answer.get_json()["message"]
    mine = f"/api/v1/events/{event.id}/participants/{first_of(HOST).id}/not-a-hall"
    viewer = client.post(mine, headers=bearer(make, "viewer"))
    assert viewer.status_code == 403
    assert viewer.is_json
    elsewhere = client.post(mine, headers=bearer(make, "officer", OTHER))
    assert elsewhere.status_code == 404
    assert elsewhere.is_json
    assert db.session.scalar(sa.select(sa.func.count()).where(Participant.not_a_hall)) == 0
