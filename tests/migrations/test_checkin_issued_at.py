"""Revision e5b1c0d4a7f3 dates each stored check-in link from its hall's creation, so links of
undated events issued before it expire thirty days after that instead of never."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.models import BridgePoint
from tests.migrations.test_date_touches import Rows

BEFORE = "d7a3c5e81f42"
CREATED = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)


def test_the_upgrade_dates_stored_links_from_their_hall(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        event = rows.event("Nhóm nhỏ")
        with_link = rows.add("bridge_points", event_id=event, org_unit_id=rows.unit,
                             expected_attendance=0, contact_name="", checkin_token_hash="a" * 64,
                             created_at=CREATED, updated_at=CREATED)  # fmt: skip
    upgrade()
    point = db.session.get(BridgePoint, with_link)
    assert point.checkin_issued_at == CREATED
    assert db.session.scalar(sa.select(BridgePoint.checkin_issued_at).where(
        BridgePoint.id != with_link)) is None  # fmt: skip
