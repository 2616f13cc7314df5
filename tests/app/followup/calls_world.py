"""The province's conference of ``part_world`` with leads worked across it, for "My calls".

Commune A's officer holds three leads: Đinh Văn Ánh (call back 20/12/2026), Lê Thị Hà (no
commune, checked in at A's hall; call back 19/12/2026, a note of two lines) and Nguyễn Thị An
(marked not interested: closed). They also hold, by an old assignment, a person who withdrew
consent, one who enrolled since, and B's attendee Trần Văn Bê. Of A's people nobody holds Phan
Văn Cường (call back 25/12/2026), nor Ngô Thị Dậu (no date); B's lead is nobody's either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.consent import CURRENT
from app.extensions import db
from app.identity.text import fold
from app.models import Attendance, LeadStatus, LeadWork, Person, User
from app.personal_data import blind_index
from tests.app.followup.part_world import MET, MY_ENROLLED, World, part_world
from tests.conftest import HOME, Factory

# 23:30 on 20/12/2026 in Vietnam, and five minutes past its midnight.
LATE = datetime(2026, 12, 20, 16, 30, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 12, 20, 17, 5, tzinfo=UTC)


@dataclass(frozen=True)
class CallsWorld:
    world: World
    me: User  # A's officer
    viewer: User  # A's viewer
    province: User  # the province's officer


def person_id(name: str) -> int:
    return db.session.scalar(select(Person.id).where(Person.full_name == name))


def attendee(world: World, name: str, phone: str) -> int:
    number = f"+84{phone[1:]}"
    row = Person(full_name=name, name_folded=fold(name), phone=number,
                 phone_bidx=blind_index("phone", number), commune_id=world.mine.id,
                 consent_agreed=True, consent_at=MET, consent_version=CURRENT)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    db.session.add(Attendance(person_id=row.id, event_id=world.event_id, source="sheet",
                              touched_at=MET))  # fmt: skip
    return row.id


def calls_world(make: Factory) -> CallsWorld:
    world = part_world(make)
    me = make.user("officer", world.mine.code)
    viewer = make.user("viewer", world.mine.code)
    province = make.user("officer", HOME)
    withdrawn = attendee(world, "Hoàng Thị Dung", "0987000004")
    db.session.get(Person, withdrawn).consent_withdrawn_at = MET
    cuong = attendee(world, "Phan Văn Cường", "0987000005")
    dau = attendee(world, "Ngô Thị Dậu", "0987000006")

    def work(who: int, status: LeadStatus, day: date | None, holder: User | None,
             notes: str = "") -> None:  # fmt: skip
        found = db.session.scalar(select(LeadWork).where(
            LeadWork.event_id == world.event_id, LeadWork.person_id == who))  # fmt: skip
        if found is None:
            found = LeadWork(event_id=world.event_id, person_id=who)
            db.session.add(found)
        found.status, found.next_call_on, found.notes = status, day, notes
        found.assignee_id = holder.id if holder else None

    work(world.my_lead, LeadStatus.CALL_BACK, date(2026, 12, 20), me, "Hẹn gọi lại tối")
    work(person_id("Lê Thị Hà"), LeadStatus.CALLED, date(2026, 12, 19), me,
         "Máy bận\nGọi lại sau 19h, cần hỏi mức đóng")  # fmt: skip
    work(person_id("Nguyễn Thị An"), LeadStatus.NOT_INTERESTED, date(2026, 12, 20), me)
    work(withdrawn, LeadStatus.CALL_BACK, date(2026, 12, 20), me)
    work(person_id(MY_ENROLLED), LeadStatus.CALL_BACK, date(2026, 12, 20), me)
    work(person_id("Trần Văn Bê"), LeadStatus.CALL_BACK, date(2026, 12, 20), me)
    work(world.their_lead, LeadStatus.CALLED, date(2026, 12, 20), None)
    work(cuong, LeadStatus.CALL_BACK, date(2026, 12, 25), None)
    work(dau, LeadStatus.NEW, None, None, "Chưa nghe máy")
    db.session.commit()
    return CallsWorld(world, me, viewer, province)
