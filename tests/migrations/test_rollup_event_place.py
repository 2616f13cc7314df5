"""Revision f3a9d6b2c8e1 copies each event's unit, channel, campaign and cost onto its rollup
row, on both databases, and the year's sums then read one index.

Rows built before it get their own event's values (not another event's, not the first one's):
two events of different communes, channels, campaigns (one without) and costs.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app.extensions import db
from app.models import Channel, EventRollup
from tests.migrations.test_date_touches import Rows

BEFORE = "e2b7c4d1f830"  # the revision before f3a9d6b2c8e1
AT = datetime(2026, 10, 3, 2, 0, tzinfo=UTC)


def test_the_upgrade_copies_each_events_place_onto_its_row(empty: Flask, backend: str) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        unit = dict(kind="commune", division_type="xã", source_version="test")
        first = rows.add("org_units", code="99001", name="Xã Một", short_name="Một",
                         path="99001", **unit)  # fmt: skip
        second = rows.add("org_units", code="99002", name="Xã Hai", short_name="Hai",
                          path="99002", **unit)  # fmt: skip
        campaign = rows.add("campaigns", name="BHXH tự nguyện Q4", org_unit_id=first,
                            scheme="bhxh_tu_nguyen", starts_on=AT.date(), ends_on=AT.date(),
                            goal=10, attribution_window_days=90, description="")  # fmt: skip
        rows.unit = first
        livestream = rows.event("Livestream", planned_start=AT)
        conn.execute(
            sa.text("UPDATE events SET channel = 'livestream', cost_vnd = 2000000, "
                    "campaign_id = :c WHERE id = :e"),
            {"c": campaign, "e": livestream},
        )  # fmt: skip
        rows.unit = second
        conference = rows.event("Hội nghị", planned_start=AT)
        table = sa.Table("event_rollups", rows.meta, autoload_with=conn)
        for event_id in (livestream, conference):
            conn.execute(sa.insert(table).values(event_id=event_id, views=1, interactions=0,
                                                 identified=0, credit={}, credit_default=0,
                                                 local_month="2026-10",
                                                 refreshed_at=rows.at(AT)))  # fmt: skip
    upgrade()
    query = sa.select(
        EventRollup.event_id,
        EventRollup.org_unit_id,
        EventRollup.channel,
        EventRollup.campaign_id,
        EventRollup.cost_vnd,
    )
    stored = {event_id: tuple(place) for event_id, *place in db.session.execute(query)}
    assert stored == {
        livestream: (first, Channel.LIVESTREAM, campaign, 2_000_000),
        conference: (second, Channel.ONLINE_CONFERENCE, None, 0),
    }
    indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes("event_rollups")}
    assert {"ix_event_rollups_month_sums", "ix_event_rollups_unit_sums"} <= indexes
    assert "ix_event_rollups_month_figures" not in indexes
