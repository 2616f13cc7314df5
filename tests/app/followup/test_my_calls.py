""" "My calls": an officer's leads across events, grouped by the call-back day in Vietnam, by the
follow-up list's own rules (the part, consent, enrolment, closed statuses)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.followup.my_calls import PAGE_SIZE, calls_due, my_calls
from app.models import AuditLog
from tests.app.followup.calls_world import AFTER_MIDNIGHT, LATE, calls_world
from tests.conftest import Factory, login

pytestmark = pytest.mark.postgres


def _names(section) -> dict[str, list[str]]:
    return {g: [r.name for r in rows] for g, rows in section.grouped()}


def test_a_call_back_today_at_23_30_is_today_and_overdue_after_midnight(make: Factory) -> None:
    w = calls_world(make)
    late = my_calls(w.me, LATE)
    assert late.today.isoformat() == "2026-12-20"
    # Closed (An), withdrawn (Dung), enrolled, and B's person (not A's part) are left out.
    assert _names(late.held) == {"overdue": ["Lê Thị Hà"], "today": ["Đinh Văn Ánh"]}
    assert late.held.counts == {"overdue": 1, "today": 1, "upcoming": 0, "unscheduled": 0}
    ha = late.held.rows[0]
    assert (ha.note, ha.phone, ha.next_call_on.isoformat()) == (
        "Gọi lại sau 19h, cần hỏi mức đóng",
        "+84912000003",
        "2026-12-19",
    )
    # Nobody's leads of A's part: B's lead stays out.
    assert _names(late.free) == {"upcoming": ["Phan Văn Cường"], "unscheduled": ["Ngô Thị Dậu"]}
    assert calls_due(w.me, LATE) == 2

    after = my_calls(w.me, AFTER_MIDNIGHT)
    assert after.today.isoformat() == "2026-12-21"
    assert _names(after.held) == {"overdue": ["Lê Thị Hà", "Đinh Văn Ánh"]}
    before = datetime(2026, 12, 19, 16, 59, tzinfo=UTC)  # 23:59 on 19/12 in Vietnam
    assert _names(my_calls(w.me, before).held) == {
        "today": ["Lê Thị Hà"],
        "upcoming": ["Đinh Văn Ánh"],
    }
    assert calls_due(w.me, before) == 1


def test_the_province_officer_may_take_every_communes_unheld_leads(make: Factory) -> None:
    w = calls_world(make)
    seen = my_calls(w.province, LATE)
    assert seen.held.total == 0
    assert _names(seen.free) == {
        "today": ["Võ Văn Bảy"],
        "upcoming": ["Phan Văn Cường"],
        "unscheduled": ["Ngô Thị Dậu"],
    }
    assert calls_due(w.province, LATE) == 0


def test_the_page_lists_them_in_groups_with_phones_and_events(
    app: Flask, make: Factory, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = calls_world(make)
    monkeypatch.setattr("app.followup.calls_page.utcnow", lambda: LATE)
    monkeypatch.setattr("app.home.routes.utcnow", lambda: LATE)
    login(client, w.me.email)
    html = client.get("/follow-up/calls").get_data(as_text=True)
    assert "Cuộc gọi của tôi" in html
    for words in (
        "Quá hạn gọi lại (1)",
        "Hôm nay (1)",
        "Sắp tới (1)",
        "Chưa hẹn (1)",
        "0912 000 003",
        'href="tel:0912000003"',
        "19/12/2026",
        "20/12/2026",
        "Gọi lại sau 19h, cần hỏi mức đóng",
        "Hội nghị tỉnh",
        f'href="/events/{w.world.event_id}/follow-up"',
        "Phan Văn Cường",
    ):
        assert words in html, words
    for absent in ("Nguyễn Thị An", "Hoàng Thị Dung", "Trần Văn Bê", "Võ Văn Bảy"):
        assert absent not in html, absent
    # The notes' last line is shown; the whole notes only ride in the editor's button.
    assert ">Máy bận" not in html
    assert 'data-notes="Máy bận\nGọi lại sau 19h, cần hỏi mức đóng"' in html
    audited = db.session.scalar(select(AuditLog).where(AuditLog.action == "followup.my_calls"))
    assert audited.detail == {"held": 2, "free": 2}
    home = client.get("/").get_data(as_text=True)
    assert "2 cuộc gọi đến hạn hôm nay" in home
    assert 'href="/follow-up/calls"' in home

    viewer = app.test_client()
    login(viewer, w.viewer.email)
    assert viewer.get("/follow-up/calls").status_code == 403
    assert "đến hạn hôm nay" not in viewer.get("/").get_data(as_text=True)


def test_a_long_list_is_paged(make: Factory, client: FlaskClient) -> None:
    from datetime import date

    from app.models import LeadStatus, LeadWork
    from tests.app.followup.calls_world import attendee

    w = calls_world(make)
    for i in range(PAGE_SIZE + 3):
        who = attendee(w.world, f"Người {i:03d}", f"09880{i:05d}")
        db.session.add(
            LeadWork(
                event_id=w.world.event_id,
                person_id=who,
                assignee_id=w.me.id,
                status=LeadStatus.CALL_BACK,
                next_call_on=date(2026, 12, 30),
            )
        )
    db.session.commit()
    first, last = my_calls(w.me, LATE), my_calls(w.me, LATE, page=2)
    assert (first.held.pages, len(first.held.rows), len(last.held.rows)) == (2, PAGE_SIZE, 5)
    assert first.held.counts["upcoming"] == PAGE_SIZE + 3
    assert {r.person_id for r in first.held.rows}.isdisjoint(r.person_id for r in last.held.rows)
    login(client, w.me.email)
    html = client.get("/follow-up/calls?page=2").get_data(as_text=True)
    assert "Trang 2 / 2" in html
    assert 'href="/follow-up/calls?page=1"' in html
    assert html.count("Người 0") == 5  # the last five, called back on 30/12


def test_a_communes_own_event_is_theirs_whole(make: Factory) -> None:
    from datetime import date

    from app.models import Attendance, LeadStatus, LeadWork
    from tests.app.followup.calls_world import person_id
    from tests.app.followup.part_world import MET

    w = calls_world(make)
    own = make.event(w.world.mine.code, title="Livestream xã tháng 12")
    visitor = person_id("Trần Văn Bê")  # lives in B, came to A's own livestream
    db.session.add(Attendance(person_id=visitor, event_id=own.id, source="sheet", touched_at=MET))
    called_back = date(2026, 12, 22)
    db.session.add(LeadWork(event_id=own.id, person_id=visitor, assignee_id=w.me.id,
                            status=LeadStatus.CALL_BACK, next_call_on=called_back))  # fmt: skip
    db.session.commit()
    calls = my_calls(w.me, LATE)
    upcoming = [(r.name, r.event_title) for r in calls.held.rows if r.group == "upcoming"]
    # On the province's event Bê is B's (left out); on A's own event A sees everyone.
    assert upcoming == [("Trần Văn Bê", "Livestream xã tháng 12")]


def test_people_nobody_called_yet_are_free_without_a_call_back_date(
    make: Factory, client: FlaskClient
) -> None:
    """Attendees who agreed and registered commenters nobody worked yet are to be called too:
    "No call-back date" among the free leads, by the follow-up list's rule (consent, enrolment,
    the part), those with a number to call alone; a lead comment removed since makes no call."""
    from app.consent import PUBLIC_COMMENT
    from app.models import Attendance, Comment, Person, Target
    from tests.app.followup.calls_world import attendee
    from tests.app.followup.part_world import MET

    w = calls_world(make)
    attendee(w.world, "Mai Văn Mới", "0977000001")
    withdrawn = attendee(w.world, "Lý Thị Rút", "0977000002")
    db.session.get(Person, withdrawn).consent_withdrawn_at = MET
    no_phone = attendee(w.world, "Tạ Văn Số", "0977000003")
    person = db.session.get(Person, no_phone)
    person.phone, person.phone_bidx = None, None
    target = db.session.scalar(select(Target).where(Target.event_id == w.world.event_id))

    def commenter(name: str, phone: str, *, removed: bool = False) -> None:
        row = Person(full_name=name, phone=phone, commune_id=w.world.mine.id,
                     legal_basis=PUBLIC_COMMENT)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add_all([
            Comment(target_id=target.id, external_id=name, author_name=name,
                    message="tư vấn giúp em", created_at=MET, is_lead=True,
                    lead_intents=["consult"], person_id=row.id,
                    deleted_at=MET if removed else None),
            Attendance(person_id=row.id, event_id=w.world.event_id, source="comment",
                       touched_at=MET),
        ])  # fmt: skip

    commenter("Đoàn Thị Hỏi", "+84977000004")
    commenter("Kha Văn Xoá", "+84977000005", removed=True)
    db.session.commit()

    calls = my_calls(w.me, LATE)
    # Worked leads first, then the untouched ones (newest event first, then as registered).
    assert _names(calls.free) == {
        "upcoming": ["Phan Văn Cường"],
        "unscheduled": ["Ngô Thị Dậu", "Mai Văn Mới", "Đoàn Thị Hỏi"],
    }
    new = calls.free.rows[-1]
    assert (new.status.value, new.note, new.next_call_on, new.phone) == (
        "new",
        "",
        None,
        "+84977000004",
    )
    assert calls.free.counts["unscheduled"] == 3
    assert calls.held.total == 2  # held leads unchanged
    login(client, w.me.email)
    html = client.get("/follow-up/calls").get_data(as_text=True)
    assert "Chưa hẹn (3)" in html
    assert "0977 000 001" in html
    for absent in ("Lý Thị Rút", "Tạ Văn Số", "Kha Văn Xoá"):
        assert absent not in html, absent


def test_a_long_list_of_untouched_people_is_paged(make: Factory) -> None:
    from tests.app.followup.calls_world import attendee

    w = calls_world(make)
    for i in range(PAGE_SIZE + 1):
        attendee(w.world, f"Người {i:03d}", f"09770{i:05d}")
    db.session.commit()
    first, last = my_calls(w.me, LATE), my_calls(w.me, LATE, free_page=2)
    assert first.free.counts["unscheduled"] == PAGE_SIZE + 2  # and Ngô Thị Dậu, worked
    assert (first.free.pages, len(first.free.rows), len(last.free.rows)) == (2, PAGE_SIZE, 3)
    assert {r.person_id for r in first.free.rows}.isdisjoint(r.person_id for r in last.free.rows)
