"""The files' properties (File ▸ Info in Word and Excel): who made them and what they are.

The tour found the Word files' author "python-docx" and the workbooks' "openpyxl", and a Word file
without page numbers where the PDF has them. The reports' files now say the office whose report
it is and the report's title, the other workbooks Lan Tỏa and their heading; the Word file's foot
carries "Trang x/y" in fields Word fills in (PAGE, NUMPAGES).
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from app.attendance.blank_sheet import attendee_template
from app.followup.enrolment_template import enrolment_template
from app.followup.workbook import call_list_workbook
from tests.conftest import HOME, login

OFFICE = "Bảo hiểm xã hội tỉnh Nghệ An"  # HOME's office, as the letterhead writes it
MONTH = {"period": "2026-10", "org_unit": HOME}
APP = Path(__file__).resolve().parents[3] / "app"


def test_the_word_file_names_its_office_title_and_pages(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    word = Document(io.BytesIO(client.get("/reports/monthly.docx", query_string=MONTH).data))
    assert word.core_properties.author == OFFICE
    assert word.core_properties.title.startswith("Báo cáo so sánh kênh truyền thông — Tỉnh Nghệ An")
    foot = word.sections[0].footer.paragraphs[0]
    assert "Trang" in foot.text
    codes = [t.text.strip() for t in foot._p.iter() if t.tag.endswith("}instrText")]
    assert codes == ["PAGE", "NUMPAGES"]
    kinds = [e.get(e.tag.replace("fldChar", "fldCharType")) for e in foot._p.iter()
             if e.tag.endswith("}fldChar")]  # fmt: skip
    assert kinds == ["begin", "separate", "end"] * 2


def test_the_reports_workbooks_name_the_office(client, make, month) -> None:
    login(client, make.user("manager", HOME).email)
    for path, title in (
        (f"/reports/channels.xlsx?org_unit={HOME}", "Báo cáo so sánh kênh truyền thông"),
        (f"/reports/campaigns/{month.campaign_id}.xlsx", "Chiến dịch BHXH tự nguyện Q4"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        properties = load_workbook(io.BytesIO(response.data)).properties
        assert properties.creator == OFFICE, path
        assert properties.title.startswith(title), path


def test_the_other_workbooks_name_lan_toa(app) -> None:
    with app.test_request_context():
        books = {
            "attendees": attendee_template("Hội nghị xã"),
            "enrolments": enrolment_template("Xã Nậm Cắn", date(2026, 10, 1)),
            "calls": call_list_workbook("Livestream tháng 10", [], []),
        }
    for name, data in books.items():
        properties = load_workbook(io.BytesIO(data)).properties
        assert properties.creator == "Lan Tỏa", name
        assert properties.title, name
    assert load_workbook(io.BytesIO(books["calls"])).properties.title == (
        "Danh sách liên hệ — Livestream tháng 10"
    )


def test_every_workbook_is_made_through_the_one_helper() -> None:
    """``app.exports.new_workbook`` sets the properties: no other module makes a Workbook."""
    makers = [
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if re.search(r"\bWorkbook\(", path.read_text(encoding="utf-8"))
    ]
    assert makers == ["exports.py"]
