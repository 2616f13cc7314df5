"""An event's hall reports in the order they were sent, read once per process and then only the
new ones: the live chart of halls and people (``state.hall_series``) is drawn again for every
burst of check-ins, and reading all of an event's reports each time grew with the conference.

A report never changes once stored, so the rows kept for an event stay true; what can happen is
that a report is added (read next time: ids above the last one read) or removed, or that one
with a smaller id commits after a larger one was read (two web processes, two transactions).
Both show in the number of the event's reports and the sum of their ids, counted by the database
in the same statement that reads the new rows: when the kept and new rows do not add up to them,
the event's reports are read whole again.

Kept per app (``app.extensions``), so a test's app never sees another's rows.
"""

from __future__ import annotations

import bisect
import threading
from datetime import datetime
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import AttendanceReport, BridgePoint

KEPT_EVENTS = 64  # events whose reports a process keeps
# The newest kept reports are read again each time: a report committed after one with a larger
# id was read (threads of web processes writing at once, every burst) is nearly always among them,
# and the event's reports are read whole only when one is not.
RECENT = 256
_lock = threading.Lock()


class Sent(NamedTuple):
    """One report, in the order halls' counts follow: send time, then id."""

    reported_at: datetime
    id: int
    bridge_point_id: int
    head_count: int | None


class _Kept(NamedTuple):
    rows: list[Sent]
    recent: int  # the id above which the kept reports are read again (``RECENT``)


def reports_in_order(event_id: int) -> list[Sent]:
    """Every report of the event's halls, oldest sent first (do not modify the list)."""
    kept_by_event: dict[int, _Kept] = current_app.extensions.setdefault("lantoa_hall_reports", {})
    with _lock:
        kept = kept_by_event.get(event_id)
    report = AttendanceReport
    mine = (report.bridge_point_id == BridgePoint.id) & (BridgePoint.event_id == event_id)
    stored = [  # the reports in the database: how many, and their ids added up
        select(func.count()).select_from(report).join(BridgePoint, mine).scalar_subquery(),
        select(func.coalesce(func.sum(report.id), 0))
        .select_from(report)
        .join(BridgePoint, mine)
        .scalar_subquery(),
    ]
    new = db.session.execute(
        select(report.reported_at, report.id, report.bridge_point_id, report.head_count, *stored)
        .join(BridgePoint, mine)
        .where(report.id > (kept.recent if kept else 0))
    ).all()
    count, ids = new[0][4:] if new else db.session.execute(select(*stored)).one()
    rows = [r for r in kept.rows if r.id <= kept.recent] if kept is not None else []
    if len(rows) + len(new) == count and sum(r.id for r in rows) + sum(r[1] for r in new) == ids:
        for row in new:
            bisect.insort(rows, Sent(*row[:4]))
    else:  # removed, or committed out of id order: read them whole
        rows = sorted(
            Sent(*row)
            for row in db.session.execute(
                select(
                    report.reported_at, report.id, report.bridge_point_id, report.head_count
                ).join(BridgePoint, mine)
            )
        )
    with _lock:
        kept_by_event.pop(event_id, None)
        kept_by_event[event_id] = _Kept(rows, _recent(rows))
        while len(kept_by_event) > KEPT_EVENTS:
            kept_by_event.pop(next(iter(kept_by_event)))
    return rows


def _recent(rows: list[Sent]) -> int:
    """The id above which the ``RECENT`` newest reports lie (0: all of them)."""
    if len(rows) <= RECENT:
        return 0
    return sorted(r.id for r in rows)[-RECENT - 1]
