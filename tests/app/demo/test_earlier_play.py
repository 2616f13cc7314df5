"""A demo event an officer only read stays the demo's; one they changed anything on is theirs.

Whether an audited action read or changed is what ``app.audit`` declares, whatever the name
ends with (``bridge_point.entries_view``, ``people.lookup``, ``followup.my_calls`` are reads).
"""

from __future__ import annotations

import pytest
from flask import Flask

from app import audit
from app.demo.earlier_play import user_made
from app.extensions import db
from app.models import AuditLog, Channel, Event
from tests.conftest import Factory

pytestmark = pytest.mark.postgres  # the reads are matched by a NOT IN on both backends


def _demo_event(make: Factory) -> Event:
    """As the demo writes its sandbox events: no author, no campaign."""
    return make.event("40", title="Hội nghị trực tuyến (chạy thử)", channel=Channel.LIVESTREAM)


def _touched(make: Factory, actions: frozenset[str]) -> list[str]:
    """The actions that, written by an officer about a fresh demo event, make it theirs."""
    officer = make.user("officer", "40")
    made = []
    for action in sorted(actions):
        event = _demo_event(make)
        audit.record(action, officer, "event", event.id)
        db.session.flush()
        if user_made(event):
            made.append(action)
    return made


def test_no_read_makes_a_demo_event_the_officer_s(app: Flask, make: Factory) -> None:
    assert _touched(make, audit.READS) == []


def test_every_change_makes_a_demo_event_the_officer_s(app: Flask, make: Factory) -> None:
    assert _touched(make, audit.CHANGES) == sorted(audit.CHANGES)


def test_a_row_of_an_action_no_longer_declared_counts_as_a_change(
    app: Flask, make: Factory
) -> None:
    event = _demo_event(make)
    officer = make.user("officer", "40")
    db.session.add(AuditLog(action="events.peek", user_id=officer.id, object_type="event",
                            object_id=str(event.id)))  # fmt: skip
    db.session.flush()
    assert user_made(event)
