"""The attendee sheet records each person's answer to the purpose text it printed, not a stamp.

- the blank sheet to print carries the current purpose text and its version above a header the
  importer recognises, with a "Đồng ý (Có/Không)" column; filled in, it goes back in as it is;
- Có / Không are recorded with the purpose text's version and the day the person was there;
  an empty answer is recorded as no answer (never as an agreement), a sheet without the column too;
- an unclear answer is an issue of that row and column; an unknown purpose version refuses the
  file; the organiser's page offers the versions and says which one was recorded.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.attendance.sheet import commit_attendees, preview_attendees
from app.consent import CURRENT, PURPOSES
from app.extensions import db
from app.halls.services import communes_of
from app.models import ImportBatch, Person
from app.sheets.issues import FileRejected
from tests.app.sheets.files import xlsx
from tests.conftest import HOME, Factory, csrf_token, login

START = datetime(2026, 11, 12, 1, 30, tzinfo=UTC)  # 08:30 in Vietnam
NOW = START + timedelta(days=5)  # the upload, days later


@pytest.fixture
def conference(app: Flask, make: Factory):  # type: ignore[no-untyped-def]
    event = make.event(HOME, title="Hội nghị", channel="conference", planned_start=START,
                       planned_end=START + timedelta(hours=3))  # fmt: skip
    return event, communes_of(event)[0]


def people() -> dict[str, Person]:
    return {p.full_name: p for p in db.session.scalars(sa.select(Person))}


def test_the_blank_sheet_carries_the_purpose_text_and_comes_back_in(
    client: FlaskClient, conference
) -> None:
    event, commune = conference
    response = client.get("/attendance/template.xlsx")  # no account: a hall officer prints it
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    cells = [str(c) for row in sheet.iter_rows(max_row=4, values_only=True) for c in row if c]
    assert PURPOSES[CURRENT].text in cells
    # Named as officers name it, by its date; the code follows for an auditor.
    assert any(f"Mẫu đồng ý ngày 01/01/2026 (mã lưu trữ {CURRENT})" in c for c in cells)
    assert "Đồng ý (Có/Không)" in cells
    sheet["B5"], sheet["C5"], sheet["G5"], sheet["H5"] = "Nguyễn Thị Hoà", 1975, commune.name, "Có"
    sheet["B6"], sheet["C6"], sheet["G6"], sheet["H6"] = "Trần Văn Nam", 1980, commune.name, "Không"
    sheet["B7"], sheet["C7"], sheet["G7"] = "Lê Thị Mai", 1990, commune.name
    out = io.BytesIO()
    book.save(out)
    preview = preview_attendees(event, out.getvalue(), "da-dien.xlsx")
    assert preview.ok, preview.issues
    assert len(preview.rows) == 3  # the 37 numbered empty lines are not rows
    commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    found = people()
    assert found["Nguyễn Thị Hoà"].consent_agreed is True
    assert found["Trần Văn Nam"].consent_agreed is False
    assert found["Lê Thị Mai"].consent_agreed is None


def test_answers_are_recorded_with_the_version_and_the_day_of_the_visit(conference) -> None:
    event, commune = conference
    rows = [["Họ và tên", "Năm sinh", "Xã/Phường", "Đồng ý"],
            ["Hoà", 1975, commune.name, "Có"], ["Nam", 1980, commune.name, "Không"],
            ["Mai", 1990, commune.name, ""]]  # fmt: skip
    commit_attendees(preview_attendees(event, xlsx(rows), "ds.xlsx"), user=None, now=NOW)
    db.session.commit()
    found = people()
    assert (found["Hoà"].consent_agreed, found["Hoà"].consent_version) == (True, CURRENT)
    assert found["Hoà"].consent_at == START  # when they were there, not the upload
    assert (found["Nam"].consent_agreed, found["Nam"].consent_version) == (False, CURRENT)
    assert (found["Mai"].consent_agreed, found["Mai"].consent_at) == (None, None)
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert batch.report["consent_version"] == CURRENT


def test_a_sheet_without_answers_stamps_nobody_as_agreeing(conference) -> None:
    event, commune = conference
    rows = [["Họ và tên", "Năm sinh", "Xã/Phường"], ["Hoà", 1975, commune.name]]
    commit_attendees(preview_attendees(event, xlsx(rows), "ds.xlsx"), user=None, now=NOW)
    db.session.commit()
    (person,) = people().values()
    assert (person.consent_agreed, person.consent_at, person.consent_version) == (None, None, None)


def test_an_unclear_answer_is_an_issue_of_its_cell(conference) -> None:
    event, commune = conference
    rows = [["Họ và tên", "Năm sinh", "Xã/Phường", "Đồng ý xử lý dữ liệu cá nhân"],
            ["Hoà", 1975, commune.name, "có lẽ"]]  # fmt: skip
    preview = preview_attendees(event, xlsx(rows), "ds.xlsx")
    assert [(i.row, i.field) for i in preview.issues] == [(2, "consent")]
    assert "Có" in preview.issues[0].message


def test_an_unknown_purpose_version_refuses_the_file(conference) -> None:
    event, commune = conference
    rows = [["Họ và tên", "Năm sinh", "Xã/Phường", "Đồng ý"], ["Hoà", 1975, commune.name, "Có"]]
    preview = preview_attendees(event, xlsx(rows), "ds.xlsx")
    with pytest.raises(FileRejected) as caught:
        commit_attendees(preview, user=None, now=NOW, consent_version="MD-1999-01")
    assert caught.value.issues[0].field == "consent"
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_the_import_page_records_the_chosen_version(
    client: FlaskClient, make: Factory, conference
) -> None:
    event, commune = conference
    login(client, make.user("officer", HOME).email)
    page = client.get(f"/events/{event.id}/attendance/import").get_data(as_text=True)
    assert f'value="{CURRENT}" selected' in page
    assert "Tải mẫu danh sách để in" in page
    rows = [["Họ và tên", "Năm sinh", "Xã/Phường", "Đồng ý"], ["Hoà", 1975, commune.name, "Có"]]
    token = csrf_token(client, f"/events/{event.id}/attendance/import")
    preview = client.post(
        f"/events/{event.id}/attendance/import",
        data={"csrf_token": token, "consent_version": CURRENT,
              "file": (io.BytesIO(xlsx(rows)), "ds.xlsx")},
        content_type="multipart/form-data",
    )  # fmt: skip
    html = preview.get_data(as_text=True)
    assert ">Có<" in html  # the answer as written, in Vietnamese
    assert "True" not in html
    stash = html.split('name="stash" value="')[1].split('"')[0]
    confirm = {"csrf_token": token, "stash": stash, "consent_version": CURRENT}
    done = client.post(f"/events/{event.id}/attendance/import", data=confirm)
    assert done.status_code == 302
    assert people()["Hoà"].consent_version == CURRENT
