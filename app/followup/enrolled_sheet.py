"""The follow-up workbook's sheet of people met at the event who enrolled after it.

In Vietnamese whatever the page's language, as the rest of the workbook; dates as real dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from flask_babel import force_locale
from openpyxl.styles import Font

from app.followup.enrolled_after import EnrolledRow
from app.labels import in_vietnamese

if TYPE_CHECKING:  # app.reports reads app.followup as it loads
    from app.reports.reconcile_words import ReconcileLine

ENROLLED_SHEET = "Đã đăng ký sau sự kiện"
# The birth year and hamlet tell two people of one name apart, as on the call list's sheets.
HEADERS = ("Họ và tên", "Năm sinh", "Xã/phường", "Thôn/xóm", "Gặp tại sự kiện", "Loại hình",
           "Ngày nộp tiền", "Số ngày sau sự kiện", "Cách đối chiếu")  # fmt: skip
WIDTHS = (28, 10, 24, 20, 30, 30, 14, 12, 40)


def enrolled_sheet(
    sheet: Any,
    title: str,
    rows: Sequence[EnrolledRow],
    note: str = "",
    reconciled: Sequence[ReconcileLine] = (),
) -> None:
    """Fill ``sheet``: the event's title, ``note`` (what the rows count: which window, which
    schemes, how the reports credit them) as the reports' sheets say it, in italics on the
    second row, the lines from this list to the reports' figure (``reconciled``, Vietnamese) where
    the page shows them, the headers, then one row per person."""
    sheet.title = ENROLLED_SHEET
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([note])
    sheet["A2"].font = Font(italic=True)
    header = 3 + _reconcile_block(sheet, reconciled)
    sheet.append(list(HEADERS))
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    with force_locale("vi"):
        for number, row in enumerate(rows, start=header + 1):
            sheet.append([row.shown_name(), row.birth_year, row.commune,
                          row.hamlet, row.met_words(), row.scheme_words(),
                          row.paid_on, row.days_after, row.link_words()])  # fmt: skip
            sheet.cell(number, 7).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = f"A{header + 1}"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(header, index).column_letter].width = width


def _reconcile_block(sheet: Any, lines: Sequence[ReconcileLine]) -> int:
    """Above the list, as on the page (its first line says "mỗi người một dòng ở dưới"), from row
    3: a blank row, the caption in bold, then each line's sign and words in the first column
    (merged over the next four, which stay empty), its figure a count in the sixth; a blank row
    before the headers. The rows it took."""
    if not lines:
        return 0
    from app.reports.reconcile_book import EVENT_CAPTION, figure, line_words  # see above

    sheet.cell(4, 1, in_vietnamese(EVENT_CAPTION)).font = Font(bold=True)
    for number, line in enumerate(lines, start=5):
        value = figure(line.figure)
        sheet.cell(number, 1, line_words(line))
        sheet.cell(number, 6, value).number_format = (
            "#,##0" if isinstance(value, int) else "#,##0.00"
        )
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=5)
        bold = Font(bold=line.sign == "=")
        sheet.cell(number, 1).font = sheet.cell(number, 6).font = bold
    sheet.append([])  # the blank row: the headers are appended after it
    return len(lines) + 3
