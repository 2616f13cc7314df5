"""Revision c7d4e2f1a9b6 stores each rollup row's month in Vietnam and its default credit, on
both databases.

Rows built before it get the month of their event's actual (else planned) start in Vietnam
time: 23:30 UTC on 31 October is November there; an event without a start gets none. The default
credit is the last-touch share over 90 days their JSON holds (0 where it holds none).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.models import EventRollup
from tests.migrations.test_date_touches import Rows

BEFORE = "c8d4f1a2b6e0"  # the revision before c7d4e2f1a9b6
NOVEMBER_THERE = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 06:30 on 01/11 in Vietnam
OCTOBER_THERE = datetime(2026, 10, 31, 16, 59, tzinfo=UTC)  # 23:59 on 31/10 in Vietnam
CREDITS = (
    {"30": {"last_touch": 1.0}, "90": {"last_touch": 0.333333, "linear": 0.5}},
    {"90": {"last_touch": 2.5}},
    {},
)


def test_the_upgrade_stores_each_rows_month_in_vietnam(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        events = {
            "2026-11": rows.event("Muộn", planned_start=NOVEMBER_THERE),
            "2026-10": rows.event(
                "Sớm", planned_start=NOVEMBER_THERE, actual_start=OCTOBER_THERE
            ),  # fmt: skip
            None: rows.event("Chưa hẹn ngày"),
        }
        table = sa.Table("event_rollups", rows.meta, autoload_with=conn)
        credits = dict(zip(events.values(), CREDITS, strict=True))
        for event_id, credit in credits.items():
            conn.execute(sa.insert(table).values(event_id=event_id, views=1, interactions=0,
                                                 identified=0, credit=credit,
                                                 refreshed_at=rows.at(NOVEMBER_THERE)))  # fmt: skip
    upgrade()
    query = sa.select(EventRollup.event_id, EventRollup.local_month, EventRollup.credit_default)
    stored = {i: (m, c) for i, m, c in db.session.execute(query)}
    assert stored == {
        event_id: (month, (credits[event_id].get("90") or {}).get("last_touch", 0.0))
        for month, event_id in events.items()
    }
