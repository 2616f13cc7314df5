"""Consent as a recorded answer; the comment leads' legal basis; erasure marks

Revision ID: e5c0a7d19b43
Revises: e5b1c0d4a7f3
Create Date: 2026-12-05 09:00:00.000000

Until this revision every attendee imported from a sheet or typed on a check-in page was stamped
``consent_at`` = the import time with version "sheet-v1" or "checkin-v1", whatever they had said:
an automatic stamp, not an answer. Now an answer is recorded (agreed or not, to which purpose
text, when) and only people who agreed are linked and called.

1. ``people.consent_agreed`` (NULL: nobody asked), ``people.legal_basis``; ``enrolments`` get the
   same answer columns (from the export's own column) and ``erased_at``; ``comments.erased_at``.
2. The automatic stamps are removed (``consent_at`` and ``consent_version`` set to NULL): they
   were never answers, so those people are no longer linked or called until they answer.
3. People made from comment leads (``consent_source`` "comment") are held under the public
   comment basis (``legal_basis`` "public_comment"), with its retention limit.

The downgrade drops the new columns; the automatic stamps are not brought back.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "e5c0a7d19b43"
down_revision = "e5b1c0d4a7f3"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
AUTOMATIC_STAMPS = ("sheet-v1", "checkin-v1")

people = sa.table(
    "people",
    sa.column("consent_at", sa.DateTime(timezone=True)),
    sa.column("consent_version", sa.String),
    sa.column("consent_source", sa.String),
    sa.column("legal_basis", sa.String),
)


def _answer_columns() -> list[sa.Column]:
    return [
        sa.Column("consent_agreed", sa.Boolean(), nullable=True),
        sa.Column("consent_version", sa.String(length=40), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade():
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("consent_agreed", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("legal_basis", sa.String(length=20), nullable=True))
    with op.batch_alter_table("enrolments") as batch:
        for column in _answer_columns():
            batch.add_column(column)
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    stamps = bind.execute(
        people.update()
        .where(people.c.consent_version.in_(AUTOMATIC_STAMPS))
        .values(consent_at=None, consent_version=None)
    ).rowcount
    leads = bind.execute(
        people.update()
        .where(people.c.consent_source == "comment")
        .values(legal_basis="public_comment")
    ).rowcount
    log.info(
        "Automatic consent stamps removed: %s; comment leads under their basis: %s", stamps, leads
    )


def downgrade():
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("enrolments") as batch:
        for name in ("erased_at", "consent_at", "consent_version", "consent_agreed"):
            batch.drop_column(name)
    with op.batch_alter_table("people") as batch:
        batch.drop_column("legal_basis")
        batch.drop_column("consent_agreed")
