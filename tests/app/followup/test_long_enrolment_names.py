"""An enrolment row whose name outgrows the 200-character name columns (a name typed twice, a
name pasted from a PDF) imports, on PostgreSQL too (which refuses a value longer than its
column): the name cut at a word as the comment leads' are (``app.identity.text.name_columns``),
folded and cut again, since folding may lengthen it ("ß" is "ss")."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from openpyxl import Workbook

from app.extensions import db
from app.followup.enrolments import commit_enrolments, preview_enrolments
from app.identity.text import NAME_CHARS, fold
from app.models import Enrolment
from tests.conftest import HOME

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 3, 30)
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số điện thoại", "Xã/Phường",
          "Loại hình", "Tham gia mới/Gia hạn", "Ngày nộp tiền", "Số tiền"]  # fmt: skip
# 250 characters, the 200th inside "Phượng"; folded, its first 200 make 220 (the ligature "ﬁ",
# of a name pasted from a PDF, is "fi").
LONG = "Nguyễn Thị Hoà " + " ".join(["Phượng ﬁ"] * 22) + " Trần Thị Hương Lan Anh Minh Ngọc Châu"


def export(*names: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n, name in enumerate(names, start=1):
        sheet.append([n, name, "12/05/1980", "Nữ", f"09123456{n:02d}", "Xã Bắc Lý",
                      "BHXH tự nguyện", "Tham gia mới", "10/03/2026", 1_650_000])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_250_character_name_imports_cut_at_a_word(app: Flask, unit) -> None:
    assert len(LONG) == 250
    assert LONG[NAME_CHARS - 2 : NAME_CHARS + 1] == "ợng"
    preview = preview_enrolments(export(LONG, "Trần Văn Nam"), "thang3.xlsx", unit=unit(HOME),
                                 today=TODAY)  # fmt: skip
    assert preview.ok, preview.issues
    result = commit_enrolments(preview, user=None, unit=unit(HOME), now=NOW)
    db.session.commit()
    assert result.inserted == 2
    long, short = db.session.scalars(sa.select(Enrolment).order_by(Enrolment.source_row))
    # Whole words only, as many as the column holds.
    assert long.full_name == LONG[: LONG.rindex(" ", 0, NAME_CHARS + 1)]
    assert LONG.startswith(long.full_name + " ")
    assert long.full_name.endswith("Phượng ﬁ")
    # Folded, the name grew past the column: cut again at a word.
    assert len(fold(long.full_name)) > NAME_CHARS
    assert long.name_folded == fold(long.full_name)[: len(long.name_folded)]
    assert len(long.name_folded) <= NAME_CHARS
    assert set(long.name_folded.split()) == {"nguyen", "thi", "hoa", "phuong", "fi"}
    assert fold(long.full_name)[len(long.name_folded)] == " "
    assert (short.full_name, short.name_folded) == ("Trần Văn Nam", "tran van nam")
