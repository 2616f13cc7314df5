"""Enrolment exports: headers in any order and spelling, row-level reports, all or nothing,
the same file twice, renewals kept, and `flask followup import-enrolments`."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import Workbook

from app.extensions import db
from app.followup.enrolments import commit_enrolments, preview_enrolments
from app.models import Enrolment, ImportBatch, Scheme
from app.sheets.issues import FileRejected
from app.sheets.reader import FORMULA

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)
HEADER = "STT,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Mã số BHXH,SĐT,Xã/Phường,Loại hình,Tham gia mới/Gia hạn,Ngày nộp tiền,Số tiền,Đại lý thu,Số hồ sơ"  # noqa: E501
ROWS = [
    '1,Nguyễn Thị Hoa,12/05/1980,Nữ,040180000123,4012345678,0912 345 678,Xã Không Có Thật,BHXH tự nguyện,Tham gia mới,03/03/2026,"1.650.000",Bưu điện Yên Thành,HS001',  # noqa: E501
    "2,Trần Văn Nam,1975,Nam,,,0168 123 4567,,BHYT hộ gia đình,Gia hạn,05/03/2026,1105650,,HS002",  # noqa: E501
    "3,Lê Thị Mai,01/01/1990,Nữ,,040190000456,,42,BHYT HGĐ,Mới,06/03/2026,,,HS003",
]


def _csv(rows: list[str], header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8-sig")


def _import(data: bytes, name: str = "xuat-thang3.csv"):
    preview = preview_enrolments(data, name, today=TODAY)
    result = commit_enrolments(preview, user=None, unit=None, now=NOW)
    db.session.commit()
    return preview, result


def test_rows_are_read_by_header_and_kept_with_their_source(app: Flask, unit) -> None:
    from sqlalchemy import select

    from app.models import OrgUnit
    from tests.conftest import HOME

    commune = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit(HOME).id)).first()
    rows = [*ROWS[:2], ROWS[2].replace(",42,", f",{commune.code},")]
    preview, result = _import(_csv(rows))
    assert result.inserted == 3
    assert preview.counts == {"new": 2, "renewals": 1, "placed": 1, "unplaced": 1, "to_choose": 0,
                              "no_commune": 1}  # fmt: skip
    hoa, nam, mai = db.session.query(Enrolment).order_by(Enrolment.source_row).all()
    assert (hoa.source_row, hoa.source_ref) == (2, "HS001")
    assert hoa.scheme == Scheme.BHXH_TU_NGUYEN and hoa.is_new  # noqa: PT018
    assert hoa.paid_on == date(2026, 3, 3)
    assert hoa.amount_vnd == 1_650_000
    assert hoa.phone == "+84912345678"
    assert hoa.cccd == "040180000123"
    assert hoa.bhxh_code == "4012345678"
    assert hoa.gender == "female"
    assert nam.is_new is False  # renewals are kept, flagged
    assert nam.phone == "+84381234567"  # the old 11-digit 0168 became 038
    assert nam.birth_year == 1975
    assert mai.cccd == "040190000456"  # the 12-digit personal id in the BHXH column
    assert mai.bhxh_code is None
    assert mai.scheme == Scheme.BHYT_HO_GIA_DINH
    assert mai.commune_id == commune.id
    assert hoa.commune_id is None
    assert hoa.commune_text == "Xã Không Có Thật"
    batch = db.session.get(ImportBatch, result.batch.id)
    assert batch.filename == "xuat-thang3.csv"


def test_the_same_file_twice_changes_nothing(app: Flask) -> None:
    _import(_csv(ROWS))
    _, again = _import(_csv(ROWS))
    assert again.created is False
    assert db.session.query(Enrolment).count() == 3
    # another file carrying one row already stored adds only the new one
    _, other = _import(_csv([ROWS[0], ROWS[2].replace("HS003", "HS004")]), "khac.csv")
    assert (other.inserted, other.already_stored) == (1, 1)
    assert db.session.query(Enrolment).count() == 4


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("4,Phạm Văn A,31/02/80,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,,,", "birth"),
        ("4,Phạm Văn A,1980,Nam,040123456,,,,BHXH tự nguyện,Mới,03/03/2026,,,", "cccd"),
        ("4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,30/02/2026,,,", "paid_on"),
        ("4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2031,,,", "paid_on"),
        ("4,Phạm Văn A,1980,Nam,,,,,Bảo hiểm xe máy,Mới,03/03/2026,,,", "scheme"),
        ("4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Chưa rõ,03/03/2026,,,", "kind"),
        ("4,Phạm Văn A,1980,Nam,,12345,,,BHXH tự nguyện,Mới,03/03/2026,,,", "bhxh_code"),
        ("4,Phạm Văn A,1980,Nam,,,0123,,BHXH tự nguyện,Mới,03/03/2026,,,", "phone"),
        ("4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,một triệu,,", "amount"),
        ("4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,-1500000,,", "amount"),
        ("4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,999999999999,,", "amount"),
        ("4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,1" + "0" * 20 + ",,", "amount"),
        ('4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,"2,5",,', "amount"),
        ('4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,"1,500,000",,', "amount"),
        ("4,Phạm Văn A,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,1500000.75,,", "amount"),
        ("4,,1980,Nam,,,,,BHXH tự nguyện,Mới,03/03/2026,,,", "name"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(app: Flask, row: str, field: str) -> None:
    preview = preview_enrolments(_csv([*ROWS, row]), "x.csv", today=TODAY)
    assert [(i.row, i.field) for i in preview.issues] == [(5, field)]
    with pytest.raises(FileRejected):
        commit_enrolments(preview, user=None, unit=None, now=NOW)
    db.session.rollback()
    assert db.session.query(Enrolment).count() == 0
    assert db.session.query(ImportBatch).count() == 0


EIGHT_BAD = (
    "4,Phạm Văn A,31/02/80,Nam,040123456,12345,0123,,Bảo hiểm xe máy,Chưa rõ,30/02/2026,một triệu,,"  # noqa: E501
)
EIGHT_FIELDS = ["birth", "cccd", "bhxh_code", "phone", "scheme", "kind", "paid_on", "amount"]


def test_every_problem_of_a_row_is_reported_at_once(app: Flask) -> None:
    # The amount is refused by the reader, the seven others by the row checks: all eight, in
    # the columns' order, not only the first one found.
    preview = preview_enrolments(_csv([*ROWS, EIGHT_BAD]), "x.csv", today=TODAY)
    assert [(i.row, i.field) for i in preview.issues] == [(5, f) for f in EIGHT_FIELDS]
    assert (len(preview.rows), preview.rows_with_problems) == (3, 1)


def test_every_row_s_problems_under_the_row_numbers_excel_shows(app: Flask) -> None:
    """A title row and a two-row header above the data, an empty row inside it."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH NGƯỜI THAM GIA BHXH TỰ NGUYỆN THÁNG 3/2026"])  # row 1
    sheet.append(["Người tham gia", None, "Giao dịch", None, None, None])  # row 2
    sheet.append(["Họ tên", "Năm sinh", "Loại hình", "Phát sinh", "Ngày nộp tiền", "Số tiền"])
    sheet.append(["Hồ Văn Bảy", 1970, "BHXH TN", "Tăng mới", "03/03/2026", 1650000])  # row 4
    sheet.append(["Đặng Thị Tám", 1985, "Xe máy", "Chưa rõ", "=TODAY()", "một triệu"])  # row 5
    sheet.append([])  # row 6, empty
    sheet.append([None, "31/02/80", "BHYT hộ gia đình", "Gia hạn", "31/02/2026", 1105650])  # row 7
    out = io.BytesIO()
    book.save(out)
    preview = preview_enrolments(out.getvalue(), "t3.xlsx", today=TODAY)
    assert [(i.row, i.field) for i in preview.issues] == [
        (5, "scheme"), (5, "kind"), (5, "paid_on"), (5, "amount"),
        (7, "name"), (7, "birth"), (7, "paid_on"),
    ]  # fmt: skip
    formula = [i for i in preview.issues if i.field == "paid_on" and i.row == 5]
    assert [i.message for i in formula] == [FORMULA]  # once: the reader's, not also "bad date"
    assert (len(preview.table.rows), len(preview.rows), preview.rows_with_problems) == (3, 1, 2)


def test_amounts_are_whole_numbers_as_the_forms_read_them(app: Flask) -> None:
    """A comma is the decimal mark: "2,5" is one error, not 25 đồng; a numeric cell with a
    fraction is refused under its row, not rounded; 1.500.000 and 1500000 are read."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ tên", "Năm sinh", "Loại hình", "Phát sinh", "Ngày nộp tiền", "Số tiền"])
    sheet.append(["Hồ Văn Bảy", 1970, "BHXH TN", "Tăng mới", "03/03/2026", 1500000])
    sheet.append(["Đặng Thị Tám", 1985, "BHXH TN", "Tăng mới", "03/03/2026", "1.500.000 đ"])
    sheet.append(["Lê Văn Chín", 1985, "BHXH TN", "Tăng mới", "03/03/2026", 1500000.0])
    sheet.append(["Võ Thị Mười", 1986, "BHXH TN", "Tăng mới", "03/03/2026", 1500000.75])
    sheet.append(["Phan Văn Một", 1987, "BHXH TN", "Tăng mới", "03/03/2026", "2,5"])
    out = io.BytesIO()
    book.save(out)
    preview = preview_enrolments(out.getvalue(), "t3.xlsx", today=TODAY)
    assert [(i.row, i.field) for i in preview.issues] == [(5, "amount"), (6, "amount")]
    assert [i.message for i in preview.issues] == [
        "This cell holds a fraction of a đồng: write a whole number.",
        "Write a whole number, for example 2.500.000.",
    ]
    assert [r.amount_vnd for r in preview.rows] == [1_500_000] * 3


def test_duplicate_rows_are_reported(app: Flask) -> None:
    preview = preview_enrolments(_csv([*ROWS, ROWS[1]]), "x.csv", today=TODAY)
    assert [(i.row, i.params.get("row")) for i in preview.issues] == [(5, 3)]


def test_wrong_columns_and_empty_files_are_refused(app: Flask) -> None:
    with pytest.raises(FileRejected, match="Missing columns"):
        preview_enrolments(_csv(["a,b"], header="Tên,Tuổi"), "x.csv", today=TODAY)
    with pytest.raises(FileRejected):
        preview_enrolments(_csv([]), "x.csv", today=TODAY)
    with pytest.raises(FileRejected):
        preview_enrolments(b"", "x.csv", today=TODAY)


def test_xlsx_with_real_dates_formulas_and_a_title_row(app: Flask) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH NGƯỜI THAM GIA BHXH TỰ NGUYỆN THÁNG 3/2026"])
    sheet.append(["Ngày nộp tiền", "Họ tên", "Năm sinh", "Loại hình", "Phát sinh", "Số tiền"])
    sheet.append([datetime(2026, 3, 3), "Hồ Văn Bảy", 1970, "BHXH TN", "Tăng mới", 1650000])  # noqa: DTZ001
    sheet.append([46085, "Đặng Thị Tám", 1985, "BHYT hộ gia đình", "Gia hạn", 1105650])
    out = io.BytesIO()
    book.save(out)
    preview = preview_enrolments(out.getvalue(), "t3.xlsx", today=TODAY)
    assert preview.issues == []
    assert [r.paid_on for r in preview.rows] == [date(2026, 3, 3), date(2026, 3, 4)]
    assert [r.is_new for r in preview.rows] == [True, False]
    sheet.append(["=TODAY()", "Công Thức", 1980, "BHXH tự nguyện", "Mới", 1])
    out = io.BytesIO()
    book.save(out)
    preview = preview_enrolments(out.getvalue(), "t3.xlsx", today=TODAY)
    assert [(i.row, i.field) for i in preview.issues] == [(5, "paid_on")]


def test_cli_reports_rows_and_exits_non_zero(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        _csv([*ROWS, "4,Phạm Văn A,1980,Nam,040123456,,,,BHXH tự nguyện,Mới,03/03/2026,,,"])
    )
    result = runner.invoke(args=["followup", "import-enrolments", str(bad)])
    assert result.exit_code == 1
    assert "row 5, cccd:" in result.output
    assert "Nothing was imported." in result.output
    assert db.session.query(Enrolment).count() == 0
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(ROWS))
    result = runner.invoke(args=["followup", "import-enrolments", str(good)])
    assert result.exit_code == 0, result.output
    assert "3 enrolments imported" in result.output
    again = runner.invoke(args=["followup", "import-enrolments", str(good)])
    assert "imported before" in again.output
    assert db.session.query(Enrolment).count() == 3


BAD_ROWS = [
    "1,Nguyễn Thị Hoa,12/05/1980,Nữ,0401800001,,,,BHXH tự nguyện,Tham gia mới,03/03/2026,,,HS001",
    "2,Trần Văn Nam,1975,Nam,,,0123,,BHYT hộ gia đình,Gia hạn,05/03/2026,1105650,,HS002",
    "3,Lê Thị Mai,01/01/1990,Nữ,,,,,BHYT HGĐ,Mới,06/03/2026,một triệu,,HS003",
    EIGHT_BAD,
]


def test_the_summary_counts_every_row_read(app: Flask, tmp_path: Path) -> None:
    """Four rows, each with problems: four rows read, four with problems, none ready."""
    preview = preview_enrolments(_csv(BAD_ROWS), "x.csv", today=TODAY)
    assert sorted({i.row for i in preview.issues}) == [2, 3, 4, 5]
    assert (len(preview.table.rows), len(preview.rows), preview.rows_with_problems) == (4, 0, 4)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(BAD_ROWS))
    result = app.test_cli_runner().invoke(args=["followup", "import-enrolments", "--dry-run",
                                                str(bad)])  # fmt: skip
    assert result.exit_code == 1
    assert result.output.count("row ") == 3 + len(EIGHT_FIELDS)  # every problem of every row
    assert "4 rows read: 0 ready (0 new, 0 renewals, 0 with a commune not found, 0 to choose, " \
        "0 with no commune written), 4 with problems" in result.output  # fmt: skip
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(_csv([*ROWS, EIGHT_BAD]))
    result = app.test_cli_runner().invoke(args=["followup", "import-enrolments", "--dry-run",
                                                str(mixed)])  # fmt: skip
    assert "4 rows read: 3 ready (2 new, 1 renewals" in result.output
    assert ", 1 with problems" in result.output


def test_legacy_encoded_and_oversized_files_are_refused(app: Flask) -> None:
    from app.followup.enrolments import MAX_BYTES
    from tests.app.sheets.files import to_tcvn3

    legacy = to_tcvn3("\n".join([HEADER, *ROWS]) + "\n")
    with pytest.raises(FileRejected, match="TCVN3"):
        preview_enrolments(legacy, "cu.csv", today=TODAY)
    huge = _csv(ROWS) + b"x" * MAX_BYTES
    with pytest.raises(FileRejected, match="limit is 50 MB"):
        preview_enrolments(huge, "to.csv", today=TODAY)
    assert db.session.query(Enrolment).count() == 0


def test_a_commune_of_another_unit_is_refused_by_code_and_by_name(app: Flask, unit) -> None:
    """A province-40 office imports only province-40 enrolments (issue: linkage across units)."""
    from sqlalchemy import select

    from app.models import OrgUnit
    from tests.conftest import HOME, OTHER

    theirs = db.session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id == unit(OTHER).id).order_by(OrgUnit.code)
    ).first()
    ours = db.session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id == unit(HOME).id).order_by(OrgUnit.code)
    ).first()
    rows = [
        ROWS[2].replace(",42,", f",{theirs.code},"),
        ROWS[1].replace(",,BHYT", f",{ours.code},BHYT"),
    ]
    preview = preview_enrolments(_csv(rows), "x.csv", unit=unit(HOME), today=TODAY)
    assert [(i.row, i.field) for i in preview.issues] == [(2, "commune")]
    assert [r.commune_id for r in preview.rows] == [ours.id]
    anywhere = preview_enrolments(_csv(rows), "x.csv", unit=None, today=TODAY)
    assert anywhere.issues == []


def test_running_an_import_again_finishes_its_linkage(app: Flask, tmp_path: Path) -> None:
    """The import commits, then links in a second transaction; if that one never committed (the
    process killed), the same command run again finds the file imported and links it then."""
    from app.models import AuditLog

    file = tmp_path / "t3.csv"
    file.write_bytes(_csv(ROWS))
    commit_enrolments(preview_enrolments(_csv(ROWS), "t3.csv", today=TODAY), user=None,
                      unit=None, now=NOW)  # fmt: skip
    db.session.commit()  # the import's transaction; its linkage's never came
    runner = app.test_cli_runner()
    again = runner.invoke(args=["followup", "import-enrolments", str(file)])
    assert again.exit_code == 0, again.output
    assert "imported before" in again.output
    assert "Full linkage" in again.output
    runs = db.session.query(AuditLog).filter_by(action="followup.link").count()
    assert runs == 1
    once_more = runner.invoke(args=["followup", "import-enrolments", str(file)])
    assert "linkage" not in once_more.output.lower()  # nothing left to link: no run
    assert db.session.query(AuditLog).filter_by(action="followup.link").count() == runs
