"""Revision b8e4d2f6a019 keeps a post's reach on its rollup row, on both databases, and its
downgrade takes it away again.

Rows built before it get their post's reach as the application reads it (each target's latest
value, added up over the post's targets; a later sample without the value does not hide it; a
value stored as 40.0 counts 40); a post with no reach read and a livestream whose samples carry
the key get none. Both summing indexes end with it after the upgrade, and without it after the
downgrade.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.models import EventRollup
from app.post_reach import post_reach
from collectors.facebook.metrics import POST_REACH
from tests.migrations.test_date_touches import Rows

BEFORE = "a6c2f9e4b731"  # the revision before b8e4d2f6a019
AT = datetime(2026, 10, 25, 2, 0, tzinfo=UTC)
INDEXES = ("ix_event_rollups_month_sums", "ix_event_rollups_unit_sums")


def _index_columns() -> dict[str, list[str]]:
    found = sa.inspect(db.engine).get_indexes("event_rollups")
    return {i["name"]: i["column_names"] for i in found if i["name"] in INDEXES}


def test_the_upgrade_fills_each_posts_reach_and_the_downgrade_drops_it(
    empty: Flask, backend: str
) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        rows.unit = rows.add("org_units", code="99001", name="Xã Thử", short_name="Thử",
                             kind="commune", division_type="xã", path="99001",
                             source_version="test")  # fmt: skip
        events = {}
        for key, channel in (("post", "post"), ("unread", "post"), ("live", "livestream")):
            events[key] = rows.event(key, planned_start=AT)
            conn.execute(sa.text("UPDATE events SET channel = :c WHERE id = :e"),
                         {"c": channel, "e": events[key]})  # fmt: skip

        def target(event_id: int, name: str, *reads: dict) -> None:
            t = rows.add("targets", event_id=event_id, kind="facebook_post", external_id=name,
                         cursor={}, last_error="", failures=0, calls_used=0)  # fmt: skip
            for hour, extra in enumerate(reads):
                rows.add("engagement_samples", target_id=t,
                         sampled_at=AT + timedelta(hours=hour), extra=extra)  # fmt: skip

        target(events["post"], "a", {POST_REACH: 100}, {POST_REACH: 250}, {})
        target(events["post"], "b", {POST_REACH: 40.0})
        target(events["unread"], "c", {"other": 5})
        target(events["live"], "d", {POST_REACH: 70})
        table = sa.Table("event_rollups", rows.meta, autoload_with=conn)
        for event_id in events.values():
            conn.execute(sa.insert(table).values(event_id=event_id, views=0, interactions=0,
                                                 identified=0, credit={}, credit_default=0,
                                                 credit_by_scheme={},
                                                 refreshed_at=rows.at(AT)))  # fmt: skip
    assert all("post_reach" not in c for c in _index_columns().values())

    upgrade()
    query = sa.select(EventRollup.event_id, EventRollup.post_reach)
    stored = {event_id: reach for event_id, reach in db.session.execute(query)}
    assert stored == {events["post"]: 290, events["unread"]: None, events["live"]: None}
    # The same figure the application computes for a row it builds.
    assert post_reach(list(events.values())) == {events["post"]: 290}
    assert all(columns[-1] == "post_reach" for columns in _index_columns().values())

    db.session.remove()
    downgrade(revision=BEFORE)
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("event_rollups")}
    assert "post_reach" not in columns
    indexes = _index_columns()
    assert set(indexes) == set(INDEXES)
    assert all(c[-1] == "start_at" for c in indexes.values())
