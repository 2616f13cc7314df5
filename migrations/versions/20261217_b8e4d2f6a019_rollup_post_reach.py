"""A post's reach on its rollup row, so the reports read it from the rollups as from the sources

Revision ID: b8e4d2f6a019
Revises: a6c2f9e4b731
Create Date: 2026-12-17 09:00:00.000000

The channels report shows a post's people reached (Facebook's ``post_total_media_view_unique``,
kept in the samples' ``extra``) beside its views, and its files and API carry it too. A report
read from the rollups must give the same figure, so the rollup row keeps it (``post_reach``:
each target's latest value, added up over the event's targets; NULL for other channels and
before any read), and both summing indexes end with it so a year's sums read it from the index.
The upgrade fills it for the post events' rows from their samples; the downgrade drops it and
rebuilds the indexes as they were.
"""

import sqlalchemy as sa
from alembic import op

revision = "b8e4d2f6a019"
down_revision = "a6c2f9e4b731"
branch_labels = None
depends_on = None

FIGURES = ("campaign_id", "cost_vnd", "views", "interactions", "present", "identified",
           "credit_default", "start_at")  # fmt: skip
MONTH_FIRST = ("local_month", "channel", "org_unit_id")
UNIT_FIRST = ("org_unit_id", "channel", "local_month")
KEY = "post_total_media_view_unique"  # collectors.facebook.metrics.POST_REACH
# A sample's reach, cut to a whole number as the application does (``int`` of the float that
# ``app.post_reach.reach_value`` reads), in each database's words.
VALUE = {
    "postgresql": f"CAST(FLOOR(CAST(s.extra ->> '{KEY}' AS DOUBLE PRECISION)) AS BIGINT)",
    "sqlite": f"CAST(json_extract(s.extra, '$.{KEY}') AS INTEGER)",
}
# Each target's latest value added up per post event (correlated, so one text serves both
# databases but for the value; the SUM of no value is NULL: not read).
BACKFILL = (
    "UPDATE event_rollups SET post_reach = ("
    "SELECT SUM(({latest})) FROM targets t WHERE t.event_id = event_rollups.event_id"
    ") WHERE event_rollups.event_id IN (SELECT id FROM events WHERE channel = 'post')"
)
LATEST = (
    "SELECT {value} FROM engagement_samples s WHERE s.target_id = t.id AND {value} IS NOT NULL "
    "ORDER BY s.sampled_at DESC LIMIT 1"
)


def _indexes(extra: tuple[str, ...]) -> None:
    columns = (*FIGURES, *extra)
    op.create_index("ix_event_rollups_month_sums", "event_rollups", [*MONTH_FIRST, *columns])
    op.create_index("ix_event_rollups_unit_sums", "event_rollups", [*UNIT_FIRST, *columns])


def _drop_indexes() -> None:
    op.drop_index("ix_event_rollups_unit_sums", table_name="event_rollups")
    op.drop_index("ix_event_rollups_month_sums", table_name="event_rollups")


def upgrade() -> None:
    with op.batch_alter_table("event_rollups") as batch:
        batch.add_column(sa.Column("post_reach", sa.BigInteger(), nullable=True))
    value = VALUE[op.get_bind().dialect.name]
    op.execute(BACKFILL.format(latest=LATEST.format(value=value)))
    _drop_indexes()
    _indexes(("post_reach",))


def downgrade() -> None:
    _drop_indexes()
    _indexes(())
    with op.batch_alter_table("event_rollups") as batch:
        batch.drop_column("post_reach")
