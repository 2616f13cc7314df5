"""The province's conference with halls in communes A and B, and the people of each.

People of A: an attendee who lives there, one with no commune who checked in at A's hall, a
registered commenter who lives there, one who enrolled after the event. The same of B, and a
commenter nobody registered yet (the province's alone). Both commenters' leads are worked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.consent import CURRENT, PUBLIC_COMMENT
from app.extensions import db
from app.identity.text import fold
from app.models import (
    Attendance,
    BridgePoint,
    Channel,
    Comment,
    Enrolment,
    ImportBatch,
    LeadStatus,
    LeadWork,
    Link,
    OrgUnit,
    Person,
    Scheme,
)
from app.personal_data import blind_index
from tests.app.events.provincial import communes
from tests.conftest import HOME, Factory

MET = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
MINE = {"Nguyễn Thị An": "0912000001", "Lê Thị Hà": "0912000003", "Đinh Văn Ánh": "0903000001"}
THEIRS = {"Trần Văn Bê": "0912000002", "Võ Văn Bảy": "0903000002", "Khách Lạ": "0903000009"}
MY_ENROLLED, THEIR_ENROLLED = "Phạm Văn Đăng", "Hồ Thị Bích"


@dataclass(frozen=True)
class World:
    event_id: int
    mine: OrgUnit
    theirs: OrgUnit
    my_lead: int  # person ids of the registered commenters
    their_lead: int


def part_world(make: Factory) -> World:
    """The province's conference with halls in two communes, and people of each."""
    mine, theirs = communes()
    event = make.event(HOME, title="Hội nghị tỉnh", channel=Channel.ONLINE_CONFERENCE,
                       actual_start=MET)  # fmt: skip
    target = make.target(event, make.account(HOME))
    halls = {u.id: BridgePoint(event_id=event.id, org_unit_id=u.id) for u in (mine, theirs)}
    batch = ImportBatch(kind="enrolments", filename="t4.xlsx", sha256="e" * 64, created_at=MET)
    db.session.add_all([*halls.values(), batch])
    db.session.flush()

    def person(name: str, phone: str | None, unit: OrgUnit, source: str, *, lives: bool = True,
               commented: bool = False) -> Person:  # fmt: skip
        number = f"+84{phone[1:]}" if phone else None
        row = Person(full_name=name, name_folded=fold(name), phone=number,
                     commune_id=unit.id if lives else None,
                     phone_bidx=blind_index("phone", number) if number else None)  # fmt: skip
        if commented:
            row.legal_basis = PUBLIC_COMMENT
        else:
            row.consent_agreed, row.consent_at, row.consent_version = True, MET, CURRENT
        db.session.add(row)
        db.session.flush()
        db.session.add(Attendance(person_id=row.id, event_id=event.id, source=source,
                                  bridge_point_id=halls[unit.id].id if source == "checkin"
                                  else None, touched_at=MET))  # fmt: skip
        return row

    def comment(ext: str, name: str, phone: str, who: Person | None) -> None:
        db.session.add(Comment(target_id=target.id, external_id=ext, author_name=name,
                               author_external_id=ext, message=f"Gọi tôi {phone}",
                               created_at=MET, is_lead=True, lead_intents=["consult"],
                               phone=f"+84{phone[1:]}", phone_bidx=blind_index("phone",
                               f"+84{phone[1:]}"), person_id=who.id if who else None))  # fmt: skip

    def enrolled(name: str, unit: OrgUnit) -> None:
        who = person(name, None, unit, "sheet")
        row = Enrolment(import_batch_id=batch.id, source_row=who.id + 1, row_key=f"k{who.id}",
                        scheme=Scheme.BHXH_TU_NGUYEN, is_new=True,
                        paid_on=date(2026, 3, 15))  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Link(person_id=who.id, enrolment_id=row.id, method="cccd", score=1.0,
                            created_at=MET))  # fmt: skip

    person("Nguyễn Thị An", MINE["Nguyễn Thị An"], mine, "sheet")
    person("Lê Thị Hà", MINE["Lê Thị Hà"], mine, "checkin", lives=False)  # no commune: the hall's
    person("Trần Văn Bê", THEIRS["Trần Văn Bê"], theirs, "sheet")
    my_lead = person("Đinh Văn Ánh", None, mine, "comment", commented=True)
    their_lead = person("Võ Văn Bảy", None, theirs, "comment", commented=True)
    comment("c1", "Đinh Văn Ánh", MINE["Đinh Văn Ánh"], my_lead)
    comment("c2", "Võ Văn Bảy", THEIRS["Võ Văn Bảy"], their_lead)
    comment("c3", "Khách Lạ", THEIRS["Khách Lạ"], None)  # registered by nobody yet
    enrolled(MY_ENROLLED, mine)
    enrolled(THEIR_ENROLLED, theirs)
    for who in (my_lead, their_lead):
        db.session.add(LeadWork(event_id=event.id, person_id=who.id, status=LeadStatus.CALLED,
                                notes=f"ghi chú {who.full_name}"))  # fmt: skip
    db.session.commit()
    return World(event.id, mine, theirs, my_lead.id, their_lead.id)
