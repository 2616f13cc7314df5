"""The people registry: comment leads become people, the same person at two events becomes
one, household members sharing a phone stay two; review decisions by officers, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.followup.linking import refresh_follow_up, run_linkage
from app.models import Attendance, AuditLog, Comment, Link, LinkStatus, Person
from app.personal_data import blind_index
from tests.app.followup.test_linking import NOW, SEEN, _enrolment, _person
from tests.conftest import HOME, OTHER, Factory, csrf_token, login

# Also on PostgreSQL: merging people moves rows with bulk UPDATEs.
pytestmark = pytest.mark.postgres


def test_comment_leads_become_people_with_a_touch(app: Flask, make: Factory) -> None:
    event = make.event(HOME)
    target = make.target(event, make.account(HOME))
    for n, when in enumerate((SEEN, SEEN + timedelta(minutes=5))):
        db.session.add(
            Comment(
                target_id=target.id,
                external_id=f"c{n}",
                author_name="Lê Văn Tư",
                message="gọi tôi 0903 123 456",
                created_at=when,
                is_lead=True,
                phone="+84903123456",
                phone_bidx=blind_index("phone", "+84903123456"),
            )
        )
    db.session.commit()
    done = refresh_follow_up(NOW)
    db.session.commit()
    assert done.leads == 1  # the same lead commenting twice is one person
    person = db.session.scalars(select(Person)).one()
    assert (person.full_name, person.phone) == ("Lê Văn Tư", "+84903123456")
    touch = db.session.scalars(select(Attendance)).one()
    assert (touch.person_id, touch.event_id, touch.source) == (person.id, event.id, "comment")
    assert touch.touched_at == SEEN
    assert {c.person_id for c in db.session.scalars(select(Comment))} == {person.id}
    assert refresh_follow_up(NOW).leads == 0  # nothing left to register


def test_the_same_person_at_two_events_is_merged(app: Flask, make: Factory) -> None:
    first, second = make.event(HOME, title="Một"), make.event(HOME, title="Hai")
    early = _person(first.id, "Nguyễn Thị Hòa", phone="+84912000111", consent_version="v1")
    late = _person(
        second.id,
        "NGUYEN THI HOA",
        phone="+84912000111",
        born="1980",
        consent_at=SEEN + timedelta(days=3),
        consent_version="v2",
        consent_withdrawn_at=NOW,
        cccd="040180000999",
    )
    row = _enrolment("Nguyễn Thị Hòa", cccd="040180000999")
    db.session.add(Link(person_id=late.id, enrolment_id=row.id, method="cccd", created_at=NOW))
    db.session.commit()
    early_id, late_id = early.id, late.id
    done = refresh_follow_up(NOW)
    db.session.commit()
    assert done.merged == 1
    db.session.expire_all()
    assert db.session.get(Person, late_id) is None
    person = db.session.get(Person, early_id)
    assert {a.event_id for a in db.session.scalars(select(Attendance))} == {first.id, second.id}
    assert {a.person_id for a in db.session.scalars(select(Attendance))} == {early_id}
    assert db.session.scalars(select(Link)).one().person_id == early_id
    assert (person.consent_at, person.consent_version) == (SEEN, "v1")  # the earliest consent
    assert person.consent_withdrawn_at == NOW  # a withdrawal on either side wins
    assert person.cccd == "040180000999"
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "people.merge")).one()
    assert (entry.object_id, entry.detail) == (str(early_id), {"merged": [late_id]})


def test_household_members_sharing_a_phone_stay_two_people(app: Flask, make: Factory) -> None:
    first, second = make.event(HOME, title="Một"), make.event(HOME, title="Hai")
    _person(first.id, "Trần Văn Hùng", phone="+84912000222", born="1960")
    _person(second.id, "Trần Thị Hùng", phone="+84912000222", born="1985")  # other birth year
    _person(second.id, "Trần Văn Dũng", phone="+84912000222", born="1960")  # other given name
    db.session.commit()
    assert refresh_follow_up(NOW).merged == 0
    assert db.session.query(Person).count() == 3


def _review_world(make: Factory) -> tuple[int, int]:
    """One pair waiting for review in the home province, one in the other province."""
    ids = []
    for code in (HOME, OTHER):
        event = make.event(code)
        person = _person(event.id, "Đỗ Văn An", phone="+84912000333")
        row = _enrolment("Đỗ Văn Ân", phone="+84912000444")
        link = Link(
            person_id=person.id,
            enrolment_id=row.id,
            method="probabilistic",
            score=0.7,
            status=LinkStatus.REVIEW,
            created_at=NOW,
        )
        db.session.add(link)
        db.session.commit()
        ids.append(link.id)
    return ids[0], ids[1]


def test_officer_confirms_and_rejects_with_one_click(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    mine, theirs = _review_world(make)
    officer = make.user("officer", HOME)
    login(client, officer.email)
    page = client.get("/follow-up/review").get_data(as_text=True)
    assert "Đỗ Văn Ân" in page
    # What the two rows share, and what not (app.followup.match_reason): no commune recorded.
    assert "Trùng ngày sinh; gần giống họ tên; khác số điện thoại" in page
    assert "probabilistic" not in page
    assert "09xx xxx 444" in page
    assert "+84912000444" not in page  # phones are masked
    token = csrf_token(client, "/follow-up/review")
    assert (
        client.post("/follow-up/review", data={"link_id": mine, "decision": "confirm"}).status_code
        == 400
    )  # no CSRF token
    other = client.post(
        "/follow-up/review", data={"csrf_token": token, "link_id": theirs, "decision": "confirm"}
    )
    assert other.status_code == 404  # another province's pair
    done = client.post(
        "/follow-up/review", data={"csrf_token": token, "link_id": mine, "decision": "confirm"}
    )
    assert done.status_code == 303
    db.session.expire_all()
    link = db.session.get(Link, mine)
    assert (link.status, link.reviewed_by_id) == (LinkStatus.CONFIRMED, officer.id)
    assert link.reviewed_at is not None
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "links.confirm")).one()
    assert (entry.user_id, entry.object_id) == (officer.id, str(mine))
    assert db.session.get(Link, theirs).status == LinkStatus.REVIEW
    # A decided pair cannot be decided again, and a re-run keeps the decision.
    client.post(
        "/follow-up/review", data={"csrf_token": token, "link_id": mine, "decision": "reject"}
    )
    run_linkage(NOW, full=True)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Link, mine).status == LinkStatus.CONFIRMED


def test_reject_is_audited_and_viewer_cannot_decide(
    app: Flask, client: FlaskClient, make: Factory
) -> None:
    mine, _ = _review_world(make)
    viewer = make.user("viewer", HOME)
    login(client, viewer.email)
    assert client.get("/follow-up/review").status_code == 403
    token = csrf_token(client, "/events")
    refused = client.post(
        "/follow-up/review", data={"csrf_token": token, "link_id": mine, "decision": "confirm"}
    )
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(Link, mine).status == LinkStatus.REVIEW
    client = app.test_client()
    officer = make.user("officer", HOME)
    login(client, officer.email)
    token = csrf_token(client, "/follow-up/review")
    client.post(
        "/follow-up/review", data={"csrf_token": token, "link_id": mine, "decision": "reject"}
    )
    db.session.expire_all()
    assert db.session.get(Link, mine).status == LinkStatus.REJECTED
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "links.reject")).one()
    bad = client.post("/follow-up/review", data={"csrf_token": token, "decision": "maybe"})
    assert bad.status_code == 422


def test_a_commenter_writing_again_joins_their_person(
    app: Flask, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later run finds the people of earlier runs by the author's platform id (looked up a
    value at a time here, as a long list is asked in chunks)."""
    from app.attendance import lead_people

    monkeypatch.setattr(lead_people, "CHUNK", 1)
    event = make.event(HOME)
    target = make.target(event, make.account(HOME))

    def comments(run: int) -> None:
        for author in ("9001", "9002", "9003"):
            db.session.add(Comment(target_id=target.id, external_id=f"{author}-{run}",
                                   author_name=f"Người {author}", author_external_id=author,
                                   message="cho em hỏi", created_at=SEEN + timedelta(hours=run),
                                   is_lead=True))  # fmt: skip
        db.session.commit()

    comments(0)
    assert refresh_follow_up(NOW).leads == 3
    db.session.commit()
    comments(1)
    assert refresh_follow_up(NOW).leads == 0
    db.session.commit()
    people = {c.author_external_id: c.person_id for c in db.session.scalars(select(Comment))}
    assert len(set(people.values())) == 3
    assert db.session.query(Attendance).count() == 3  # one touch each, dated by the first


def test_a_decision_can_be_undone_for_a_while_and_the_page_explains_score_and_date(
    client: FlaskClient, make: Factory
) -> None:
    """The tour: "Không phải" acted at once with no way back, "Điểm 0,57" was unexplained and
    "(20/03/2026)" beside the enrolment said nothing of what that date is."""
    from app.models import utcnow

    mine, _ = _review_world(make)
    officer = make.user("officer", HOME)
    login(client, officer.email)
    page = client.get("/follow-up/review").get_data(as_text=True)
    assert "Điểm giống nhau từ 0 đến 1: càng gần 1" in page
    assert "(ngày nộp tiền 20/03/2026)" in page
    assert 'id="decided"' not in page
    token = csrf_token(client, "/follow-up/review")
    form = {"csrf_token": token, "link_id": mine}
    client.post("/follow-up/review", data={**form, "decision": "reject"})
    page = client.get("/follow-up/review").get_data(as_text=True)
    assert '<h2 id="decided">Đã quyết định</h2>' in page
    assert "Không phải cùng một người" in page
    assert "Hoàn tác</button>" in page
    undone = client.post("/follow-up/review", data={**form, "decision": "undo"},
                         follow_redirects=True)  # fmt: skip
    assert "Đã hoàn tác: cặp này trở lại danh sách cần xem xét." in undone.get_data(as_text=True)
    db.session.expire_all()
    link = db.session.get(Link, mine)
    assert (link.status, link.reviewed_by_id, link.reviewed_at) == (LinkStatus.REVIEW, None, None)
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "links.undo")).one()
    # Past the half hour, or somebody else's decision, stays as decided.
    client.post("/follow-up/review", data={**form, "decision": "confirm"})
    db.session.expire_all()
    link = db.session.get(Link, mine)
    link.reviewed_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    late = client.post("/follow-up/review", data={**form, "decision": "undo"},
                       follow_redirects=True)  # fmt: skip
    assert "Quyết định này không còn hoàn tác được nữa." in late.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Link, mine).status == LinkStatus.CONFIRMED
