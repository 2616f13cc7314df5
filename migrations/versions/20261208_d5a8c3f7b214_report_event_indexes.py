"""Reports on events: an index of unit, channel, cost and campaign; statistics of the start

Revision ID: d5a8c3f7b214
Revises: c7d4e2f1a9b6
Create Date: 2026-12-08 09:00:00.000000

``ix_events_report_figures`` (unit, channel, cost, campaign) covers what a report sums from events
beside their rollup rows: SQLite reads a province's 20,000 events from the index alone instead of
visiting each event's row.

A report selects its events by ``COALESCE(actual_start, planned_start)``. PostgreSQL kept no
statistics of that expression and guessed a province-year's 20,000 events to be a hundred, so it
looked each one's rollup row up in turn (20,000 probes) where a hash join reads both once.
``st_events_start`` (extended statistics on the expression, PostgreSQL 14 and later; ANALYZE fills
them) gives it the spread. SQLite keeps no such statistics and needs none here.
"""

from alembic import op

revision = "d5a8c3f7b214"
down_revision = "c7d4e2f1a9b6"
branch_labels = None
depends_on = None


def _has_expression_statistics() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return int(bind.exec_driver_sql("SHOW server_version_num").scalar_one()) >= 140000


def upgrade() -> None:
    op.create_index(
        "ix_events_report_figures",
        "events",
        ["org_unit_id", "channel", "cost_vnd", "campaign_id"],
    )
    if _has_expression_statistics():
        op.execute(
            "CREATE STATISTICS st_events_start ON (COALESCE(actual_start, planned_start)) "
            "FROM events"
        )
        op.execute("ANALYZE events")


def downgrade() -> None:
    if _has_expression_statistics():
        op.execute("DROP STATISTICS IF EXISTS st_events_start")
    op.drop_index("ix_events_report_figures", table_name="events")
