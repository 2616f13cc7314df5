"""The event's unit, channel, campaign and cost on its rollup row, summed from one index

Revision ID: f3a9d6b2c8e1
Revises: e2b7c4d1f830
Create Date: 2026-12-10 09:00:00.000000

A province's year report summed its 20,000 rollup rows grouped by the event's channel, unit and
month, so each row was joined to its event for the channel, the unit, the campaign and the cost:
55 ms of a year page on SQLite, where the same sums over one index take 8. The rollup row now
carries those four values, copied from the event by every writer of the row and again when the
event changes. ``ix_event_rollups_month_sums`` (month, channel, unit, campaign, cost, then the
summed figures) replaces ``ix_event_rollups_month_figures`` (month, event, figures), which only
served that join; ``ix_event_rollups_unit_sums`` (unit, channel, month, …) gives SQLite, which has
no grouping sets, the sums per commune in the index's order, without a sort.
"""

import sqlalchemy as sa
from alembic import op

revision = "f3a9d6b2c8e1"
down_revision = "e2b7c4d1f830"
branch_labels = None
depends_on = None

PLACE = ("org_unit_id", "channel", "campaign_id", "cost_vnd")
FIGURES = ("campaign_id", "cost_vnd", "views", "interactions", "present", "identified",
           "credit_default")  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("event_rollups") as batch:
        batch.add_column(sa.Column("org_unit_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("channel", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("campaign_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("cost_vnd", sa.BigInteger(), nullable=True))
    copied = ", ".join(f"{column} = events.{column}" for column in PLACE)
    op.execute(
        f"UPDATE event_rollups SET {copied} FROM events WHERE events.id = event_rollups.event_id"
    )
    op.drop_index("ix_event_rollups_month_figures", table_name="event_rollups")
    op.create_index(
        "ix_event_rollups_month_sums",
        "event_rollups",
        ["local_month", "channel", "org_unit_id", *FIGURES],
    )
    op.create_index(
        "ix_event_rollups_unit_sums",
        "event_rollups",
        ["org_unit_id", "channel", "local_month", *FIGURES],
    )


def downgrade() -> None:
    op.drop_index("ix_event_rollups_unit_sums", table_name="event_rollups")
    op.drop_index("ix_event_rollups_month_sums", table_name="event_rollups")
    op.create_index(
        "ix_event_rollups_month_figures",
        "event_rollups",
        ["local_month", "event_id", "views", "interactions", "present", "identified",
         "credit_default"],
    )  # fmt: skip
    with op.batch_alter_table("event_rollups") as batch:
        for column in reversed(PLACE):
            batch.drop_column(column)
