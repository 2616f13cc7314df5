"""Only people who agreed (or comment leads under their basis) are linked and called.

- an attendee who answered Không, or was never asked, is neither linked to their enrolment nor
  on the call list; one who answered Có is both;
- an enrolment export's own "Đồng ý" column is recorded (answer, purpose version, date) and a
  row answered Không is never linked, even to a person who agreed;
- a comment lead is called under the public-comment basis, shown as such with the day their data
  goes, on the page and in the Excel file; a lead who said Không at a hall is not called.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from app.attendance.lead_people import register_comment_leads
from app.consent import CURRENT, PUBLIC_COMMENT
from app.extensions import db
from app.followup.calls import call_list
from app.followup.dedup import deduplicate
from app.followup.enrolments import commit_enrolments, preview_enrolments
from app.followup.linking import run_linkage
from app.models import Comment, Enrolment, Link, Person
from app.personal_data import blind_index
from app.timeparse import VN
from tests.app.followup.test_linking import _enrolment, _person
from tests.conftest import HOME, Factory, login

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
SEEN = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)


def test_only_an_agreed_attendee_is_linked_and_called(app: Flask, make: Factory) -> None:
    event = make.event(HOME)
    answers = {"Có": True, "Không": False, "Chưa hỏi": None}
    for i, (name, answer) in enumerate(answers.items()):
        cccd = f"04018000012{i}"
        _person(event.id, f"Người {name}", cccd=cccd, phone=f"+8491200011{i}",
                consent_agreed=answer, consent_at=SEEN if answer is not None else None)  # fmt: skip
        _enrolment(f"Người {name}", cccd=cccd)
    db.session.commit()
    run_linkage(NOW, full=True)
    db.session.commit()
    linked = set(db.session.scalars(select(Person.full_name).join(Link)))
    assert linked == {"Người Có"}
    for link in db.session.scalars(select(Link)):
        db.session.delete(link)  # nobody has enrolled yet: who is left to call?
    db.session.commit()
    rows = call_list(event.id, phones=True)
    assert [(r.name, r.basis, r.consent_version) for r in rows] == [
        ("Người Có", "consent", CURRENT)
    ]


def test_an_export_answer_is_recorded_and_a_no_is_never_linked(app: Flask, make: Factory) -> None:
    event = make.event(HOME)
    for i in (1, 2, 3):
        _person(event.id, f"Người {i}", cccd=f"04018000099{i}")
    header = "Họ và tên,Ngày sinh,Số CCCD,Loại hình,Tham gia mới/Gia hạn,Ngày nộp tiền,Đồng ý,Ngày đồng ý"  # noqa: E501
    rows = ["Người 1,12/05/1980,040180000991,BHXH tự nguyện,Tham gia mới,20/03/2026,Có,18/03/2026",
            "Người 2,12/05/1980,040180000992,BHXH tự nguyện,Tham gia mới,20/03/2026,Không,",
            "Người 3,12/05/1980,040180000993,BHXH tự nguyện,Tham gia mới,21/03/2026,,"]  # fmt: skip
    data = ("\n".join([header, *rows]) + "\n").encode("utf-8-sig")
    preview = preview_enrolments(data, "xuat.csv", today=TODAY)
    assert preview.issues == []
    commit_enrolments(preview, user=None, unit=None, now=NOW)
    db.session.commit()
    stored = {e.full_name: e for e in db.session.scalars(select(Enrolment))}
    one, two, three = stored["Người 1"], stored["Người 2"], stored["Người 3"]
    assert (one.consent_agreed, one.consent_version) == (True, CURRENT)
    assert one.consent_at == datetime(2026, 3, 18, tzinfo=VN)
    assert (two.consent_agreed, two.consent_version) == (False, CURRENT)
    assert two.consent_at == datetime(2026, 3, 20, tzinfo=VN)  # no date: the payment's
    assert (three.consent_agreed, three.consent_at, three.consent_version) == (None, None, None)
    run_linkage(NOW, full=True)
    db.session.commit()
    linked = set(db.session.scalars(select(Enrolment.full_name).join(Link)))
    assert linked == {"Người 1", "Người 3"}


def test_a_bad_answer_date_names_its_row(app: Flask) -> None:
    header = "Họ và tên,Loại hình,Tham gia mới/Gia hạn,Ngày nộp tiền,Đồng ý,Ngày đồng ý"
    data = f"{header}\nHoa,BHXH tự nguyện,Mới,20/03/2026,Có,hôm qua\n".encode()
    preview = preview_enrolments(data, "xuat.csv", today=TODAY)
    assert [(i.row, i.field) for i in preview.issues] == [(2, "consent_on")]


def _lead(make: Factory, event, phone: str = "+84903123456", name: str = "Lê Văn Tư"):  # type: ignore[no-untyped-def]
    target = make.target(event, make.account(HOME))
    db.session.add(Comment(target_id=target.id, external_id="c1", author_name=name,
                           message=f"Tư vấn giúp tôi, {phone}", created_at=SEEN, is_lead=True,
                           lead_intents=["enrol"], phone=phone,
                           phone_bidx=blind_index("phone", phone)))  # fmt: skip
    db.session.commit()


def test_a_comment_lead_is_called_under_its_basis_until_a_limit(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    event = make.event(HOME, title="Livestream")
    _lead(make, event)
    register_comment_leads(NOW)
    db.session.commit()
    person = db.session.scalars(select(Person)).one()
    assert (person.legal_basis, person.consent_agreed) == (PUBLIC_COMMENT, None)
    (row,) = call_list(event.id, phones=True)
    assert (row.kind, row.basis) == ("lead", PUBLIC_COMMENT)
    assert row.kept_until == SEEN + timedelta(days=180)
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{event.id}/follow-up").get_data(as_text=True)
    assert "Tự công khai số điện thoại trong bình luận" in html
    assert "lưu đến 06/09/2026" in html
    assert "91/2025/QH15" in html  # the basis itself, written out
    book = load_workbook(io.BytesIO(client.get(f"/events/{event.id}/follow-up.xlsx").data))
    header, *rows = list(book.active.iter_rows(min_row=2, values_only=True))
    basis = header.index("Cơ sở để liên hệ")
    assert rows[0][basis] == "Tự công khai số điện thoại trong bình luận; lưu đến 06/09/2026"


def test_a_lead_who_only_asked_is_not_said_to_have_published_a_number(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    """ "Tư vấn giúp tôi" with no number: the basis is the question, to be answered where it was."""
    event = make.event(HOME, title="Livestream")
    target = make.target(event, make.account(HOME))
    db.session.add(Comment(target_id=target.id, external_id="c1", author_name="Trần Thanh Lan",
                           message="Tư vấn giúp tôi với", created_at=SEEN, is_lead=True,
                           lead_intents=["enrol"]))  # fmt: skip
    db.session.commit()
    (row,) = call_list(event.id, phones=True)
    assert (row.phone, row.basis) == (None, PUBLIC_COMMENT)
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{event.id}/follow-up").get_data(as_text=True)
    assert "Hỏi trong bình luận công khai; lưu đến 06/09/2026" in html
    assert "Tự công khai số điện thoại" not in html
    book = load_workbook(io.BytesIO(client.get(f"/events/{event.id}/follow-up.xlsx").data))
    # No number: on the sheet of people to reach another way, not the one to call.
    header, *rows = list(book["Chưa có số điện thoại"].iter_rows(min_row=2, values_only=True))
    assert (
        rows[0][header.index("Cơ sở để liên hệ")]
        == "Hỏi trong bình luận công khai; lưu đến 06/09/2026"
    )


def test_a_lead_who_said_no_at_a_hall_is_not_called(app: Flask, make: Factory) -> None:
    event = make.event(HOME, title="Livestream")
    _lead(make, event, name="Nguyễn Thị Lan", phone="+84912345678")
    register_comment_leads(NOW)
    hall = make.event(HOME, title="Hội nghị")
    _person(hall.id, "Nguyễn Thị Lan", phone="+84912345678", consent_agreed=False)
    db.session.commit()
    assert [r.kind for r in call_list(event.id, phones=True)] == ["lead"]
    assert deduplicate(NOW) == 1  # the same phone and name: one person, who said no
    db.session.commit()
    merged = db.session.scalars(select(Person)).one()
    assert (merged.consent_agreed, merged.legal_basis) == (False, PUBLIC_COMMENT)
    assert call_list(event.id, phones=True) == []
    assert call_list(hall.id, phones=True) == []
