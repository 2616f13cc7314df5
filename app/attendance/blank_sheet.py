"""The blank attendee sheet to print for a hall: the purpose text above, one "Đồng ý" per person.

Each person answers Có or Không beside their name after reading the purpose text printed at the
top, with its version, so the answers the import records refer to a text everyone can read
again. The headers are ones the importer recognises (app.attendance.sheet), so the filled sheet
goes back in as it is.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, Side

from app.consent import CURRENT, PURPOSES, form_name
from app.exports import new_workbook, workbook_bytes
from app.sheets.template import TemplateColumn, template_workbook

HEADERS = ("STT", "Họ và tên", "Năm sinh", "Số điện thoại", "Số CCCD (nếu có)", "Thôn/xóm",
           "Xã/phường", "Đồng ý (Có/Không)", "Ký tên")  # fmt: skip
WIDTHS = (6, 28, 12, 16, 18, 18, 20, 14, 16)
ROWS = 40
HEADER_ROW = 4


def attendee_template(title: str = "") -> bytes:
    """The XLSX: title, purpose text and its version, the header on row 4, numbered lines."""
    text = PURPOSES[CURRENT]
    heading = ("DANH SÁCH NGƯỜI THAM DỰ " + title.upper()).strip()
    book = new_workbook(heading)
    sheet = book.active
    sheet.title = "Danh sách người tham dự"
    last = len(HEADERS)
    sheet.append([heading])
    sheet.append([text.text])
    sheet.append([f"Nội dung trên là {form_name(text)}. Ghi Có hoặc Không vào cột Đồng ý; "
                  "để trống nếu người tham dự không được hỏi."])  # fmt: skip
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A3"].font = Font(italic=True)
    sheet.row_dimensions[2].height = 90
    sheet.row_dimensions[3].height = 30
    sheet.append(list(HEADERS))
    thin = Side(style="thin")
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for number in range(1, ROWS + 1):
        sheet.append([number])
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + ROWS, max_col=last):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(HEADER_ROW, index).column_letter].width = width
    for column in (4, 5):  # phones and CCCD keep their leading zero when typed
        for row in range(HEADER_ROW + 1, HEADER_ROW + ROWS + 1):
            sheet.cell(row, column).number_format = "@"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    return workbook_bytes(book)


def attendee_import_template(commune_name: str) -> bytes:
    """The sheet to type an attendee list into and import: the headers of the printed sheet, and
    one example row (in `commune_name`, a commune of the event) that imports as it is."""
    columns = (
        TemplateColumn("Họ và tên", "Nguyễn Thị Lan", 28),
        TemplateColumn("Năm sinh", 1975, 12),
        TemplateColumn("Số điện thoại", "0912345678", 16, "@"),
        TemplateColumn("Số CCCD (nếu có)", "", 18, "@"),
        TemplateColumn("Thôn/xóm", "Thôn Đông", 18),
        TemplateColumn("Xã/phường", commune_name, 22),
        TemplateColumn("Đồng ý (Có/Không)", "Có", 14),
    )
    text = PURPOSES[CURRENT]
    note = (
        "Dòng tô vàng là ví dụ: ghi đè hoặc xóa trước khi nhập. Một người một dòng; cột Đồng ý "
        f"ghi Có hoặc Không theo câu trả lời của người tham dự với {form_name(text)}, để trống "
        "nếu không được hỏi."
    )
    return template_workbook(
        "Danh sách người tham dự", "MẪU NHẬP DANH SÁCH NGƯỜI THAM DỰ", note, columns
    )
