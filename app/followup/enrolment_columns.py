"""The columns of enrolment exports (from the social-insurance system or collection agents).

Recognised by header whatever their order and spelling (app.sheets.headers); the parsers turn
what Excel hands over into values (an amount here; a phone, a scheme, a kind, a gender in
app.followup.enrolment_cells; the commune within the importing unit, given per file by
``with_communes``), and the rules across a row's cells live in app.followup.enrolment_rows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.consent import answer_cell
from app.followup import enrolment_cells as read
from app.followup.enrolment_cells import EnrolmentCommunes
from app.sheets import cells
from app.sheets.headers import CellError, Column
from app.sheets.issues import _l
from app.wholenumbers import parse_whole, write_whole

NAME = ("họ và tên", "họ tên", "tên người tham gia", "họ tên người tham gia", "full name")
BIRTH = ("ngày sinh", "năm sinh", "ngày tháng năm sinh", "ngày/tháng/năm sinh")
GENDER = ("giới tính", "gt", "nam/nữ")
CCCD = ("số cccd", "cccd", "cmnd/cccd", "số cmnd/cccd", "căn cước", "số căn cước",
        "căn cước công dân", "số định danh cá nhân", "cmnd")  # fmt: skip
BHXH = ("mã số bhxh", "mã bhxh", "mã số bảo hiểm xã hội", "số sổ bhxh", "mã số", "mã thẻ")
PHONE = ("số điện thoại", "sđt", "điện thoại", "số đt", "đt", "di động")
COMMUNE = ("xã/phường", "xã, phường", "xã/phường/thị trấn", "xã/phường/đặc khu", "mã xã",
           "xã", "phường", "địa bàn", "đơn vị hành chính")  # fmt: skip
SCHEME = ("loại hình", "loại hình tham gia", "đối tượng", "loại đối tượng", "nhóm đối tượng")
KIND = ("tham gia mới/gia hạn", "tham gia mới", "mới/gia hạn", "hình thức", "tình trạng",
        "loại giao dịch", "phát sinh")  # fmt: skip
PAID_ON = ("ngày nộp tiền", "ngày nộp", "ngày đóng", "ngày đóng tiền", "ngày thu", "ngày lập",
           "ngày giao dịch")  # fmt: skip
AMOUNT = ("số tiền", "số tiền nộp", "số tiền đóng", "thành tiền", "tiền đóng")
METHOD = ("phương thức đóng", "phương thức", "phương thức nộp", "kỳ đóng")
AGENT = ("đại lý thu", "tên đại lý", "đại lý", "nhân viên thu", "điểm thu")
SOURCE_ID = ("số hồ sơ", "mã hồ sơ", "số biên lai", "số phiếu", "mã giao dịch", "id")
HOUSEHOLD = ("mã hộ gia đình", "mã hộ", "số hộ", "mã hgđ", "hộ gia đình")
# The person's answer to the purpose text (app.consent) where the export carries one, and when.
CONSENT = ("đồng ý", "đồng ý xử lý dữ liệu cá nhân", "đồng ý xử lý dữ liệu", "chấp thuận",
           "consent")  # fmt: skip
CONSENT_ON = ("ngày đồng ý", "ngày chấp thuận", "thời điểm đồng ý")


# One enrolment's payment: five years of voluntary social insurance paid ahead at the highest
# income base is under 400 million đồng; more is a typing or export error (and a number past the
# database's integers would fail the whole import at its last step).
MAX_AMOUNT = 2_000_000_000


def amount(value: Any) -> int | None:
    """1.700.000 / 1700000 / a whole numeric cell → 1700000 đồng, read like the forms' amounts
    (``parse_whole``): a comma is the decimal mark, so "2,5" is refused rather than guessed as
    25, and a numeric cell with a fraction (1500000.75) is refused rather than rounded. 0 is
    kept (a contribution the state pays in full), a negative amount (a refund, a cancelled
    receipt) or an absurd one refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_l("Not an amount of money."))
    if isinstance(value, int):
        return _checked(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_l("This cell holds a fraction of a đồng: write a whole number."))
        return _checked(int(value))
    try:
        whole = parse_whole(str(value))
    except ValueError:
        raise CellError(_l("Write a whole number, for example 2.500.000.")) from None
    return _checked(whole)


def _checked(value: int) -> int:
    if value < 0:
        raise CellError(_l("A negative amount is not a payment (a refund, a cancelled receipt?)."))
    if value > MAX_AMOUNT:
        raise CellError(
            _l("More than %(max)s đồng for one enrolment: check the number."),
            max=write_whole(MAX_AMOUNT),
        )
    return value


ENROLMENT_COLUMNS: tuple[Column, ...] = (
    Column("name", _l("Full name"), NAME, required=True),
    Column("birth", _l("Year or date of birth"), BIRTH, parse=cells.birth),
    Column("gender", _l("Gender"), GENDER, parse=read.gender),
    Column("cccd", _l("CCCD"), CCCD, parse=cells.digits_id(12)),
    Column("bhxh_code", _l("BHXH code"), BHXH, parse=cells.digits_id(10)),
    Column("phone", _l("Phone"), PHONE, parse=read.phone),
    Column("commune", _l("Commune"), COMMUNE),
    Column("scheme", _l("Scheme"), SCHEME, required=True, parse=read.scheme),
    Column("kind", _l("New or renewal"), KIND, required=True, parse=read.kind),
    Column("paid_on", _l("Payment date"), PAID_ON, required=True, parse=cells.birth),
    Column("amount", _l("Amount (VND)"), AMOUNT, parse=amount),
    Column("method", _l("Payment method"), METHOD),
    Column("agent", _l("Collection agent"), AGENT),
    Column("source_id", _l("Record number"), SOURCE_ID),
    Column("household", _l("Household code"), HOUSEHOLD),
    Column("consent", _l("Agrees (Có/Không)"), CONSENT, parse=answer_cell),
    Column("consent_on", _l("Date of the answer"), CONSENT_ON, parse=cells.birth),
)


def with_communes(communes: EnrolmentCommunes) -> tuple[Column, ...]:
    """The columns for one file: its communes placed within the importing unit (``communes``)."""
    return tuple(replace(c, parse=communes.read) if c.name == "commune" else c
                 for c in ENROLMENT_COLUMNS)  # fmt: skip
