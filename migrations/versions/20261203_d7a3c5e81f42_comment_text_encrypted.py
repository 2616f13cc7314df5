"""Comment text encrypted at rest, like the phone found in it

Revision ID: d7a3c5e81f42
Revises: c41d7e2a9b10
Create Date: 2026-12-03 17:30:00.000000

People write their phone numbers, names and addresses into public comments; the text was stored
in clear in the database and its WAL, while the phone picked out of it was encrypted. The text
column becomes Fernet ciphertext with the application's data key (``LANTOA_DATA_KEY``), so this
revision runs inside the application (``flask db upgrade``). Every stored text is encrypted in
chunks; the downgrade decrypts them back.
"""

import sqlalchemy as sa
from alembic import op

from app.personal_data import cipher

revision = "d7a3c5e81f42"
down_revision = "c41d7e2a9b10"
branch_labels = None
depends_on = None

CHUNK = 2000


def _convert(source: str, target: str, target_type: sa.types.TypeEngine, change) -> None:
    """Copy ``source`` into a new column ``target`` through ``change``, then take its name."""
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column(target, target_type, nullable=True))
    comments = sa.table(
        "comments", sa.column("id", sa.Integer), sa.column(source), sa.column(target)
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(comments.c.id, comments.c[source])
            .where(comments.c.id > last)
            .order_by(comments.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        conn.execute(
            comments.update()
            .where(comments.c.id == sa.bindparam("row_id"))
            .values({target: sa.bindparam("value")}),
            [{"row_id": row_id, "value": change(value)} for row_id, value in rows],
        )
        last = rows[-1][0]
    with op.batch_alter_table("comments") as batch:
        batch.drop_column(source)
        batch.alter_column(target, new_column_name="message", nullable=False)


def upgrade() -> None:
    fernet = cipher()
    _convert("message", "message_sealed", sa.LargeBinary(), lambda v: fernet.encrypt(v or ""))


def downgrade() -> None:
    fernet = cipher()
    _convert("message", "message_clear", sa.Text(), lambda v: fernet.decrypt(bytes(v)))
