"""Enrolment exports of several sheets (one per scheme, "BHXH TN" and "BHYT HGD", or one per
month): every sheet with the header is read, each row under its sheet's own number — the same
numbers on each sheet — and stored with its sheet; an issue names its sheet and row; a hidden
sheet is not read and is named; a one-sheet file is imported exactly as before."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.followup.enrolments import DUPLICATE, commit_enrolments, preview_enrolments
from app.models import Enrolment, ImportBatch
from app.sheets.reader import FORMULA
from tests.app.followup.test_enrolment_communes import DAI_NAI, ha_tinh
from tests.app.sheets.files import workbook
from tests.conftest import HOME, Factory, csrf_token, login

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)
PAGE = "/follow-up/enrolments/import"
HEADER = ["Họ và tên", "Năm sinh", "Xã/Phường", "Loại hình", "Tham gia mới/Gia hạn",
          "Ngày nộp tiền", "Số tiền", "Số hồ sơ"]  # fmt: skip
BHXH = [
    ["DANH SÁCH THAM GIA BHXH TỰ NGUYỆN"],
    HEADER,
    ["Hồ Văn Bảy", 1970, "", "BHXH tự nguyện", "Tham gia mới", "03/10/2026", 1650000, "TN01"],
    ["Đặng Thị Tám", 1985, "", "BHXH tự nguyện", "Gia hạn", "04/10/2026", 1650000, "TN02"],
]
HGD = [
    ["DANH SÁCH THAM GIA BHYT HỘ GIA ĐÌNH"],
    HEADER,
    ["Lê Văn Chín", 1990, "", "BHYT hộ gia đình", "Tham gia mới", "05/10/2026", 1105650, "HGD1"],
    ["Vi Thị Mười", 1978, "", "BHYT hộ gia đình", "Gia hạn", "06/10/2026", 1105650, "HGD2"],
    ["Lò Văn Một", 1966, "", "BHYT hộ gia đình", "Tham gia mới", "07/10/2026", 1105650, "HGD3"],
]


def stored() -> list[tuple[str | None, int, str]]:
    """(sheet, row, record number) of every enrolment stored, in the file's order."""
    stmt = sa.select(Enrolment.source_sheet, Enrolment.source_row, Enrolment.source_ref)
    return [tuple(r) for r in db.session.execute(stmt.order_by(Enrolment.id))]


def test_every_sheet_is_imported_each_row_with_its_sheet(app: Flask) -> None:
    data = workbook({"BHXH TN": BHXH, "BHYT HGD": HGD})
    preview = preview_enrolments(data, "xuat-t10.xlsx", today=TODAY)
    assert preview.issues == []
    assert [(s.name, s.rows) for s in preview.table.sheets] == [("BHXH TN", 2), ("BHYT HGD", 3)]
    assert preview.counts == {"new": 3, "renewals": 2, "placed": 0, "unplaced": 0, "to_choose": 0,
                              "no_commune": 5}  # fmt: skip
    result = commit_enrolments(preview, user=None, unit=None, now=NOW)
    db.session.commit()
    assert result.inserted == 5
    assert stored() == [
        ("BHXH TN", 3, "TN01"),
        ("BHXH TN", 4, "TN02"),
        ("BHYT HGD", 3, "HGD1"),  # row 3 of each sheet: two enrolments
        ("BHYT HGD", 4, "HGD2"),
        ("BHYT HGD", 5, "HGD3"),
    ]
    report = db.session.get(ImportBatch, result.batch.id).report
    assert report["sheets"] == {"BHXH TN": 2, "BHYT HGD": 3}
    assert report["sheets_not_read"] == []


def test_an_issue_on_the_second_sheet_names_it_and_its_row(app: Flask) -> None:
    """Sheet 2's row 3 has a bad date and its row 4 a formula: sheet 1's rows 3 and 4, both
    good, are neither blamed nor dropped, and each problem row is counted once."""
    bad_date = [*HGD[2][:5], "31/02/2026", *HGD[2][6:]]
    formula = [*HGD[3][:5], "=TODAY()", *HGD[3][6:]]
    data = workbook({"BHXH TN": BHXH, "BHYT HGD": [*HGD[:2], bad_date, formula, HGD[4]]})
    preview = preview_enrolments(data, "xuat.xlsx", today=TODAY)
    assert [(i.sheet, i.row, i.field) for i in preview.issues] == [
        ("BHYT HGD", 3, "paid_on"),
        ("BHYT HGD", 4, "paid_on"),
    ]
    assert preview.issues[1].message == FORMULA
    assert preview.issues[0].line().startswith("sheet BHYT HGD, row 3, paid_on:")
    assert [(r.sheet, r.number) for r in preview.rows] == [
        ("BHXH TN", 3),
        ("BHXH TN", 4),
        ("BHYT HGD", 5),
    ]
    assert preview.rows_with_problems == 2
    assert len(preview.table.rows) == len(preview.rows) + preview.rows_with_problems


def test_a_duplicate_across_sheets_names_the_other_sheet_s_row(app: Flask) -> None:
    again = ["Hồ Văn Bảy", 1970, "", "BHXH tự nguyện", "Tham gia mới", "03/10/2026", 1650000,
             "TN01"]  # fmt: skip
    data = workbook({"T10": BHXH, "T11": [*HGD, again]})
    preview = preview_enrolments(data, "xuat.xlsx", today=TODAY)
    [issue] = preview.issues
    assert (issue.sheet, issue.row) == ("T11", 6)
    assert issue.text() == "The same enrolment as row 3 of sheet T10."


def test_a_hidden_sheet_is_not_read_and_is_listed(app: Flask) -> None:
    """Last month's copy, hidden: its rows would be imported a second time under this file."""
    data = workbook({"T11": HGD, "T10 (cũ)": BHXH}, {"T10 (cũ)": "hidden"})
    preview = preview_enrolments(data, "xuat.xlsx", today=TODAY)
    assert preview.issues == []
    assert [r.source_ref for r in preview.rows] == ["HGD1", "HGD2", "HGD3"]
    [notice] = preview.table.notices
    assert notice.text() == "Sheet T10 (cũ) was not read: it is hidden in the workbook."
    commit_enrolments(preview, user=None, unit=None, now=NOW)
    db.session.commit()
    assert [sheet for sheet, _, _ in stored()] == [None, None, None]  # one sheet read
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert batch.report["sheets_not_read"] == [
        {"row": None, "field": "", "message": notice.text(), "sheet": "T10 (cũ)"}
    ]


def test_a_one_sheet_file_is_imported_as_before(app: Flask) -> None:
    data = workbook({"Sheet1": [*BHXH, BHXH[2]]})
    preview = preview_enrolments(data, "xuat.xlsx", today=TODAY)
    [issue] = preview.issues
    assert (issue.sheet, issue.row, issue.message) == (None, 5, DUPLICATE)
    assert issue.text() == "The same enrolment as row 3."
    assert issue.line() == "row 5: The same enrolment as row 3."
    preview = preview_enrolments(workbook({"Sheet1": BHXH}), "xuat.xlsx", today=TODAY)
    commit_enrolments(preview, user=None, unit=None, now=NOW)
    db.session.commit()
    assert stored() == [(None, 3, "TN01"), (None, 4, "TN02")]
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert (batch.report["sheet"], batch.report["sheets"]) == ("Sheet1", {"Sheet1": 2})


def test_a_commune_to_choose_lists_its_rows_by_sheet(app: Flask) -> None:
    """Row 3 of each sheet writes the divided commune: two rows to choose for, not one."""
    province = ha_tinh()
    t10 = [HEADER, BHXH[2]]
    t11 = [HEADER, HGD[2]]
    t10[1] = [*t10[1][:2], DAI_NAI, *t10[1][3:]]
    t11[1] = [*t11[1][:2], DAI_NAI, *t11[1][3:]]
    data = workbook({"T10": [[""], *t10], "T11": [[""], *t11]})
    preview = preview_enrolments(data, "xuat.xlsx", unit=province, today=TODAY)
    [choice] = preview.choices
    assert choice.rows == ["T10: 3", "T11: 3"]
    assert (preview.counts["to_choose"], preview.counts["unplaced"]) == (2, 0)


def test_the_page_lists_the_sheets_read_and_not_read(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("officer", HOME).email)
    bad = [*HGD[2][:5], "31/02/2026", *HGD[2][6:]]
    data = workbook({"BHXH TN": BHXH, "BHYT HGD": [*HGD[:2], bad], "Danh mục": BHXH},
                    {"Danh mục": "veryHidden"})  # fmt: skip
    token = csrf_token(client, PAGE)
    page = client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), "t10.xlsx")},
                       content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Các trang tính đã đọc: BHXH TN (2 dòng), BHYT HGD (1 dòng)" in html
    assert "Trang tính Danh mục không được đọc: trang tính này bị ẩn trong tệp." in html
    issues = re.sub(
        r"<td [^>]*>", "<td>", html[html.index('<table class="issues') : html.index("</table>")]
    )
    assert re.findall(r"<td>([^<]*)</td>", issues)[:2] == ["BHYT HGD", "3"]
    rows = re.sub(r"<td [^>]*>", "<td>", html[html.index('<table class="preview') :])
    assert "<td>BHXH TN</td><td>3</td><td>Hồ Văn Bảy</td>" in rows
    assert "was not read" not in html  # nothing left in English
    assert "Sheet" not in html


def test_cli_names_the_sheets_read_and_not_read(app: Flask, tmp_path: Path) -> None:
    file = tmp_path / "t10.xlsx"
    file.write_bytes(workbook({"BHXH TN": BHXH, "Cũ": BHXH, "BHYT HGD": HGD}, {"Cũ": "hidden"}))
    result = app.test_cli_runner().invoke(
        args=["followup", "import-enrolments", "--dry-run", str(file)]
    )
    assert result.exit_code == 0, result.output
    assert "sheets read: BHXH TN (2 rows), BHYT HGD (3 rows)" in result.output
    assert "file: Sheet Cũ was not read: it is hidden in the workbook." in result.output
    assert "5 rows read: 5 ready" in result.output


def test_a_summary_sheet_is_listed_and_a_list_lacking_a_column_refused(app: Flask) -> None:
    """A summary by scheme has no name column: not a list of enrolments, so it is named among
    the sheets not read (the file imported before, when only its first sheet was read). A list
    of people lacking the payment date is a list: it stops the import until it is corrected."""
    summary = [["Loại hình", "Số người", "Số tiền"], ["BHXH tự nguyện", 2, 3300000]]
    preview = preview_enrolments(workbook({"BHXH TN": BHXH, "Tổng hợp": summary}), "t10.xlsx",
                                 today=TODAY)  # fmt: skip
    assert preview.issues == []
    assert len(preview.rows) == 2
    notice, header, *named = preview.table.notices
    assert notice.text() == (
        "Sheet Tổng hợp was not read: its header lacks Full name, New or renewal, Payment date."
    )
    # Its header as read, and the names each missing column may have, follow it as notices too.
    assert header.text() == (
        "The header row read on sheet Tổng hợp (row 1) has these columns: "
        "“Loại hình”, “Số người”, “Số tiền”."
    )
    assert [n.field for n in named] == ["name", "kind", "paid_on"]
    assert named[0].text().startswith("The column Full name may be headed: “Họ và tên”")
    no_date = [[*HEADER[:5], "Ghi chú"], ["Lò Văn Một", 1966, "", "BHYT hộ gia đình", "Mới", ""]]
    preview = preview_enrolments(workbook({"BHXH TN": BHXH, "T11": no_date}), "t.xlsx",
                                 today=TODAY)  # fmt: skip
    issue, header, named = preview.issues
    assert (issue.sheet, issue.row) == ("T11", None)
    assert issue.text() == "Sheet T11 was not read: its header lacks Payment date."
    assert (header.sheet, named.sheet, named.field) == ("T11", "T11", "paid_on")
    assert preview.table.notices == []


def test_the_page_shows_an_unread_sheets_header_and_the_names_accepted(
    client: FlaskClient, make: Factory
) -> None:
    """As the refusal of a one-sheet file does: the notice of a summary sheet is followed by
    its header row as read and the headings each missing column may have, in Vietnamese."""
    login(client, make.user("officer", HOME).email)
    summary = [["Loại hình", "Số người", "Số tiền"], ["BHXH tự nguyện", 2, 3300000]]
    data = workbook({"BHXH TN": BHXH, "Tổng hợp": summary})
    token = csrf_token(client, PAGE)
    page = client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), "t10.xlsx")},
                       content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Trang tính Tổng hợp không được đọc" in html
    assert (
        "Dòng tiêu đề đã đọc ở trang tính Tổng hợp (dòng 1) có các cột: "
        "“Loại hình”, “Số người”, “Số tiền”."
    ) in html
    assert "Cột Họ và tên có thể đặt tên: “Họ và tên”" in html
    assert "was not read" not in html
    assert "may be headed" not in html
