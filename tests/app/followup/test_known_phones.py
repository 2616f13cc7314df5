"""A comment lead who wrote no number here is called on the number their person record holds,
when a basis covers it, and the list says where it comes from:

- given on an attendee sheet by someone who agreed to the purpose text: their consent;
- written in one of their own public comments on another event: the public-comment basis;
- from a sheet whose person never answered: no basis, so no number (listed apart as before).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.consent import CURRENT, PUBLIC_COMMENT
from app.extensions import db
from app.followup.calls import basis_words, by_phone, call_list, leads_to_call
from app.models import Attendance, Comment, Event, Person, Target
from app.personal_data import blind_index
from tests.conftest import HOME, Factory, login

GIVEN = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10/03/2026 in Vietnam
ASKED = datetime(2026, 4, 2, 3, 0, tzinfo=UTC)


def _person(name: str, phone: str, **kw: object) -> Person:
    person = Person(full_name=name, name_folded=name.lower(), **kw)
    person.set_identifiers(phone=phone)
    db.session.add(person)
    db.session.flush()
    return person


def _asks(target: Target, person: Person, key: str) -> None:
    """A lead comment with no number, already registered to ``person``."""
    db.session.add(Comment(target_id=target.id, external_id=key, author_name=person.full_name,
                           message="Tư vấn giúp tôi với", created_at=ASKED, is_lead=True,
                           lead_intents=["tu_van"], person_id=person.id))  # fmt: skip


def _world(make: Factory) -> tuple[Event, Event]:
    earlier = make.event(HOME, title="Hội nghị BHXH tự nguyện xã Bắc Lý")
    post = make.event(HOME, title="Bài viết hướng dẫn")
    account = make.account(HOME)
    there = make.target(earlier, account, kind="facebook_live", external_id="live-9")
    here = make.target(post, account, kind="facebook_post", external_id="55_66")
    agreed = _person("Phạm Thị Hoa", "+84912000222", consent_agreed=True, consent_at=GIVEN,
                     consent_version=CURRENT)  # fmt: skip
    db.session.add(Attendance(person_id=agreed.id, event_id=earlier.id, source="sheet",
                              touched_at=GIVEN))  # fmt: skip
    commenter = _person("Lò Văn Pọm", "+84912000333", legal_basis=PUBLIC_COMMENT)
    db.session.add(Comment(target_id=there.id, external_id="c0", author_name="Lò Văn Pọm",
                           message="Gọi tôi 0912000333", created_at=GIVEN, is_lead=True,
                           person_id=commenter.id, phone="+84912000333",
                           phone_bidx=blind_index("phone", "+84912000333")))  # fmt: skip
    # On a sheet without an answer: kept as a comment lead, the sheet's number covered by nothing.
    unanswered = _person("Hà Văn Nam", "+84912000444", legal_basis=PUBLIC_COMMENT)
    db.session.add(Attendance(person_id=unanswered.id, event_id=earlier.id, source="sheet",
                              touched_at=GIVEN))  # fmt: skip
    for key, person in (("c1", agreed), ("c2", commenter), ("c3", unanswered)):
        _asks(here, person, key)
    db.session.commit()
    return earlier, post


@pytest.mark.postgres
def test_a_lead_is_called_on_a_number_given_elsewhere_with_its_basis(make: Factory) -> None:
    _earlier, post = _world(make)
    to_call, no_phone = by_phone(call_list(post.id, phones=True))
    rows = {r.name: r for r in to_call}
    assert set(rows) == {"Phạm Thị Hoa", "Lò Văn Pọm"}
    assert [r.name for r in no_phone] == ["Hà Văn Nam"]
    hoa, pom = rows["Phạm Thị Hoa"], rows["Lò Văn Pọm"]
    assert (hoa.kind, hoa.phone, hoa.basis, hoa.kept_until) == ("lead", "0912000222", "consent",
                                                               None)  # fmt: skip
    assert basis_words(hoa, vietnamese=True) == (
        "Đồng ý (Mẫu đồng ý ngày 01/01/2026). "
        "Số từ danh sách người dự Hội nghị BHXH tự nguyện xã Bắc Lý (10/03/2026)."
    )
    assert (pom.phone, pom.basis) == ("0912000333", PUBLIC_COMMENT)
    assert basis_words(pom, vietnamese=True) == (
        "Tự công khai số điện thoại trong bình luận; lưu đến 29/09/2026. "
        "Số từ bình luận của chính người này ở Hội nghị BHXH tự nguyện xã Bắc Lý (10/03/2026)."
    )


def test_a_withdrawn_person_is_not_called_on_their_sheets_number(make: Factory) -> None:
    _earlier, post = _world(make)
    hoa = db.session.query(Person).filter_by(full_name="Phạm Thị Hoa").one()
    hoa.consent_withdrawn_at = ASKED
    db.session.commit()
    assert "Phạm Thị Hoa" not in {r.name for r in call_list(post.id, phones=True)}


def test_the_page_and_the_export_say_where_the_number_comes_from(
    client: FlaskClient, make: Factory
) -> None:
    _earlier, post = _world(make)
    login(client, make.user("officer", HOME).email)
    html = client.get(f"/events/{post.id}/follow-up").get_data(as_text=True)
    calls = html[html.index('id="call-table"') : html.index('id="no-phone-table"')]
    assert 'href="tel:0912000222"' in calls
    assert "Số từ danh sách người dự Hội nghị BHXH tự nguyện xã Bắc Lý (10/03/2026)." in calls
    assert "Hà Văn Nam" not in calls
    book = load_workbook(io.BytesIO(client.get(f"/events/{post.id}/follow-up.xlsx").data))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert any(str(c).endswith("Số từ danh sách người dự Hội nghị BHXH tự nguyện xã Bắc Lý "
                               "(10/03/2026).") for c in cells)  # fmt: skip


def _leads_asking(make: Factory, earlier: Event, n: int) -> int:
    """A post where ``n`` registered leads ask without a number, every other one known by a
    sheet they signed with consent at ``earlier`` (the first of them), the others by a comment
    of theirs there carrying it: both ways of finding a number are asked."""
    post = make.event(HOME, title=f"Bài viết {n}")
    account = make.account(HOME, name=f"Trang {n}")
    here = make.target(post, account, kind="facebook_post", external_id=f"post-{n}")
    there = make.target(earlier, account, kind="facebook_live", external_id=f"live-{n}")
    for i in range(n):
        phone = f"+849130{n:02d}{i:03d}"
        if i % 2 == 0:
            person = _person(f"Người {n}-{i}", phone, consent_agreed=True, consent_at=GIVEN,
                             consent_version=CURRENT)  # fmt: skip
            db.session.add(Attendance(person_id=person.id, event_id=earlier.id, source="sheet",
                                      touched_at=GIVEN))  # fmt: skip
        else:
            person = _person(f"Người {n}-{i}", phone, legal_basis=PUBLIC_COMMENT)
            db.session.add(Comment(target_id=there.id, external_id=f"had-{n}-{i}",
                                   author_name=person.full_name, message=f"Gọi tôi {phone}",
                                   created_at=GIVEN, is_lead=True, person_id=person.id, phone=phone,
                                   phone_bidx=blind_index("phone", phone)))  # fmt: skip
        _asks(here, person, f"ask-{n}-{i}")
    db.session.commit()
    return post.id


@pytest.mark.postgres
def test_the_numbers_of_a_page_of_leads_take_as_many_statements_as_one(make: Factory) -> None:
    earlier = make.event(HOME, title="Hội nghị BHXH tự nguyện xã Bắc Lý")
    posts = {n: _leads_asking(make, earlier, n) for n in (1, 50)}
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    counts, found = {}, {}
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        for n, post_id in posts.items():
            db.session.expire_all()
            statements.clear()
            rows = leads_to_call(post_id)
            counts[n] = len(statements)
            found[n] = sum(1 for r in rows if r.phone_source is not None)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert found == {1: 1, 50: 50}  # every lead's number found, both ways
    assert counts[1] == counts[50]
