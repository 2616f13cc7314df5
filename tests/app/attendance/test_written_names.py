"""Names from an attendee sheet are stored as Vietnamese names are written.

Commune sheets are typed in every case: all in capitals (the habit of the old forms), all in
lower case (typed fast on a phone), with double spaces. The hall's check-in page already saved
"lò văn páo" as "Lò Văn Páo"; the sheet import stored the cell as typed, so the lists, the
exports and the call list showed "LÒ VĂN PÁO" beside "Lò Văn Páo". The folded name, and so the
duplicates within a file and the linkage, are as before: they never looked at case.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.halls.services import communes_of, set_bridge_points
from app.identity.text import fold
from app.linkage import PersonRecord, normalize_records
from app.models import Person
from tests.app.sheets.files import xlsx
from tests.conftest import HOME, Factory

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
HEADER = ["STT", "Họ và tên", "Năm sinh", "SĐT", "CCCD", "Thôn/Xóm", "Xã/Phường"]
# As typed on the sheet → as stored.
NAMES = {
    "LÒ VĂN PÁO": "Lò Văn Páo",
    "nguyễn thị hoà": "Nguyễn Thị Hoà",
    "Trần  văn   NAM": "Trần Văn Nam",
    "H'HEN NIÊ": "H'Hen Niê",
    "y-moan ênuôl": "Y-Moan Ênuôl",
    "Đinh Thị Thu McKenzie": "Đinh Thị Thu McKenzie",  # mixed case: written so on purpose
}
NAME_COLUMNS = ("surname", "middle", "given", "surname_f", "middle_f", "given_f", "name_sorted")


def _name_columns(names: list[str]) -> dict[str, list]:
    table, _ = normalize_records(PersonRecord(str(i), n) for i, n in enumerate(names))
    return {c: table[c].to_pylist() for c in NAME_COLUMNS}


def test_sheet_names_are_stored_as_names_are_written(app: Flask, make: Factory) -> None:
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    commune = communes_of(event)[0]
    set_bridge_points(event, [commune.code], {})
    db.session.commit()
    rows = [[n, typed, 1970 + n, f"09123456{n:02d}", "", "Xóm 3", commune.name]
            for n, typed in enumerate(NAMES, start=1)]  # fmt: skip
    # The same person again in other capitals is still this file's duplicate.
    again = [len(rows) + 1, "lò văn páo", 1971, "0912345601", "", "Xóm 3", commune.name]
    preview = preview_attendees(event, xlsx([HEADER, *rows, again]), "danh-sach.xlsx")
    assert [(i.row, i.params) for i in preview.issues] == [(8, {"row": 2})]

    commit_attendees(preview, user=None, now=NOW, only_valid=True)
    db.session.commit()
    people = db.session.execute(sa.select(Person.full_name, Person.name_folded)
                                .order_by(Person.id)).all()  # fmt: skip
    assert [p.full_name for p in people] == list(NAMES.values())
    assert [p.name_folded for p in people] == [" ".join(fold(t).split()) for t in NAMES]
    # The linkage reads the stored names exactly as it read the typed ones.
    assert _name_columns([p.full_name for p in people]) == _name_columns(list(NAMES))
