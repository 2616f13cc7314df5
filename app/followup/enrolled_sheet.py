"""The follow-up workbook's sheet of people met at the event who enrolled after it.

In Vietnamese whatever the page's language, as the rest of the workbook; dates as real dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import force_locale
from openpyxl.styles import Font

from app.followup.enrolled_after import EnrolledRow

ENROLLED_SHEET = "Đã đăng ký sau sự kiện"
# The birth year and hamlet tell two people of one name apart, as on the call list's sheets.
HEADERS = ("Họ và tên", "Năm sinh", "Xã/phường", "Thôn/xóm", "Gặp tại sự kiện", "Loại hình",
           "Ngày nộp tiền", "Số ngày sau sự kiện", "Cách đối chiếu")  # fmt: skip
WIDTHS = (28, 10, 24, 20, 30, 30, 14, 12, 40)


def enrolled_sheet(sheet: Any, title: str, rows: Sequence[EnrolledRow], note: str = "") -> None:
    """Fill ``sheet``: the event's title, ``note`` (what the rows count: which window, which
    schemes, how the reports credit them) as the reports' sheets say it, in italics on the
    second row, the headers, then one row per person."""
    sheet.title = ENROLLED_SHEET
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([note])
    sheet["A2"].font = Font(italic=True)
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    with force_locale("vi"):
        for number, row in enumerate(rows, start=4):
            sheet.append([row.shown_name(), row.birth_year, row.commune,
                          row.hamlet, row.met_words(), row.scheme_words(),
                          row.paid_on, row.days_after, row.link_words()])  # fmt: skip
            sheet.cell(number, 7).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A4"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(3, index).column_letter].width = width
