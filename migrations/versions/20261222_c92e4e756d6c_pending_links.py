"""Links typed on an event's form wait with the event, not in one officer's session

Revision ID: c92e4e756d6c
Revises: d3a8e6f1b507
Create Date: 2026-12-07 09:00:00.000000

``pending_links`` holds each line typed in an event's links box until an officer tracks it or
drops it: who typed it and when, the line and what its platform said of it encrypted
(LargeBinary: a pasted Zoom link may carry its passcode). Before, they were kept for an hour in
the typing officer's session, seen by no one else. Nothing to carry over: those expire.
"""

import sqlalchemy as sa
from alembic import op

revision = "c92e4e756d6c"
down_revision = "d3a8e6f1b507"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.LargeBinary(), nullable=False),
        sa.Column("checked", sa.LargeBinary(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            ondelete="CASCADE",
            name=op.f("fk_pending_links_event_id_events"),
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_pending_links_created_by_id_users")
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_links")),
    )
    op.create_index(op.f("ix_pending_links_event_id"), "pending_links", ["event_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_links_event_id"), table_name="pending_links")
    op.drop_table("pending_links")
