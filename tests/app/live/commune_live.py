"""A commune's own livestream with a lead comment by one of its people, for the live page's lead
controls seen by the commune's officers (the province's event is ``part_world``'s)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.consent import PUBLIC_COMMENT
from app.extensions import db
from app.identity.text import fold
from app.models import Attendance, Comment, EventStatus, OrgUnit, Person
from app.personal_data import blind_index
from tests.conftest import Factory

SAID_AT = datetime(2026, 3, 12, 13, 5, tzinfo=UTC)  # 20:05 in Hà Nội
COMMENTER = "Phan Thị Lụa"
PHONE = "+84912345608"  # written "0912.345.608" in the comment


@dataclass(frozen=True)
class CommuneLive:
    event_id: int
    comment_id: int
    person_id: int


def commune_live(make: Factory, unit: OrgUnit) -> CommuneLive:
    """The commune's livestream, live, and a comment of one of its people leaving a number."""
    event = make.event(unit.code, title=f"Livestream {unit.name} tư vấn BHXH tự nguyện",
                       status=EventStatus.LIVE, actual_start=SAID_AT)  # fmt: skip
    target = make.target(event, make.account(unit.code, name=f"Trang {unit.name}"),
                         external_id="7731", status="live")  # fmt: skip
    person = Person(full_name=COMMENTER, name_folded=fold(COMMENTER), phone=PHONE,
                    phone_bidx=blind_index("phone", PHONE), commune_id=unit.id,
                    legal_basis=PUBLIC_COMMENT)  # fmt: skip
    db.session.add(person)
    db.session.flush()
    db.session.add(Attendance(person_id=person.id, event_id=event.id, source="comment",
                              touched_at=SAID_AT))  # fmt: skip
    comment = Comment(target_id=target.id, external_id="7731_1", author_name=COMMENTER,
                      author_external_id="fb-lua", created_at=SAID_AT, is_lead=True,
                      message="Mẹ em 58 tuổi muốn đóng tiếp, gọi giúp em 0912.345.608 ạ",
                      lead_intents=["consult"], phone=PHONE,
                      phone_bidx=blind_index("phone", PHONE), person_id=person.id)  # fmt: skip
    db.session.add(comment)
    db.session.commit()
    return CommuneLive(event.id, comment.id, person.id)
