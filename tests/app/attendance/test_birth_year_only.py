"""Attendee sheets whose "Ngày sinh" column writes what commune sheets write ("00/00/1975",
"31/02/1980", "15/13/1968", "năm 1970", "khoảng 1965"): each such row is kept with its birth year
alone and a warning naming the row and the column, on the preview and after the import; a row
that gives no year is still left out as before, and such a row still refuses the whole file
unless the valid rows are explicitly chosen."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.halls.services import set_bridge_points
from app.identity.births import BirthPrecision
from app.models import Event, ImportBatch, Person
from app.sheets.issues import FileRejected
from tests.app.sheets.files import workbook, xlsx
from tests.conftest import HOME, Factory, csrf_token

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)
BAC_LY, CHAU_BINH = "16819", "16804"  # Xã Bắc Lý, Xã Châu Bình (Nghệ An)
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Số điện thoại", "Thôn/Xóm", "Đồng ý"]
KEPT = [  # rows 2 … 8 of the sheet; the year each keeps
    [1, "Nguyễn Thị Hoà", 1975, "0912345678", "Xóm 3", "Có"],  # a year: no warning
    [2, "Trần Văn Nam", "00/00/1975", "", "Thôn Đông", "Có"],
    [3, "Lê Thị Mai", "15/13/1968", "0987654321", "Xóm Trại", "Có"],
    [4, "Phạm Văn Long", "1968 ", "", "Xóm 1", "Không"],  # a year and a space: no warning
    [5, "Hồ Thị Lan", "năm 1970", "", "Xóm 2", ""],
    [6, "Đặng Văn Bảy", "31/02/1980", "0905123456", "Thôn Tây", "Có"],
    [7, "Võ Thị Tám", "khoảng 1965", "", "Xóm 4", "Có"],
]
YEARS = {"Nguyễn Thị Hoà": 1975, "Trần Văn Nam": 1975, "Lê Thị Mai": 1968, "Phạm Văn Long": 1968,
         "Hồ Thị Lan": 1970, "Đặng Văn Bảy": 1980, "Võ Thị Tám": 1965}  # fmt: skip
NO_YEAR = [8, "Bùi Văn Chín", "không rõ", "", "Xóm 5", "Có"]  # row 9: nothing to keep
LINE_7 = "Dòng 7, Ngày sinh: '31/02/1980' không phải ngày hợp lệ; chỉ giữ năm sinh 1980"


@pytest.fixture
def conference(make: Factory) -> Event:
    start = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    set_bridge_points(event, [BAC_LY, CHAU_BINH], {})
    db.session.commit()
    return event


def people() -> dict[str, Person]:
    return {p.full_name: p for p in db.session.scalars(sa.select(Person))}


def test_rows_keep_the_year_with_a_warning_and_a_row_without_one_is_left_out(
    conference: Event,
) -> None:
    data = xlsx([HEADER, *KEPT, NO_YEAR])
    preview = preview_attendees(conference, data, "ds-bac-ly.xlsx", commune_code=BAC_LY)
    # Row 6 leaves its Đồng ý empty: a file-level warning (row None) counts it, first.
    [not_asked, *rows] = preview.warnings
    assert (not_asked.row, not_asked.field, not_asked.params) == (None, "consent", {"num": "1"})
    assert [(w.row, w.field, w.params["year"]) for w in rows] == [
        (3, "birth", "1975"), (4, "birth", "1968"), (6, "birth", "1970"), (7, "birth", "1980"),
        (8, "birth", "1965"),
    ]  # fmt: skip
    assert [(i.row, i.field, i.value) for i in preview.issues] == [(9, "birth", "không rõ")]
    assert len(preview.valid) == 7
    # A row that gives no year still refuses the file: all or nothing.
    with pytest.raises(FileRejected):
        commit_attendees(preview, user=None, now=NOW)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0
    result = commit_attendees(preview, user=None, now=NOW, only_valid=True)
    db.session.commit()
    assert (result.imported, result.left_out, result.year_only) == (7, 1, (3, 4, 6, 7, 8))
    found = people()
    assert {name: p.birth_year for name, p in found.items()} == YEARS
    bay = found["Đặng Văn Bảy"]
    assert (bay.birth_date, bay.birth_precision) == ("1980", BirthPrecision.YEAR)
    assert found["Nguyễn Thị Hoà"].birth_precision == BirthPrecision.YEAR
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert batch.report["left_out_rows"] == [9]
    warned = [w for w in batch.report["warnings"] if w["row"] is not None]
    assert [(w["row"], w["field"]) for w in warned] == [(r, "birth") for r in (3, 4, 6, 7, 8)]
    assert warned[3]["message"] == "'…' is not a valid date; only the birth year 1980 is kept"
    assert "31/02/1980" not in str(batch.report)  # the cell is personal data: not stored


def test_warnings_alone_do_not_stop_the_file(conference: Event) -> None:
    preview = preview_attendees(conference, xlsx([HEADER, *KEPT]), "ds.xlsx", commune_code=BAC_LY)
    assert preview.ok
    assert len([w for w in preview.warnings if w.row is not None]) == 5
    result = commit_attendees(preview, user=None, now=NOW)  # no "valid rows only" needed
    db.session.commit()
    assert (result.imported, result.left_out) == (7, 0)
    assert {name: p.birth_year for name, p in people().items()} == YEARS


def test_a_future_date_and_an_implausible_year_are_still_refused(conference: Event) -> None:
    births = ["17/05/2031", "00/00/1850", "1965 hoặc 1966", "12/5/75"]
    rows = [[n, f"Ngô Văn {n}", born, "", "", ""] for n, born in enumerate(births, start=1)]
    preview = preview_attendees(conference, xlsx([HEADER, *rows]), "ds.xlsx", commune_code=BAC_LY)
    assert [(i.row, i.field) for i in preview.issues] == [(n, "birth") for n in (2, 3, 4, 5)]
    assert preview.warnings == []


def test_the_import_page_shows_each_warning_then_says_what_was_kept(
    client, logged_in, conference: Event
) -> None:
    logged_in("officer", HOME)
    url = f"/events/{conference.id}/attendance/import"
    token = csrf_token(client, url)
    data = {"csrf_token": token, "commune": BAC_LY,
            "file": (io.BytesIO(xlsx([HEADER, *KEPT])), "danh-sach.xlsx")}  # fmt: skip
    page = client.post(url, data=data, content_type="multipart/form-data")
    assert page.status_code == 200
    text = html_lib.unescape(page.get_data(as_text=True))
    assert "Vẫn nhập, có lưu ý" in text
    assert LINE_7 in text
    assert (
        "Dòng 6, Ngày sinh: 'năm 1970' không viết theo dạng ngày sinh; chỉ giữ năm sinh 1970"
        in text
    )
    assert "Dòng 2, Ngày sinh" not in text and "Dòng 5, Ngày sinh" not in text  # noqa: PT018
    assert "Nhập 7 người dự" in text  # the whole file imports: no "valid rows only"
    stash_id = re.search(r'name="stash" value="([^"]+)"', text).group(1)
    done = client.post(url, data={"csrf_token": token, "stash": stash_id}, follow_redirects=True)
    assert done.status_code == 200
    after = html_lib.unescape(done.get_data(as_text=True))
    assert "5 dòng chỉ giữ được năm sinh: dòng 3, 4, 6, 7, 8." in after
    assert people()["Đặng Văn Bảy"].birth_year == 1980


def test_a_workbook_of_several_sheets_names_the_sheet_and_its_own_header(
    conference: Event,
) -> None:
    header = ["STT", "Họ và tên", "Năm sinh", "SĐT", "Thôn/Bản", "Xã/Phường"]
    data = workbook({
        "Bắc Lý": [header, [1, "Lữ Văn Pó", 1975, "0912345678", "Bản Cánh", "Xã Bắc Lý"]],
        "Châu Bình": [
            [*header[:2], "Ngày/tháng/năm sinh", *header[3:]],
            [1, "Lương Văn Thái", 1968, "", "Bản Kẻ Can", "Xã Châu Bình"],
            [2, "Sầm Thị Hoa", "00/00/1990", "0987654321", "Bản Tạng", "Xã Châu Bình"],
        ],
    })  # fmt: skip
    preview = preview_attendees(conference, data, "hai-xa.xlsx")
    assert preview.ok
    [warning] = [w for w in preview.warnings if w.row is not None]  # and one for no Đồng ý
    assert (warning.sheet, warning.row, warning.params["header"]) == (
        "Châu Bình",
        3,
        "Ngày/tháng/năm sinh",
    )


def test_the_cli_prints_the_warnings(app, conference: Event, tmp_path) -> None:
    from app.attendance.cli import attendance

    path = tmp_path / "ds-bac-ly.xlsx"
    path.write_bytes(xlsx([HEADER, *KEPT]))
    args = ["import", str(path), "--event", str(conference.id), "--commune", BAC_LY, "--dry-run"]
    result = app.test_cli_runner().invoke(attendance, args)
    assert result.exit_code == 0, result.output
    assert "row 7, birth: '31/02/1980' is not a valid date; only the birth year 1980 is kept" in (
        result.output
    )


def test_the_hall_s_check_in_page_shows_the_warnings_too(client, make: Factory) -> None:
    start = datetime.now(UTC)  # the hall's page is open while the meeting is on
    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    [point] = set_bridge_points(event, [BAC_LY], {})
    db.session.commit()
    path = f"/checkin/{point.checkin_token}"
    data = xlsx([HEADER, *KEPT])
    page = client.post(path, data={"sheet": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")  # fmt: skip
    text = html_lib.unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    assert LINE_7 in text
    stash_id = re.search(r'name="sheet_stash" value="([^"]+)"', text).group(1)
    done = html_lib.unescape(
        client.post(path, data={"sheet_stash": stash_id}).get_data(as_text=True)
    )
    assert "Đã nhận 7 người tham dự" in done
    assert "5 dòng chỉ giữ được năm sinh: dòng 3, 4, 6, 7, 8." in done
