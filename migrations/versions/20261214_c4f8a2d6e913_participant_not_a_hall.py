"""A platform participant the organiser marked as no hall

Revision ID: c4f8a2d6e913
Revises: b7d2e5a9c314
Create Date: 2026-12-14 09:00:00.000000

The host's room, a staff member's phone or a presenter joins a conference like a hall but is
none: ``participants.not_a_hall`` takes such a name out of the unmatched list (and the API's
``?unmatched=1``) without giving it a hall. Existing rows are no mark (false). The downgrade
drops the column, and with it the marks.
"""

import sqlalchemy as sa
from alembic import op

revision = "c4f8a2d6e913"
down_revision = "b7d2e5a9c314"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(
            sa.Column("not_a_hall", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("not_a_hall")
