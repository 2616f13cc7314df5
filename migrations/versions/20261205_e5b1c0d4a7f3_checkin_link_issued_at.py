"""Check-in links always expire: when each link was issued

Revision ID: e5b1c0d4a7f3
Revises: d7a3c5e81f42
Create Date: 2026-12-05 09:00:00.000000

A hall's link of an event with no dates never expired. It now lives thirty days from when its
secret was drawn, kept in ``bridge_points.checkin_issued_at``; links issued before this revision
count from their hall's creation.
"""

import sqlalchemy as sa
from alembic import op

revision = "e5b1c0d4a7f3"
down_revision = "d7a3c5e81f42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bridge_points") as batch:
        batch.add_column(sa.Column("checkin_issued_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE bridge_points SET checkin_issued_at = created_at "
        "WHERE checkin_token_hash IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("bridge_points") as batch:
        batch.drop_column("checkin_issued_at")
