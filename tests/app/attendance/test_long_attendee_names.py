"""An attendee sheet whose name outgrows the 200-character name columns (a name typed twice, a
name pasted from a PDF) imports with the name cut at a word, as the comment leads' and the
enrolments' are (``app.identity.text.name_columns``), not in the middle of one; folded and cut
again, since folding may lengthen it ("ﬁ" is "fi"). On PostgreSQL too, which refuses a value
longer than its column."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.halls.services import communes_of, set_bridge_points
from app.identity.text import NAME_CHARS, fold
from app.models import Person
from tests.app.sheets.files import xlsx
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HEADER = ["STT", "Họ và tên", "Năm sinh", "SĐT", "Thôn/Xóm", "Xã/Phường"]
# 260 characters, the 200th inside "Phượng"; folded, its first 200 grow past the column.
LONG = ("Nguyễn Thị Hoà " + " ".join(["Phượng ﬁ"] * 22)
        + " Trần Thị Hương Lan Anh Minh Ngọc Chiêu Bảo Ngân")  # fmt: skip


def test_a_260_character_name_imports_cut_at_a_word(app: Flask, make: Factory) -> None:
    assert len(LONG) == 260
    assert LONG[NAME_CHARS - 2 : NAME_CHARS + 1] == "ợng"
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    commune = communes_of(event)[0]
    set_bridge_points(event, [commune.code], {})
    db.session.commit()
    rows = [HEADER, [1, LONG, 1975, "0912345678", "Xóm 3", commune.name],
            [2, "Trần Văn Nam", 1980, "", "Thôn Đông", commune.name]]  # fmt: skip
    preview = preview_attendees(event, xlsx(rows), "ds.xlsx")
    assert preview.ok, preview.issues
    commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    long, short = db.session.scalars(sa.select(Person).order_by(Person.birth_year))
    # Whole words only, as many as the column holds: "Phượng" whole, not "Phượ".
    assert long.full_name == LONG[: LONG.rindex(" ", 0, NAME_CHARS + 1)]
    assert LONG.startswith(long.full_name + " ")
    assert long.full_name.endswith("Phượng ﬁ")
    # Folded, the name grew past the column: cut again at a word.
    assert len(fold(long.full_name)) > NAME_CHARS
    assert len(long.name_folded) <= NAME_CHARS
    assert fold(long.full_name)[len(long.name_folded)] == " "
    assert set(long.name_folded.split()) == {"nguyen", "thi", "hoa", "phuong", "fi"}
    assert (short.full_name, short.name_folded) == ("Trần Văn Nam", "tran van nam")
