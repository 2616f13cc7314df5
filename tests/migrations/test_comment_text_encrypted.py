"""Revision d7a3c5e81f42 encrypts the comment texts already stored, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.models import Comment

BEFORE = "c41d7e2a9b10"
TEXT = "Em ở xóm 3, số em 0912 345 678, tư vấn giúp em"


def _insert(conn: sa.Connection, table: str, **values: object) -> int:
    t = sa.Table(table, sa.MetaData(), autoload_with=conn)
    return conn.execute(sa.insert(t).values(**values).returning(t.c.id)).scalar_one()


def test_stored_comment_texts_are_encrypted_and_read_back(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    at = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    at = at.replace(tzinfo=None) if backend == "sqlite" else at
    with db.engine.begin() as conn:
        unit = _insert(conn, "org_units", code="99001", name="Xã Thử", short_name="Thử",
                       kind="commune", division_type="xã", path="99001",
                       source_version="t")  # fmt: skip
        event = _insert(conn, "events", title="Livestream", channel="livestream", status="ended",
                        org_unit_id=unit, cost_vnd=0, description="", origin="manual")  # fmt: skip
        target = _insert(conn, "targets", event_id=event, kind="facebook_live", external_id="1",
                         cursor={}, last_error="", failures=0, calls_used=0,
                         status="ended")  # fmt: skip
        for i, text in enumerate((TEXT, "")):
            _insert(conn, "comments", target_id=target, external_id=f"c{i}", author_name="A",
                    message=text, created_at=at, is_lead=False, lead_intents=[])  # fmt: skip

    upgrade()

    raw = db.session.execute(sa.text("SELECT message FROM comments ORDER BY id")).scalars().all()
    assert all(b"0912" not in bytes(value) for value in raw)
    assert [c.message for c in db.session.scalars(sa.select(Comment).order_by(Comment.id))] == [
        TEXT,
        "",
    ]
    db.session.remove()
    downgrade(revision=BEFORE)
    back = db.session.execute(sa.text("SELECT message FROM comments ORDER BY id")).scalars().all()
    assert back == [TEXT, ""]
