"""`/follow-up/enrolments/template.xlsx`: the enrolment list to fill in and import.

For units whose agents keep their own list rather than an export of the social-insurance
system: every column the importer reads (app.followup.enrolment_columns), headed the way the
exports head them, with an example row in one of the user's communes that imports as it is.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.access import role_required
from app.collation import sorted_vietnamese
from app.consent import CURRENT, PURPOSES, form_name
from app.extensions import db
from app.followup import bp
from app.models import OrgKind, OrgUnit, Role
from app.sheets.template import TemplateColumn, template_workbook
from app.timeparse import VN

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def enrolment_template(commune_name: str, today: date) -> bytes:
    """The XLSX: headers the importer recognises and one example enrolment paid `today`."""
    columns = (
        TemplateColumn("Họ và tên", "Nguyễn Thị Lan", 26),
        TemplateColumn("Ngày sinh", "17/05/1975", 12, "@"),
        TemplateColumn("Giới tính", "Nữ", 10),
        TemplateColumn("Số CCCD", "", 16, "@"),
        TemplateColumn("Mã số BHXH", "", 14, "@"),
        TemplateColumn("Số điện thoại", "0912345678", 14, "@"),
        TemplateColumn("Xã/phường", commune_name, 22),
        TemplateColumn("Loại hình", "BHXH tự nguyện", 18),
        TemplateColumn("Tham gia mới/Gia hạn", "Tham gia mới", 16),
        TemplateColumn("Ngày nộp tiền", today, 14),
        TemplateColumn("Số tiền", 1_500_000, 14, "#,##0"),
        TemplateColumn("Phương thức đóng", "Hằng tháng", 16),
        TemplateColumn("Đại lý thu", "", 20),
        TemplateColumn("Số hồ sơ", "", 14),
        TemplateColumn("Đồng ý", "Có", 10),
        TemplateColumn("Ngày đồng ý", today, 14),
    )
    note = (
        "Dòng tô vàng là ví dụ: ghi đè hoặc xóa trước khi nhập. Loại hình: BHXH tự nguyện hoặc "
        "BHYT hộ gia đình; ngày ghi dd/mm/yyyy. Cột Đồng ý ghi Có hoặc Không theo câu trả lời "
        f"của người tham gia với {form_name(PURPOSES[CURRENT])}; để trống nếu không hỏi."
    )
    return template_workbook(
        "Danh sách đăng ký", "MẪU NHẬP DANH SÁCH ĐĂNG KÝ BHXH TỰ NGUYỆN, BHYT HỘ GIA ĐÌNH",
        note, columns,
    )  # fmt: skip


def _example_commune(unit: OrgUnit) -> str:
    """The unit itself when it is a commune, else the first of its communes in Vietnamese order."""
    if unit.kind == OrgKind.COMMUNE:
        return unit.name
    names = db.session.scalars(
        select(OrgUnit.name).where(OrgUnit.parent_id == unit.id, OrgUnit.kind == OrgKind.COMMUNE)
    )
    return next(iter(sorted_vietnamese(names)), "")


@bp.route("/follow-up/enrolments/template.xlsx")
@role_required(Role.OFFICER)
def enrolment_template_download() -> Response:
    book = enrolment_template(_example_commune(current_user.org_unit), datetime.now(VN).date())
    return Response(
        book,
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="mau-nhap-danh-sach-dang-ky.xlsx"'},
    )
