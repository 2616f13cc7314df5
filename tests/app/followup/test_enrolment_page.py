"""The enrolment import page: preview with row-level problems, confirm, and no second import."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient

from app.extensions import db
from app.models import AuditLog, Enrolment
from tests.app.followup.test_enrolments import BAD_ROWS, EIGHT_BAD, ROWS, _csv
from tests.conftest import HOME, Factory, csrf_token, login

PAGE = "/follow-up/enrolments/import"


def _upload(client: FlaskClient, data: bytes, name: str = "t3.csv"):  # type: ignore[no-untyped-def]
    token = csrf_token(client, PAGE)
    return client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")  # fmt: skip


def test_preview_then_confirm_then_nothing_twice(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    preview = _upload(client, _csv(ROWS))
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "Nguyễn Thị Hoa" in html
    assert db.session.query(Enrolment).count() == 0  # a preview writes nothing
    stash = re.search(r'name="stash" value="([^"]+)"', html).group(1)
    token = csrf_token(client, PAGE)
    done = client.post(PAGE, data={"csrf_token": token, "stash": stash}, follow_redirects=True)
    assert done.status_code == 200
    assert db.session.query(Enrolment).count() == 3
    assert db.session.query(AuditLog).filter_by(action="enrolments.import").count() == 1
    again = _upload(client, _csv(ROWS)).get_data(as_text=True)
    assert 'name="stash"' not in again  # already imported: no confirm button
    assert db.session.query(Enrolment).count() == 3


def test_a_bad_row_is_shown_and_cannot_be_confirmed(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    bad = "4,Phạm Văn A,1980,Nam,040123456,,,,BHXH tự nguyện,Mới,03/03/2026,,,"
    html = _upload(client, _csv([*ROWS, bad])).get_data(as_text=True)
    assert "CCCD" in html
    assert "12 chữ số" in html  # the problem, in Vietnamese
    assert 'name="stash"' not in html
    wrong = _upload(client, b"Ten,Tuoi\nA,3\n")
    assert wrong.status_code == 422
    assert db.session.query(Enrolment).count() == 0


def test_every_problem_and_every_row_are_counted(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    html = _upload(client, _csv(BAD_ROWS)).get_data(as_text=True)
    summary = re.search(r"Đã đọc[^<]*", html).group(0)
    assert summary.startswith("Đã đọc 4 dòng (tiêu đề ở dòng 1): 0 dòng hợp lệ")
    assert summary.endswith("4 dòng có lỗi.")
    problems = html.split('<table class="issues')[1].split("</table>")[0]
    problems = re.sub(r"<td [^>]*>", "<td>", problems)  # a phone card's labels aside
    assert problems.count("<tr><td>5</td>") == 8  # the eight bad fields of row 5, each named
    assert {"Mã số BHXH", "Số tiền (đồng)", "Ngày nộp tiền"} <= set(
        re.findall(r"<td>([^<]+)</td>", problems)
    )
    html = _upload(client, _csv([*ROWS, EIGHT_BAD])).get_data(as_text=True)
    assert "Đã đọc 4 dòng (tiêu đề ở dòng 1): 3 dòng hợp lệ" in html
    assert "1 dòng có lỗi." in html
    assert db.session.query(Enrolment).count() == 0


def test_viewers_cannot_import(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("viewer", HOME).email)
    assert client.get(PAGE).status_code == 403


def test_a_missing_column_shows_the_header_read_and_the_names_it_may_take(
    client: FlaskClient, make: Factory
) -> None:
    login(client, make.user("officer", HOME).email)
    data = _csv(["1,Nguyễn Văn A,1980,BHXH tự nguyện,03/03/2026"],
                header="STT,Họ và tên,Năm sinh,Loại hình,Ngày nộp tiền")  # fmt: skip
    response = _upload(client, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True).replace("&#34;", '"')
    html = re.sub(r"<td [^>]*>", "<td>", html)  # a phone card's labels aside
    assert "Thiếu cột: Tham gia mới hay gia hạn." in html
    assert ("Dòng tiêu đề đã đọc (dòng 1) có các cột: “STT”, “Họ và tên”, “Năm sinh”, "
            "“Loại hình”, “Ngày nộp tiền”.") in html  # fmt: skip
    named = re.search(r"<td>Tham gia mới hay gia hạn</td>\s*<td>([^<]*)</td>", html).group(1)
    assert named.startswith("Cột này có thể đặt tên: “Tham gia mới/gia hạn”, “Tham gia mới”,")
    assert "“Phát sinh”" in named
