"""Workbooks of several sheets: offices keep one sheet per commune ("Bắc Lý", "Châu Bình"), under
the same header. With ``every_sheet`` each one is read, its rows under the sheet's own numbers
and named by their sheet; an instructions sheet is passed over with a notice, a sheet that looks
like a list but lacks a required column is an issue — nobody on it is dropped without a word."""

from __future__ import annotations

import pytest

from app.attendance.sheet import ATTENDEE_COLUMNS
from app.sheets.issues import FileRejected
from app.sheets.reader import Table, read_table
from tests.app.sheets.files import HEADER, ROWS, workbook

BAC_LY = [["DANH SÁCH NGƯỜI THAM DỰ"], HEADER, ROWS[0], ROWS[1]]
CHAU_BINH = [HEADER, ROWS[2], [4, "Vi Văn Khánh", "=1900+70", "", "", "Bản Cọc"]]


def read(data: bytes, **kw) -> Table:  # type: ignore[no-untyped-def]
    return read_table(data, "ds.xlsx", ATTENDEE_COLUMNS, every_sheet=True, **kw)


def test_every_sheet_with_the_header_is_read_under_its_own_row_numbers() -> None:
    table = read(workbook({"Bắc Lý": BAC_LY, "Châu Bình": CHAU_BINH}))
    assert [(s.name, s.header_row, s.rows) for s in table.sheets] == [
        ("Bắc Lý", 2, 2),
        ("Châu Bình", 1, 2),
    ]
    assert [(r.sheet, r.number, r.values["name"]) for r in table.rows] == [
        ("Bắc Lý", 3, "Nguyễn Thị Hoà"),
        ("Bắc Lý", 4, "Trần Văn Nam"),
        ("Châu Bình", 2, "Lê Thị Ánh Tuyết"),
        ("Châu Bình", 3, "Vi Văn Khánh"),
    ]
    assert len({r.at for r in table.rows}) == 4
    assert table.sheet == "Bắc Lý"
    [formula] = table.issues
    assert (formula.sheet, formula.row, formula.field) == ("Châu Bình", 3, "birth")
    assert formula.line().startswith("sheet Châu Bình, row 3, birth:")
    assert formula.stored()["sheet"] == "Châu Bình"
    assert table.notices == []


def test_without_every_sheet_only_the_first_is_read() -> None:
    """A caller that wants one list reads the first sheet with the header, rows by number alone."""
    table = read_table(workbook({"Bắc Lý": BAC_LY, "Châu Bình": CHAU_BINH}), "ds.xlsx",
                       ATTENDEE_COLUMNS)  # fmt: skip
    assert [s.name for s in table.sheets] == ["Bắc Lý"]
    assert {r.sheet for r in table.rows} == {None}


def test_one_data_sheet_after_instructions_keeps_plain_row_numbers() -> None:
    instructions = [["Hướng dẫn"], ["Điền danh sách ở trang sau, mỗi người một dòng."]]
    table = read(workbook({"Hướng dẫn": instructions, "Danh sách": [HEADER, *ROWS]}))
    assert table.sheet == "Danh sách"
    assert [(r.sheet, r.number) for r in table.rows] == [(None, 2), (None, 3), (None, 4)]
    assert table.issues == []
    [notice] = table.notices
    assert notice.sheet == "Hướng dẫn"
    assert "Sheet Hướng dẫn was not read" in notice.text()


def test_an_empty_sheet_is_passed_over_without_a_word() -> None:
    table = read(workbook({"Danh sách": [HEADER, *ROWS], "Sheet2": []}))
    assert (table.issues, table.notices) == ([], [])
    assert [s.name for s in table.sheets] == ["Danh sách"]


def test_a_list_without_a_required_column_is_an_issue_naming_the_sheet() -> None:
    no_birth = [["STT", "Họ và tên", "Số điện thoại"], [1, "Lò Văn Pọm", "0912345678"]]
    table = read(workbook({"Bắc Lý": BAC_LY, "Mỹ Lý": no_birth}))
    assert [s.name for s in table.sheets] == ["Bắc Lý"]
    issue, header, named = table.issues
    assert (issue.row, issue.sheet) == (None, "Mỹ Lý")
    assert issue.text() == "Sheet Mỹ Lý was not read: its header lacks Year or date of birth."
    # As a one-sheet file refused for its columns: the header read, and the names accepted.
    assert (header.row, header.sheet, named.row, named.sheet) == (None, "Mỹ Lý", None, "Mỹ Lý")
    assert header.text() == (
        "The header row read on sheet Mỹ Lý (row 1) has these columns: "
        "“STT”, “Họ và tên”, “Số điện thoại”."
    )
    assert named.field == "birth"
    assert named.text().startswith(
        "The column Year or date of birth may be headed: “Năm sinh”, “Ngày sinh”,"
    )


def test_the_row_limit_counts_every_sheet() -> None:
    data = workbook({"Bắc Lý": BAC_LY, "Châu Bình": CHAU_BINH})
    assert len(read(data, max_rows=4).rows) == 4
    with pytest.raises(FileRejected, match="More than 3 rows"):
        read(data, max_rows=3)


def test_no_sheet_with_the_header_is_refused_as_before() -> None:
    with pytest.raises(FileRejected, match="Missing columns"):
        read(workbook({"A": [["Họ và tên"], ["Lò Văn Pọm"]], "B": [["ghi chú"]]}))
    with pytest.raises(FileRejected, match="no data rows"):
        read(workbook({"A": [HEADER], "B": [HEADER]}))


def test_a_hidden_sheet_is_not_read_and_is_named() -> None:
    """A lookup list or last month's copy, hidden in the workbook, is not a list to import."""
    lookup = [["Mã xã", "Tên xã"], ["16819", "Xã Bắc Lý"]]
    data = workbook(
        {
            "Bắc Lý": BAC_LY,
            "Bản cũ": BAC_LY,
            "Danh mục": lookup,
            "Trống": [],
            "Châu Bình": CHAU_BINH,
        },
        {"Bản cũ": "hidden", "Danh mục": "veryHidden", "Trống": "hidden"},
    )
    table = read(data)
    assert [s.name for s in table.sheets] == ["Bắc Lý", "Châu Bình"]
    assert {r.sheet for r in table.rows} == {"Bắc Lý", "Châu Bình"}
    assert [(n.sheet, n.text()) for n in table.notices] == [
        ("Bản cũ", "Sheet Bản cũ was not read: it is hidden in the workbook."),
        ("Danh mục", "Sheet Danh mục was not read: it is hidden in the workbook."),
    ]  # the empty hidden sheet says nothing, as an empty visible one
    assert [i.sheet for i in table.issues] == ["Châu Bình"]  # its formula; no hidden sheet's


def test_a_list_only_on_hidden_sheets_is_read_as_before() -> None:
    """Nothing that imported before stops importing: with no visible sheet to read, the hidden
    ones with the header are read, and not called unread."""
    instructions = [["Điền danh sách ở trang sau."]]
    data = workbook({"Hướng dẫn": instructions, "Danh sách": [HEADER, *ROWS]},
                    {"Danh sách": "hidden"})  # fmt: skip
    table = read(data)
    assert [s.name for s in table.sheets] == ["Danh sách"]
    assert [(r.sheet, r.number) for r in table.rows] == [(None, 2), (None, 3), (None, 4)]
    assert [n.sheet for n in table.notices] == ["Hướng dẫn"]
