"""Names from a hall's check-in, and from its correction, are saved as Vietnamese names are
written, each word capitalised ("lò văn páo" → "Lò Văn Páo"), as the follow-up list and the
agents' Excel show them; a name already written right is kept as typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask.testing import FlaskClient

from app.consent import CURRENT
from app.extensions import db
from app.halls import services
from app.models import BridgePoint, Person
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory


def hall(make: Factory) -> BridgePoint:
    start = datetime.now(UTC) - timedelta(minutes=30)
    event = make.event(HOME, title="Hội nghị điểm cầu", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    (point,) = services.set_bridge_points(event, commune_codes(HOME, 1), {})
    db.session.commit()
    return point


def names() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Person.full_name).order_by(Person.id)))


def test_checkin_and_correction_save_names_capitalised(client: FlaskClient, make: Factory) -> None:
    point = hall(make)
    rows = [{"name": "lò văn páo", "phone": "0912345601"},
            {"name": "Lê thị hoa", "phone": "0912345602"},
            {"name": "  TRẦN   VĂN  NAM ", "phone": "0912345603"},
            {"name": "Ksor H'Hen", "phone": "0912345604"}]  # fmt: skip
    body = {"idempotency_key": "written-0001", "head_count": 4, "attendees": rows,
            "consent_version": CURRENT}  # fmt: skip
    answer = client.post(f"/checkin/{point.checkin_token}", json=body)
    assert answer.status_code == 201, answer.get_json()
    assert names() == ["Lò Văn Páo", "Lê Thị Hoa", "Trần Văn Nam", "Ksor H'Hen"]

    fix = {"idempotency_key": "written-fix-1", "action": "edit", "ref": "written-0001:2",
           "attendee": {"name": "lê thị HOÀ"}, "consent_version": CURRENT}  # fmt: skip
    answer = client.post(f"/checkin/{point.checkin_token}/entries", json=fix)
    assert answer.status_code == 201, answer.get_json()
    assert names()[1] == "Lê Thị Hoà"


def test_the_page_without_script_saves_them_capitalised(client: FlaskClient, make: Factory) -> None:
    point = hall(make)
    form = {"idempotency_key": "written-0002", "head_count": "1", "name-0": "phạm  MINH",
            "phone-0": "0987654321"}  # fmt: skip
    assert client.post(f"/checkin/{point.checkin_token}", data=form).status_code in (200, 303)
    assert names() == ["Phạm Minh"]
