"""User session tokens: log-out, password change and deactivation end every session

Revision ID: c41d7e2a9b10
Revises: b29fe9f8be11
Create Date: 2026-12-03 17:00:00.000000

Flask-Login kept only the user id in the session and in the 365-day remember cookie, so a cookie
copied before log-out kept working. Sessions now carry ``users.session_token`` too; a new token is
drawn on log-out, password change and deactivation. Every user is given a token now; sessions
and cookies issued before this revision hold none and stop working: everybody logs in once more.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "c41d7e2a9b10"
down_revision = "b29fe9f8be11"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
    # Every user gets one now: a session made with an API token (a live socket) must find it.
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(session_token=secrets.token_urlsafe(32))
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_token")
