"""A comment written by the page or channel itself (its own reply) is stored as such

Revision ID: d4b8e2a6f917
Revises: c8f1a4e6d205
Create Date: 2026-12-23 09:00:00.000000

Collectors already told a fanpage's or channel's own comments (``CommentRecord.by_owner``) and
the writer kept them out of leads, but the mark was not stored: the live page showed the office's
replies ("Dạ anh để lại số điện thoại, bên em gọi lại ạ") as a viewer's, and the comment counts
took them for the audience's. ``comments.by_owner`` stores it; existing rows are a viewer's
(false), as they were counted until now (a comment the collectors read again gets its mark).
``ix_comments_counted``, the shown comments' index without the page's replies, lets the counts
that leave those replies out read an index alone, as ``ix_comments_shown`` let them before; its
condition is the counts' own, term for term (SQLite uses a partial index only so). The
downgrade drops both.
"""

import sqlalchemy as sa
from alembic import op

revision = "d4b8e2a6f917"
down_revision = "c8f1a4e6d205"
branch_labels = None
depends_on = None

COUNTED = {
    "postgresql": sa.text("deleted_at IS NULL AND by_owner = false"),
    "sqlite": sa.text("deleted_at IS NULL AND by_owner = 0"),
}


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(
            sa.Column("by_owner", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_index(
        "ix_comments_counted",
        "comments",
        ["target_id", "created_at", "deleted_at", "by_owner"],
        postgresql_where=COUNTED["postgresql"],
        sqlite_where=COUNTED["sqlite"],
    )


def downgrade() -> None:
    op.drop_index("ix_comments_counted", table_name="comments")
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("by_owner")
