"""The reports an event's live chart is drawn from, kept per process (app.halls.history): after
reports are added, removed, or committed out of id order, the kept list equals a fresh read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.halls import services
from app.halls.history import RECENT, Sent, reports_in_order
from app.models import AttendanceReport, BridgePoint
from tests.app.halls.conftest import commune_codes
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

SENT = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def fresh(event_id: int) -> list[Sent]:
    """The event's reports read whole, nothing kept."""
    r = AttendanceReport
    rows = db.session.execute(
        sa.select(r.reported_at, r.id, r.bridge_point_id, r.head_count)
        .join(BridgePoint, BridgePoint.id == r.bridge_point_id)
        .where(BridgePoint.event_id == event_id)
    )
    return sorted(Sent(*row) for row in rows)


def test_the_kept_reports_follow_every_change(app: Flask, make: Factory) -> None:
    event = make.event(HOME, title="Hội nghị", channel="online_conference")
    points = services.set_bridge_points(event, commune_codes(HOME, 3), {})

    def send(n: int, minutes: int, count: int | None = 30) -> None:
        services.record_report(points[n % 3], f"report-{n:05d}", count,
                               [] if count is not None else [{"name": "Lê Mai"}], SENT,
                               sent_at=SENT - timedelta(minutes=minutes))  # fmt: skip

    for n in range(6):
        send(n, 60 - n * 7 % 5)
    assert reports_in_order(event.id) == fresh(event.id)
    send(6, 90)  # sent before all the others: lands first
    send(7, 1, None)
    assert reports_in_order(event.id) == fresh(event.id)
    assert reports_in_order(event.id)[0].reported_at == SENT - timedelta(minutes=90)
    # One removed and one added: the number of reports is unchanged, their ids are not.
    db.session.delete(db.session.scalars(sa.select(AttendanceReport).limit(1)).one())
    db.session.flush()
    send(8, 30)
    assert reports_in_order(event.id) == fresh(event.id)
    # A report whose id is below the last one read, as when another process commits late.
    last = max(r.id for r in reports_in_order(event.id))
    db.session.add(AttendanceReport(id=last - 100_000 if last > 100_000 else 0, head_count=12,
                                    bridge_point_id=points[0].id, idempotency_key="late-commit",
                                    reported_at=SENT - timedelta(minutes=5)))  # fmt: skip
    db.session.flush()
    assert reports_in_order(event.id) == fresh(event.id)
    assert len(reports_in_order(event.id)) == 9
    # Both at once: one removed, one committed late under a smaller id; the count is unchanged.
    db.session.delete(db.session.get(AttendanceReport, last))
    db.session.add(AttendanceReport(id=-1, head_count=13, bridge_point_id=points[1].id,
                                    idempotency_key="late-commit-2", reported_at=SENT))  # fmt: skip
    db.session.flush()
    assert reports_in_order(event.id) == fresh(event.id)


def test_a_late_report_among_the_newest_is_read_without_reading_them_all(
    app: Flask, make: Factory
) -> None:
    """Threads writing at once commit out of id order in every burst: a report committed under
    an id below the last one read, among the ``RECENT`` newest, comes with the next read of the
    newest reports; the event's reports are not read whole again."""
    event = make.event(HOME, title="Hội nghị", channel="online_conference")
    (point,) = services.set_bridge_points(event, commune_codes(HOME, 1), {})
    base = 10_000_000
    for n in range(RECENT + 20):  # every other id, so that a late one fits between them
        db.session.add(AttendanceReport(id=base + 2 * n, head_count=n, bridge_point_id=point.id,
                                        idempotency_key=f"report-{n:05d}",
                                        reported_at=SENT + timedelta(seconds=n)))  # fmt: skip
    db.session.flush()
    assert reports_in_order(event.id) == fresh(event.id)
    db.session.add(AttendanceReport(id=base + 2 * (RECENT + 10) + 1, head_count=99,
                                    bridge_point_id=point.id, idempotency_key="late-commit",
                                    reported_at=SENT))  # fmt: skip
    db.session.flush()
    reads: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        reads.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        kept = reports_in_order(event.id)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert kept == fresh(event.id)
    assert len(kept) == RECENT + 21
    assert len(reads) == 1  # the newest reports with the count: no second, whole read
