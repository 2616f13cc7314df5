"""An attendee workbook of one sheet per commune ("Bắc Lý", "Châu Bình", same header): every sheet
is read, each row under its sheet's own number, an issue names its sheet and row, the page says
which sheets were read, and a sheet that was not read is said so. The file is still imported
all or nothing, and the same file twice writes nothing the second time."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.halls.services import set_bridge_points
from app.models import Attendance, Event, ImportBatch, Person
from app.sheets.issues import FileRejected
from tests.app.sheets.files import workbook
from tests.conftest import HOME, Factory, csrf_token

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)
BAC_LY, CHAU_BINH = "16819", "16804"  # Xã Bắc Lý, Xã Châu Bình (Nghệ An)
HEADER = ["STT", "Họ và tên", "Năm sinh", "SĐT", "Thôn/Bản", "Xã/Phường"]


@pytest.fixture
def conference(make: Factory) -> Event:
    start = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    set_bridge_points(event, [BAC_LY, CHAU_BINH], {})
    db.session.commit()
    return event


def communes(*extra_chau_binh: list) -> bytes:  # type: ignore[type-arg]
    return workbook({
        "Bắc Lý": [
            ["DANH SÁCH NGƯỜI THAM DỰ — XÃ BẮC LÝ"],
            HEADER,
            [1, "Lữ Văn Pó", 1975, "0912345678", "Bản Cánh", "Xã Bắc Lý"],
            [2, "Vi Thị Xoan", 1980, "", "Bản Pà Khôm", "Xã Bắc Lý"],
        ],
        "Châu Bình": [
            ["DANH SÁCH NGƯỜI THAM DỰ — XÃ CHÂU BÌNH"],
            HEADER,
            [1, "Lương Văn Thái", 1968, "", "Bản Kẻ Can", "Xã Châu Bình"],
            [2, "Sầm Thị Hoa", 1990, "0987654321", "Bản Tạng", "Xã Châu Bình"],
            [3, "Lang Văn Tuấn", 1985, "", "Bản Hội", "Xã Châu Bình"],
            *extra_chau_binh,
        ],
    })  # fmt: skip


def people() -> dict[str, str]:
    stmt = sa.select(Person.full_name, Attendance.source_ref).join(Attendance)
    return dict(db.session.execute(stmt).all())


def test_every_commune_sheet_is_imported(conference: Event) -> None:
    data = communes()  # built once: openpyxl stamps the time, so a rebuilt file differs
    preview = preview_attendees(conference, data, "ds.xlsx")
    assert preview.ok, [i.line() for i in preview.issues]
    assert [(s.name, s.rows) for s in preview.table.sheets] == [("Bắc Lý", 2), ("Châu Bình", 3)]
    assert [(r.sheet, r.number, r.commune.code) for r in preview.rows] == [
        ("Bắc Lý", 3, BAC_LY),
        ("Bắc Lý", 4, BAC_LY),
        ("Châu Bình", 3, CHAU_BINH),
        ("Châu Bình", 4, CHAU_BINH),
        ("Châu Bình", 5, CHAU_BINH),
    ]
    result = commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    assert (result.imported, result.left_out) == (5, 0)
    refs = people()
    batch = result.batch.id
    assert refs["Lữ Văn Pó"] == f"sheet:{batch}:Bắc Lý:3"
    assert refs["Lương Văn Thái"] == f"sheet:{batch}:Châu Bình:3"  # row 3 of each: two people
    assert result.batch.report["sheets"] == {"Bắc Lý": 2, "Châu Bình": 3}

    again = preview_attendees(conference, data, "ds (1).xlsx")
    assert commit_attendees(again, user=None, now=NOW).created is False
    assert len(people()) == 5


def test_an_issue_names_its_sheet_and_row_and_nothing_is_written(conference: Event) -> None:
    bad = [4, "Lò Văn Khăm", 1970, "12345", "Bản Hội", "Xã Châu Bình"]
    twice = [5, "LỮ VĂN PÓ", 1975, "", "", "Xã Châu Bình"]  # Bắc Lý's row 3 again
    preview = preview_attendees(conference, communes(bad, twice), "ds.xlsx")
    assert [(i.sheet, i.row, i.field) for i in preview.issues] == [
        ("Châu Bình", 6, "phone"),
        ("Châu Bình", 7, ""),
    ]
    assert preview.issues[1].text() == "The same person as row 3 of sheet Bắc Lý."
    assert [r.number for r in preview.valid] == [3, 4, 3, 4, 5]  # Châu Bình's 3 is not skipped
    with pytest.raises(FileRejected):
        commit_attendees(preview, user=None, now=NOW)
    db.session.rollback()
    assert people() == {}
    result = commit_attendees(preview, user=None, now=NOW, only_valid=True)
    assert (result.imported, result.left_out) == (5, 2)
    assert result.batch.report["left_out_rows"] == ["Châu Bình: 6", "Châu Bình: 7"]
    assert result.batch.report["issues"][0]["sheet"] == "Châu Bình"


def test_a_list_sheet_with_an_unknown_header_is_not_dropped_in_silence(conference: Event) -> None:
    data = workbook({
        "Bắc Lý": [HEADER, [1, "Lữ Văn Pó", 1975, "", "", "Xã Bắc Lý"]],
        "Châu Bình": [["STT", "Họ và tên", "Ghi chú"], [1, "Lương Văn Thái", "Bản Kẻ Can"]],
    })  # fmt: skip
    preview = preview_attendees(conference, data, "ds.xlsx")
    assert [s.name for s in preview.table.sheets] == ["Bắc Lý"]
    assert not preview.ok  # importing without Châu Bình's people takes an explicit choice
    issue, header, *named = preview.issues  # the header read, and the names accepted
    assert (issue.row, issue.sheet) == (None, "Châu Bình")
    assert (header.row, header.sheet) == (None, "Châu Bình")
    assert "“STT”, “Họ và tên”, “Ghi chú”" in header.text()
    assert named
    assert all((n.row, n.sheet) == (None, "Châu Bình") for n in named)
    assert len(preview.valid) == 1
    with pytest.raises(FileRejected):
        commit_attendees(preview, user=None, now=NOW)


def test_an_instructions_sheet_is_passed_over_with_a_notice(conference: Event) -> None:
    data = workbook({
        "Hướng dẫn": [["Ghi mỗi người một dòng ở trang Danh sách."]],
        "Danh sách": [HEADER, [1, "Lữ Văn Pó", 1975, "", "", "Xã Bắc Lý"]],
    })  # fmt: skip
    preview = preview_attendees(conference, data, "ds.xlsx")
    assert preview.ok
    assert [(r.sheet, r.number) for r in preview.rows] == [(None, 2)]
    assert [n.sheet for n in preview.table.notices] == ["Hướng dẫn"]
    commit_attendees(preview, user=None, now=NOW)
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert batch.report["sheets_not_read"][0]["sheet"] == "Hướng dẫn"
    assert list(people().values()) == [f"sheet:{batch.id}:2"]


def test_the_page_says_which_sheets_were_read(client, logged_in, conference: Event) -> None:
    logged_in("officer", HOME)
    url = f"/events/{conference.id}/attendance/import"
    token = csrf_token(client, url)
    bad = [4, "Lò Văn Khăm", 1970, "12345", "Bản Hội", "Xã Châu Bình"]
    data = workbook({
        "Hướng dẫn": [["Ghi mỗi người một dòng."]],
        **{name: rows for name, rows in _sheets(communes(bad)).items()},
    })  # fmt: skip
    page = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đã đọc 6 dòng" in html
    assert "Các trang tính đã đọc: Bắc Lý (2 dòng), Châu Bình (4 dòng)" in html
    assert "Trang tính Hướng dẫn không được đọc" in html
    issues = re.sub(
        r"<td [^>]*>", "<td>", html[html.index('<table class="issues') : html.index("</table>")]
    )
    cells = re.findall(r"<td>([^<]*)</td>", issues)
    assert cells[:2] == ["Châu Bình", "6"]  # the sheet, then the row
    assert "12345" in cells
    rows = re.sub(r"<td [^>]*>", "<td>", html[html.index('<table class="preview') :])
    assert "<td>Châu Bình</td><td>6</td>" in rows
    stash_id = re.search(r'name="stash" value="([^"]+)"', html).group(1)
    done = client.post(url, data={"csrf_token": token, "stash": stash_id, "only_valid": "1"})
    assert done.status_code == 302
    assert len(people()) == 5


def _sheets(data: bytes) -> dict[str, list[list]]:  # type: ignore[type-arg]
    """A workbook's sheets as rows of values, to build another with more sheets."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}
