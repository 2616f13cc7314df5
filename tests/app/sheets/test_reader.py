"""The generic reader on real files: encodings, delimiters, Excel dates and serials, merged and
two-row headers, columns in any order and spelling, and every file-level refusal."""

from __future__ import annotations

import codecs
import unicodedata
from datetime import datetime

import pytest

from app.attendance.sheet import ATTENDEE_COLUMNS
from app.sheets.decoding import decode_text
from app.sheets.issues import FileRejected
from app.sheets.reader import read_table, sniff_delimiter
from tests.app.sheets.files import HEADER, ROWS, csv_text, to_cp1258, to_tcvn3, xlsx

EXCEL_DAY = datetime(1975, 5, 17)  # noqa: DTZ001 (Excel cells carry no zone)
NFC_NAME = unicodedata.normalize("NFC", "Nguyễn Thị Hoà")


def read(data: bytes, name: str = "sheet.csv", **kw):  # type: ignore[no-untyped-def]
    return read_table(data, name, ATTENDEE_COLUMNS, **kw)


def rejected(data: bytes, name: str = "sheet.csv", **kw) -> str:
    with pytest.raises(FileRejected) as caught:
        read(data, name, **kw)
    return " | ".join(i.line() for i in caught.value.issues)


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        (to_cp1258, "cp1258"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "windows-1258"],
)
def test_every_encoding_reads_the_same_rows(encode, expected) -> None:
    table = read(encode(csv_text([HEADER, *ROWS])))
    assert table.encoding == expected
    assert [r.values["name"] for r in table.rows] == [
        NFC_NAME,
        "Trần Văn Nam",
        "Lê Thị Ánh Tuyết",
    ]
    assert table.rows[1].values["hamlet"] == "Thôn Đông"
    assert [r.number for r in table.rows] == [2, 3, 4]
    assert table.issues == []


def test_windows_1258_combining_marks_are_composed() -> None:
    raw = to_cp1258("Nguyễn")
    assert raw != "Nguyễn".encode("cp1252", "ignore")  # tone mark written apart
    text, encoding = decode_text(raw)
    assert (text, encoding) == ("Nguyễn", "cp1258")
    assert unicodedata.is_normalized("NFC", text)


def test_tcvn3_csv_is_reported_not_imported() -> None:
    message = rejected(to_tcvn3(csv_text([HEADER, *ROWS])))
    assert "TCVN3" in message


def test_tcvn3_text_inside_an_xlsx_is_reported() -> None:
    garbled = to_tcvn3("Nguyễn Thị Hoà").decode("cp1252")  # "NguyÔn ThÞ Hoµ"
    rows = [HEADER, [1, garbled, 1975, "", "", to_tcvn3("Xóm").decode("cp1252")]]
    assert "TCVN3" in rejected(xlsx(rows), "sheet.xlsx")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    text = csv_text([HEADER, *ROWS], delimiter)
    assert sniff_delimiter(text) == delimiter
    assert len(read(text.encode()).rows) == 3


def test_semicolon_file_with_commas_inside_values() -> None:
    rows = [HEADER, [1, "Nguyễn Văn A", "1975", "", "", "Thôn 1, xã Đông"]]
    table = read(csv_text(rows, ";").encode("utf-8-sig"))
    assert table.rows[0].values["hamlet"] == "Thôn 1, xã Đông"


def test_excel_dates_serials_and_numbers() -> None:
    rows = [
        ["Họ tên", "Ngày sinh", "SĐT", "CCCD"],
        ["A", EXCEL_DAY, 912345678, 40175001234],  # lost leading zeros
        ["B", 27531, 987654321.0, None],  # a General-formatted date: Excel shows 27531
        ["C", 1968.0, None, None],
    ]
    table = read(xlsx(rows), "sheet.xlsx")
    values = [r.values for r in table.rows]
    assert [v["birth"] for v in values] == ["17/05/1975", "17/05/1975", "1968"]
    assert values[0]["cccd"] == "040175001234"
    assert values[0]["phone"] == "912345678"


def test_title_rows_and_a_two_row_header_with_merged_cells() -> None:
    rows = [
        ["DANH SÁCH NGƯỜI THAM DỰ HỘI NGHỊ", None, None, None, None, None],
        ["(Kèm theo công văn số 12/BHXH)", None, None, None, None, None],
        ["STT", "Họ và tên", "Năm sinh", "Địa chỉ", None, "Điện thoại"],
        [None, None, None, "Thôn/Xóm", "Xã/Phường", None],
        [1, "Nguyễn Văn A", 1975, "Xóm 1", "Xã Diễn Châu", "0912345678"],
    ]
    book = xlsx(rows, merge=["A1:F1", "A2:F2", "A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4"])
    table = read(book, "sheet.xlsx")
    assert table.header_row == 4
    assert set(table.headers) == {"name", "birth", "hamlet", "commune", "phone"}
    assert table.rows[0].number == 5
    assert table.rows[0].values["hamlet"] == "Xóm 1"
    assert table.rows[0].values["commune"] == "Xã Diễn Châu"


def test_columns_in_any_order_and_spelling() -> None:
    rows = [
        ["sdt", "THÔN, XÓM", "HỌ TÊN (*)", "CMND/CCCD", "ngay sinh"],
        ["0912345678", "Xóm 2", "Phạm Văn Long", "040068001234", "01/02/1968"],
    ]
    table = read(csv_text(rows).encode())
    assert table.rows[0].values == {
        "phone": "0912345678",
        "hamlet": "Xóm 2",
        "name": "Phạm Văn Long",
        "cccd": "040068001234",
        "birth": "01/02/1968",
    }


def test_formulas_are_row_errors() -> None:
    rows = [HEADER, [1, "Nguyễn Văn A", "=1900+75", "", "", ""], [2, "Lê B", 1980, "", "", ""]]
    table = read(xlsx(rows), "sheet.xlsx")
    assert [(i.row, i.field) for i in table.issues] == [(2, "birth")]
    assert "Formulas" in table.issues[0].message
    csv_rows = [HEADER, [1, "=HYPERLINK(1)", "1975", "", "", ""]]
    table = read(csv_text(csv_rows).encode())
    assert [(i.row, i.field) for i in table.issues] == [(2, "name")]


def test_wrong_columns_name_the_missing_ones() -> None:
    message = rejected(csv_text([["STT", "Tên đơn vị", "Ghi chú"], [1, "x", "y"]]).encode())
    assert "Full name" in message
    assert "Year or date of birth" in message
    only_name = rejected(csv_text([["Họ và tên", "Ghi chú"], ["A", "y"]]).encode())
    assert "Missing columns: Year or date of birth." in only_name
    assert "Full name" not in only_name


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"\r\n \r\n", "a.csv", "The file is empty."),
        (b"\xef\xbb\xbf", "a.csv", "The file is empty."),
        ("Họ và tên,Năm sinh\r\n,\r\n".encode(), "a.csv", "no data rows"),
        (b"\xd0\xcf\x11\xe0rest", "a.xls", ".xls"),
        (b"not a zip", "a.xlsx", "workbook cannot be read"),
        (b"PK\x03\x04broken", "a.xlsx", "workbook cannot be read"),
    ],
)
def test_files_that_cannot_be_imported(data: bytes, name: str, expected: str) -> None:
    assert expected in rejected(data, name)


def test_empty_and_header_only_workbooks() -> None:
    assert "The file is empty." in rejected(xlsx([]), "a.xlsx")
    assert "no data rows" in rejected(xlsx([HEADER]), "a.xlsx")


def test_a_50_mb_file_is_refused_before_parsing() -> None:
    data = b"x" * (50 * 1024 * 1024)  # not even CSV: the size check comes first
    assert "The file is 50 MB; the limit is 20 MB." in rejected(data)


def test_row_limit() -> None:
    rows = [HEADER] + [[i, f"Người {i}", 1970, "", "", ""] for i in range(11)]
    assert "More than 10 rows" in rejected(csv_text(rows).encode(), max_rows=10)
    assert len(read(csv_text(rows).encode(), max_rows=11).rows) == 11


def test_the_sheet_with_the_header_is_found() -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Điền danh sách ở trang sau"])
    data_sheet = book.create_sheet("Danh sách")
    for row in [HEADER, *ROWS]:
        data_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    table = read(buffer.getvalue(), "a.xlsx")
    assert table.sheet == "Danh sách"
    assert len(table.rows) == 3
