"""A province's events that its communes take part in, for the commune officer's tests.

Nghệ An (40) holds, on 25/11/2026 from 08:00 to 11:00 (Vietnam time), an online conference with
two halls: "mine" (the first commune, 45 expected, 38 reported, attendee Nguyễn Thị Lan) and
"theirs" (the second commune, 60 expected, 52 reported, attendee and contact carrying
``SECRET``). It also held an in-person conference on 20/11 with no halls, which a person of mine
attended (Lê Văn Hùng), and a conference where only "theirs" has a hall. A commune officer of
"mine" sees their part of the first two and nothing of the third.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.halls import services
from app.identity.text import fold
from app.models import (
    Attendance,
    BridgePoint,
    Event,
    EventStatus,
    OrgKind,
    OrgUnit,
    Participant,
    Person,
    Platform,
)
from tests.conftest import HOME, Factory

START = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
CHOSEN = START - timedelta(days=1)  # when the organisers chose the halls
NOW = START + timedelta(minutes=30)  # the pages' clock during the tests (``stop_clock``)
SECRET = "Bí Mật Xã Bên"  # in the other commune's attendee and contact names


@dataclass(frozen=True)
class Provincial:
    mine: str  # commune codes
    theirs: str
    conference: int  # event ids
    in_person: int
    not_mine: int
    my_hall: int
    their_hall: int
    my_token: str
    their_token: str
    campaign: int
    their_person: int  # an attendee living in the other commune


def communes(n: int = 2) -> list[OrgUnit]:
    parent = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == HOME))
    stmt = sa.select(OrgUnit).where(OrgUnit.parent_id == parent, OrgUnit.kind == OrgKind.COMMUNE)
    return list(db.session.scalars(stmt.order_by(OrgUnit.code).limit(n)))


def provincial(make: Factory) -> Provincial:
    mine, theirs = communes()
    campaign = make.campaign(HOME, name="BHXH tự nguyện quý IV")
    conference = make.event(
        HOME, title="Hội nghị trực tuyến triển khai BHXH tự nguyện", channel="online_conference",
        status=EventStatus.LIVE, planned_start=START, planned_end=START + timedelta(hours=3),
        actual_start=START, campaign=campaign,
    )  # fmt: skip
    my_hall, their_hall = services.set_bridge_points(  # chosen the day before
        conference, [mine.code, theirs.code], {mine.code: 45, theirs.code: 60}, now=CHOSEN
    )
    their_hall.contact_name = f"Cán bộ {SECRET}"
    services.record_report(my_hall, "mine-0001", 38, [{"name": "Nguyễn Thị Lan", "birth":
                           "1985"}], START + timedelta(minutes=10))  # fmt: skip
    services.record_report(their_hall, "theirs-001", 52, [{"name": f"Trần {SECRET}", "birth":
                           "1979"}], START + timedelta(minutes=12))  # fmt: skip
    in_person = make.event(
        HOME, title="Hội nghị tuyên truyền tại tỉnh", channel="conference",
        status=EventStatus.ENDED, planned_start=START - timedelta(days=5),
        planned_end=START - timedelta(days=5, hours=-2),
    )  # fmt: skip
    person = Person(full_name="Lê Văn Hùng", name_folded=fold("Lê Văn Hùng"), commune_id=mine.id,
                    birth_year=1970, hamlet="Xóm 3")  # fmt: skip
    stranger = Person(full_name=f"Phạm {SECRET}", name_folded=fold(f"Phạm {SECRET}"),
                      commune_id=theirs.id, birth_year=1990, hamlet="Xóm 9")  # fmt: skip
    db.session.add_all([person, stranger])
    db.session.flush()
    for who in (person, stranger):
        db.session.add(Attendance(person_id=who.id, event_id=in_person.id, source="sheet",
                                  touched_at=START - timedelta(days=5)))  # fmt: skip
    not_mine = make.event(
        HOME, title="Hội nghị chỉ có xã bên", channel="online_conference",
        planned_start=START + timedelta(days=2), planned_end=START + timedelta(days=2, hours=2),
    )  # fmt: skip
    services.set_bridge_points(not_mine, [theirs.code], {}, now=CHOSEN)
    db.session.commit()
    return Provincial(
        mine=mine.code, theirs=theirs.code, conference=conference.id, in_person=in_person.id,
        not_mine=not_mine.id, my_hall=my_hall.id, their_hall=their_hall.id,
        my_token=str(my_hall.checkin_token), their_token=str(their_hall.checkin_token),
        campaign=campaign.id, their_person=stranger.id,
    )  # fmt: skip


def with_meeting(make: Factory, world: Provincial) -> None:
    """The conference's Zoom meeting followed (``app.halls.meeting.tracks_meeting``): "mine"
    joined it at 08:05 and is still in it."""
    event = db.session.get(Event, world.conference)
    account = make.account(HOME, platform=Platform.ZOOM, name="Zoom BHXH tỉnh")
    target = make.target(event, account, kind="zoom_meeting", external_id="85012345678")
    db.session.add(Participant(target_id=target.id, participant_key="mine-zoom",
                               display_name="Điểm cầu xã", bridge_point_id=world.my_hall,
                               joined_at=START + timedelta(minutes=5)))  # fmt: skip
    db.session.commit()


def hall(point_id: int) -> BridgePoint:
    return db.session.get(BridgePoint, point_id)


def stop_clock(monkeypatch: pytest.MonkeyPatch, now: datetime = NOW) -> None:
    """The event page, the home screen and the hall's check-in page read the time at ``now``,
    as during the conference."""
    for module in ("app.events.routes", "app.home.routes", "app.halls.checkin"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: now)
