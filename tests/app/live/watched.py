"""The province's online conference of ``provincial``, relayed by two communes' halls and
livestreamed on the province's page, with the contacts of both halls and a lead's comment
leaving a phone number: what a commune watching it in part must not receive of the others."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from app.extensions import db
from app.models import BridgePoint, Comment, Event
from app.personal_data import blind_index
from tests.app.events.provincial import SECRET, START, Provincial, provincial
from tests.conftest import HOME, Factory

MY_CONTACT = "Nguyễn Văn Cầu"
MY_PHONE = "+84912777002"  # "0912 777 002" on the page
THEIR_PHONE = "+84912777001"
LEAD_PHONE = "+84903555123"  # written "0903.555.123" in the comment
LEAD = "Hoàng Thị Mơ"


@dataclass(frozen=True)
class Relayed:
    world: Provincial
    target_id: int
    comment_id: int


def relayed(make: Factory) -> Relayed:
    """``provincial``'s conference with a Facebook live, both halls' contacts and a lead."""
    world = provincial(make)
    mine = db.session.get(BridgePoint, world.my_hall)
    mine.contact_name, mine.contact_phone = MY_CONTACT, MY_PHONE
    db.session.get(BridgePoint, world.their_hall).contact_phone = THEIR_PHONE
    event = db.session.get(Event, world.conference)
    target = make.target(event, make.account(HOME), external_id="4401", status="live")
    comment = Comment(target_id=target.id, external_id="4401_1", author_name=LEAD,
                      author_external_id="fb-mo", created_at=START + timedelta(minutes=20),
                      message="Cho em hỏi BHXH tự nguyện, gọi em 0903.555.123 nhé",
                      is_lead=True, lead_intents=["consult"], phone=LEAD_PHONE,
                      phone_bidx=blind_index("phone", LEAD_PHONE))  # fmt: skip
    db.session.add(comment)
    db.session.commit()
    return Relayed(world, target.id, comment.id)


def carries(text: str, phone: str) -> bool:
    """Whether ``text`` holds ``phone`` (E.164) in any usual writing: 0912 777 001,
    0912.777.001, +84912777001."""
    flat = re.sub(r"[\s.\-()]", "", text)
    return phone in flat or "0" + phone[3:] in flat


def carries_others(text: str) -> list[str]:
    """What of the other commune's hall and of the lead ``text`` gives away."""
    found = [what for what in (THEIR_PHONE, LEAD_PHONE) if carries(text, what)]
    return found + ([SECRET] if SECRET in text else [])
