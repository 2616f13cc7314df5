""" "My calls"' free leads, read in parts for speed (the worked leads, then the fresh ones event by
event), are page after page the rows of the rule read whole: the worked leads and the listed
people (``calls.listed_people``) of the user's events in one union, filtered and sorted at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import and_, case, func, or_, select, union

from app.extensions import db
from app.followup import fresh_leads
from app.followup import my_calls as calls_page
from app.followup.calls import listed_people, may_call
from app.followup.lead_status import CLOSED
from app.models import Attendance, Comment, Event, LeadStatus, LeadWork, OrgKind, Person, User
from app.scoping import participating_event_ids, people_in_part, subtree_ids, visible_events
from tests.app.followup.calls_world import LATE, attendee, calls_world, person_id
from tests.app.followup.part_world import MET
from tests.conftest import HOME, Factory

pytestmark = pytest.mark.postgres


def _whole(user: User) -> list[tuple[int, int, str]]:
    """(event, person, group) of the free leads by the rule as one query (before the split)."""
    taking_part = participating_event_ids(user)
    ours = Event.org_unit_id == user.org_unit_id
    if taking_part:
        ours = or_(ours, Event.id.in_(taking_part))
    events = visible_events(select(Event.id).where(ours), user, taking_part)
    listed = listed_people(events).subquery()
    worked = select(LeadWork.person_id, LeadWork.event_id).where(LeadWork.event_id.in_(events))
    pairs = union(worked, select(listed.c.person_id, listed.c.event_id)).subquery()
    today = calls_page.local_today(LATE)
    day = LeadWork.next_call_on
    group = case((day.is_(None), 3), (day < today, 0), (day == today, 1), else_=2)
    stmt = (
        select(pairs.c.event_id, pairs.c.person_id, group)
        .join(Person, Person.id == pairs.c.person_id)
        .join(Event, Event.id == pairs.c.event_id)
        .outerjoin(
            LeadWork,
            and_(LeadWork.person_id == pairs.c.person_id, LeadWork.event_id == pairs.c.event_id),
        )  # fmt: skip
        .where(may_call())
        .where(
            or_(
                and_(LeadWork.id.is_(None), Person.phone.is_not(None)),
                and_(LeadWork.assignee_id.is_(None), LeadWork.status.not_in(sorted(CLOSED))),
            )
        )
        .order_by(
            group,
            day,
            LeadWork.id.is_(None),
            func.coalesce(Event.actual_start, Event.planned_start).desc(),
            LeadWork.id,
            Event.id,
            Person.id,
        )  # fmt: skip
    )
    if user.org_unit.kind == OrgKind.COMMUNE:
        whole = Event.org_unit_id.in_(subtree_ids(user.org_unit))
        stmt = stmt.where(or_(whole, people_in_part(pairs.c.event_id, user)))
    return [(e, p, calls_page.ORDER[g]) for e, p, g in db.session.execute(stmt)]


def _paged(user: User) -> list[tuple[int, int, str]]:
    """The free leads page after page by the "next" link alone (no total past the cap)."""
    first = calls_page.my_calls(user, LATE).free
    rows, page, section = [], 1, first
    while True:
        section = calls_page.my_calls(user, LATE, free_page=page).free
        assert section.counts == first.counts
        rows += [(r.event_id, r.person_id, r.group) for r in section.rows]
        if not section.has_next:
            break
        page += 1
    assert first.pages in (None, page)
    assert not calls_page.my_calls(user, LATE, free_page=page + 1).free.has_next
    if first.pages is not None:
        assert len(rows) == first.total
    return rows


@pytest.mark.parametrize(("cap", "deep", "size"), [(1000, 1000, 3), (4, 2, 3), (1000, 0, 7)])
def test_the_free_leads_page_by_page_are_the_rules_rows_in_its_order(
    make: Factory, monkeypatch: pytest.MonkeyPatch, cap: int, deep: int, size: int
) -> None:
    """Three more events (two starting at once), people seen by sheet and check-in, commenters
    who also signed, a commenter under two targets, leads worked with and without a date, held
    and closed: small pages cross the worked and fresh rows and the events' edges. Counted at
    once from the second page (``deep`` 0), a page of 7 reads several events in one statement."""
    w = calls_world(make)
    first = db.session.get(Event, w.world.event_id)
    later = [make.event(HOME, title=f"Hội nghị {n}", actual_start=MET + timedelta(days=d))
             for n, d in ((2, 30), (3, 30), (4, -30))]  # fmt: skip
    account = make.account(HOME, name="Trang khác")
    fresh = [attendee(w.world, f"Người Mới {i}", f"09660000{i:02d}") for i in range(8)]
    seen = [*fresh, person_id("Phan Văn Cường"), person_id("Ngô Thị Dậu"), person_id("Trần Văn Bê"),
            person_id("Lê Thị Hà"), w.world.my_lead, w.world.their_lead]  # fmt: skip
    for n, event in enumerate(later):
        targets = [make.target(event, account, external_id=f"{event.id}-{k}") for k in (1, 2)]
        for k, who in enumerate(seen):
            if (k + n) % 3 == 0:
                continue
            sources = ["sheet", "checkin"] if (k + n) % 4 == 0 else ["sheet"]
            if who in (w.world.my_lead, w.world.their_lead):
                sources = ["comment"] + (["sheet"] if n == 1 else [])
                for target in targets[: 1 + n % 2]:
                    db.session.add(Comment(target_id=target.id, external_id=f"{target.id}-{who}",
                                           author_name="Khách", message="tư vấn", created_at=MET,
                                           is_lead=True, person_id=who))  # fmt: skip
            for source in sources:
                db.session.add(Attendance(person_id=who, event_id=event.id, source=source,
                                          touched_at=MET))  # fmt: skip
        for k, who in enumerate(fresh[n::3]):
            status = [LeadStatus.CALLED, LeadStatus.NOT_INTERESTED, LeadStatus.CALL_BACK][k % 3]
            day = [None, date(2026, 12, 19), date(2026, 12, 20), date(2026, 12, 28)][(k + n) % 4]
            db.session.add(LeadWork(event_id=event.id, person_id=who, status=status,
                                    next_call_on=day, notes="gọi",
                                    assignee_id=w.me.id if k == 2 else None))  # fmt: skip
    db.session.add(Attendance(person_id=fresh[0], event_id=first.id, source="checkin",
                              touched_at=MET))  # fmt: skip
    db.session.commit()
    monkeypatch.setattr(calls_page, "PAGE_SIZE", size)
    monkeypatch.setattr(calls_page, "CAP", cap)  # 4: counted no further, paged by "next"
    monkeypatch.setattr(fresh_leads, "DEEP", deep)  # 2: past the second row, counted at once
    for user in (w.province, w.me):
        whole = _whole(user)
        assert len(whole) > 3 * size
        assert {g for *_, g in whole} >= {"overdue", "unscheduled"}
        assert _paged(user) == whole
        assert bool(calls_page.my_calls(user, LATE).free.over) == (cap == 4)
