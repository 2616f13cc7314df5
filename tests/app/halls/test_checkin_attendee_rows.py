"""A check-in's attendee rows are written by Core statements while the report rollups are not
built (``rows.insert_attendees``: on PostgreSQL one statement from arrays, elsewhere two), and
by the ORM once they are (its listeners move the rollups): both write the same people, in the
rows' order, with the same touches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.consent import CURRENT
from app.extensions import db
from app.halls import services
from app.models import Attendance, BridgePoint, Person
from app.reports.rollups.build import ready
from app.reports.rollups.full_build import rebuild
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

SHEET = [
    {"name": "Trần Văn Nam", "birth": "17/05/1975", "phone": "+84 912.345.678",
     "cccd": "040075001234", "hamlet": "Xóm 3", "consent": "Có"},
    {"name": "Lê Thị Hoa", "birth": "1982", "consent": "Không"},
    {"name": "Phạm Minh", "phone": "0987654321"},
]  # fmt: skip
SENT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
PERSON = ("full_name", "name_folded", "birth_date", "birth_precision", "birth_year", "hamlet",
          "phone", "phone_bidx", "cccd", "cccd_bidx", "bhxh_code", "gender", "commune_text",
          "consent_agreed", "consent_version", "consent_at", "legal_basis")  # fmt: skip


def conference(make: Factory) -> list[BridgePoint]:
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    points = services.set_bridge_points(event, commune_codes(HOME, 2), {})
    db.session.commit()
    return points


def hall_touches(point: BridgePoint) -> list[Any]:
    """Each touch of the hall with its person (rows of two), in the order of the sheet's rows."""
    db.session.expire_all()
    return db.session.execute(
        sa.select(Attendance, Person)
        .join(Person, Person.id == Attendance.person_id)
        .where(Attendance.bridge_point_id == point.id)
        .order_by(Attendance.id)
    ).all()


def written(point: BridgePoint) -> list[tuple[Any, ...]]:
    """Each touch of the hall with its person, in the order of the sheet's rows."""
    pairs = hall_touches(point)
    return [
        (touch.source, touch.source_ref.rsplit(":", 1)[1], touch.touched_at, touch.event_id,
         person.commune_id == point.org_unit_id, person.consent_source == f"checkin:{point.id}",
         person.created_at is not None, *(getattr(person, name) for name in PERSON))
        for touch, person in pairs
    ]  # fmt: skip


def test_without_and_with_the_rollups_the_same_rows_are_written(
    app: Flask, client: FlaskClient, make: Factory, backend: str
) -> None:
    before, after = conference(make)
    body = {"idempotency_key": "sheet-000001", "head_count": 30, "attendees": SHEET,
            "consent_version": CURRENT, "sent_at": SENT.isoformat()}  # fmt: skip
    assert not ready()
    assert client.post(f"/checkin/{before.checkin_token}", json=body).status_code == 201
    one_statement = ("postgresql", "rows.people_and_touches") in app.extensions.get(
        "lantoa_prepared", {}
    )
    assert one_statement is (backend == "postgresql")
    rebuild()
    db.session.commit()
    assert client.post(f"/checkin/{after.checkin_token}", json=body).status_code == 201
    core, orm = written(before), written(after)
    assert core == orm
    assert [row[1] for row in core] == ["1", "2", "3"]
    assert [row[7] for row in core] == ["Trần Văn Nam", "Lê Thị Hoa", "Phạm Minh"]
    assert core[0][-4:-1] == (True, CURRENT, SENT)  # agreed, to this text, when sent
    assert core[2][-4:] == (None, None, None, None)  # not asked: no answer recorded
    raw = db.session.execute(sa.text("SELECT cccd FROM people WHERE cccd IS NOT NULL")).scalars()
    assert all(b"040075001234" not in bytes(value) for value in raw)
