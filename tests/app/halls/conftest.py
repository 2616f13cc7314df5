"""Events with halls, a logged-in organiser, and the forms' CSRF token."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.halls import services
from app.models import BridgePoint, OrgKind, OrgUnit, Participant, Platform
from tests.conftest import HOME, Factory, csrf_token


def event_with_channel(make: Factory, channel: str = "online_conference", org_unit: str = HOME,
                       start: datetime | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
    """An event starting now, or at ``start`` (a hall reports from two hours before it)."""
    start = start or datetime.now(UTC)
    return make.event(org_unit, title="Hội nghị điểm cầu", channel=channel, planned_start=start,
                      planned_end=start + timedelta(hours=3))  # fmt: skip


def commune_codes(province: str = HOME, n: int | None = None) -> list[str]:
    parent = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == province))
    codes = list(
        db.session.scalars(
            sa.select(OrgUnit.code)
            .where(OrgUnit.parent_id == parent, OrgUnit.kind == OrgKind.COMMUNE)
            .order_by(OrgUnit.code)
        )
    )
    return codes if n is None else codes[:n]


def page_token(client: FlaskClient, path: str) -> str:
    return csrf_token(client, path)


def form_key(html: str, point_id: int) -> str:
    """The idempotency key the page put in a hall's head-count form."""
    row = html[html.index(f'id="hall-{point_id}"') :]
    match = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', row)
    assert match, "no idempotency key in the hall's form"
    return match.group(1)


# Names on a conference's roster: the host's room, a staff phone, a hall.
START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
HOST = "BHXH tỉnh Nghệ An"
PHONE = "iPhone của Lan"
HALL = "Điểm cầu số 3 - 45 người"


def roster(  # type: ignore[no-untyped-def]
    make: Factory, names: list[str], org_unit: str = "40", start: datetime = START
):
    """A Zoom conference with three halls and one session per name, a minute apart from
    ``start``."""
    event = event_with_channel(make, org_unit=org_unit)
    services.set_bridge_points(event, commune_codes(org_unit, n=3), {})
    account = make.account(org_unit, platform=Platform.ZOOM, name="Zoom")
    target = make.target(event, account, kind="zoom_meeting", external_id=f"m{event.id}")
    for i, name in enumerate(names):
        db.session.add(Participant(target_id=target.id, participant_key=f"p{i}", display_name=name,
                                   joined_at=start + timedelta(minutes=i)))  # fmt: skip
    db.session.commit()
    return event, target


def first_of(name: str) -> Participant:
    return db.session.scalars(
        sa.select(Participant).where(Participant.display_name == name).order_by(Participant.id)
    ).first()


@pytest.fixture
def checkin_link(app: Flask, make: Factory) -> str:
    """The check-in path of one hall of an online conference held now (every commune has one)."""
    event = event_with_channel(make)
    (point,) = services.set_bridge_points(event, "all", {})[:1]
    db.session.commit()
    return f"/checkin/{point.checkin_token}"


@pytest.fixture
def open_hall(make: Factory) -> BridgePoint:
    """The one hall of an online conference that began 20 minutes ago: the hall may report."""
    event = event_with_channel(make, start=datetime.now(UTC) - timedelta(minutes=20))
    (point,) = services.set_bridge_points(event, commune_codes(HOME, 1), {})
    db.session.commit()
    return point


@pytest.fixture
def organiser(logged_in):  # type: ignore[no-untyped-def]
    return logged_in("officer")
