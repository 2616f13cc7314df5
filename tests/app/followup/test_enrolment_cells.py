"""An enrolment export's phones, schemes, kinds, genders and communes are read by the file's reader.

A workbook of one sheet per commune repeats its communes and phones from sheet to sheet: each
distinct commune is placed once for the file, and the reader alone keeps what it read. A refused
cell is still named on every row that has it (a bad phone, another unit's commune), and each
ready row's key is worked out once: the preview's duplicates and the import share it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask

from app.attendance.rows import BAD_PHONE
from app.extensions import db
from app.followup.enrolment_cells import FOREIGN_COMMUNE, EnrolmentCommunes
from app.followup.enrolment_columns import with_communes
from app.followup.enrolments import commit_enrolments, preview_enrolments
from app.models import Enrolment, OrgKind, OrgUnit
from app.scoping import subtree_ids
from app.sheets.reader import read_table
from tests.app.sheets.files import workbook
from tests.conftest import HOME

NOW = datetime(2026, 3, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 3, 30)
HEADER = ["Họ và tên", "Giới tính", "Số điện thoại", "Xã/Phường", "Loại hình",
          "Tham gia mới/Gia hạn", "Ngày nộp tiền", "Số hồ sơ"]  # fmt: skip


def sheet(people: list[tuple[str, str]], first: int) -> list[list[Any]]:
    """A month's sheet: a row per (commune, phone), the scheme and kind spelt as agents do."""
    rows: list[list[Any]] = [HEADER]
    for i, (commune, phone) in enumerate(people, start=first):
        rows.append([f"Người Thứ {i}", "Nữ" if i % 2 else "NAM", phone, commune, "BHXH TN",
                     "Tăng mới", f"{i:02d}/03/2026", f"HS{i:03d}"])  # fmt: skip
    return rows


class CountingCommunes(EnrolmentCommunes):
    """The importing unit's communes, counting what it is asked to place (a real placer)."""

    def __init__(self, unit: OrgUnit) -> None:
        super().__init__(unit)
        self.asked: list[str] = []

    def place(self, written: str, row: int | str | None = None) -> Any:
        self.asked.append(written)
        return super().place(written, row)


def test_each_commune_is_placed_once_for_the_workbook(app: Flask, unit) -> None:
    communes = CountingCommunes(unit(HOME))
    yen, bac = "Xã Yên Thành", "Xã Bắc Lý"
    book = workbook(
        {
            "T3": sheet([(yen, "0912345601"), (yen, "0912345602"), (bac, "0912345603")], 1),
            "T4": sheet([(bac, "0912345601"), (bac, "0912345604")], 4),
        }
    )
    table = read_table(book, "t.xlsx", with_communes(communes), every_sheet=True)
    assert communes.asked == ["Xã Yên Thành", "Xã Bắc Lý"]
    read = [(r.values["commune"].text, r.values["phone"], r.values["gender"]) for r in table.rows]
    assert read == [
        ("Xã Yên Thành", "+84912345601", "female"),
        ("Xã Yên Thành", "+84912345602", "male"),
        ("Xã Bắc Lý", "+84912345603", "female"),
        ("Xã Bắc Lý", "+84912345601", "male"),
        ("Xã Bắc Lý", "+84912345604", "female"),
    ]


def test_a_refused_cell_is_named_on_every_row_that_has_it(app: Flask, unit) -> None:
    home = unit(HOME)
    inside = sa.select(subtree_ids(home).subquery().c[0])
    stranger = db.session.scalar(
        sa.select(OrgUnit.code)
        .where(OrgUnit.kind == OrgKind.COMMUNE, OrgUnit.id.not_in(inside))
        .order_by(OrgUnit.code)
        .limit(1)
    )
    book = workbook(
        {
            "T3": sheet([("Xã Yên Thành", "0912 34"), ("Xã Yên Thành", "0912345602")], 1),
            "T4": sheet([(stranger, "0912 34"), (stranger, "0912345604")], 3),
        }
    )
    preview = preview_enrolments(book, "t.xlsx", unit=home, today=TODAY)
    named = [(i.sheet, i.row, i.field, i.message, i.value) for i in preview.issues]
    assert named == [
        ("T3", 2, "phone", BAD_PHONE, "0912 34"),
        ("T4", 2, "phone", BAD_PHONE, "0912 34"),
        ("T4", 2, "commune", FOREIGN_COMMUNE, stranger),
        ("T4", 3, "commune", FOREIGN_COMMUNE, stranger),
    ]
    assert [r.number for r in preview.rows] == [3]


def test_each_rows_key_is_worked_out_once_and_stored(app: Flask, unit) -> None:
    book = workbook(
        {"T3": sheet([("Xã Yên Thành", "0912345601"), ("Xã Yên Thành", "0912345602")], 1)}
    )
    preview = preview_enrolments(book, "t.xlsx", unit=unit(HOME), today=TODAY)
    kept = [vars(row).get("row_key") for row in preview.rows]  # worked out by the preview
    assert None not in kept
    assert len(set(kept)) == 2
    commit_enrolments(preview, user=None, unit=unit(HOME), now=NOW)
    stored = db.session.scalars(sa.select(Enrolment.row_key).order_by(Enrolment.source_row))
    assert list(stored) == kept
