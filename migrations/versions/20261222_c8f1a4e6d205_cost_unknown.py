"""An event's and an offline activity's cost may be unknown (NULL), apart from a cost of 0

Revision ID: c8f1a4e6d205
Revises: c92e4e756d6c
Create Date: 2026-12-22 09:00:00.000000

``cost_vnd`` was required with a default of 0, so an event saved without its cost read as free:
the reports counted it in the cost per enrolment and the lists showed "0 đ". NULL now says
"not entered", and the reports compute the cost per result over the events whose cost is known.
The costs stored before stay as they are: a 0 typed in and a 0 left by an empty box cannot be
told apart any more, so every stored 0 stays a 0. The downgrade turns unknown costs back to 0.
"""

import sqlalchemy as sa
from alembic import op

revision = "c8f1a4e6d205"
down_revision = "c92e4e756d6c"
branch_labels = None
depends_on = None

TABLES = ("events", "offline_activities")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("cost_vnd", existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"UPDATE {table} SET cost_vnd = 0 WHERE cost_vnd IS NULL")
        with op.batch_alter_table(table) as batch:
            batch.alter_column("cost_vnd", existing_type=sa.BigInteger(), nullable=False)
