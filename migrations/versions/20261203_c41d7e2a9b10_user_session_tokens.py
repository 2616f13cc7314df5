"""User session tokens: log-out, password change and deactivation end every session

Revision ID: c41d7e2a9b10
Revises: b29fe9f8be11
Create Date: 2026-12-03 17:00:00.000000

Flask-Login kept only the user id in the session and in the 365-day remember cookie, so a cookie
copied before log-out kept working. Sessions now carry ``users.session_token`` too; a new token is
drawn on log-out, password change and deactivation. Sessions and cookies issued before this
revision hold no token and stop working: everybody logs in once more.
"""

import sqlalchemy as sa
from alembic import op

revision = "c41d7e2a9b10"
down_revision = "b29fe9f8be11"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_token")
