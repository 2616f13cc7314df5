"""Revision c8f1a4e6d205 lets an event's and an offline activity's cost be unknown (NULL), on
both databases; its downgrade turns an unknown cost back into 0.

The costs stored before it stay as they are, 0 included: a 0 typed in and a 0 left by an empty
box cannot be told apart, so none is guessed to be unknown.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migrations.test_date_touches import Rows

BEFORE = "c92e4e756d6c"  # the revision before c8f1a4e6d205
TABLES = ("events", "offline_activities")


def _nullable() -> dict[str, bool]:
    inspector = sa.inspect(db.engine)
    return {
        t: next(c["nullable"] for c in inspector.get_columns(t) if c["name"] == "cost_vnd")
        for t in TABLES
    }


def _costs(conn: sa.Connection, table: str) -> dict[int, int | None]:
    return dict(conn.execute(sa.text(f"SELECT id, cost_vnd FROM {table}")).all())  # noqa: S608


def test_costs_may_be_unknown_and_the_stored_ones_stay(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    assert _nullable() == {"events": False, "offline_activities": False}
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        free = rows.event("Miễn phí")  # cost 0
        paid = rows.event("Có chi phí")
        conn.execute(sa.text("UPDATE events SET cost_vnd = 2500000 WHERE id = :e"), {"e": paid})
        entry = rows.add("offline_activities", kind="leaflet", org_unit_id=rows.unit,
                         period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
                         quantity=500, cost_vnd=0, note="", source="form")  # fmt: skip

    upgrade()
    assert _nullable() == {"events": True, "offline_activities": True}
    with db.engine.begin() as conn:
        assert _costs(conn, "events") == {free: 0, paid: 2_500_000}  # the 0 stays a 0
        assert _costs(conn, "offline_activities") == {entry: 0}
        unknown = Rows(conn, backend)
        unknown.unit = rows.unit
        later = unknown.event("Chưa nhập chi phí")
        conn.execute(sa.text("UPDATE events SET cost_vnd = NULL WHERE id = :e"), {"e": later})
        conn.execute(sa.text("UPDATE offline_activities SET cost_vnd = NULL"))
        assert _costs(conn, "events")[later] is None

    db.session.remove()
    downgrade(revision=BEFORE)
    assert _nullable() == {"events": False, "offline_activities": False}
    with db.engine.begin() as conn:
        assert _costs(conn, "events") == {free: 0, paid: 2_500_000, later: 0}
        assert _costs(conn, "offline_activities") == {entry: 0}
