"""Revision d3a8e6f1b507 adds ``lead_calls``: one call per (user, submission key), its notes
encrypted; the downgrade drops it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migrations.test_date_touches import Rows

BEFORE = "b9d4f2a6c813"


def test_a_submission_key_is_stored_once_per_user(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    assert "lead_calls" not in sa.inspect(db.engine).get_table_names()
    upgrade()
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        event = rows.event("Livestream")
        person = rows.add("people", full_name="Lan", name_folded="lan", hamlet="",
                          commune_text="")  # fmt: skip
        user = rows.add("users", email="a@b.vn", display_name="", password_hash="x",
                        role="officer", org_unit_id=rows.unit, active=True)  # fmt: skip
        call = {"event_id": event, "person_id": person, "user_id": user,
                "idempotency_key": "k" * 32, "status": "called", "notes": b"",
                "called_at": datetime(2026, 12, 20, tzinfo=UTC)}  # fmt: skip
        rows.add("lead_calls", **call)
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
        Rows(conn, backend).add("lead_calls", **call)
    downgrade(revision=BEFORE)
    assert "lead_calls" not in sa.inspect(db.engine).get_table_names()
