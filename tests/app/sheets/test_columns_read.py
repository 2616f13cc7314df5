"""Which of the file's columns was read as what: each field with the header the file writes.

The reader matches many spellings of a header, so the preview names each field by the file's
own header ("HO_TEN" for the full name); a workbook whose sheets spell a header differently
names each spelling's sheets, and a header every sheet spells alike names none.
"""

from __future__ import annotations

from app.attendance.sheet import ATTENDEE_COLUMNS
from app.sheets.columns_read import columns_missing, columns_read
from app.sheets.reader import read_table
from tests.app.sheets.files import HEADER, ROWS, workbook

OTHER_HEADER = ["STT", "HO_TEN", "Năm sinh", "SĐT", "Số CCCD", "Thôn/Xóm"]


def test_a_csv_names_each_field_by_its_own_header() -> None:
    data = "HO_TEN,NAM_SINH,DIEN_THOAI\nNguyễn Thị Hoà,1975,0912345678\n".encode()
    table = read_table(data, "ds.csv", ATTENDEE_COLUMNS)
    read = {
        c.name: [(h.text, h.sheets) for h in c.headers]
        for c in columns_read(table, ATTENDEE_COLUMNS)
    }
    assert read["name"] == [("HO_TEN", ())]
    assert read["phone"] == [("DIEN_THOAI", ())]
    assert "cccd" not in read
    assert "cccd" in [c.name for c in columns_missing(table, ATTENDEE_COLUMNS)]


def test_sheets_spelling_a_header_differently_are_named() -> None:
    data = workbook({"Bắc Lý": [HEADER, ROWS[0]], "Châu Bình": [OTHER_HEADER, ROWS[1]]})
    table = read_table(data, "ds.xlsx", ATTENDEE_COLUMNS, every_sheet=True)
    assert [s.headers["name"] for s in table.sheets] == ["Họ và tên", "HO_TEN"]
    read = {c.name: c for c in columns_read(table, ATTENDEE_COLUMNS)}
    assert [(h.text, h.sheets) for h in read["name"].headers] == [
        ("Họ và tên", ("Bắc Lý",)),
        ("HO_TEN", ("Châu Bình",)),
    ]
    assert read["name"].header is None  # two spellings: no single header to show
    assert [(h.text, h.sheets) for h in read["cccd"].headers] == [("Số CCCD", ())]
    assert read["cccd"].header == "Số CCCD"
