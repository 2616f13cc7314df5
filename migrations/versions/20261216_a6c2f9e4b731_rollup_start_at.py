"""The event's start on its rollup row, so a report counts only the events already held

Revision ID: a6c2f9e4b731
Revises: d1b7e4a8c520
Create Date: 2026-12-16 09:00:00.000000

A report counted an event planned for later in the month as an activity held and its cost as
spent. It now counts an event (and its cost) once its start, the actual one else the planned one,
has passed at the moment the report is read; the rest of the month's events are shown apart as
planned. The rollup row carries that start (``start_at``), copied from the event like its month,
and both summing indexes end with it, so a year's sums compare it from the index alone. The
upgrade copies every event's start; the downgrade drops the column and rebuilds the indexes as
they were.
"""

import sqlalchemy as sa
from alembic import op

revision = "a6c2f9e4b731"
down_revision = "d1b7e4a8c520"
branch_labels = None
depends_on = None

FIGURES = ("campaign_id", "cost_vnd", "views", "interactions", "present", "identified",
           "credit_default")  # fmt: skip
MONTH_FIRST = ("local_month", "channel", "org_unit_id")
UNIT_FIRST = ("org_unit_id", "channel", "local_month")


def _indexes(extra: tuple[str, ...]) -> None:
    op.create_index(
        "ix_event_rollups_month_sums", "event_rollups", [*MONTH_FIRST, *FIGURES, *extra]
    )
    op.create_index("ix_event_rollups_unit_sums", "event_rollups", [*UNIT_FIRST, *FIGURES, *extra])


def _drop_indexes() -> None:
    op.drop_index("ix_event_rollups_unit_sums", table_name="event_rollups")
    op.drop_index("ix_event_rollups_month_sums", table_name="event_rollups")


def upgrade() -> None:
    with op.batch_alter_table("event_rollups") as batch:
        batch.add_column(sa.Column("start_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE event_rollups SET start_at = (SELECT COALESCE(events.actual_start, "
        "events.planned_start) FROM events WHERE events.id = event_rollups.event_id)"
    )
    _drop_indexes()
    _indexes(("start_at",))


def downgrade() -> None:
    _drop_indexes()
    _indexes(())
    with op.batch_alter_table("event_rollups") as batch:
        batch.drop_column("start_at")
