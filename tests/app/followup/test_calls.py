"""The follow-up list page and its Excel export: who is left to call, phones by role, audit."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.attendance.lead_people import register_comment_leads
from app.collection.writer import write_batch
from app.consent import CURRENT
from app.extensions import db
from app.followup.calls import call_list
from app.followup.dedup import deduplicate
from app.models import (
    Attendance,
    AuditLog,
    Comment,
    Enrolment,
    ImportBatch,
    Link,
    OrgUnit,
    Person,
    Scheme,
    Target,
)
from app.personal_data import blind_index
from collectors.base import Batch, CommentRecord
from tests.conftest import HOME, OTHER, Factory, login

SEEN = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
PAGE, PAGE_NAME = "104729318856412", "BHXH tỉnh Nghệ An"


def _world(make: Factory) -> int:
    event = make.event(HOME, title="Livestream BHXH")
    account = make.account(HOME)
    target = make.target(event, account)
    now = datetime.now(UTC)
    waiting = Person(full_name="Nguyễn Thị Lan", name_folded="nguyen thi lan", phone="+84912345678",
                     phone_bidx=blind_index("phone", "+84912345678"), birth_year=1980,
                     consent_agreed=True, consent_at=SEEN, consent_version=CURRENT)  # fmt: skip
    enrolled = Person(full_name="Trần Văn Bình", phone="+84987654321")
    withdrawn = Person(full_name="Lê Văn Cường", phone="+84911111111", consent_withdrawn_at=now)
    db.session.add_all([waiting, enrolled, withdrawn])
    db.session.flush()
    for person in (waiting, enrolled, withdrawn):
        db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                                  touched_at=SEEN))  # fmt: skip
    batch = ImportBatch(kind="enrolments", filename="x.csv", sha256="b" * 64, created_at=now)
    db.session.add(batch)
    db.session.flush()
    row = Enrolment(import_batch_id=batch.id, source_row=2, row_key="r", is_new=True,
                    scheme=Scheme.BHXH_TU_NGUYEN, paid_on=date(2026, 3, 5))  # fmt: skip
    db.session.add(row)
    db.session.flush()
    db.session.add(Link(person_id=enrolled.id, enrolment_id=row.id, method="cccd", created_at=now))
    db.session.add(Comment(target_id=target.id, external_id="c1", author_name="=HYPERLINK(1)",
                           message="Tôi muốn tham gia, gọi 0903 123 456", created_at=SEEN,
                           is_lead=True, lead_intents=["dang_ky", "tu_van"], phone="+84903123456",
                           phone_bidx=blind_index("phone", "+84903123456")))  # fmt: skip
    db.session.commit()
    return event.id


def test_officer_sees_who_is_left_with_phones(client: FlaskClient, make: Factory) -> None:
    event_id = _world(make)
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html
    assert 'href="tel:0912345678">0912 345 678</a>' in html  # shown grouped, dialled plain
    assert "Trần Văn Bình" not in _table(html, "call-table")  # enrolled: listed apart
    assert "Lê Văn Cường" not in html  # withdrew consent
    assert "0903 123 456" in html
    # The "Source" column in words: how they were seen and what a lead asked for, no codes.
    assert re.search(r'<td class="source" data-label="Nguồn">Danh sách người dự<small>', html)
    assert re.search(r'class="source"[^>]*>Bình luận công khai: muốn đăng ký, cần tư vấn<', html)
    assert not any(code in html for code in (">sheet<", "dang_ky", "tu_van"))


def test_a_lead_asking_for_an_old_code_is_shown_in_words_only(
    client: FlaskClient, make: Factory
) -> None:
    """Intents stored before the codes were renamed ("consult", "enrol") are not shown raw, on
    the page or in its file; the ones still known keep their words."""
    event_id = _world(make)
    target = db.session.query(Target).filter_by(event_id=event_id).one()
    db.session.add_all([
        Comment(target_id=target.id, external_id="old-1", author_name="Phạm Thị Mai",
                message="Tư vấn cho em với, 0977 888 999", created_at=SEEN, is_lead=True,
                lead_intents=["consult"], phone="+84977888999",
                phone_bidx=blind_index("phone", "+84977888999")),
        Comment(target_id=target.id, external_id="old-2", author_name="Hồ Văn Tư",
                message="Đăng ký thế nào, đóng bao nhiêu? 0966 111 222", created_at=SEEN,
                is_lead=True, lead_intents=["enrol", "muc_dong"], phone="+84966111222",
                phone_bidx=blind_index("phone", "+84966111222")),
    ])  # fmt: skip
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    assert re.search(r'class="source"[^>]*>Bình luận công khai<small>', html)  # Mai: no words
    assert re.search(r'class="source"[^>]*>Bình luận công khai: hỏi mức đóng<', html)
    sources = re.findall(r'class="source"[^>]*>([^<]*)<', html)
    assert sources
    assert not any("consult" in c or "enrol" in c for c in sources)
    assert "consult" not in html
    book = load_workbook(io.BytesIO(client.get(f"/events/{event_id}/follow-up.xlsx").data))
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row]
    assert "Bình luận công khai: hỏi mức đóng" in cells
    assert not any("consult" in c or "enrol" in c for c in cells)


def test_viewer_sees_phones_masked_also_inside_comments(client: FlaskClient, make: Factory) -> None:
    event_id = _world(make)
    login(client, make.user("viewer", HOME).email)
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html
    assert "0912345678" not in html
    assert "+84912345678" not in html
    assert "09xx xxx 678" in html
    assert "0903 123 456" not in html
    assert client.get(f"/events/{event_id}/follow-up.xlsx").status_code == 403


def test_export_is_audited_and_safe(client: FlaskClient, make: Factory) -> None:
    event_id = _world(make)
    login(client, make.user("officer", HOME).email)
    response = client.get(f"/events/{event_id}/follow-up.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    # A name that looks like a formula is a text cell shown as typed: no formula, no quote.
    assert [r[1] for r in rows] == ["Nguyễn Thị Lan", "=HYPERLINK(1)"]
    assert sheet.cell(4, 2).data_type == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert rows[0][2] == "0912345678"
    assert [r[6] for r in rows] == [
        "Danh sách người dự",
        "Bình luận công khai: muốn đăng ký, cần tư vấn",
    ]
    assert isinstance(rows[0][7], datetime)
    assert rows[0][7] == datetime(2026, 3, 1, 9, 0)  # noqa: DTZ001 — 02:00 UTC shown in Vietnam's time
    entries = db.session.query(AuditLog).filter_by(action="followup.export").all()
    assert len(entries) == 1
    assert entries[0].object_id == str(event_id)


def test_other_province_is_not_found(client: FlaskClient, make: Factory) -> None:
    event_id = _world(make)
    login(client, make.user("manager", OTHER).email)
    assert client.get(f"/events/{event_id}/follow-up").status_code == 404
    assert client.get(f"/events/{event_id}/follow-up.xlsx").status_code == 404


def test_a_lead_who_signed_the_sheet_is_called_once(make: Factory) -> None:
    event_id = _world(make)
    target = db.session.query(Target).filter_by(event_id=event_id).one()
    db.session.add(Comment(target_id=target.id, external_id="c2", author_name="Nguyễn Thị Lan",
                           message="Cho tôi đăng ký, 0912345678", created_at=SEEN, is_lead=True,
                           lead_intents=["enrol"], phone="+84912345678",
                           phone_bidx=blind_index("phone", "+84912345678")))  # fmt: skip
    db.session.commit()
    register_comment_leads(SEEN)
    deduplicate(SEEN)
    db.session.commit()
    rows = call_list(event_id, phones=True)
    assert [(r.kind, r.name) for r in rows] == [
        ("attendee", "Nguyễn Thị Lan"),
        ("lead", "=HYPERLINK(1)"),
    ]
    stranger = db.session.get(Person, rows[1].person_id)
    stranger.consent_withdrawn_at = SEEN
    db.session.commit()
    assert [r.kind for r in call_list(event_id, phones=True)] == ["attendee"]


def _collected(target: Target, *records: CommentRecord) -> None:
    """Comments through the collection writer, as a collector hands them over."""
    write_batch(target, Batch(comments=records), SEEN)
    db.session.commit()


def _leads(event_id: int) -> list[tuple[str, str | None]]:
    return [(r.name, r.phone) for r in call_list(event_id, phones=True) if r.kind == "lead"]


def _at(minutes: int) -> datetime:
    return SEEN + timedelta(minutes=minutes)


def test_a_commenter_is_called_once_and_the_page_answering_never(make: Factory) -> None:
    """Several comments on two targets, answered by the page (with its own number), registered
    in two runs: one person, one row on the list."""
    event = make.event(HOME, title="Livestream BHXH")
    account = make.account(HOME, external_id=PAGE)
    live = make.target(event, account)
    post = make.target(event, account, kind="facebook_post", external_id=f"{PAGE}_77")
    asked = "Chào bạn, bạn để lại số điện thoại để cán bộ tư vấn nhé."
    noted = "Đã ghi nhận, cán bộ sẽ liên hệ bạn; hoặc gọi BHXH tỉnh 0238 3844 112 ạ."
    _collected(
        live,
        CommentRecord("c1", "Cho em hỏi mức đóng BHXH tự nguyện", _at(1), "Hoa Nguyễn", "9001"),
        CommentRecord("r1", asked, _at(2), PAGE_NAME, PAGE, "c1", by_owner=True),
        CommentRecord("c2", "sđt em 0912 345 678 ạ", _at(3), "Hoa Nguyễn", "9001", "r1"),
        CommentRecord("r2", noted, _at(4), PAGE_NAME, PAGE, "c2", by_owner=True),
    )
    _collected(post, CommentRecord("p1", "Đăng ký cho mẹ em nữa", _at(5), "Hoa Nguyễn", "9001"))
    assert _leads(event.id) == [("Hoa Nguyễn", "0912345678")]  # not yet registered

    register_comment_leads(SEEN)
    deduplicate(SEEN)
    db.session.commit()
    _collected(live, CommentRecord("c3", "Gọi lại cho em sau 5h", _at(50), "Hoa Nguyễn", "9001"))
    assert _leads(event.id) == [("Hoa Nguyễn", "0912345678")]  # registered and not yet
    register_comment_leads(SEEN)
    deduplicate(SEEN)
    db.session.commit()

    (row,) = [r for r in call_list(event.id, phones=True) if r.kind == "lead"]
    assert (row.name, row.phone, row.seen_at) == ("Hoa Nguyễn", "0912345678", _at(50))
    assert row.note.startswith("Gọi lại cho em sau 5h | Đăng ký cho mẹ em nữa")
    assert {"hoi", "muc_dong", "dang_ky", "lien_he"} <= set(row.intents)
    person = db.session.scalars(sa.select(Person)).one()  # the page is nobody
    assert (row.person_id, person.phone) == (person.id, "+84912345678")
    touch = db.session.scalars(sa.select(Attendance)).one()
    assert (touch.person_id, touch.event_id, touch.touched_at) == (person.id, event.id, _at(1))
    page = db.session.scalars(sa.select(Comment).where(Comment.author_external_id == PAGE)).all()
    assert [(c.is_lead, c.person_id) for c in page] == [(False, None), (False, None)]


def test_an_enrolled_commenter_is_not_called_for_a_comment_not_yet_registered(
    make: Factory,
) -> None:
    event = make.event(HOME, title="Livestream BHXH")
    live = make.target(event, make.account(HOME, external_id=PAGE))
    _collected(live, CommentRecord("c1", "Em muốn đăng ký", _at(1), "Lan", "9002"))
    register_comment_leads(SEEN)
    person = db.session.scalars(sa.select(Person)).one()
    batch = ImportBatch(kind="enrolments", filename="x.csv", sha256="c" * 64, created_at=SEEN)
    db.session.add(batch)
    db.session.flush()
    row = Enrolment(import_batch_id=batch.id, source_row=2, row_key="r", is_new=True,
                    scheme=Scheme.BHXH_TU_NGUYEN, paid_on=date(2026, 3, 5))  # fmt: skip
    db.session.add(row)
    db.session.flush()
    db.session.add(Link(person_id=person.id, enrolment_id=row.id, method="phone", created_at=SEEN))
    db.session.commit()
    _collected(live, CommentRecord("c2", "Cho em hỏi thêm", _at(9), "Lan", "9002"))
    assert _leads(event.id) == []


def test_attendees_to_call_are_in_vietnamese_order_of_their_names(make: Factory) -> None:
    from app.identity.text import fold

    event = make.event(HOME, title="Hội nghị")
    names = ["Đặng Văn Hùng", "Nguyễn Thị Ánh", "Dương Thị Mai", "Nguyễn Thị Anh", "Ông Văn Ba"]
    for name in names:
        person = Person(full_name=name, name_folded=fold(name), consent_agreed=True,
                        consent_at=SEEN, consent_version=CURRENT)  # fmt: skip
        db.session.add(person)
        db.session.flush()
        db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                                  touched_at=SEEN))  # fmt: skip
    db.session.commit()
    # Đ after D (folding it to d put "Đặng" before "Dương"), the level tone before sắc.
    assert [r.name for r in call_list(event.id, phones=True)] == [
        "Dương Thị Mai", "Đặng Văn Hùng", "Nguyễn Thị Anh", "Nguyễn Thị Ánh", "Ông Văn Ba",
    ]  # fmt: skip


def _world_with_people_without_phones(make: Factory, unit) -> tuple[int, str]:
    """``_world`` and two people who left no number: an attendee known by their commune, and a
    commenter who only asked; returns the event and the attendee's commune."""
    event_id = _world(make)
    commune = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.parent_id == unit(HOME).id)
    ).first()
    nam = Person(full_name="Hoàng Văn Nam", name_folded="hoang van nam", commune_id=commune.id,
                 hamlet="Xóm 3", consent_agreed=True, consent_at=SEEN,
                 consent_version=CURRENT)  # fmt: skip
    db.session.add(nam)
    db.session.flush()
    db.session.add(Attendance(person_id=nam.id, event_id=event_id, source="sheet", touched_at=SEEN))
    target = db.session.query(Target).filter_by(event_id=event_id).one()
    db.session.add(Comment(target_id=target.id, external_id="c9", author_name="Đỗ Thị Hạnh",
                           message="Cho em hỏi mức đóng", created_at=SEEN + timedelta(hours=1),
                           is_lead=True, lead_intents=["tu_van"]))  # fmt: skip
    db.session.commit()
    return event_id, commune.name


def _table(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


def test_people_without_a_phone_are_listed_apart_with_how_to_reach_them(
    client: FlaskClient, make: Factory, unit
) -> None:
    event_id, commune = _world_with_people_without_phones(make, unit)
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    to_call = _table(html, "call-table")
    assert "Nguyễn Thị Lan" in to_call
    assert "=HYPERLINK(1)" in to_call
    assert "Hoàng Văn Nam" not in to_call
    assert "Đỗ Thị Hạnh" not in to_call
    assert '<h2 id="no-phone">Chưa có số điện thoại</h2>' in html
    no_phone = _table(html, "no-phone-table")
    nam = next(r for r in no_phone.split("<tr") if "Hoàng Văn Nam" in r)
    assert f"Qua xã/phường: Xóm 3, {commune}" in nam
    hanh = next(r for r in no_phone.split("<tr") if "Đỗ Thị Hạnh" in r)
    assert "Trả lời dưới bình luận của họ trên nền tảng</a>" in hanh
    # The counters say what they count.
    assert "Cần gọi (đã có số điện thoại): 2 người" in html
    assert "Chưa có số điện thoại (liên hệ tại bình luận hoặc qua xã/phường): 2 người" in html
    assert "người bình luận quan tâm chưa đăng ký tham gia BHXH/BHYT: tổng cộng 4 người." in html
    assert "Hãy trả lời họ dưới bình luận trên nền tảng" in html  # Đỗ Thị Hạnh commented
    assert "Vì sao được liên hệ người bình luận khi chưa có sự đồng ý" in html
    # A viewer sees the same split, the numbers masked.
    viewer = client.application.test_client()
    login(viewer, make.user("viewer", HOME).email)
    html = viewer.get(f"/events/{event_id}/follow-up").get_data(as_text=True)
    assert "Hoàng Văn Nam" not in _table(html, "call-table")
    assert "Cần gọi (đã có số điện thoại): 2 người" in html


def test_the_export_puts_people_without_a_phone_on_their_own_sheet(
    client: FlaskClient, make: Factory, unit
) -> None:
    event_id, commune = _world_with_people_without_phones(make, unit)
    login(client, make.user("officer", HOME).email)
    book = load_workbook(io.BytesIO(client.get(f"/events/{event_id}/follow-up.xlsx").data))
    assert book.sheetnames == [
        "Danh sách liên hệ",
        "Chưa có số điện thoại",
        "Đã đăng ký sau sự kiện",
    ]
    to_call = list(book["Danh sách liên hệ"].iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2]) for r in to_call] == [
        ("Nguyễn Thị Lan", "0912345678"),
        ("=HYPERLINK(1)", "0903123456"),
    ]
    sheet = book["Chưa có số điện thoại"]
    assert [c.value for c in sheet[2]][:3] == ["Loại", "Họ và tên", "Cách liên hệ"]
    assert sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[2]) for r in rows] == [
        ("Hoàng Văn Nam", f"Qua xã/phường: Xóm 3, {commune}"),
        ("Đỗ Thị Hạnh", "Trả lời dưới bình luận của họ trên nền tảng"),
    ]


def test_a_list_without_comment_leads_says_nothing_of_comments(
    client: FlaskClient, make: Factory, unit
) -> None:
    """An event whose list has attendees only: "chưa tham gia" read as "did not attend", and
    the page spoke of replying under comments and of calling commenters without consent."""
    event = make.event(HOME, title="Hội nghị trực tiếp")
    commune = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.parent_id == unit(HOME).id)
    ).first()
    people = [
        Person(full_name="Nguyễn Thị Lan", name_folded="nguyen thi lan", phone="+84912345678",
               phone_bidx=blind_index("phone", "+84912345678"), consent_agreed=True,
               consent_at=SEEN, consent_version=CURRENT),
        Person(full_name="Hoàng Văn Nam", name_folded="hoang van nam", commune_id=commune.id,
               hamlet="Xóm 3", consent_agreed=True, consent_at=SEEN, consent_version=CURRENT),
    ]  # fmt: skip
    db.session.add_all(people)
    db.session.flush()
    for person in people:
        db.session.add(Attendance(person_id=person.id, event_id=event.id, source="sheet",
                                  touched_at=SEEN))  # fmt: skip
    db.session.commit()
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{event.id}/follow-up").get_data(as_text=True)
    assert "Hoàng Văn Nam" in _table(html, "no-phone-table")
    assert "chưa đăng ký tham gia BHXH/BHYT: tổng cộng 2 người." in html
    assert "chưa tham gia:" not in html
    assert "Hãy liên hệ họ qua xã/phường nơi họ ở." in html
    assert "dưới bình luận" not in html
    assert "Vì sao được liên hệ người bình luận" not in html
