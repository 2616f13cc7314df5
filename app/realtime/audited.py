"""Officers' live joins written to the audit log together: one transaction for a storm's joins.

Each officer's join (the leads' phones in clear) is one audit row, and the join waits for its row
to be committed before the socket gets the snapshot, so no read goes unrecorded. A thousand
projectors joining at once made that a thousand single-row transactions, each flushed by the
ORM and synced to disk. Here the rows are committed in groups (a group commit, ``grouped``): the
first join to arrive writes its row together with every row queued behind it, in one INSERT and
one COMMIT of its own; the joins that arrived while it wrote wait, and the first of them then
writes the next group. A failed write fails every join of its group, as a failed commit failed
the one join before.

On PostgreSQL the join's row goes further: it is written by the join's own read of the user and
their access (``with_join_row``), a data-modifying CTE autocommitted with that read, so an
officer's join costs one round trip instead of two. ``record_join`` is then left to SQLite and to
a session bound to one connection (the tests' rolled-back transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Select, String, bindparam, func, insert, literal, or_, select

from app import audit, prepared
from app.extensions import db
from app.models import AuditLog, utcnow
from app.realtime import grouped

_INSERT = insert(AuditLog.__table__)
GROUP = "audited.live_join"
ACTION = audit.declared("live.join")


def record_join(user_id: int, event_id: int, at: datetime | None = None) -> None:
    """Write the ``live.join`` audit row of this join; returns once it is committed."""
    row = {"at": at or utcnow(), "user_id": user_id, "action": ACTION,
           "object_type": "event", "object_id": str(event_id), "detail": {},
           "ip": request.remote_addr if has_request_context() else None}  # fmt: skip
    grouped.of_app(GROUP, _write_group)(row)


def join_row_params(event_id: int) -> dict[str, Any]:
    """The values ``with_join_row`` binds for this join (the user is the read's)."""
    return {"audit_at": utcnow(), "audit_object_id": str(event_id), "audit_detail": {},
            "audit_ip": request.remote_addr if has_request_context() else None}  # fmt: skip


def with_join_row(read: Select[Any], phones: Sequence[Any]) -> Select[Any]:
    """``read`` (a live join's: the user's ``id``, ``session_token``, ``role``, ``sees`` and
    any more), writing the join's audit row when the user sees the event (whole) with a role in
    ``phones``; its columns, and how many rows it wrote last."""
    found = read.cte("found")
    table = AuditLog.__table__
    row = select(
        bindparam("audit_at", type_=table.c.at.type),
        found.c.id,
        literal(ACTION, String),
        literal("event", String),
        bindparam("audit_object_id", type_=String),
        bindparam("audit_detail", type_=table.c.detail.type),
        bindparam("audit_ip", type_=String),
    )
    # One named parameter per role (an IN's list would be expanded at each execution).
    roles = [bindparam(f"audit_role_{i}", role, type_=found.c.role.type, unique=False)
             for i, role in enumerate(phones)]  # fmt: skip
    row = row.where(found.c.sees, or_(*(found.c.role == r for r in roles)))
    names = ["at", "user_id", "action", "object_type", "object_id", "detail", "ip"]
    written = insert(table).from_select(names, row).returning(table.c.id).cte("written")
    count = select(func.count()).select_from(written).scalar_subquery()
    return select(*found.c, count)


def _write_group(rows: list[dict[str, Any]]) -> list[None]:
    insert_rows(rows)  # looked up at each call: the tests hold a write back
    return [None] * len(rows)


def insert_rows(rows: list[dict[str, Any]]) -> None:
    """One INSERT of ``rows`` and its COMMIT, on a pooled connection of its own (the statement
    compiled once, ``prepared``: a third of a join's CPU went to the ORM's unit of work); through
    SQLAlchemy on SQLite, and through the session when it is bound to one connection (the tests'
    rolled-back transaction)."""
    if prepared.insert("audited.live_join", lambda: insert(AuditLog.__table__), rows):
        return
    bind = prepared.engine()
    if bind is None:
        try:
            db.session.execute(_INSERT, rows)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return
    with bind.begin() as connection:
        connection.execute(_INSERT, rows)
