"""`/people`: an administrator serves a person's request on a page, in Vietnamese, audited, scoped.

- the person is found by phone or CCCD sent in a POST (the address carries nothing);
- the person's page shows everything held, with their consent answer or legal basis; the
  download holds the same in a workbook;
- corrections, withdrawal and erasure each take effect, are audited and say so in Vietnamese;
  erasure asks for a confirmation; a wrong value is named beside its field;
- an administrator of another province finds nobody and opens nothing; a manager gets 403.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from app.consent import CURRENT, PURPOSES
from app.extensions import db
from app.models import Attendance, AuditLog, OrgUnit, Person
from app.personal_data import blind_index
from tests.conftest import HOME, OTHER, Factory, csrf_token, login

SEEN = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


def make_person(make: Factory) -> Person:
    home = db.session.scalars(select(OrgUnit).where(OrgUnit.code == HOME)).one()
    commune = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == home.id)).first()
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện")
    person = Person(full_name="Phạm Thị Hoa", name_folded="pham thi hoa", commune_id=commune.id,
                    birth_date="1980-05-12", birth_year=1980, hamlet="Xóm 3", gender="female",
                    consent_agreed=True, consent_at=SEEN, consent_version=CURRENT,
                    consent_source="sheet:1")  # fmt: skip
    person.set_identifiers(phone="+84912000111", cccd="040180000123")
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                              source_ref="sheet:1:2", touched_at=SEEN))  # fmt: skip
    db.session.commit()
    return person


def actions() -> list[str]:
    db.session.expire_all()
    return [a.action for a in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]


@pytest.fixture
def admin(client: FlaskClient, make: Factory):  # type: ignore[no-untyped-def]
    user = make.user("admin", HOME)
    login(client, user.email)
    return user


def post(client: FlaskClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, "/people"), **data})


def test_find_by_phone_or_cccd_in_a_post(client: FlaskClient, make: Factory, admin) -> None:
    person = make_person(make)
    page = client.get("/people?phone=0912000111").get_data(as_text=True)  # the address: ignored
    assert "Phạm Thị Hoa" not in page
    assert "Yêu cầu về dữ liệu cá nhân" in page
    found = post(client, "/people", phone="0912 000 111").get_data(as_text=True)
    assert "Phạm Thị Hoa" in found
    assert f"/people/{person.id}" in found
    assert "Phạm Thị Hoa" in post(client, "/people", cccd="040180000123").get_data(as_text=True)
    empty = post(client, "/people")
    assert empty.status_code == 422
    assert "hãy nhập số điện thoại hoặc số CCCD" in empty.get_data(as_text=True)
    bad = post(client, "/people", cccd="12345")
    assert "CCCD: phải gồm 12 chữ số" in bad.get_data(as_text=True)
    assert actions() == ["people.lookup", "people.lookup"]


def test_the_page_shows_everything_held_and_the_download_too(
    client: FlaskClient, make: Factory, admin
) -> None:
    person = make_person(make)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    for text in ("Phạm Thị Hoa", "12/05/1980", "0912000111", "040180000123", "Xóm 3",
                 "Hội nghị BHXH tự nguyện", "Danh sách người dự", CURRENT,
                 PURPOSES[CURRENT].text, "Dữ liệu đang lưu giữ"):  # fmt: skip
        assert text in html, text
    response = client.get(f"/people/{person.id}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    facts = dict(list(book["Thông tin"].iter_rows(min_row=2, values_only=True)))
    assert facts["Họ và tên"] == "Phạm Thị Hoa"
    assert facts["Giới tính"] == "Nữ"  # in words, not the stored code
    assert facts["Số điện thoại"] == "0912000111"
    assert facts["Đồng ý xử lý dữ liệu"] == "Có"
    assert facts["Nội dung đồng ý"] == PURPOSES[CURRENT].text
    touches = list(book["Lần tham gia"].iter_rows(min_row=2, values_only=True))
    assert touches == [("Hội nghị BHXH tự nguyện", "Danh sách người dự", "10/03/2026 10:00")]
    assert actions() == ["people.export", "people.download"]


def test_the_heading_names_the_person_and_withdrawal_needs_an_agreement(
    client: FlaskClient, make: Factory, admin
) -> None:
    """No "#1" after the name (the record number is a small line of its own); withdrawing
    consent is offered only to a person who agreed and has not withdrawn."""
    person = make_person(make)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert re.search(r"<h1>\s*Phạm Thị Hoa\s*</h1>", html)
    assert f"Mã hồ sơ: {person.id}" in html
    assert 'id="withdraw"' in html
    for agreed in (None, False):
        person.consent_agreed = agreed
        db.session.commit()
        html = client.get(f"/people/{person.id}").get_data(as_text=True)
        assert "Chưa hỏi" in html if agreed is None else "Không" in html
        assert 'id="withdraw"' not in html
        assert "Rút lại sự đồng ý" not in html
        assert 'id="erase"' in html  # erasure stays open to anyone


def test_correct_withdraw_and_erase(client: FlaskClient, make: Factory, admin) -> None:
    person = make_person(make)
    path = f"/people/{person.id}"
    shown = {"full_name": "Phạm Thị Hoa", "birth": "12/05/1980", "phone": "0912000111",
             "cccd": "040180000123", "hamlet": "Xóm 3"}  # fmt: skip
    bad = post(client, path, action="correct", **{**shown, "phone": "12345"})
    assert bad.status_code == 422
    assert "Số điện thoại: không phải số điện thoại Việt Nam" in bad.get_data(as_text=True)
    done = post(client, path, action="correct", **{**shown, "birth": "1981", "phone": "0987654321"})
    assert done.status_code == 303
    page = client.get(path).get_data(as_text=True)
    assert "Đã chỉnh sửa" in page
    assert "0987654321" in page
    db.session.expire_all()
    fixed = db.session.get(Person, person.id)
    assert (fixed.birth_year, fixed.birth_date) == (1981, "1981")
    assert fixed.phone_bidx == blind_index("phone", "+84987654321")
    assert post(client, path, action="withdraw").status_code == 303
    assert "Đã rút lại sự đồng ý" in client.get(path).get_data(as_text=True)
    unconfirmed = post(client, path, action="erase")
    assert unconfirmed.status_code == 422
    assert "Hãy đánh dấu ô xác nhận" in unconfirmed.get_data(as_text=True)
    assert post(client, path, action="erase", confirm="yes").status_code == 303
    page = client.get(path).get_data(as_text=True)
    assert "Đã xóa" in page
    for held in ("Phạm Thị Hoa", "0987654321"):
        assert held not in page
    db.session.expire_all()
    gone = db.session.get(Person, person.id)
    assert (gone.full_name, gone.phone, gone.cccd, gone.erased_at is not None) == (
        "", None, None, True)  # fmt: skip
    assert (
        post(client, "/people", phone="0987654321")
        .get_data(as_text=True)
        .count(f"/people/{person.id}")
        == 0
    )
    assert [a for a in actions() if a != "people.export"] == [
        "people.correct", "people.withdraw_consent", "people.erase", "people.lookup"]  # fmt: skip
    correct = db.session.scalars(select(AuditLog).where(AuditLog.action == "people.correct")).one()
    assert correct.detail == {"fields": ["phone", "birth"], "via": "page"}  # names, no values


def test_another_province_finds_nobody_and_a_manager_nothing(
    client: FlaskClient, make: Factory
) -> None:
    person = make_person(make)
    login(client, make.user("admin", OTHER).email)
    found = post(client, "/people", phone="0912000111").get_data(as_text=True)
    assert "Phạm Thị Hoa" not in found
    assert client.get(f"/people/{person.id}").status_code == 404
    assert client.get(f"/people/{person.id}/export.xlsx").status_code == 404
    assert post(client, f"/people/{person.id}", action="erase", confirm="yes").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/people")})
    login(client, make.user("manager", HOME).email)
    assert client.get("/people").status_code == 403
    assert client.get(f"/people/{person.id}").status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, person.id).erased_at is None


def test_absent_values_show_a_dash_and_the_consent_form_by_name(
    client: FlaskClient, make: Factory, admin
) -> None:
    """A person from a check-in sheet with no CCCD, BHXH code or gender: the page and the file
    say nothing is held ("—") instead of a blank, and name the consent form, not its code."""
    person = make_person(make)
    person.set_identifiers(cccd=None)
    person.gender = None
    db.session.commit()
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    held = re.search(r'<dl class="facts" id="held">(.*?)</dl>', html, re.S).group(1)
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", held))
    assert (facts["CCCD"], facts["Mã số BHXH"], facts["Giới tính"]) == ("—", "—", "—")
    assert facts["Thôn/xóm"] == "Xóm 3"
    book = load_workbook(io.BytesIO(client.get(f"/people/{person.id}/export.xlsx").data))
    rows = dict(list(book["Thông tin"].iter_rows(min_row=2, values_only=True)))
    assert (rows["Giới tính"], rows["Số CCCD"], rows["Mã số BHXH"]) == ("—", "—", "—")
    assert rows["Rút lại sự đồng ý lúc"] == "—"
    effective = PURPOSES[CURRENT].effective_on.strftime("%d/%m/%Y")
    assert rows["Mẫu đồng ý"] == f"Mẫu đồng ý ngày {effective}"
    assert CURRENT not in [v for v in rows.values() if isinstance(v, str)]
    assert None not in rows.values()
