"""What the enrolment preview shows before anything is imported.

- Each field read is named by the file's own header next to the app's meaning ("Họ và tên ←
  cột “HO_TEN”"), so the user sees which of their columns was read as what.
- Each row's commune is shown as matched; where the typed text differs (a commune of before the
  1 July 2025 merger, a code, another spelling) as typed → matched.
- The ready rows' communes add up: matched, to choose, not found, and no commune written — an
  empty cell, or a dash written for "none", is no misspelling, so it is not among the communes
  not found.
- A district's export of thousands of rows: the first 200 problems are listed, and when there are
  more, every problem is counted by column with the first rows named; the first 200 ready rows
  are shown, and the page says how many there are. Rows kept with a warning (a birth giving only
  its year) alike: the first 200 listed, all counted by column, and the page says how many more.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from app.followup.enrolments import preview_enrolments
from app.timeparse import VN
from tests.app.followup.test_enrolment_communes import DAI_NAI, ha_tinh
from tests.app.sheets.files import workbook
from tests.conftest import HOME, Factory, csrf_token, login

PAGE = "/follow-up/enrolments/import"
HEADER = "HO_TEN,NAM_SINH,XA_PHUONG,LOAI_HINH,PHAT_SINH,NGAY_NOP,SO_HO_SO"
NAM_HA = "Phường Nam Hà, thành phố Hà Tĩnh"  # before the merger; now Phường Thành Sen
SON_THANH = "Xã Sơn Thành, huyện Yên Thành, tỉnh Nghệ An"  # before the merger; now Xã Hợp Minh


def export(communes: list[str]) -> bytes:
    """An export whose headers are the system's field codes, one enrolment per commune."""
    paid = (datetime.now(VN).date() - timedelta(days=10)).strftime("%d/%m/%Y")
    lines = [HEADER] + [
        f'Người Thứ {i + 1},1980,"{commune}",BHXH tự nguyện,Tham gia mới,{paid},HS{i + 1:03d}'
        for i, commune in enumerate(communes)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def upload(client: FlaskClient, data: bytes) -> str:
    token = csrf_token(client, PAGE)
    response = client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), "t.csv")},
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_field_is_named_by_the_files_own_header(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    html = upload(client, export(["Xã Yên Thành"]))
    assert "Họ và tên ← cột “HO_TEN”" in html
    assert "Xã/phường ← cột “XA_PHUONG”" in html
    assert "Ngày nộp tiền ← cột “NGAY_NOP”" in html
    lacking = "Các cột không bắt buộc không có trong tệp: "  # the fields the file lacks too
    assert "Số điện thoại" in html.split(lacking)[1].split("</p>")[0]


def test_the_help_names_every_column_the_preview_may_say_is_missing(
    client: FlaskClient, make: Factory
) -> None:
    login(client, make.user("officer", HOME).email)
    html = upload(client, export(["Xã Yên Thành"]))
    help_text = re.search(r'<small class="hint help-columns">([^<]*)</small>', html).group(1)
    required, optional = help_text.split(" Các cột không bắt buộc: ")
    assert (
        required
        == "Các cột bắt buộc: Họ và tên, Loại hình, Tham gia mới hay gia hạn, Ngày nộp tiền."
    )
    lacking = html.split("Các cột không bắt buộc không có trong tệp: ")[1].split(".</p>")[0]
    assert "Mã hộ gia đình" in lacking.split(", ")
    for label in lacking.split(", "):
        assert label in optional.split(". ")[0].split(", "), label


def test_the_rows_show_the_phone_used_for_linking(client: FlaskClient, make: Factory) -> None:
    from app.followup.enrolment_page import phone_shown

    login(client, make.user("officer", HOME).email)
    paid = (datetime.now(VN).date() - timedelta(days=10)).strftime("%d/%m/%Y")
    data = (f"HO_TEN,SĐT,LOAI_HINH,PHAT_SINH,NGAY_NOP\nNgười Một,0912 345 678,BHXH tự nguyện,"
            f"Tham gia mới,{paid}\nNgười Hai,,BHXH tự nguyện,Gia hạn,{paid}\n")  # fmt: skip
    html = upload(client, data.encode("utf-8"))
    assert '<th>Số điện thoại<br><small class="muted">“SĐT”</small></th>' in html
    assert re.findall(r'<td class="phone"[^>]*>([^<]*)</td>', html) == ["0912 345 678", ""]
    # Officers and above see it in clear (the call list's rule); anyone else would see it masked.
    assert phone_shown("+84912345678", clear=False) == "09xx xxx 678"


def test_communes_are_shown_as_matched_and_as_typed(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    html = upload(client, export([SON_THANH, "Xã Yên Thành", "xa hop thanh, h. yen thanh"]))
    cells = re.findall(r'<td class="commune (\w+)"[^>]*>(.*?)</td>', html)
    assert cells == [
        ("renamed", f"{SON_THANH} → Xã Hợp Minh"),
        ("matched", "Xã Yên Thành"),  # typed as it is named: no arrow
        ("renamed", "xa hop thanh, h. yen thanh → Xã Yên Thành"),
    ]


def test_the_ready_rows_communes_add_up(app: Flask) -> None:
    province = ha_tinh()
    data = export([NAM_HA, "", DAI_NAI, "Phường Không Có Thật", "-"])
    preview = preview_enrolments(data, "t.csv", unit=province)
    counts = preview.counts
    assert (counts["placed"], counts["to_choose"], counts["unplaced"], counts["no_commune"]) == (
        1, 1, 1, 2,
    )  # fmt: skip
    parts = ("placed", "to_choose", "unplaced", "no_commune")
    assert sum(counts[k] for k in parts) == len(preview.rows) == len(preview.table.rows)
    shown = [(c.state, c.written, c.matched) for c in map(preview.commune, preview.rows)]
    assert shown == [
        ("renamed", NAM_HA, "Phường Thành Sen"),
        ("blank", "", None),
        ("choose", DAI_NAI, None),
        ("unknown", "Phường Không Có Thật", None),
        ("blank", "", None),
    ]


def test_the_page_counts_no_commune_apart(client: FlaskClient, make: Factory) -> None:
    ha_tinh()
    login(client, make.user("officer", "42").email)
    html = upload(client, export([NAM_HA, "", DAI_NAI, "Phường Không Có Thật", "-"]))
    assert ("Xã/phường của 5 dòng hợp lệ: 1 đã khớp, 1 cần chọn, 1 không tìm thấy, "
            "2 không ghi xã/phường.") in html  # fmt: skip
    assert f"{NAM_HA} → Phường Thành Sen" in html
    assert (
        len(
            re.findall(
                r'<td class="commune blank"[^>]*><span class="muted">không ghi xã/phường', html
            )
        )
        == 2
    )


def test_sheets_that_spell_a_header_differently_are_named(
    client: FlaskClient, make: Factory
) -> None:
    paid = datetime.now(VN).date() - timedelta(days=10)
    header = ["Họ và tên", "Xã/Phường", "Loại hình", "Tham gia mới/Gia hạn", "Ngày nộp tiền"]
    row = ["Người Thứ Nhất", "Xã Yên Thành", "BHXH tự nguyện", "Tham gia mới", paid]
    data = workbook({"T10": [header, row], "T11": [["HO_TEN", *header[1:]], row]})
    login(client, make.user("officer", HOME).email)
    token = csrf_token(client, PAGE)
    html = client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), "t.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)  # fmt: skip
    assert "Họ và tên ← cột “Họ và tên” (trang tính T10); cột “HO_TEN” (trang tính T11)" in html
    assert "Xã/phường ← cột “Xã/Phường”</li>" in html  # alike on every sheet: no sheet named


def district_export(people: int, *, bad_days: int = 3, bad_phones: int = 4) -> bytes:
    """A district's export with payment dates typed as days no calendar has ("31/09/2025") on
    every ``bad_days``-th row, a short phone on every ``bad_phones``-th, and every tenth row
    typed twice (the same enrolment again)."""
    lines = ["HO_TEN,NGAY_SINH,SO_DIEN_THOAI,XA_PHUONG,LOAI_HINH,PHAT_SINH,NGAY_NOP,SO_HO_SO"]
    for i in range(people):
        paid = "31/09/2025" if bad_days and i % bad_days == 0 else "15/09/2025"
        phone = "0912 34" if bad_phones and i % bad_phones == 0 else f"0912 {i:03d} {i % 997:03d}"
        line = (f'Nguyễn Thị Hoà {i},{1960 + i % 40},{phone},"{SON_THANH}",BHXH tự nguyện,'
                f"Tham gia mới,{paid},HS-2025-{i:05d}")  # fmt: skip
        lines += [line, line] if i % 10 == 9 else [line]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def test_thousands_of_problems_are_counted_by_column_and_the_first_listed(
    client: FlaskClient, make: Factory
) -> None:
    login(client, make.user("officer", HOME).email)
    html = upload(client, district_export(600))
    listed = re.findall(r'<td class="issue-place" data-label="Dòng">(\d+)</td>', html)
    # 220 dates (200 rows, 20 of them typed twice), 150 phones, 40 good rows typed twice.
    assert len(listed) == 200
    assert listed[:4] == ["2", "2", "5", "6"]  # the file's order: row 2 has two problems
    assert "410 lỗi: 200 lỗi đầu tiên được liệt kê dưới đây. Số dòng có lỗi theo từng cột:" in html
    counts = re.findall(r"<li>([^<]*)</li>", html.split('<ul class="problem-columns">')[1])
    assert counts == [  # the columns left to right; rows after the 10th of a column are "…"
        "Số điện thoại: 150 dòng (dòng 2, 6, 10, 15, 19, 24, 28, 32, 37, 41, …)",
        "Ngày nộp tiền: 220 dòng (dòng 2, 5, 8, 11, 12, 15, 18, 21, 25, 28, …)",
        "Cả dòng (trùng một đăng ký có trong tệp): 40 dòng (dòng 23, 34, 56, 67, 89, 100, 122, "
        "133, 155, 166, …)",
    ]


def test_a_few_problems_are_all_listed_without_counts(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    html = upload(client, district_export(30, bad_days=0, bad_phones=0))
    assert len(re.findall(r'<td class="issue-place" data-label="Dòng">', html)) == 3
    assert "problem-columns" not in html


def test_a_long_export_shows_its_first_ready_rows_and_says_so(
    client: FlaskClient, make: Factory
) -> None:
    login(client, make.user("officer", HOME).email)
    html = upload(client, district_export(450, bad_days=0, bad_phones=0))
    assert len(re.findall(r'<td class="row-number"', html)) == 200
    assert "Hiển thị 200 dòng đầu trong 450 dòng hợp lệ." in html


def year_only_export(people: int) -> bytes:
    """An export whose every birth is written "00/00/yyyy": each row is kept with a warning."""
    lines = ["HO_TEN,NGAY_SINH,XA_PHUONG,LOAI_HINH,PHAT_SINH,NGAY_NOP,SO_HO_SO"]
    lines += [f'Trần Văn Nam {i},00/00/{1960 + i % 40},"{SON_THANH}",BHXH tự nguyện,'
              f"Tham gia mới,15/09/2025,HS-{i:05d}" for i in range(people)]  # fmt: skip
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def test_thousands_of_warnings_are_counted_by_column_and_the_first_listed(
    client: FlaskClient, make: Factory
) -> None:
    login(client, make.user("officer", HOME).email)
    html = upload(client, year_only_export(1_500))
    kept = html.split('<div class="import-warnings"')[1]
    lines = re.findall(r"<li>Dòng (\d+), NGAY_SINH: ", kept.split('<p class="warnings-shown">')[0])
    assert lines == [str(n) for n in range(2, 202)]  # the first 200, in the file's order
    assert ("1.500 dòng được giữ kèm cảnh báo: 200 dòng đầu tiên được liệt kê ở trên, "
            "1.300 dòng còn lại không được liệt kê.") in kept  # fmt: skip
    counts = re.findall(r"<li>([^<]*)</li>", kept.split('<ul class="warning-columns">')[1])[:1]
    assert counts == [
        "Năm sinh hoặc ngày sinh: 1.500 dòng (dòng 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …)"
    ]
    assert (
        "Nhập 1.500 hồ sơ đăng ký" in html
    )  # kept rows import: the warnings never refuse the file


def test_a_few_warnings_are_all_listed_without_counts(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    html = upload(client, year_only_export(200))
    assert len(re.findall(r"<li>Dòng \d+, NGAY_SINH: ", html)) == 200
    assert "warning-columns" not in html
