"""A commenter not yet a person, whose comments officers mark at the same moment from several
devices (``person_of_comment``), becomes one person: the first arrival registers them, the others
find that person instead of making another (on both databases)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Attendance, Comment, Person
from tests.app.followup.lead_world import lead_world
from tests.conftest import Factory

pytestmark = [pytest.mark.postgres, pytest.mark.committing]  # the served app's threads write

THREADS = 6


def test_a_commenter_marked_at_once_from_six_devices_is_one_person(
    live_server: str, make: Factory
) -> None:
    world = lead_world(make)  # Lan wrote twice (first, second), nobody registered yet
    tokens = [issue_token(make.user("officer")) for _ in range(THREADS)]
    db.session.commit()
    base = f"{live_server}/api/v1/events/{world.event_id}/comments"
    start = threading.Barrier(THREADS)

    def mark(i: int) -> tuple[int, int | None]:
        comment = world.first if i % 2 else world.second
        auth = {"Authorization": f"Bearer {tokens[i]}"}
        start.wait()
        if i % 3:  # a call outcome from the call queue
            body = {
                "idempotency_key": f"race-key-{i:04d}",
                "status": "call_back",
                "notes": "",
                "next_call_on": "31/12/2099",
            }
            answer = requests.post(f"{base}/{comment}/calls", json=body, headers=auth, timeout=30)
        else:  # a lead's status changed from the live page
            answer = requests.patch(f"{base}/{comment}/lead", json={"status": "called"},
                                    headers=auth, timeout=30)  # fmt: skip
        return answer.status_code, answer.json().get("person_id")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        answers = list(pool.map(mark, range(THREADS)))
    assert all(code in (200, 201) for code, _ in answers), answers
    db.session.expire_all()
    people = db.session.scalars(select(Person.id).where(Person.consent_source == "comment")).all()
    assert len(people) == 1, people
    assert {person for _, person in answers} == set(people)
    owners = select(Comment.person_id).where(Comment.id.in_([world.first, world.second]))
    assert set(db.session.scalars(owners)) == set(people)
    touches = select(func.count(Attendance.id)).where(Attendance.event_id == world.event_id)
    assert db.session.scalar(touches) == 1  # one comment touch of the event, not one per arrival
