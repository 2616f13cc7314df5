"""The enrolment import template: linked from the import page, the headers the importer reads
with the Đồng ý column, an example row that imports as it is."""

from __future__ import annotations

import io
import re
from html import unescape

from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.extensions import db
from app.models import Enrolment
from tests.conftest import HOME, Factory, csrf_token, login

PAGE = "/follow-up/enrolments/import"


def test_the_downloaded_template_imports_with_its_example_row(
    client: FlaskClient, make: Factory
) -> None:
    login(client, make.user("officer", HOME).email)
    page = client.get(PAGE).get_data(as_text=True)
    link = unescape(re.search(r'href="([^"]*template\.xlsx)"', page).group(1))
    download = client.get(link)
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(c not in (None, "") for c in r)]
    headers, example = rows[2], rows[3]
    for header in ("Họ và tên", "Loại hình", "Tham gia mới/Gia hạn", "Ngày nộp tiền", "Đồng ý"):
        assert header in headers
    assert example[headers.index("Đồng ý")] == "Có"
    assert example[headers.index("Xã/phường")].startswith(("Xã ", "Phường "))
    assert sheet.cell(4, headers.index("Ngày nộp tiền") + 1).number_format == "dd/mm/yyyy"

    upload = {"csrf_token": csrf_token(client, PAGE), "file": (io.BytesIO(download.data), "m.xlsx")}
    html = client.post(PAGE, data=upload, content_type="multipart/form-data").get_data(as_text=True)
    assert "1 dòng hợp lệ" in html, html
    stash = re.search(r'name="stash" value="([^"]+)"', html).group(1)
    client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), "stash": stash})
    enrolment = db.session.query(Enrolment).one()
    assert enrolment.full_name == "Nguyễn Thị Lan"
    assert enrolment.consent_agreed is True
    assert enrolment.amount_vnd == 1_500_000


def test_viewers_get_no_template(client: FlaskClient, make: Factory) -> None:
    login(client, make.user("viewer", HOME).email)
    assert client.get("/follow-up/enrolments/template.xlsx").status_code == 403


def test_the_note_names_the_consent_form_as_the_import_page_does(
    client: FlaskClient, make: Factory
) -> None:
    """A manager's tour read "nội dung đồng ý phiên bản MD-2026-01" in the template's note, a
    code the import page never shows: it names the form "Mẫu đồng ý ngày 01/01/2026", as the
    attendee sheets do (the code after it, for an auditor)."""
    login(client, make.user("officer", HOME).email)
    page = unescape(client.get(PAGE).get_data(as_text=True))
    named = re.search(r"Mẫu đồng ý ngày \d\d/\d\d/\d{4}", page).group(0)
    sheet = load_workbook(io.BytesIO(client.get("/follow-up/enrolments/template.xlsx").data)).active
    note = sheet.cell(2, 1).value
    assert named in note, note
    assert "phiên bản" not in note
    assert re.search(rf"{named} \(mã lưu trữ [^)]+\)", note), note
