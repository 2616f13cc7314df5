"""Enrolment exports whose "Ngày sinh" writes no date but a year ("00/00/1975", "31/02/1980",
"năm 1970"): the row is kept with its birth year and a warning on the preview and after the
import; a birth that gives no year still refuses the whole file. People and enrolments kept with
their year alone are matched on it by the linkage, and the follow-up pages show the year (or "—"
when nobody wrote one)."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook

from app.attendance.sheet import commit_attendees, preview_attendees
from app.extensions import db
from app.followup.enrolments import commit_enrolments, preview_enrolments
from app.followup.linking import person_records, run_linkage
from app.identity.births import BirthPrecision
from app.models import Enrolment, ImportBatch, Link, LinkStatus, Person
from app.sheets.issues import FileRejected
from tests.app.sheets.files import xlsx
from tests.conftest import HOME, Factory, csrf_token

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 30, 3, 0, tzinfo=UTC)
TODAY = date(2026, 3, 30)
BAC_LY = "16819"  # Xã Bắc Lý (Nghệ An)
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số điện thoại", "Xã/Phường",
          "Loại hình", "Tham gia mới/Gia hạn", "Ngày nộp tiền", "Số tiền"]  # fmt: skip


def export(*births: object) -> bytes:
    """A month's export from the collection agent, one row per birth cell, a title row above."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tháng 3"
    sheet.append(["DANH SÁCH NGƯỜI THAM GIA BHXH TỰ NGUYỆN THÁNG 3/2026"])
    sheet.append(HEADER)
    names = ["Nguyễn Thị Hoà", "Trần Văn Nam", "Lê Thị Mai", "Đặng Văn Bảy", "Bùi Văn Chín"]
    for n, (name, birth) in enumerate(zip(names, births, strict=False), start=1):
        sheet.append([n, name, birth, "Nữ" if "Thị" in name else "Nam", f"09123456{n:02d}",
                      "Xã Bắc Lý", "BHXH tự nguyện", "Tham gia mới", f"{10 + n:02d}/03/2026",
                      1_650_000])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_rows_keep_their_year_and_the_file_imports_whole(app: Flask, unit) -> None:
    data = export("12/05/1980", "00/00/1975", "năm 1970", "31/02/1980")
    preview = preview_enrolments(data, "thang3.xlsx", unit=unit(HOME), today=TODAY)
    assert preview.ok
    assert [(w.row, w.field, w.params["year"], w.params["header"]) for w in preview.warnings] == [
        (4, "birth", "1975", "Ngày sinh"), (5, "birth", "1970", "Ngày sinh"),
        (6, "birth", "1980", "Ngày sinh"),
    ]  # fmt: skip
    result = commit_enrolments(preview, user=None, unit=unit(HOME), now=NOW)
    db.session.commit()
    assert (result.inserted, result.year_only) == (4, (4, 5, 6))
    rows = db.session.scalars(sa.select(Enrolment).order_by(Enrolment.source_row)).all()
    assert [(e.birth_year, e.birth_precision, e.birth_date) for e in rows] == [
        (1980, BirthPrecision.DAY, "1980-05-12"), (1975, BirthPrecision.YEAR, "1975"),
        (1970, BirthPrecision.YEAR, "1970"), (1980, BirthPrecision.YEAR, "1980"),
    ]  # fmt: skip
    report = db.session.scalars(sa.select(ImportBatch)).one().report
    assert [w["row"] for w in report["warnings"]] == [4, 5, 6]
    assert "00/00/1975" not in str(report)


def test_a_birth_without_a_year_still_refuses_the_whole_file(app: Flask, unit) -> None:
    data = export("12/05/1980", "31/02/1980", "không nhớ")
    preview = preview_enrolments(data, "thang3.xlsx", unit=unit(HOME), today=TODAY)
    assert [(i.row, i.field, i.value) for i in preview.issues] == [(5, "birth", "không nhớ")]
    with pytest.raises(FileRejected):
        commit_enrolments(preview, user=None, unit=unit(HOME), now=NOW)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0


def test_the_import_page_shows_the_warnings_and_what_was_kept(
    client: FlaskClient, logged_in
) -> None:
    logged_in("officer", HOME)
    url = "/follow-up/enrolments/import"
    token = csrf_token(client, url)
    data = {"csrf_token": token,
            "file": (io.BytesIO(export("15/13/1968", "1975")), "thang3.xlsx")}  # fmt: skip
    page = client.post(url, data=data, content_type="multipart/form-data")
    assert page.status_code == 200
    text = html_lib.unescape(page.get_data(as_text=True))
    assert "Dòng 3, Ngày sinh: '15/13/1968' không phải ngày hợp lệ; chỉ giữ năm sinh 1968" in text
    assert "Dòng 4, Ngày sinh" not in text
    stash_id = re.search(r'name="stash" value="([^"]+)"', text).group(1)
    done = client.post(url, data={"csrf_token": token, "stash": stash_id}, follow_redirects=True)
    after = html_lib.unescape(done.get_data(as_text=True))
    assert "1 dòng chỉ giữ được năm sinh: dòng 3." in after
    assert db.session.scalars(sa.select(Enrolment.birth_year)).all() == [1968, 1975]


def test_the_linkage_matches_on_the_year_kept(app: Flask, make: Factory, unit) -> None:
    """Bảy wrote 31/02/1980 at the conference and paid as 14/08/1980: his row was refused
    before, so he was never counted; Nam paid under "00/00/1975" and came as 17/05/1975. Mai's
    kept year (1990) contradicts her namesake's (1968) on the same phone: no exact-key link.
    """
    start = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện", planned_start=start,
                       planned_end=start + timedelta(hours=3))  # fmt: skip
    sheet = xlsx([
        ["STT", "Họ và tên", "Ngày sinh", "Số điện thoại", "Thôn/Xóm", "Đồng ý"],
        [1, "Đặng Văn Bảy", "31/02/1980", "0912345604", "Thôn Tây", "Có"],
        [2, "Trần Văn Nam", "17/05/1975", "0912345602", "Thôn Đông", "Có"],
        [3, "Lê Thị Mai", "khoảng 1990", "0912345603", "Xóm Trại", "Có"],
    ])  # fmt: skip
    preview = preview_attendees(event, sheet, "ds.xlsx", commune_code=BAC_LY)
    assert preview.ok
    commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    records = {r.full_name: r.birth for r in person_records()}
    assert records["Đặng Văn Bảy"] == "1980"  # the engine reads the year, at year precision
    data = export("12/05/1980", "00/00/1975", "1968", "14/08/1980")
    enrolments = preview_enrolments(data, "thang3.xlsx", unit=unit(HOME), today=TODAY)
    commit_enrolments(enrolments, user=None, unit=unit(HOME), now=NOW)
    db.session.commit()
    run_linkage(NOW, full=True)
    db.session.commit()
    linked = {
        person: (enrolment, method)
        for person, enrolment, method in db.session.execute(
            sa.select(Person.full_name, Enrolment.full_name, Link.method)
            .join(Link, Link.person_id == Person.id)
            .join(Enrolment, Enrolment.id == Link.enrolment_id)
            .where(Link.status.in_([LinkStatus.LINKED, LinkStatus.CONFIRMED]))
        )
    }
    assert linked["Đặng Văn Bảy"] == ("Đặng Văn Bảy", "phone_given")
    assert linked["Trần Văn Nam"] == ("Trần Văn Nam", "phone_given")
    # Phone and given name agree, the years do not: left to the scored pass, never exact.
    assert linked.get("Lê Thị Mai", ("", ""))[1] != "phone_given"


def test_the_people_page_shows_the_year_or_a_dash(client: FlaskClient, make: Factory) -> None:
    from tests.conftest import login

    login(client, make.user("admin", HOME).email)
    start = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện", planned_start=start,
                       planned_end=start + timedelta(hours=3))  # fmt: skip
    sheet = xlsx([
        ["STT", "Họ và tên", "Ngày sinh", "Số điện thoại", "Thôn/Xóm", "Đồng ý"],
        [1, "Đặng Văn Bảy", "31/02/1980", "0912345604", "Thôn Tây", "Có"],
        [2, "Đặng Thị Út", None, "0912345604", "Thôn Tây", "Có"],  # the same household's phone
    ])  # fmt: skip
    preview = preview_attendees(event, sheet, "ds.xlsx", commune_code=BAC_LY)
    commit_attendees(preview, user=None, now=NOW)
    db.session.commit()
    token = csrf_token(client, "/people")
    page = client.post("/people", data={"csrf_token": token, "phone": "0912 345 604"})
    cells = re.findall(r"<tr><td>([^<]+)</td><td>([^<]*)</td>", page.get_data(as_text=True))
    assert sorted(cells) == [("Đặng Thị Út", "—"), ("Đặng Văn Bảy", "1980")]
