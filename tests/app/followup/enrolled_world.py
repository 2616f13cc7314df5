"""An event whose attendees enrolled afterwards in every way the follow-up page must tell apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.consent import CURRENT
from app.extensions import db
from app.identity.text import fold
from app.models import (
    Attendance,
    BridgePoint,
    Channel,
    Enrolment,
    ImportBatch,
    Link,
    LinkStatus,
    OrgUnit,
    Person,
    Scheme,
)
from tests.conftest import HOME, Factory

MET = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam, 10/03/2026
DAY = date(2026, 3, 10)


@dataclass(frozen=True)
class EnrolledWorld:
    event_id: int
    later_event_id: int
    commune: str  # the commune of the hall and of the people


def enrolled_world(make: Factory) -> EnrolledWorld:
    """Met at the event: Hoa (hall check-in, BHXH tự nguyện 12 days later, same CCCD), Minh (a
    public comment, BHYT hộ gia đình 30 days later, confirmed by an officer), Sơn (met here and
    at a later event, enrolled after both: listed, but the last touch credits the later one),
    Tâm (withdrew consent since: counted, not named); not listed: Lan (not enrolled: to call),
    Quang (enrolled before the event), Bảo (a renewal), Hải (after the 90-day window), Vy (a pair
    still in review)."""
    event = make.event(HOME, title="Hội nghị BHXH tự nguyện", channel=Channel.ONLINE_CONFERENCE,
                       actual_start=MET)  # fmt: skip
    later = make.event(HOME, title="Livestream tháng 4", actual_start=MET + timedelta(days=20))
    province = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one()
    commune = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id == province.id)).first()
    hall = BridgePoint(event_id=event.id, org_unit_id=commune.id)
    batch = ImportBatch(kind="enrolments", filename="t4.xlsx", sha256="e" * 64, created_at=MET)
    db.session.add_all([hall, batch])
    db.session.flush()

    def person(name: str, source: str, **kw: object) -> Person:
        row = Person(full_name=name, name_folded=fold(name), commune_id=commune.id,
                     consent_agreed=True, consent_at=MET, consent_version=CURRENT,
                     **kw)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Attendance(person_id=row.id, event_id=event.id, source=source,
                                  bridge_point_id=hall.id if source == "checkin" else None,
                                  touched_at=MET))  # fmt: skip
        return row

    def enrol(who: Person, days: int, scheme: Scheme = Scheme.BHXH_TU_NGUYEN, *,
              new: bool = True, method: str = "cccd",
              status: LinkStatus = LinkStatus.LINKED, **kw: object) -> None:  # fmt: skip
        row = Enrolment(import_batch_id=batch.id, source_row=who.id + 1, row_key=f"k{who.id}",
                        scheme=scheme, is_new=new, paid_on=DAY + timedelta(days=days),
                        **kw)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Link(person_id=who.id, enrolment_id=row.id, method=method, score=0.9,
                            status=status, created_at=MET))  # fmt: skip

    enrol(person("Nguyễn Thị Hoa", "checkin"), 12)
    # The enrolment row writes his name and commune as the comment's person: the pair's reason
    # says so, not one fixed "similar name, birth and address" for every probabilistic pair.
    enrol(person("Trần Văn Minh", "comment", birth_year=1980), 30, Scheme.BHYT_HO_GIA_DINH,
          method="probabilistic", status=LinkStatus.CONFIRMED, full_name="Trần Văn Minh",
          commune_id=commune.id, birth_year=1981)  # fmt: skip
    son = person("Lê Văn Sơn", "sheet")
    db.session.add(Attendance(person_id=son.id, event_id=later.id, source="sheet",
                              touched_at=MET + timedelta(days=20)))  # fmt: skip
    enrol(son, 25)
    enrol(person("Đỗ Thị Tâm", "sheet", consent_withdrawn_at=MET + timedelta(days=40)), 5)
    person("Phạm Thị Lan", "sheet")
    enrol(person("Vũ Văn Quang", "sheet"), -20)
    enrol(person("Hồ Văn Bảo", "sheet"), 10, new=False)
    enrol(person("Ngô Văn Hải", "sheet"), 95)
    enrol(person("Lý Thị Vy", "sheet"), 8, method="probabilistic", status=LinkStatus.REVIEW)
    db.session.commit()
    return EnrolledWorld(event.id, later.id, commune.name)
