"""Officers' live joins written to the audit log together: one transaction for a storm's joins.

Each officer's join (the leads' phones in clear) is one audit row, and the join waits for its row
to be committed before the socket gets the snapshot, so no read goes unrecorded. A thousand
projectors joining at once made that a thousand single-row transactions, each flushed by the
ORM and synced to disk. Here the rows are committed in groups (a group commit): the first join
to arrive writes its row together with every row queued behind it, in one INSERT and one COMMIT
of its own session; the joins that arrived while it wrote wait, and the first of them then writes
the next group. A failed write fails every join of its group, as a failed commit failed the one
join before.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import insert

from app import prepared
from app.extensions import db
from app.models import AuditLog, utcnow

_INSERT = insert(AuditLog.__table__)
WAIT_SECONDS = 60.0  # a group that takes longer fails its joins (the database is stuck)


@dataclass
class _Row:
    values: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    written: bool = False
    error: BaseException | None = None


@dataclass
class _Queue:
    lock: threading.Lock = field(default_factory=threading.Lock)
    rows: list[_Row] = field(default_factory=list)
    writing: bool = False


def _queue() -> _Queue:
    # One queue per app: its rows go through that app's database.
    return current_app.extensions.setdefault("lantoa_live_join_audit", _Queue())


def record_join(user_id: int, event_id: int, at: datetime | None = None) -> None:
    """Write the ``live.join`` audit row of this join; returns once it is committed."""
    queue = _queue()
    me = _Row({"at": at or utcnow(), "user_id": user_id, "action": "live.join",
               "object_type": "event", "object_id": str(event_id), "detail": {},
               "ip": request.remote_addr if has_request_context() else None})  # fmt: skip
    with queue.lock:
        queue.rows.append(me)
        if not queue.writing:
            queue.writing = me.lead = True
    while not me.written:
        if me.lead:
            _write_group(queue)
            continue
        if not me.done.wait(WAIT_SECONDS):
            raise TimeoutError("the audit row of a live join was not written in time")
        me.done.clear()
    if me.error is not None:
        raise me.error


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


def _write_group(queue: _Queue) -> None:
    """Write every queued row (the caller's among them) in one transaction, then hand the
    writing over to the first row queued meanwhile."""
    with queue.lock:
        group, queue.rows = queue.rows, []
    error: BaseException | None = None
    try:
        insert_rows([row.values for row in group])
    except Exception as exc:  # every join of the group fails, as its own commit did before
        error = exc
    for row in group:
        row.error, row.written, row.lead = error, True, False
        row.done.set()
    with queue.lock:
        if queue.rows:
            queue.rows[0].lead = True
            queue.rows[0].done.set()
        else:
            queue.writing = False
