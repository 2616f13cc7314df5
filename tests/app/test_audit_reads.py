"""Reads that show personal data in clear are audited: once per page view or socket join.

- the live page of an officer (leads' phones in clear) and an officer's socket ``join``; a
  viewer, who sees phones masked, leaves no entry;
- the organisers' halls page (the contacts' phone numbers);
- the review queue (full birth dates of attendees and enrolment rows).
Each is one entry naming the user and the event (never the data itself), however many rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.halls.services import set_bridge_points
from app.models import AuditLog, Link, LinkStatus, OrgUnit
from tests.app.followup.test_linking import _enrolment, _person
from tests.app.realtime.conftest import join, live  # noqa: F401 - the socket fixture
from tests.conftest import HOME, Factory, login

START = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)


def entries(action: str) -> list[AuditLog]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_the_live_page_and_join_of_an_officer_are_audited(
    app: Flask,
    client: FlaskClient,
    make: Factory,
    live: Any,  # noqa: F811
) -> None:
    event = make.event(HOME, title="Livestream")
    make.target(event, make.account())  # tracked: a live page to show
    officer = make.user("officer", HOME)
    login(client, officer.email)
    assert client.get(f"/events/{event.id}/live").status_code == 200
    (view,) = entries("live.view")
    assert (view.user_id, view.object_type, view.object_id) == (officer.id, "event", str(event.id))
    sio = live()
    assert join(sio, event.id)["ok"] is True
    join(sio, event.id)  # a second join is a second read
    joins = entries("live.join")
    assert [(j.user_id, j.object_id) for j in joins] == [(officer.id, str(event.id))] * 2


def test_a_viewer_who_sees_masked_phones_leaves_no_entry(
    app: Flask,
    client: FlaskClient,
    make: Factory,
    live: Any,  # noqa: F811
) -> None:
    event = make.event(HOME, title="Livestream")
    make.target(event, make.account())
    login(client, make.user("viewer", HOME).email)
    assert 'id="live-config"' in client.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert join(live(), event.id)["ok"] is True
    assert entries("live.view") == entries("live.join") == []


def test_the_halls_page_with_contact_phones_is_audited_once_per_view(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=START)
    points = set_bridge_points(event, "all", {})
    points[0].contact_name, points[0].contact_phone = "Chị Hoa", "+84912345678"
    db.session.commit()
    officer = make.user("officer", HOME)
    login(client, officer.email)
    html = client.get(f"/events/{event.id}/bridge-points").get_data(as_text=True)
    assert "0912345678" in html or "0912 345 678" in html
    (entry,) = entries("bridge_points.view")
    assert (entry.user_id, entry.object_id, entry.detail) == (
        officer.id, str(event.id), {"halls": 130})  # fmt: skip
    assert "0912345678" not in str(entry.detail)


def test_the_review_queue_with_full_birth_dates_is_audited(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    event = make.event(HOME)
    person = _person(event.id, "Lê Thị Mai", born="1980-05-12")
    home = db.session.scalars(select(OrgUnit).where(OrgUnit.code == HOME)).one()
    person.commune_id = db.session.scalars(
        select(OrgUnit.id).where(OrgUnit.parent_id == home.id)
    ).first()
    row = _enrolment("Le Thi Mai", born="1980-05-12", paid=date(2026, 3, 20))
    db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="probabilistic",
                        score=0.8, status=LinkStatus.REVIEW, created_at=START))  # fmt: skip
    db.session.commit()
    officer = make.user("officer", HOME)
    login(client, officer.email)
    html = client.get("/follow-up/review").get_data(as_text=True)
    assert "12/05/1980" in html
    (entry,) = entries("review.view")
    assert (entry.user_id, entry.detail) == (officer.id, {"pairs": 1, "waiting": 1})
