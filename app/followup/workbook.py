"""The follow-up list as an Excel workbook for collection agents, and a person's own data as
one to hand them (openpyxl).

Vietnamese headers, a frozen header row, dates as real dates in Vietnam's time, and every text
cell text even when it starts with "=" (app.exports.workbook_bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import force_locale
from openpyxl.styles import Font

from app.consent import purpose_name
from app.exports import new_workbook, workbook_bytes
from app.followup.calls import CallRow, basis_words, reach_words, source_words
from app.followup.enrolled_after import EnrolledRow
from app.followup.enrolled_sheet import enrolled_sheet
from app.followup.lead_status import status_label
from app.identity.phones import national
from app.labels import GENDER, LINK_STATUS, SCHEME, TOUCH_SOURCE, vi_label
from app.timeparse import VN

if TYPE_CHECKING:  # app.reports reads app.followup as it loads
    from app.reports.reconcile_words import ReconcileLine

HEADERS = ("Loại", "Họ và tên", "Số điện thoại", "Năm sinh", "Xã/phường", "Thôn/xóm", "Nguồn",
           "Thời điểm", "Ghi chú", "Cơ sở để liên hệ", "Trạng thái", "Người phụ trách",
           "Ngày gọi lại", "Ghi chú cuộc gọi", "Liên kết bình luận")  # fmt: skip
CALL_SHEET, NO_PHONE_SHEET = "Danh sách liên hệ", "Chưa có số điện thoại"
KINDS = {"attendee": "Người dự", "lead": "Bình luận quan tâm"}
WIDTHS = (16, 28, 16, 10, 24, 20, 18, 18, 50, 40, 16, 24, 14, 40, 40)


def call_list_workbook(
    title: str,
    to_call: Sequence[CallRow],
    no_phone: Sequence[CallRow],
    enrolled: Sequence[EnrolledRow] = (),
    enrolled_note: str = "",
    reconciled: Sequence[ReconcileLine] = (),
) -> bytes:
    """The people to call on the first sheet, those who left no number on a second one, and
    those met who enrolled since on a third, under them ``enrolled_note``: what they count, and
    ``reconciled``: the lines from them to the reports' figure, as the page shows them.

    A sheet of its own rather than a column: agents work the first sheet top to bottom by phone,
    and a row there without a number is a dead end; the others need another action (a reply
    under their comment, the commune), said in the column where the phone would be.
    """
    book = new_workbook(f"{CALL_SHEET} — {title}")
    _call_sheet(book.active, CALL_SHEET, title, to_call, PHONE)
    _call_sheet(book.create_sheet(), NO_PHONE_SHEET, title, no_phone, REACH)
    # Who left the list: they enrolled.
    enrolled_sheet(book.create_sheet(), title, enrolled, enrolled_note, reconciled)
    return workbook_bytes(book)


@dataclass(frozen=True)
class Contact:
    """The third column of a sheet: the phone number, or how to reach someone without one."""

    head: str
    width: int
    cell: Callable[[CallRow], str]


PHONE = Contact("Số điện thoại", 16, lambda row: row.phone or "")
REACH = Contact("Cách liên hệ", 36, lambda row: reach_words(row, vietnamese=True))


def _call_sheet(sheet: Any, name: str, title: str, rows: Sequence[CallRow],
                contact: Contact) -> None:  # fmt: skip
    """One sheet of the list, its rows' third column written by ``contact``."""
    sheet.title = name
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([*HEADERS[:2], contact.head, *HEADERS[3:]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=3):  # not max_row: it walks every cell
        seen = row.seen_at.astimezone(VN).replace(tzinfo=None)
        sheet.append([KINDS[row.kind], row.name, contact.cell(row),
                      row.birth_year, row.commune, row.hamlet,
                      source_words(row, vietnamese=True), seen, row.note,
                      basis_words(row, vietnamese=True), vietnamese_status(row.status),
                      row.assignee,
                      row.next_call_on, row.work_notes,
                      row.comment_url or ""])  # fmt: skip
        sheet.cell(number, 8).number_format = "dd/mm/yyyy hh:mm"
        sheet.cell(number, 13).number_format = "dd/mm/yyyy"
        if row.comment_url:
            sheet.cell(number, 15).hyperlink = row.comment_url
        sheet.cell(number, 3).number_format = "@"
    sheet.freeze_panes = "A3"
    for index, width in enumerate((*WIDTHS[:2], contact.width, *WIDTHS[3:]), start=1):
        sheet.column_dimensions[sheet.cell(2, index).column_letter].width = width


def vietnamese_status(status: str) -> str:
    """The status in Vietnamese whatever the page's language: the sheet's words are."""
    with force_locale("vi"):
        return status_label(status)


ANSWERS = {True: "Có", False: "Không", None: "Chưa được hỏi"}
NOTHING = "—"


def person_workbook(data: dict[str, Any]) -> bytes:
    """What ``rights.export_person`` returns, in Vietnamese, for the person to read and keep."""
    consent, basis = data["consent"], data["legal_basis"]
    with force_locale("vi"):
        form = purpose_name(consent["version"]) if consent["version"] else None
    facts = [
        ("Mã người trong hệ thống", data["id"]),
        ("Họ và tên", data["full_name"]),
        ("Ngày sinh", _day(data["birth_date"]) or data["birth_year"]),
        ("Giới tính", vi_label(GENDER, data["gender"]) if data["gender"] else None),
        ("Số điện thoại", national(data["phone"]) if data["phone"] else None),
        ("Số CCCD", data["cccd"]),
        ("Mã số BHXH", data["bhxh_code"]),
        ("Xã/phường", data["commune"]),
        ("Thôn/xóm", data["hamlet"]),
        ("Đồng ý xử lý dữ liệu", ANSWERS[consent["agreed"]]),
        ("Mẫu đồng ý", form),
        ("Nội dung đồng ý", consent["purpose"]),
        ("Thời điểm trả lời", _moment(consent["at"])),
        ("Rút lại sự đồng ý lúc", _moment(consent["withdrawn_at"])),
        ("Cơ sở xử lý khi không có sự đồng ý", basis["text"]),
        ("Lưu giữ đến", _moment(basis["kept_until"])),
        ("Đã xóa lúc", _moment(data["erased_at"])),
    ]
    # An empty cell reads as a value lost in the file; a dash says nothing is held.
    facts = [(name, NOTHING if value is None or value == "" else value) for name, value in facts]
    if data["erased_at"]:
        counted = data["counted"]
        facts.append(("Được tính trong thống kê",
                      f"{counted['touches']} lần tham gia, {counted['enrolments']} hồ sơ đóng "
                      "bảo hiểm (không kèm thông tin nhận diện)"))  # fmt: skip
    book = new_workbook("Dữ liệu cá nhân lưu trong Lan Tỏa")
    sheet = book.active
    sheet.title = "Thông tin"
    _table(sheet, ("Thông tin", "Giá trị"), facts, (34, 90))
    _table(book.create_sheet("Lần tham gia"), ("Sự kiện", "Nguồn", "Thời điểm"),
           [(t["event"], vi_label(TOUCH_SOURCE, t["source"]), _moment(t["at"]))
            for t in data["touches"]], (48, 28, 18))  # fmt: skip
    _table(book.create_sheet("Đăng ký BHXH, BHYT"),
           ("Loại hình", "Ngày nộp tiền", "Tham gia mới", "Đối chiếu"),
           [(vi_label(SCHEME, e["scheme"]), _day(e["paid_on"]),
             "Có" if e["is_new"] else "Gia hạn", vi_label(LINK_STATUS, e["status"]))
            for e in data["enrolments"]], (24, 16, 14, 24))  # fmt: skip
    return workbook_bytes(book)


def _table(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]],
           widths: Sequence[int]) -> None:  # fmt: skip
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    sheet.freeze_panes = "A2"


def _moment(iso: str | None) -> str | None:
    return datetime.fromisoformat(iso).astimezone(VN).strftime("%d/%m/%Y %H:%M") if iso else None


def _day(iso: str | None) -> str | None:
    """A stored date at its precision as written in Vietnam: 17/05/1975, 05/1975, 1975."""
    return "/".join(reversed(iso[:10].split("-"))) if iso else None
