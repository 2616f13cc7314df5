"""Each event's credit among each scheme's enrolments, for a campaign's reports

Revision ID: a6e3f9c2d417
Revises: f3a9d6b2c8e1
Create Date: 2026-12-11 09:00:00.000000

A campaign promotes one scheme, but its page and its channel comparison credited its events with
any scheme's enrolments: a BHXH tự nguyện campaign's attendee who joined BHYT hộ gia đình was
"attributed to the campaign's activities" while not one of its new participants.
``event_rollups.credit_by_scheme`` keeps the credit among each scheme's enrolments alone. The
rows written before it hold none, so the rollups are marked unbuilt: the reports read the source
tables until the scheduler's first build (or ``flask reports rollup --full``) rebuilds them.
The downgrade drops the column; the rollups stay valid without it.
"""

import sqlalchemy as sa
from alembic import op

revision = "a6e3f9c2d417"
down_revision = "f3a9d6b2c8e1"
branch_labels = None
depends_on = None

ROLLUP_STATE = "event_facts"
rollup_state = sa.table("rollup_state", sa.column("name", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("event_rollups") as batch:
        batch.add_column(
            sa.Column("credit_by_scheme", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("event_rollups") as batch:
        batch.alter_column("credit_by_scheme", server_default=None)
    op.execute(rollup_state.delete().where(rollup_state.c.name == ROLLUP_STATE))


def downgrade() -> None:
    with op.batch_alter_table("event_rollups") as batch:
        batch.drop_column("credit_by_scheme")
