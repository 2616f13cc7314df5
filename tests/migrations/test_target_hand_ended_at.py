"""Revision f2c8b6d4a913 marks the targets an officer's end stopped as ended at that end, on both
databases, and its downgrade stops again those still waiting for their last read.

Before it, an officer's end left its livestream's targets "live" (their platform had not ended
them), finished: the event page never showed the after-livestream section, the month's report
left the livestream out, and Facebook's total views were never read. After it, they are ended
at the event's end; the Facebook and YouTube lives not paused get their last read, due at once.
Targets their platform ended, and those of events no officer ended, are left as they were.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.models import Target
from tests.migrations.test_date_touches import Rows

BEFORE = "e3a9c1f5b207"  # the revision before f2c8b6d4a913
START = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # 20:00 in Hà Nội
ENDED = START + timedelta(minutes=40)  # the officer's end
STOPPED = ENDED + timedelta(seconds=2)  # when the targets stopped


def test_the_upgrade_ends_the_targets_an_officers_end_stopped(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        officer = rows.add("users", email="canbo@example.vn", role="officer",
                           org_unit_id=rows.unit, password_hash="x", display_name="Cán bộ",
                           active=True)  # fmt: skip
        by_hand = rows.event("Livestream", planned_start=START, actual_end=ENDED)
        conn.execute(sa.text("UPDATE events SET channel = 'livestream', ended_by_id = :u "
                             "WHERE id = :e"), {"u": officer, "e": by_hand})  # fmt: skip
        by_platform = rows.event("Livestream 2", planned_start=START, actual_end=ENDED)

        def target(event_id: int, name: str, kind: str, status: str, **kw) -> int:
            return rows.add("targets", event_id=event_id, kind=kind, external_id=name, cursor={},
                            last_error="", failures=0, calls_used=0, status=status,
                            finished_at=STOPPED, **kw)  # fmt: skip

        ids = {
            "facebook": target(by_hand, "fb", "facebook_live", "live"),
            "youtube": target(by_hand, "yt", "youtube_live", "live"),
            "paused": target(by_hand, "fb2", "facebook_live", "live", paused_reason="auth_expired"),
            "zoom": target(by_hand, "z", "zoom_meeting", "live"),
            "ended first": target(by_hand, "fb3", "facebook_live", "ended"),
            "other event": target(by_platform, "fb4", "facebook_live", "ended"),
        }

    upgrade()
    rows_after = {name: db.session.get(Target, target_id) for name, target_id in ids.items()}
    state = {n: (t.status, t.hand_ended_at, t.finished_at, t.next_run_at)
             for n, t in rows_after.items()}  # fmt: skip
    assert state == {
        # Their last read due at once, dated at the officer's end.
        "facebook": ("ended", ENDED, None, ENDED),
        "youtube": ("ended", ENDED, None, ENDED),
        # Ended at the officer's end, stopped as they were.
        "paused": ("ended", ENDED, STOPPED, None),
        "zoom": ("ended", ENDED, STOPPED, None),
        # Their platform ended them: as they were.
        "ended first": ("ended", None, STOPPED, None),
        "other event": ("ended", None, STOPPED, None),
    }

    db.session.remove()
    downgrade(revision=BEFORE)
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("targets")}
    assert "hand_ended_at" not in columns
    with db.engine.connect() as conn:
        waiting = conn.execute(
            sa.text("SELECT COUNT(*) FROM targets WHERE finished_at IS NULL")
        ).scalar_one()
    assert waiting == 0  # stopped again, as the officer's end did before
