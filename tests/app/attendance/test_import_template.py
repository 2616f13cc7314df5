"""The attendee import template: linked from the import page, Vietnamese headers with the
consent column, an example row that imports as it is (through the page's two steps)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.consent import CURRENT
from app.extensions import db
from app.models import Person
from tests.conftest import HOME, Factory, csrf_token, login

START = datetime(2026, 11, 12, 1, 30, tzinfo=UTC)


def test_the_downloaded_template_imports_with_its_example_row(
    client: FlaskClient, make: Factory
) -> None:
    event = make.event(HOME, title="Hội nghị", channel="conference", planned_start=START,
                       planned_end=START + timedelta(hours=3))  # fmt: skip
    login(client, make.user("officer", HOME).email)
    page_url = f"/events/{event.id}/attendance/import"
    page = client.get(page_url).get_data(as_text=True)
    link = unescape(re.search(r'href="([^"]*import-template\.xlsx)"', page).group(1))
    download = client.get(link)
    assert download.status_code == 200
    assert "mau-nhap-nguoi-tham-du.xlsx" in download.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(c not in (None, "") for c in r)]
    headers, example = rows[2], rows[3]
    assert headers[:2] == ("Họ và tên", "Năm sinh")
    assert "Đồng ý (Có/Không)" in headers
    assert "Xã/phường" in headers
    assert example[headers.index("Đồng ý (Có/Không)")] == "Có"
    assert len(rows) == 4  # title, note, headers, one example
    assert "Mẫu đồng ý ngày 01/01/2026 (mã lưu trữ MD-2026-01)" in rows[1][0]  # not the code alone

    token = csrf_token(client, page_url)
    preview = client.post(page_url, content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(download.data), "mau.xlsx"),
    }).get_data(as_text=True)  # fmt: skip
    assert "1 hợp lệ, 0 có lỗi" in preview
    stash = re.search(r'name="stash" value="([^"]+)"', preview).group(1)
    done = client.post(page_url, data={"csrf_token": csrf_token(client, page_url),
                                       "stash": stash, "consent_version": CURRENT})  # fmt: skip
    assert done.status_code == 302
    person = db.session.scalars(sa.select(Person)).one()
    assert person.full_name == "Nguyễn Thị Lan"
    assert person.consent_agreed is True
    assert person.consent_version == CURRENT


def test_viewers_get_no_template(client: FlaskClient, make: Factory) -> None:
    event = make.event(HOME, title="Hội nghị", channel="conference")
    login(client, make.user("viewer", HOME).email)
    assert client.get(f"/events/{event.id}/attendance/import-template.xlsx").status_code == 403
