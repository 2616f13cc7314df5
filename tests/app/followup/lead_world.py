"""A livestream with lead comments for the lead-work tests: one commenter writing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import Comment
from app.personal_data import blind_index
from tests.conftest import HOME, Factory

SEEN = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


@dataclass
class LeadWorld:
    event_id: int
    first: int  # Lan's first comment
    second: int  # Lan's second comment: the same lead
    other: int  # Bình's comment: another lead
    plain: int  # a comment that is no lead


def lead_world(make: Factory, kind: str = "facebook_live") -> LeadWorld:
    event = make.event(HOME, title="Livestream BHXH")
    target = make.target(event, make.account(HOME), kind=kind, external_id="vid1")
    phone = "+84903123456"

    def comment(ext: str, author: str, uid: str, message: str, minutes: int, **kw) -> Comment:
        row = Comment(target_id=target.id, external_id=ext, author_name=author,
                      author_external_id=uid, message=message,
                      created_at=SEEN + timedelta(minutes=minutes), **kw)  # fmt: skip
        db.session.add(row)
        return row

    first = comment("vid1_c1", "Nguyễn Thị Lan", "u1", "Tôi muốn tham gia, gọi 0903 123 456", 0,
                    is_lead=True, lead_intents=["enrol"], phone=phone,
                    phone_bidx=blind_index("phone", phone))  # fmt: skip
    second = comment("vid1_c2", "Nguyễn Thị Lan", "u1", "Mức đóng bao nhiêu ạ?", 5,
                     is_lead=True, lead_intents=["price"])  # fmt: skip
    other = comment("vid1_c3", "Trần Văn Bình", "u2", "Tư vấn giúp tôi", 7, is_lead=True,
                    lead_intents=["consult"])  # fmt: skip
    plain = comment("vid1_c4", "Lê Cường", "u3", "Hay quá", 8)
    db.session.commit()
    return LeadWorld(event.id, first.id, second.id, other.id, plain.id)
