"""Revision b7d2e5a9c314 gives each enrolment the sheet of its source row: the rows stored before
it came from one sheet and keep none; the downgrade drops the column and keeps the rows."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.models import Enrolment
from tests.migrations.test_date_touches import Rows

BEFORE = "b7d2e5a9c3f1"
IMPORTED = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def test_stored_enrolments_keep_no_sheet_and_the_downgrade_keeps_them(
    empty: Flask, backend: str
) -> None:
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        rows = Rows(conn, backend)
        batch = rows.add("import_batches", kind="enrolments", filename="t10.xlsx",
                         sha256="e" * 64, rows_total=1, rows_ok=1, rows_rejected=0, report={},
                         created_at=IMPORTED)  # fmt: skip
        rows.add("enrolments", import_batch_id=batch, source_row=3, row_key="r",
                 scheme="bhxh_tu_nguyen", is_new=True, payment_method="", agent_name="",
                 full_name="x", name_folded="x", commune_text="")  # fmt: skip
    upgrade()
    stored = db.session.scalars(sa.select(Enrolment)).one()
    assert (stored.source_row, stored.source_sheet) == (3, None)
    stored.source_sheet = "BHYT HGD"  # the column takes a sheet's name (31 characters in Excel)
    db.session.commit()
    downgrade(revision=BEFORE)
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("enrolments")}
    assert "source_sheet" not in columns
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT source_row FROM enrolments")).scalars().all() == [3]
