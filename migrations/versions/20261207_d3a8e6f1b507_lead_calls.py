"""Call outcomes recorded once per submission, whatever the retries of a page offline

Revision ID: d3a8e6f1b507
Revises: b9d4f2a6c813
Create Date: 2026-12-07 02:00:00.000000

``lead_calls`` holds one row per call outcome an officer saved (the lead editor's submission):
the page queues it under a key of its own and sends it again until an answer comes, and the key,
unique per user, makes a retry the same call. Notes are encrypted like the lead's (LargeBinary).
"""

import sqlalchemy as sa
from alembic import op

revision = "d3a8e6f1b507"
down_revision = "b9d4f2a6c813"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("next_call_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.LargeBinary(), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),  # fmt: skip
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            ondelete="CASCADE",
            name=op.f("fk_lead_calls_event_id_events"),
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            ondelete="CASCADE",
            name=op.f("fk_lead_calls_person_id_people"),
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_lead_calls_user_id_users")
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_calls")),
        sa.UniqueConstraint(
            "user_id", "idempotency_key", name=op.f("uq_lead_calls_user_id_idempotency_key")
        ),  # fmt: skip
    )
    op.create_index(op.f("ix_lead_calls_event_id"), "lead_calls", ["event_id"])
    op.create_index(op.f("ix_lead_calls_person_id"), "lead_calls", ["person_id"])
    op.create_index(op.f("ix_lead_calls_user_id"), "lead_calls", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_lead_calls_user_id"), table_name="lead_calls")
    op.drop_index(op.f("ix_lead_calls_person_id"), table_name="lead_calls")
    op.drop_index(op.f("ix_lead_calls_event_id"), table_name="lead_calls")
    op.drop_table("lead_calls")
