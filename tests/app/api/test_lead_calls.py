"""Call outcomes in /api/v1/ (``app.followup.call_log``): a page queues each submission under a
key and sends it until an answer comes, so one key is one call record however many times it
arrives (one after the other, or at once from several threads); a lead outside the officer's
part answers 404 and a viewer 403, in English; a key used for another lead is refused."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import requests
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import AuditLog, LeadCall, LeadStatus, LeadWork
from tests.app.followup.lead_world import lead_world
from tests.app.followup.part_world import part_world
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres  # a unique key per user, on both databases

KEY = "0f3c9a7e5b1d4c2a8e6f0b9d7c5a3e1f"


def _bearer(make: Factory, role: str = "officer", unit: str = HOME) -> dict[str, str]:
    token = issue_token(make.user(role, unit))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _calls() -> int:
    return db.session.scalar(select(func.count(LeadCall.id))) or 0


def test_a_submission_sent_again_is_one_call_and_changes_nothing_more(
    client: FlaskClient, make: Factory
) -> None:
    world = lead_world(make)
    auth = _bearer(make)
    url = f"/api/v1/events/{world.event_id}/comments/{world.first}/calls"
    pressed = datetime(2026, 12, 20, 8, 0, tzinfo=UTC)
    body = {"idempotency_key": KEY, "status": "call_back", "next_call_on": "31/12/2099",
            "notes": "Bận, gọi lại sau 17h", "sent_at": pressed.isoformat(),
            "clock": (pressed + timedelta(minutes=40)).isoformat()}  # fmt: skip
    first = client.post(url, json=body, headers=auth)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["duplicate"] is False
    assert first.get_json()["status"] == "call_back"
    person = first.get_json()["person_id"]
    audits = db.session.scalar(select(func.count(AuditLog.id)))
    # Meanwhile someone else marks the lead called; the lost answer's retry arrives after.
    patched = client.patch(f"/api/v1/events/{world.event_id}/leads/{person}",
                           json={"status": "called"}, headers=_bearer(make))  # fmt: skip
    assert patched.status_code == 200
    audits = db.session.scalar(select(func.count(AuditLog.id)))
    again = client.post(f"/api/v1/events/{world.event_id}/leads/{person}/calls", json=body,
                        headers=auth)  # fmt: skip
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["duplicate"] is True
    assert again.get_json()["call_id"] == first.get_json()["call_id"]
    assert again.get_json()["status"] == "called"  # the retry changed nothing
    assert _calls() == 1
    assert db.session.scalar(select(func.count(AuditLog.id))) == audits
    call = db.session.scalar(select(LeadCall))
    assert (call.status, call.notes) == (LeadStatus.CALL_BACK, "Bận, gọi lại sau 17h")
    # Pressed 40 minutes before it left the phone: dated then, on the server's clock.
    assert call.created_at - call.called_at > timedelta(minutes=39)
    # Another submission (another key) is another call.
    other = client.post(url, json={**body, "idempotency_key": KEY[::-1], "status": "called"},
                        headers=auth)  # fmt: skip
    assert other.status_code == 201
    assert _calls() == 2
    assert db.session.scalar(select(LeadWork.status)) == LeadStatus.CALLED


def test_a_key_is_the_users_own_and_one_leads(client: FlaskClient, make: Factory) -> None:
    world = lead_world(make)
    mine, theirs = _bearer(make), _bearer(make)
    lan = f"/api/v1/events/{world.event_id}/comments/{world.first}/calls"
    binh = f"/api/v1/events/{world.event_id}/comments/{world.other}/calls"
    assert (
        client.post(lan, json={"idempotency_key": KEY, "notes": "a"}, headers=mine).status_code
        == 201
    )
    # The same key from another officer is their own submission.
    assert (
        client.post(lan, json={"idempotency_key": KEY, "notes": "b"}, headers=theirs).status_code
        == 201
    )
    reused = client.post(binh, json={"idempotency_key": KEY, "notes": "c"}, headers=mine)
    assert reused.status_code == 422
    assert "idempotency_key" in reused.get_json()["errors"]["json"]
    short = client.post(binh, json={"idempotency_key": "abc", "notes": "c"}, headers=mine)
    assert short.status_code == 422
    refused = client.post(binh, json={"idempotency_key": KEY[::-1], "status": "maybe"},
                          headers=mine)  # fmt: skip
    assert "status" in refused.get_json()["errors"]["json"]
    assert _calls() == 2  # a refused submission records nothing, nor claims its key
    again = client.post(binh, json={"idempotency_key": KEY[::-1], "notes": "d"}, headers=mine)
    assert again.status_code == 201


def test_a_lead_outside_the_officers_part_is_refused_in_english(
    client: FlaskClient, make: Factory
) -> None:
    world = part_world(make)
    auth = _bearer(make, unit=world.mine.code)
    body = {"idempotency_key": KEY, "status": "called"}
    theirs = client.post(f"/api/v1/events/{world.event_id}/leads/{world.their_lead}/calls",
                         json=body, headers=auth)  # fmt: skip
    assert theirs.status_code == 404
    assert theirs.get_json()["message"] == (
        "This person is not among the people of your part of this event."
    )
    viewer = client.post(f"/api/v1/events/{world.event_id}/leads/{world.my_lead}/calls",
                         json=body, headers=_bearer(make, "viewer", world.mine.code))  # fmt: skip
    assert viewer.status_code == 403
    assert viewer.get_json()["message"] == "Recording calls needs the officer role or higher."
    assert _calls() == 0
    mine = client.post(f"/api/v1/events/{world.event_id}/leads/{world.my_lead}/calls",
                       json=body, headers=auth)  # fmt: skip
    assert mine.status_code == 201
    assert _calls() == 1


@pytest.mark.committing  # the served app's threads write, each in its own transaction
def test_the_same_submission_arriving_at_once_is_one_call(live_server: str, make: Factory) -> None:
    world = part_world(make)  # a registered commenter's lead, called by their commune
    auth = _bearer(make, unit=world.mine.code)
    url = f"{live_server}/api/v1/events/{world.event_id}/leads/{world.my_lead}/calls"
    start = threading.Barrier(6)

    def send(_: int) -> int:
        start.wait()
        body = {
            "idempotency_key": KEY,
            "status": "call_back",
            "notes": "Gọi lại chiều",
            "next_call_on": "31/12/2099",
        }
        return requests.post(url, json=body, headers=auth, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = sorted(pool.map(send, range(6)))
    assert answers == [200] * 5 + [201]
    db.session.expire_all()
    assert _calls() == 1
    work = select(LeadWork.status).where(LeadWork.person_id == world.my_lead)
    assert db.session.scalar(work) == LeadStatus.CALL_BACK
