"""Revision d4b8e2a6f917 stores whether the page or channel itself wrote a comment, on both
databases: the comments stored before it are a viewer's (false), as they were counted until then,
and a comment written without the mark is a viewer's too. ``ix_comments_counted`` holds the
shown comments without the page's replies, for the counts to read alone. Its downgrade drops
the column and the index.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migrations.test_date_touches import Rows

BEFORE = "c8f1a4e6d205"  # the revision before d4b8e2a6f917
SEEN = datetime(2026, 11, 25, 13, 5, tzinfo=UTC)


def _indexes() -> dict[str, list[str]]:
    indexes = sa.inspect(db.engine).get_indexes("comments")
    return {i["name"]: i["column_names"] for i in indexes if i["name"].startswith("ix_comments_")}


def test_comments_carry_whether_the_page_wrote_them(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        event = rows.event("Livestream")
        target = rows.add("targets", event_id=event, kind="facebook_live", external_id="v1",
                          cursor={}, last_error="", failures=0, calls_used=0)  # fmt: skip

        def comment(rows: Rows, external_id: str) -> int:
            return rows.add("comments", target_id=target, external_id=external_id,
                            author_name="Lan", author_external_id="u1", message=b"x",
                            created_at=SEEN, is_lead=False, lead_intents=[])  # fmt: skip

        before = comment(rows, "c1")
    assert "ix_comments_counted" not in _indexes()

    upgrade()
    counted = ["target_id", "created_at", "deleted_at", "by_owner"]
    assert _indexes()["ix_comments_counted"] == counted
    with db.engine.begin() as conn:
        after = comment(Rows(conn, backend), "c2")  # written without the mark
        conn.execute(sa.text("INSERT INTO comments (target_id, external_id, author_name, message, "
                             "created_at, is_lead, lead_intents, by_owner) VALUES (:t, 'c3', "
                             "'BHXH', :m, :at, :f, '[]', :yes)"),
                     {"t": target, "m": b"x", "at": rows.at(SEEN), "f": False,
                      "yes": True})  # fmt: skip
        marks = dict(conn.execute(sa.text("SELECT external_id, by_owner FROM comments")).all())
    assert {k: bool(v) for k, v in marks.items()} == {"c1": False, "c2": False, "c3": True}
    assert before != after

    db.session.remove()
    downgrade(revision=BEFORE)
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("comments")}
    assert "by_owner" not in columns
    assert "ix_comments_counted" not in _indexes()
    assert _indexes()["ix_comments_shown"] == ["target_id", "created_at", "deleted_at"]
