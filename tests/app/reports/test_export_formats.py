"""The comparison's files as a Vietnamese office opens them: Excel formats and the CSV's bytes.

Whole numbers are "#,##0" in Excel (never "#,##0.##", which shows 2 as "2."), a split credit
"#,##0.00"; the CSV is read back byte by byte: a UTF-8 BOM, ";" between cells, CRLF, days
dd/mm/yyyy, months mm/yyyy and a decimal comma — what Excel set to Vietnamese opens in columns.
"""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from app.exports import excel_cell, excel_csv_text
from tests.app.reports.conftest import OCTOBER
from tests.conftest import HOME, login

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?![\d.])")  # 0.5, 2.25 (not 1.700)


def test_whole_numbers_never_show_a_trailing_point(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    response = client.get("/reports/channels.xlsx", query_string={**OCTOBER, "model": "linear"})
    book = load_workbook(io.BytesIO(response.data))
    fractions = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                assert ".##" not in cell.number_format, (sheet.title, cell.coordinate)
                if isinstance(cell.value, float) and not cell.value.is_integer():
                    assert cell.number_format in ("#,##0.00", "0.0%"), cell.coordinate
                    fractions += cell.number_format == "#,##0.00"
                elif isinstance(cell.value, int) and cell.number_format not in ("0", "@", "0.0%"):
                    assert cell.number_format == "#,##0", (sheet.title, cell.coordinate)
    assert fractions  # the linear model splits p2's enrolment between C1 and G1: 0,5 each


def test_the_csv_opens_in_columns_in_vietnamese_excel(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    for view in ("channels", "month", "commune", "event"):
        response = client.get("/reports/channels.csv", query_string={**OCTOBER, "view": view})
        raw = response.data
        assert raw.startswith(b"\xef\xbb\xbf"), view  # UTF-8 BOM: Excel reads the accents
        text = raw[3:].decode("utf-8")
        assert "\r\n" in text
        header = text.split("\r\n", 1)[0]
        assert ";" in header
        assert "," not in header
        assert not ISO_DAY.search(text), view
        assert not DECIMAL_POINT.search(text), (view, DECIMAL_POINT.findall(text))
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert len({len(r) for r in rows}) == 1, view  # every row has the header's columns
    months = client.get("/reports/channels.csv", query_string={**OCTOBER, "view": "month"})
    assert "\r\n10/2026;" in months.data.decode("utf-8-sig")
    channels = client.get("/reports/channels.csv", query_string=OCTOBER).data.decode("utf-8-sig")
    assert ";0,5;" in channels  # the livestreams' conversion, 1 of 2 people


def test_excel_cells() -> None:
    from datetime import date, datetime

    assert excel_cell(0.5) == "0,5"
    assert excel_cell(2.0) == "2"
    assert excel_cell(1700) == "1700"
    assert excel_cell(date(2026, 12, 3)) == "03/12/2026"
    assert excel_cell(datetime(2026, 12, 3, 20, 5)) == "03/12/2026 20:05"  # noqa: DTZ001
    assert excel_cell(None) == ""
    assert excel_cell("=1+1") == "'=1+1"
    text = excel_csv_text(["Tên", "Số"], [["Đông Hiếu", 1.25]])
    assert text == "\ufeffTên;Số\r\nĐông Hiếu;1,25\r\n"


def test_the_all_channels_line_is_formatted_as_its_columns(client, make, month) -> None:
    """The workbook's last line by channel reads as the page's <tfoot>: bold, counts and money
    "#,##0", the conversion a percentage; what is not added up is an empty cell, not 0."""
    login(client, make.user("viewer", HOME).email)
    response = client.get("/reports/channels.xlsx", query_string=OCTOBER)
    sheet = load_workbook(io.BytesIO(response.data))["Theo kênh"]
    headers = [c.value for c in sheet[3]]
    line = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "Tất cả các kênh")
    cells = dict(zip(headers, line, strict=True))
    assert all(c.font.bold for c in line)
    for header in ("Hoạt động", "Tương tác", "Người được định danh", "Chi phí (đồng)",
                   "Chi phí / người tham gia (đồng)"):  # fmt: skip
        assert isinstance(cells[header].value, int), header
        assert cells[header].number_format == "#,##0", header
    assert cells["Tỷ lệ chuyển đổi"].number_format == "0.0%"
    assert 0 < cells["Tỷ lệ chuyển đổi"].value < 1
    for header in ("Tiếp cận", "Tổng lượt tiếp cận của các bài đăng", "Cận dưới 95%"):
        assert cells[header].value is None, header
    text = client.get("/reports/channels.csv", query_string=OCTOBER).data.decode("utf-8-sig")
    last = text.rstrip("\r\n").rsplit("\r\n", 1)[1]
    assert last.startswith("Tất cả các kênh;5;;Không cộng: khác đơn vị tính;;116;7;3;0,4286;;;")


def test_workbooks_write_user_text_as_typed_and_never_as_a_formula() -> None:
    """An officer's note "+84 970752600 gọi lại giúp em nhé" showed with a leading quote in the
    call list: the CSV remedy leaked into the workbooks, whose cells carry their type."""
    from app.exports import new_workbook, text_cell, workbook_bytes

    texts = ["+84 970752600 gọi lại giúp em nhé", "-5 người", "@bhxh", "=HYPERLINK(1)", 1700]
    book = new_workbook("Thử")
    book.active.append(texts)
    streamed = new_workbook("Thử", write_only=True)
    sheet = streamed.create_sheet("Trang")
    sheet.append([text_cell(sheet, v) for v in texts])
    for data in (workbook_bytes(book), workbook_bytes(streamed)):
        cells = next(load_workbook(io.BytesIO(data)).active.iter_rows())
        assert [c.value for c in cells] == texts
        assert [c.data_type for c in cells] == ["s", "s", "s", "s", "n"]
        assert cells[3].quotePrefix  # Excel's hidden "this is text"


def test_only_the_exports_module_saves_a_workbook() -> None:
    """Every workbook goes through ``workbook_bytes``: a module saving its own could write a
    title starting with "=" as a formula."""
    from pathlib import Path

    app_dir = Path(__file__).resolve().parents[3] / "app"
    savers = sorted(
        str(path.relative_to(app_dir))
        for path in app_dir.rglob("*.py")
        if re.search(r"\bbook\.save\(", path.read_text(encoding="utf-8"))
    )
    assert savers == ["exports.py"]
