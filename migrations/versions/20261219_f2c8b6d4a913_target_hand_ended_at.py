"""When an officer's end of its event ended a tracked object the platform had not ended

Revision ID: f2c8b6d4a913
Revises: e3a9c1f5b207
Create Date: 2026-12-19 09:00:00.000000

An officer who ends an event ends its tracked objects with it, as their platform would at the
officer's end time: ``hand_ended_at`` is that time. The collector reads the object's final
figures once as at that end (Facebook's total views, the last comments), and setting the event
live again clears it so that collection resumes. NULL for every existing target: none was
ended this way.
"""

import sqlalchemy as sa
from alembic import op

revision = "f2c8b6d4a913"
down_revision = "e3a9c1f5b207"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("hand_ended_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("hand_ended_at")
