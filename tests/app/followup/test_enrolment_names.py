"""Names from an enrolment export are stored as Vietnamese names are written.

The collection system's exports write names in capitals ("NGUYỄN THỊ HOA"), a clerk's own sheet
often in lower case; the import stored them as typed, so the follow-up lists and the manager's
export showed "NGUYỄN THỊ HOA" beside the attendee "Nguyễn Thị Hoa". Stored written, they are
still the same enrolment when another file writes them in other capitals (the row key folds the
name), and the linkage finds the attendee as before (it folds case).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.followup.enrolments import commit_enrolments, preview_enrolments
from app.followup.linking import run_linkage
from app.halls.services import communes_of, set_bridge_points
from app.models import Enrolment, Link, LinkStatus, Person
from tests.app.sheets.files import csv_text, xlsx
from tests.conftest import HOME, Factory

# Also on PostgreSQL: the linkage reads and writes in bulk.
pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)
SEEN = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "SĐT", "Loại hình",
          "Tham gia mới/Gia hạn", "Ngày nộp tiền", "Số tiền", "Số hồ sơ"]  # fmt: skip


def _export(names: list[str]) -> bytes:
    rows = [[n, name, f"12/05/19{70 + n}", "Nam" if n % 2 else "Nữ", f"09123456{n:02d}",
             "BHXH tự nguyện", "Tham gia mới", "20/03/2026", "1.650.000", f"HS{n:03d}"]
            for n, name in enumerate(names, start=1)]  # fmt: skip
    return csv_text([HEADER, *rows]).encode("utf-8-sig")


def _import(data: bytes, name: str):  # type: ignore[no-untyped-def]
    result = commit_enrolments(preview_enrolments(data, name, today=TODAY), user=None, unit=None,
                               now=NOW)  # fmt: skip
    db.session.commit()
    return result


def test_export_names_are_stored_written_and_link_as_before(app: Flask, make: Factory) -> None:
    typed = ["LÒ VĂN PÁO", "nguyễn thị hoa", "H'HEN NIÊ", "Y-MOAN ÊNUÔL"]
    written = ["Lò Văn Páo", "Nguyễn Thị Hoa", "H'Hen Niê", "Y-Moan Ênuôl"]
    first = _import(_export(typed), "xuat-bhxh-tn.csv")
    assert first.inserted == 4
    stored = db.session.scalars(sa.select(Enrolment.full_name).order_by(Enrolment.source_row))
    assert list(stored) == written

    # The same rows in another file, other capitals: the same enrolments, already stored.
    again = _import(_export([t.swapcase() for t in typed]), "xuat-lai.csv")
    assert (again.inserted, again.already_stored) == (0, 4)

    # The attendees, from the hall's sheet in lower case, link by phone and given name.
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=SEEN,
                       planned_end=SEEN + timedelta(hours=3))  # fmt: skip
    commune = communes_of(event)[0]
    set_bridge_points(event, [commune.code], {})
    db.session.commit()
    sheet = [["STT", "Họ và tên", "Ngày sinh", "SĐT", "Xã/Phường", "Đồng ý"],
             *([n, name.lower(), f"12/05/19{70 + n}", f"09123456{n:02d}", commune.name, "Có"]
               for n, name in enumerate(typed, start=1))]  # fmt: skip
    preview = preview_attendees(event, xlsx(sheet), "danh-sach.xlsx")
    assert preview.issues == []
    commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    assert list(db.session.scalars(sa.select(Person.full_name).order_by(Person.id))) == written
    run_linkage(NOW, full=True)
    db.session.commit()
    links = db.session.execute(sa.select(Person.full_name, Enrolment.full_name, Link.method)
                               .join(Link, Link.person_id == Person.id)
                               .join(Enrolment, Link.enrolment_id == Enrolment.id)
                               .where(Link.status == LinkStatus.LINKED)
                               .order_by(Person.id)).all()  # fmt: skip
    assert [tuple(row) for row in links] == [(w, w, "phone_given") for w in written]
