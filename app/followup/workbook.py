"""The follow-up list as an Excel workbook for collection agents (openpyxl).

Vietnamese headers, a frozen header row, dates as real dates in Vietnam's time, and every text
cell neutralised against formula injection (app.exports.safe_cell).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from app.consent import PUBLIC_COMMENT
from app.exports import safe_cell
from app.followup.calls import CallRow
from app.timeparse import VN

HEADERS = ("Loại", "Họ và tên", "Số điện thoại", "Năm sinh", "Xã/phường", "Thôn/xóm", "Nguồn",
           "Thời điểm", "Ghi chú", "Cơ sở xử lý dữ liệu")  # fmt: skip
KINDS = {"attendee": "Người dự", "lead": "Bình luận quan tâm"}
WIDTHS = (16, 28, 16, 10, 24, 20, 18, 18, 50, 40)


def call_list_workbook(title: str, rows: Sequence[CallRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách liên hệ"
    sheet.append([safe_cell(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=3):  # not max_row: it walks every cell
        seen = row.seen_at.astimezone(VN).replace(tzinfo=None)
        sheet.append([KINDS[row.kind], safe_cell(row.name), safe_cell(row.phone or ""),
                      row.birth_year, safe_cell(row.commune), safe_cell(row.hamlet),
                      safe_cell(row.source), seen, safe_cell(row.note), basis(row)])  # fmt: skip
        sheet.cell(number, 8).number_format = "dd/mm/yyyy hh:mm"
        sheet.cell(number, 3).number_format = "@"
    sheet.freeze_panes = "A3"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(2, index).column_letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def basis(row: CallRow) -> str:
    """Why this person may be called, in the words of the office's data-protection record."""
    if row.basis != PUBLIC_COMMENT:
        return f"Đồng ý (nội dung {row.consent_version})"
    until = f"; lưu đến {row.kept_until.astimezone(VN):%d/%m/%Y}" if row.kept_until else ""
    return f"Tự công khai số điện thoại trong bình luận{until}"

