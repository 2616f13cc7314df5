"""Leads in /api/v1/: officers mark and assign (CSRF for cookies, Bearer for scripts), viewers
read only, other units see nothing, refused values answer 422 naming the field."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import AuditLog, LeadStatus, LeadWork
from tests.app.api.test_field_errors import assert_field_error
from tests.app.followup.lead_world import lead_world
from tests.conftest import HOME, OTHER, Factory, csrf_token

pytestmark = pytest.mark.postgres  # lead work on both databases


def _bearer(make: Factory, role: str = "officer", unit: str = HOME) -> dict[str, str]:
    token = issue_token(make.user(role, unit))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_a_script_marks_a_comment_lead_and_every_comment_of_the_author_shows_it(
    client: FlaskClient, make: Factory
) -> None:
    world = lead_world(make)
    colleague = make.user("officer", HOME)
    auth = _bearer(make)
    url = f"/api/v1/events/{world.event_id}/comments/{world.first}/lead"
    response = client.patch(url, json={"status": "called", "assignee_id": colleague.id},
                            headers=auth)  # fmt: skip
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "called"
    assert body["assignee_name"] == colleague.email
    ids = f"{world.first},{world.second},{world.other}"
    read = client.get(f"/api/v1/events/{world.event_id}/leads?comment_ids={ids}", headers=auth)
    comments = read.get_json()["comments"]
    assert comments[str(world.second)]["status"] == "called"  # same commenter
    assert comments[str(world.other)]["status"] == "new"
    assert read.get_json()["may_work"] is True
    person = body["person_id"]
    changes = {"status": "enrolled", "assignee_id": None}
    again = client.patch(f"/api/v1/events/{world.event_id}/leads/{person}", json=changes,
                         headers=auth)  # fmt: skip
    assert again.get_json()["status"] == "enrolled"
    assert db.session.scalar(select(LeadWork.status)) == LeadStatus.ENROLLED
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "lead.update")) is not None


def test_refused_values_name_their_field(client: FlaskClient, make: Factory) -> None:
    world = lead_world(make)
    auth = _bearer(make)
    url = f"/api/v1/events/{world.event_id}/comments/{world.first}/lead"
    assert "maybe" in assert_field_error(client.patch(url, json={"status": "maybe"}, headers=auth),
                                         "status")  # fmt: skip
    outsider = make.user("officer", OTHER)
    assert_field_error(client.patch(url, json={"assignee_id": outsider.id}, headers=auth),
                       "assignee_id")  # fmt: skip
    assert_field_error(client.patch(url, json={"next_call_on": "mai"}, headers=auth),
                       "next_call_on")  # fmt: skip
    plain = f"/api/v1/events/{world.event_id}/comments/{world.plain}/lead"
    assert_field_error(client.patch(plain, json={"status": "called"}, headers=auth), "comment_id")
    assert db.session.scalar(select(LeadWork)) is None


def test_viewers_read_but_may_not_mark_and_other_units_see_nothing(
    client: FlaskClient, make: Factory
) -> None:
    world = lead_world(make)
    url = f"/api/v1/events/{world.event_id}/comments/{world.first}/lead"
    notes = {"notes": "Số khác: 0912 345 678"}
    assert client.patch(url, json=notes, headers=_bearer(make)).status_code == 200
    viewer = _bearer(make, "viewer")
    read = client.get(f"/api/v1/events/{world.event_id}/leads", headers=viewer)
    (lead,) = read.get_json()["leads"]
    assert "0912 345 678" not in lead["notes"]  # masked below the officer role
    assert lead["notes"].startswith("Số khác")
    assert read.get_json()["may_work"] is False
    refused = client.patch(url, json={"status": "called"}, headers=viewer)
    assert refused.status_code == 403
    assert "officer" in refused.get_json()["message"]
    stranger = _bearer(make, "manager", OTHER)
    assert client.patch(url, json={"status": "called"}, headers=stranger).status_code == 404
    assert client.get(f"/api/v1/events/{world.event_id}/leads", headers=stranger).status_code == 404


def test_a_browser_session_needs_the_csrf_token(client: FlaskClient, logged_in, make) -> None:
    world = lead_world(make)
    logged_in("officer")
    url = f"/api/v1/events/{world.event_id}/comments/{world.first}/lead"
    assert client.patch(url, json={"status": "called"}).status_code == 400
    token = csrf_token(client, "/events")
    ok = client.patch(url, json={"status": "called"}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200


def test_each_comment_says_whether_its_author_left_a_number_as_the_server_decides(
    client: FlaskClient, make: Factory
) -> None:
    """The cards' ``left_a_number`` is the rule the server refuses "called" by: Lan's second
    comment has none but her first has (registered or not yet); Bình left none."""
    world = lead_world(make)
    auth = _bearer(make)
    ids = f"{world.first},{world.second},{world.other}"
    url = f"/api/v1/events/{world.event_id}/leads?comment_ids={ids}"

    def left() -> dict[int, bool]:
        comments = client.get(url, headers=auth).get_json()["comments"]
        return {int(cid): c["left_a_number"] for cid, c in comments.items()}

    assert left() == {world.first: True, world.second: True, world.other: False}  # unregistered
    for cid in (world.second, world.other):  # registered as people now, whatever they answer
        client.patch(f"/api/v1/events/{world.event_id}/comments/{cid}/lead",
                     json={"status": "called"}, headers=auth)  # fmt: skip
    assert left() == {world.first: True, world.second: True, world.other: False}
    refused = client.patch(f"/api/v1/events/{world.event_id}/comments/{world.other}/lead",
                           json={"status": "wrong_number"}, headers=auth)  # fmt: skip
    assert refused.status_code == 422
    statuses = client.get(url, headers=auth).get_json()["statuses"]
    assert {s["value"] for s in statuses if s["needs_number"]} == {"called", "wrong_number"}
