"""A call back names its day: the API refuses "call_back" without ``next_call_on`` (422 naming
the field, in English), whether the outcome is queued (``.../calls``) or patched; a day sent, or
one the lead has from today on, is enough; an old call back without a day keeps its status while
other fields (its assignee) change."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import LeadStatus, LeadWork, utcnow
from app.timeparse import VN
from tests.app.followup.lead_world import lead_world
from tests.conftest import HOME, Factory


def _today():
    return utcnow().astimezone(VN).date()


def _auth(make: Factory) -> tuple[dict[str, str], int]:
    user = make.user("officer", HOME)
    token = issue_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}, user.id


def test_a_call_back_without_a_day_is_refused_naming_the_field(
    client: FlaskClient, make: Factory
) -> None:
    world = lead_world(make)
    auth, _ = _auth(make)
    calls = f"/api/v1/events/{world.event_id}/comments/{world.first}/calls"
    body = {"idempotency_key": "callback-no-day-1", "status": "call_back", "notes": "Bận"}
    for sent in (body, {**body, "next_call_on": None}, {**body, "next_call_on": ""}):
        refused = client.post(calls, json=sent, headers=auth)
        assert refused.status_code == 422, refused.get_json()
        answer = refused.get_json()
        assert list(answer["errors"]["json"]) == ["next_call_on"]
        assert answer["message"].startswith("next_call_on: a call back needs its day")
    assert db.session.scalar(select(LeadWork)) is None  # nothing stored
    tomorrow = _today() + timedelta(days=1)
    sent = client.post(calls, json={**body, "next_call_on": tomorrow.strftime("%d/%m/%Y")},
                       headers=auth)  # fmt: skip
    assert sent.status_code == 201, sent.get_json()
    assert sent.get_json()["next_call_on"] == tomorrow.isoformat()
    person = sent.get_json()["person_id"]
    lead = f"/api/v1/events/{world.event_id}/leads/{person}"
    # Its day kept: marking it a call back again needs no day; clearing the day is refused.
    assert client.patch(lead, json={"status": "call_back"}, headers=auth).status_code == 200
    cleared = client.patch(lead, json={"next_call_on": None}, headers=auth)
    assert cleared.status_code == 422
    assert list(cleared.get_json()["errors"]["json"]) == ["next_call_on"]
    # Called: the day may go.
    done = client.patch(lead, json={"status": "called", "next_call_on": None}, headers=auth)
    assert done.status_code == 200, done.get_json()


def test_an_old_call_back_without_a_day_keeps_its_status_and_yesterdays_day_is_not_enough(
    client: FlaskClient, make: Factory
) -> None:
    world = lead_world(make)
    auth, me = _auth(make)
    made = client.patch(f"/api/v1/events/{world.event_id}/comments/{world.first}/lead",
                        json={"status": "called"}, headers=auth)  # fmt: skip
    person = made.get_json()["person_id"]
    work = db.session.scalar(select(LeadWork))
    work.status, work.next_call_on = LeadStatus.CALL_BACK, None  # saved before the rule
    db.session.commit()
    lead = f"/api/v1/events/{world.event_id}/leads/{person}"
    taken = client.patch(lead, json={"assignee_id": me}, headers=auth)
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["status"] == "call_back"
    work = db.session.scalar(select(LeadWork))
    work.next_call_on = _today() - timedelta(days=1)  # a promise of yesterday
    db.session.commit()
    again = client.patch(lead, json={"status": "call_back", "notes": "Gọi lại"}, headers=auth)
    assert again.status_code == 422
    assert list(again.get_json()["errors"]["json"]) == ["next_call_on"]
