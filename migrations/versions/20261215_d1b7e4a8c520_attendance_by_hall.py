"""Index the attendances by hall

Revision ID: d1b7e4a8c520
Revises: c4f8a2d6e913
Create Date: 2026-12-15 09:00:00.000000

A commune's part in the province's events (the channels report) reads the people seen at its
halls: ``attendances.bridge_point_id`` had no index, so each read went through every touch of the
province's conferences. Only an index: no row changes; the downgrade drops it.
"""

from alembic import op

revision = "d1b7e4a8c520"
down_revision = "c4f8a2d6e913"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attendances") as batch:
        batch.create_index(batch.f("ix_attendances_bridge_point_id"), ["bridge_point_id"])


def downgrade() -> None:
    with op.batch_alter_table("attendances") as batch:
        batch.drop_index(batch.f("ix_attendances_bridge_point_id"))
