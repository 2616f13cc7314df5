"""Who ended an event by hand, so the collectors no longer set it live again

Revision ID: e3a9c1f5b207
Revises: b8e4d2f6a019
Create Date: 2026-12-18 09:00:00.000000

An officer may end an event while its platform still says it is live (the stream froze, the
organisers stopped it, nothing more is to be collected). ``ended_by_id`` names that officer; the
collectors' writer leaves such an event ended. NULL for every existing event: none was ended
by hand in a way the collectors respected.
"""

import sqlalchemy as sa
from alembic import op

revision = "e3a9c1f5b207"
down_revision = "b8e4d2f6a019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("ended_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_events_ended_by_id_users"), "users", ["ended_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_constraint(batch.f("fk_events_ended_by_id_users"), type_="foreignkey")
        batch.drop_column("ended_by_id")
