"""The attendee sheet uploaded from the hall's check-in page: the same importer, for that hall
only, preview before anything is written, the same file twice counted once."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.halls.services import communes_of, set_bridge_points
from app.models import Attendance, Person
from tests.app.sheets.files import workbook, xlsx
from tests.conftest import HOME

HEADER = ["Họ và tên", "Năm sinh", "SĐT", "Thôn/Xóm"]


def hall(make):  # type: ignore[no-untyped-def]
    start = datetime.now(UTC)
    event = make.event(HOME, title="Hội nghị", channel="online_conference",
                       planned_start=start, planned_end=start + timedelta(hours=3))  # fmt: skip
    points = set_bridge_points(event, [c.code for c in communes_of(event)[:2]], {})
    db.session.commit()
    return points[0], points[1]


def post_big(client, path: str, field: str, form: dict):  # type: ignore[no-untyped-def]
    """A 50 MB multipart upload built in memory (the test client would spool it to a file)."""
    boundary, body = encode_multipart({**form, field: FileStorage(io.BytesIO(BIG), "big.csv")})
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


BIG = b"a" * (50 * 1024 * 1024)


def people() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Person))


def test_sheet_upload_preview_then_confirm(client, make) -> None:
    point, _other = hall(make)
    path = f"/checkin/{point.checkin_token}"
    page = client.get(path).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert "cần có mạng" in page  # the page says a file upload needs a connection
    rows = [HEADER, ["Nguyễn Văn A", 1975, "0912345678", "Xóm 1"], ["Lê Thị B", 1980, "", ""]]
    data = xlsx(rows)  # built once: openpyxl stamps the time, so a rebuilt file differs
    upload = {"sheet": (io.BytesIO(data), "ds.xlsx")}
    preview = client.post(path, data=upload, content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert people() == 0
    stash = re.search(r'name="sheet_stash" value="([^"]+)"', html).group(1)
    done = client.post(path, data={"sheet_stash": stash})
    assert done.status_code == 200
    assert "Đã nhận 2 người tham dự" in done.get_data(as_text=True)
    touches = db.session.scalars(sa.select(Attendance)).all()
    assert {(t.bridge_point_id, t.source) for t in touches} == {(point.id, "sheet")}
    again = client.post(path, data={"sheet": (io.BytesIO(data), "ds.xlsx")},
                        content_type="multipart/form-data")  # fmt: skip
    assert "đã được nhận trước đó" in again.get_data(as_text=True)
    assert people() == 2


def test_rows_of_another_hall_and_bad_rows_write_nothing(client, make) -> None:
    point, other = hall(make)
    path = f"/checkin/{point.checkin_token}"
    rows = [
        [*HEADER, "Xã/Phường"],
        ["Nguyễn Văn A", 1975, "", "", other.org_unit.code],
        ["Lê Thị B", "=1900+80", "", "", ""],
    ]
    response = client.post(path, data={"sheet": (io.BytesIO(xlsx(rows)), "ds.xlsx")},
                           content_type="multipart/form-data")  # fmt: skip
    html = response.get_data(as_text=True)
    assert "Dòng 2" in html
    assert "Không nhận công thức" in html
    assert 'name="sheet_stash"' not in html  # nothing valid to import
    assert people() == 0


def test_hall_upload_of_a_50_mb_file_is_refused(client, make) -> None:
    point, _other = hall(make)
    path = f"/checkin/{point.checkin_token}"
    response = post_big(client, path, "sheet", {})
    assert response.status_code == 413
    assert "giới hạn là 20 MB" in response.get_data(as_text=True)
    assert people() == 0


def test_a_sheet_sent_after_the_conference_dates_the_visits_to_it(client, make) -> None:
    """The link works until a day after the end; the people were there at the start."""
    start = datetime.now(UTC) - timedelta(hours=10)
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=start,
                       planned_end=start + timedelta(hours=3))  # fmt: skip
    (point,) = set_bridge_points(event, [communes_of(event)[0].code], {})
    db.session.commit()
    path = f"/checkin/{point.checkin_token}"
    data = xlsx([HEADER, ["Nguyễn Văn A", 1975, "", ""]])
    preview = client.post(path, data={"sheet": (io.BytesIO(data), "ds.xlsx")},
                          content_type="multipart/form-data")  # fmt: skip
    stash = re.search(r'name="sheet_stash" value="([^"]+)"', preview.get_data(as_text=True))
    assert client.post(path, data={"sheet_stash": stash.group(1)}).status_code == 200
    assert db.session.scalars(sa.select(Attendance.touched_at)).one() == start


def test_a_hall_sheet_written_with_the_old_communes(client, make) -> None:
    """The hall of today's Xã Châu Tiến takes rows written as the communes it was made of before
    2025 (Châu Bính, Châu Thuận, Châu Thắng, Châu Tiến), by name, with the district, or by the
    old code; old Châu Bình — one tone apart from Châu Bính — became another hall's commune."""
    start = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị", channel="online_conference", planned_start=start,
                       planned_end=start + timedelta(hours=3))  # fmt: skip
    before = start - timedelta(days=1)  # the halls are chosen before the conference
    points = {
        p.org_unit.code: p for p in set_bridge_points(event, ["16792", "16804"], {}, now=before)
    }
    for point in points.values():
        point.checkin_expires_at = datetime(2100, 1, 1, tzinfo=UTC)  # the link's own term
    db.session.commit()
    path = f"/checkin/{points['16792'].checkin_token}"
    rows = [
        [*HEADER, "Xã/Phường"],
        ["Nguyễn Văn A", 1975, "", "", "Xã Châu Bính, huyện Quỳ Châu, tỉnh Nghệ An"],
        ["Lê Thị B", 1980, "", "", "Xã Châu Thuận"],
        ["Trần Văn C", 1990, "", "", "16798"],  # old Xã Châu Thắng's code
        ["Phạm Thị D", 1985, "", "", "xa chau tien, huyen quy chau"],
    ]
    preview = client.post(path, data={"sheet": (io.BytesIO(xlsx(rows)), "ds.xlsx")},
                          content_type="multipart/form-data")  # fmt: skip
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Không phải xã/phường" not in html
    stash = re.search(r'name="sheet_stash" value="([^"]+)"', html).group(1)
    done = client.post(path, data={"sheet_stash": stash})
    assert "Đã nhận 4 người tham dự" in done.get_data(as_text=True)
    halls = db.session.scalars(sa.select(Attendance.bridge_point_id)).all()
    assert halls == [points["16792"].id] * 4

    other = [[*HEADER, "Xã/Phường"], ["Võ Văn E", 1970, "", "", "Xã Châu Bình, huyện Quỳ Châu"]]
    refused = client.post(path, data={"sheet": (io.BytesIO(xlsx(other)), "ds.xlsx")},
                          content_type="multipart/form-data")  # fmt: skip
    said = refused.get_data(as_text=True)  # where the old commune went, and whose sheet it is
    assert "Xã Châu Bình, huyện Quỳ Châu là xã/phường trước sáp nhập năm 2025, nay thuộc" in said
    assert "danh sách này là của điểm cầu Xã Châu Tiến." in said
    assert people() == 4


def test_a_hall_workbook_of_several_sheets_is_read_whole(client, make) -> None:
    """One sheet per session or per hamlet: every sheet is read, the page names them, a problem
    names its sheet and row; a sheet that was not read is said so."""
    point, _other = hall(make)
    path = f"/checkin/{point.checkin_token}"
    data = workbook({
        "Sáng": [HEADER, ["Nguyễn Văn A", 1975, "", "Xóm 1"], ["Lê Thị B", 1980, "", ""]],
        "Chiều": [HEADER, ["Trần Văn C", 1990, "12345", ""], ["Phạm Thị D", 1985, "", ""]],
        "Ghi chú": [["Danh sách do thôn gửi lên"]],
    })  # fmt: skip
    preview = client.post(path, data={"sheet": (io.BytesIO(data), "ds.xlsx")},
                          content_type="multipart/form-data")  # fmt: skip
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Đã đọc 4 dòng" in html
    assert "Các trang tính đã đọc: Sáng (2 dòng), Chiều (2 dòng)" in html
    assert "Trang tính Chiều, dòng 2" in html
    assert "Trang tính Ghi chú không được đọc" in html
    stash = re.search(r'name="sheet_stash" value="([^"]+)"', html).group(1)
    done = client.post(path, data={"sheet_stash": stash, "only_valid": "1"})
    assert "Đã nhận 3 người tham dự" in done.get_data(as_text=True)
    assert people() == 3
