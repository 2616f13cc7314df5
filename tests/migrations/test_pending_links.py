"""Revision c92e4e756d6c adds ``pending_links``: the lines typed for an event wait with it, who
typed them and when, and go with the event; the downgrade drops the table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migrations.test_date_touches import Rows

BEFORE = "d3a8e6f1b507"
TYPED = datetime(2026, 12, 20, 2, 30, tzinfo=UTC)


def test_typed_lines_wait_with_their_event(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    assert "pending_links" not in sa.inspect(db.engine).get_table_names()
    upgrade()
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        event = rows.event("Livestream")
        user = rows.add("users", email="a@b.vn", display_name="Lan", password_hash="x",
                        role="officer", org_unit_id=rows.unit, active=True)  # fmt: skip
        typed = rows.add("pending_links", event_id=event, line=b"sealed", created_by_id=user,
                         created_at=TYPED)  # fmt: skip
        got = conn.execute(sa.text("SELECT created_by_id, checked FROM pending_links")).one()
        assert tuple(got) == (user, None)  # not asked yet: no reading kept
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:  # someone typed it
        Rows(conn, backend).add("pending_links", event_id=event, line=b"x", created_at=TYPED)
    with db.engine.begin() as conn:  # the event goes, its waiting links with it
        conn.execute(sa.text("DELETE FROM events WHERE id = :id"), {"id": event})
        left = conn.execute(sa.text("SELECT id FROM pending_links")).scalars().all()
        assert typed not in left
    downgrade(revision=BEFORE)
    assert "pending_links" not in sa.inspect(db.engine).get_table_names()
