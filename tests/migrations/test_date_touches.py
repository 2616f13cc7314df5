"""Revision 8b392b5047f5 dates the visits already stored to the event, on both databases.

A database at the previous head gets the rows the application wrote before: sheet visits
stamped with their import time, generated ones, a comment lead, check-ins with their reports,
and built rollups. After ``upgrade``: the imported sheet visits carry the event's actual (else
planned) start, a generated one later than the event's end too, a check-in later than its report
the report's time; every other visit is as it was, and the rollups wait for a rebuild.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.models import Attendance, RollupState

BEFORE = "b3648a448de8"
START = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
END = START + timedelta(hours=3)
ACTUAL = START + timedelta(minutes=25)  # the second event began late
IMPORTED = START + timedelta(days=30)


class Rows:
    """Inserts into the tables as the previous revision has them (reflected, not the models)."""

    def __init__(self, conn: sa.Connection, backend: str) -> None:
        self.conn = conn
        self.meta = sa.MetaData()
        self.naive = backend == "sqlite"  # SQLite stores UTC without a zone, as the app does
        self.unit = 0  # the commune every event belongs to

    def at(self, moment: datetime | None) -> datetime | None:
        return moment.replace(tzinfo=None) if moment and self.naive else moment

    def add(self, table: str, **values: Any) -> int:
        t = sa.Table(table, self.meta, autoload_with=self.conn)
        values = {k: self.at(v) if isinstance(v, datetime) else v for k, v in values.items()}
        return self.conn.execute(sa.insert(t).values(**values).returning(t.c.id)).scalar_one()

    def event(self, title: str, **dates: datetime) -> int:
        return self.add("events", title=title, channel="online_conference", status="ended",
                        org_unit_id=self.unit, cost_vnd=0, description="", origin="manual",
                        **dates)  # fmt: skip

    def visit(self, event_id: int, source: str, ref: str, at: datetime, **kw: Any) -> int:
        person = self.add("people", full_name=ref, name_folded=ref, hamlet="", commune_text="")
        return self.add("attendances", person_id=person, event_id=event_id, source=source,
                        source_ref=ref, touched_at=at, **kw)  # fmt: skip

    def batch(self, event_id: int) -> int:
        return self.add("import_batches", kind="attendees", filename="ds.xlsx",
                        sha256=uuid.uuid4().hex * 2, event_id=event_id, rows_total=1, rows_ok=1,
                        rows_rejected=0, report={}, created_at=IMPORTED)  # fmt: skip


def test_the_upgrade_dates_stored_visits_to_the_event(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        planned = rows.event("Hội nghị", planned_start=START, planned_end=END)
        begun = rows.event("Hội nghị 2", planned_start=START, planned_end=END, actual_start=ACTUAL)
        undated = rows.event("Nhóm nhỏ")
        sheet, sheet2, sheet3 = rows.batch(planned), rows.batch(begun), rows.batch(undated)
        hall = rows.add("bridge_points", event_id=planned, org_unit_id=rows.unit,
                        expected_attendance=0, contact_name="")  # fmt: skip
        for key, sent in (("queued-0001", START + timedelta(hours=1)),
                          ("direct-0002", START + timedelta(hours=2))):  # fmt: skip
            rows.add("attendance_reports", bridge_point_id=hall, head_count=None, reported_at=sent,
                     idempotency_key=key, source="checkin", attendees=1)  # fmt: skip
        v = {
            "late sheet": rows.visit(planned, "sheet", f"sheet:{sheet}:2", IMPORTED),
            "sheet of a late start": rows.visit(begun, "sheet", f"sheet:{sheet2}:2", IMPORTED),
            "undated sheet": rows.visit(undated, "sheet", f"sheet:{sheet3}:2", IMPORTED),
            "seed during": rows.visit(planned, "sheet", "seed", START + timedelta(hours=1)),
            "seed after": rows.visit(planned, "sheet", "seed", END + timedelta(days=2)),
            "comment": rows.visit(planned, "comment", "comment 42", IMPORTED),
            "late check-in": rows.visit(planned, "checkin", f"checkin:{hall}:queued-0001:1",
                                        START + timedelta(hours=7), bridge_point_id=hall),
            "check-in": rows.visit(planned, "checkin", f"checkin:{hall}:direct-0002:1",
                                   START + timedelta(hours=2), bridge_point_id=hall),
        }  # fmt: skip
        rows.conn.execute(
            sa.insert(sa.Table("rollup_state", rows.meta, autoload_with=conn)).values(
                name="event_facts", built_at=rows.at(IMPORTED)
            )
        )

    upgrade()

    stored = dict(db.session.execute(sa.select(Attendance.id, Attendance.touched_at)).all())
    assert {name: stored[id_] for name, id_ in v.items()} == {
        "late sheet": START,  # the planned start
        "sheet of a late start": ACTUAL,  # the actual start
        "undated sheet": IMPORTED,  # nothing better is known
        "seed during": START + timedelta(hours=1),
        "seed after": START,
        "comment": IMPORTED,  # the comment's own time
        "late check-in": START + timedelta(hours=1),  # its report's
        "check-in": START + timedelta(hours=2),
    }
    assert db.session.get(RollupState, "event_facts") is None  # rebuilt by `reports rollup`
