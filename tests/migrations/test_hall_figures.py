"""Revision c8d4f1a2b6e0 gives every hall its figures from the reports it already sent: the
latest-sent head count (the later id on a tie; a report of attendees only never counts), and how
many reports and attendee rows it sent. A hall without reports keeps nothing and zeros."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.models import BridgePoint
from tests.migrations.test_date_touches import Rows

BEFORE = "a1e7c3b9d5f2"
SENT = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def test_the_upgrade_counts_each_halls_reports(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        units = [
            rows.add("org_units", code=f"9900{n}", name=f"Xã Thử {n}", short_name=f"Thử {n}",
                     kind="commune", division_type="xã", path=f"9900{n}", source_version="test")
            for n in range(3)
        ]  # fmt: skip
        rows.unit = units[0]
        event = rows.event("Hội nghị")
        busy, quiet, silent = (
            rows.add("bridge_points", event_id=event, org_unit_id=unit, expected_attendance=0,
                     contact_name="", created_at=SENT, updated_at=SENT)
            for unit in units
        )  # fmt: skip

        def report(hall: int, key: str, count: int | None, minutes: int, attendees: int) -> int:
            return rows.add("attendance_reports", bridge_point_id=hall, head_count=count,
                            reported_at=SENT + timedelta(minutes=minutes), idempotency_key=key,
                            source="checkin", attendees=attendees)  # fmt: skip

        report(busy, "late-sent-1", 52, 30, 0)  # sent last, stored first
        report(busy, "tie-first-1", 40, 20, 2)
        report(busy, "early-sent1", 30, 10, 0)
        report(busy, "sheet-only1", None, 50, 5)  # later, but carries no head count
        tie = report(busy, "tie-later-1", 61, 30, 1)  # same moment as the 52: the later id wins
        report(quiet, "sheet-only2", None, 5, 3)
    upgrade()
    got = {
        p.id: (p.head_count, p.head_count_at, p.head_count_report_id, p.reports,
               p.attendees_reported)
        for p in db.session.query(BridgePoint)
    }  # fmt: skip
    assert got[busy] == (61, SENT + timedelta(minutes=30), tie, 5, 8)
    assert got[quiet] == (None, None, None, 1, 3)
    assert got[silent] == (None, None, None, 0, 0)
