"""The event's month in Vietnam and its default credit on its rollup row, indexed with the figures

Revision ID: c7d4e2f1a9b6
Revises: c8d4f1a2b6e0
Create Date: 2026-12-07 09:00:00.000000

A year's channel report grouped its events by month by converting each event's start to Vietnam
time in SQL, row by row, and read the figures from the table. ``event_rollups.local_month``
("2026-10") is now written with the figures, and so is ``credit_default``, the share under the
default model (last touch) and the longest window (90 days) that ``credit`` also holds in JSON;
``ix_event_rollups_month_figures`` (month, event, then the summed figures) lets the database sum a
year from the index, without a JSON read per event.

The backfill converts in SQL: PostgreSQL through the time zone, SQLite by adding seven hours
(Vietnam has kept UTC+7 without daylight saving since 1975, and the stored starts are later).
"""

import sqlalchemy as sa
from alembic import op

revision = "c7d4e2f1a9b6"
down_revision = "c8d4f1a2b6e0"
branch_labels = None
depends_on = None

START = "COALESCE(events.actual_start, events.planned_start)"
CREDIT = {
    "postgresql": "COALESCE(CAST(credit -> '90' ->> 'last_touch' AS FLOAT), 0)",
    "sqlite": "COALESCE(CAST(json_extract(credit, '$.\"90\".last_touch') AS REAL), 0)",
}
MONTH = {
    "postgresql": f"to_char(timezone('Asia/Ho_Chi_Minh', {START}), 'YYYY-MM')",
    "sqlite": f"strftime('%Y-%m', datetime({START}, '+7 hours'))",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("event_rollups") as batch:
        batch.add_column(sa.Column("local_month", sa.String(length=7), nullable=True))
        batch.add_column(
            sa.Column("credit_default", sa.Float(), nullable=False, server_default=sa.text("0"))
        )
    op.execute(
        f"UPDATE event_rollups SET credit_default = {CREDIT[dialect]}, local_month = "
        f"(SELECT {MONTH[dialect]} FROM events WHERE events.id = event_rollups.event_id)"
    )
    with op.batch_alter_table("event_rollups") as batch:
        batch.alter_column("credit_default", server_default=None)
    op.create_index(
        "ix_event_rollups_month_figures",
        "event_rollups",
        ["local_month", "event_id", "views", "interactions", "present", "identified",
         "credit_default"],
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_event_rollups_month_figures", table_name="event_rollups")
    with op.batch_alter_table("event_rollups") as batch:
        batch.drop_column("credit_default")
        batch.drop_column("local_month")
