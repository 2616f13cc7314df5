"""Leads an officer works through: status, assignee, notes and next call per person and event

Revision ID: 3a7d2c9e4b10
Revises: 5e1f0c7a2d93
Create Date: 2026-12-06 09:00:00.000000

``lead_work`` holds one row per (event, person) once somebody marked or assigned the lead; a lead
without a row is new. Notes are encrypted like the other personal text (LargeBinary).
"""

import sqlalchemy as sa
from alembic import op

revision = "3a7d2c9e4b10"
down_revision = "5e1f0c7a2d93"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.LargeBinary(), nullable=False),
        sa.Column("next_call_on", sa.Date(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),  # fmt: skip
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),  # fmt: skip
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE",
                                name=op.f("fk_lead_work_event_id_events")),  # fmt: skip
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE",
                                name=op.f("fk_lead_work_person_id_people")),  # fmt: skip
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"],
                                name=op.f("fk_lead_work_assignee_id_users")),  # fmt: skip
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name=op.f("fk_lead_work_updated_by_id_users")),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_work")),
        sa.UniqueConstraint("event_id", "person_id", name=op.f("uq_lead_work_event_id_person_id")),
    )
    op.create_index(op.f("ix_lead_work_event_id"), "lead_work", ["event_id"])
    op.create_index(op.f("ix_lead_work_person_id"), "lead_work", ["person_id"])
    op.create_index(op.f("ix_lead_work_assignee_id"), "lead_work", ["assignee_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_lead_work_assignee_id"), table_name="lead_work")
    op.drop_index(op.f("ix_lead_work_person_id"), table_name="lead_work")
    op.drop_index(op.f("ix_lead_work_event_id"), table_name="lead_work")
    op.drop_table("lead_work")
