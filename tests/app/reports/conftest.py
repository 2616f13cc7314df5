"""A small hand-made month (October 2026) whose figures the tests work out by hand.

Home province 40 (Nghệ An), two of its communes A and B, and a rival event in province 46 that
must never be counted. Times are Vietnam local (UTC+7).

- L1 livestream, province, 05/10, 2,000,000 VND: views 100 then 1,500 (then a sample without
  views); reactions_total 10 then 70; shares 2 then 9; 4 comments, 1 deleted.
- L2 livestream, commune A, 20/10, 1,000,000: views 200; no reactions_total but like 5 + love 2;
  shares 1; no comments.
- C1 online conference, province, 10/10, 5,000,000: hall A head counts 30 then 40; hall B no
  head count and 2 attendees; a relay stream with 999 views (views, not people).
- G1 small group, commune B, 15/10, 300,000: 3 attendees, no halls.
- P1 post, commune A, 25/10, free: views 400, reactions_total 20, shares 5, 1 comment; its title
  is a spreadsheet formula.
- S0 livestream, commune A, 20/09, 700,000: views 5,000 (outside the period).
- X livestream in province 46, 05/10, 9,999,999: views 77,777 and a person who enrolled.

Offline: 500 leaflets in A (400,000 VND), 12 loudspeaker broadcasts in B (120,000 VND).

People: p1 at C1 (hall A), enrolled 20/10 → C1. p2 at C1 (hall B) and G1, enrolled 25/10 → last
touch G1 (linear: half each). p3 at C1 (hall B), not enrolled. p4 at G1, a renewal only. p5 at G1,
enrolled 01/03/2027 (outside 90 days). p6 a comment lead of L1, enrolled 06/10 → L1. p7 at L2,
enrolled but the link waits for review (does not count). p8 at X in province 46, enrolled.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.collection.targets import add_target
from app.extensions import db
from app.models import (
    Attendance,
    AttendanceReport,
    BridgePoint,
    Channel,
    Comment,
    EngagementSample,
    Enrolment,
    Event,
    ImportBatch,
    Link,
    LinkStatus,
    OfflineActivity,
    OfflineKind,
    OrgUnit,
    Person,
    Scheme,
    Target,
)
from tests.conftest import HOME, OTHER

VN_OFFSET = timedelta(hours=7)
FORMULA_TITLE = '=HYPERLINK("http://evil.example","Bài đăng")'


def vn(day: date, hour: int = 9) -> datetime:
    """A Vietnam wall-clock time as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - VN_OFFSET


@dataclass
class Month:
    province: OrgUnit
    commune_a: OrgUnit
    commune_b: OrgUnit
    events: dict[str, Event] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    campaign_id: int | None = None


def _unit(code: str) -> OrgUnit:
    return db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == code)).one()


def _target(event: Event, name: str) -> Target:
    target = add_target(event.id, "facebook_live", name)
    db.session.flush()
    return target


def _sample(target: Target, at: datetime, **counters: int | None) -> None:
    db.session.add(EngagementSample(target_id=target.id, sampled_at=at, extra={}, **counters))


def _comment(target: Target, ext: str, at: datetime, deleted: bool = False) -> None:
    db.session.add(
        Comment(
            target_id=target.id,
            external_id=ext,
            created_at=at,
            message="Tư vấn giúp em",
            deleted_at=at if deleted else None,
            lead_intents=[],
        )  # fmt: skip
    )


@pytest.fixture(params=["sources", "rollups"])
def report_path(request, app) -> str:
    """Every report test runs twice: read from the source tables, and from the rollups."""
    app.config["REPORTS_ROLLUPS"] = "auto" if request.param == "rollups" else "off"
    return request.param


@pytest.fixture
def month(app, make, report_path) -> Month:
    province = _unit(HOME)
    communes = db.session.scalars(
        sa.select(OrgUnit).where(OrgUnit.parent_id == province.id).order_by(OrgUnit.code).limit(2)
    ).all()
    m = Month(province, communes[0], communes[1])
    campaign = make.campaign(HOME, name="BHXH tự nguyện Q4", goal=10)
    m.campaign_id = campaign.id
    oct_ = lambda d: date(2026, 10, d)  # noqa: E731

    def event(key: str, channel: Channel, unit: OrgUnit, day: date, cost: int, title: str = ""):
        e = Event(title=title or f"Sự kiện {key}", channel=channel, org_unit=unit,
                  planned_start=vn(day), cost_vnd=cost, campaign_id=campaign.id)  # fmt: skip
        db.session.add(e)
        db.session.flush()
        m.events[key] = e
        return e

    l1 = event("L1", Channel.LIVESTREAM, province, oct_(5), 2_000_000)
    t = _target(l1, "l1")
    _sample(t, vn(oct_(5), 9), views=100, reactions_total=10, shares=2)
    _sample(t, vn(oct_(5), 10), views=1500, reactions_total=70, shares=9)
    _sample(t, vn(oct_(5), 11), live_viewers=5)  # carries no views: the 1,500 stays
    for i in range(4):
        _comment(t, f"l1-{i}", vn(oct_(5), 10), deleted=i == 3)

    l2 = event("L2", Channel.LIVESTREAM, m.commune_a, oct_(20), 1_000_000)
    t = _target(l2, "l2")
    _sample(t, vn(oct_(20)), views=200, reactions_like=5, reactions_love=2, shares=1)

    c1 = event("C1", Channel.ONLINE_CONFERENCE, province, oct_(10), 5_000_000)
    relay = _target(c1, "c1-relay")
    _sample(relay, vn(oct_(10)), views=999)
    hall_a = BridgePoint(event_id=c1.id, org_unit_id=m.commune_a.id, expected_attendance=50)
    hall_b = BridgePoint(event_id=c1.id, org_unit_id=m.commune_b.id, expected_attendance=20)
    db.session.add_all([hall_a, hall_b])
    db.session.flush()
    db.session.add_all([
        AttendanceReport(bridge_point_id=hall_a.id, head_count=30, reported_at=vn(oct_(10), 9),
                         idempotency_key="a1"),
        AttendanceReport(bridge_point_id=hall_a.id, head_count=40, reported_at=vn(oct_(10), 10),
                         idempotency_key="a2"),
        AttendanceReport(bridge_point_id=hall_b.id, head_count=None, attendees=2,
                         reported_at=vn(oct_(10), 10), idempotency_key="b1"),
    ])  # fmt: skip

    g1 = event("G1", Channel.SMALL_GROUP, m.commune_b, oct_(15), 300_000)
    p1 = event("P1", Channel.POST, m.commune_a, oct_(25), 0, title=FORMULA_TITLE)
    t = _target(p1, "p1")
    _sample(t, vn(oct_(25)), views=400, reactions_total=20, shares=5)
    _comment(t, "p1-0", vn(oct_(25)))
    s0 = event("S0", Channel.LIVESTREAM, m.commune_a, date(2026, 9, 20), 700_000)
    _sample(_target(s0, "s0"), vn(date(2026, 9, 20)), views=5000)
    x = Event(title="Sự kiện tỉnh khác", channel=Channel.LIVESTREAM, org_unit=_unit(OTHER),
              planned_start=vn(oct_(5)), cost_vnd=9_999_999)  # fmt: skip
    db.session.add(x)
    db.session.flush()
    m.events["X"] = x
    _sample(_target(x, "x"), vn(oct_(5)), views=77_777)

    db.session.add_all([
        OfflineActivity(kind=OfflineKind.LEAFLET, org_unit_id=m.commune_a.id,
                        campaign_id=campaign.id, period_start=oct_(1), period_end=oct_(31),
                        quantity=500, cost_vnd=400_000, note="-phát tại chợ"),
        OfflineActivity(kind=OfflineKind.LOUDSPEAKER, org_unit_id=m.commune_b.id,
                        campaign_id=campaign.id, period_start=oct_(1), period_end=oct_(31),
                        quantity=12, cost_vnd=120_000),
    ])  # fmt: skip

    batch = ImportBatch(kind="enrolments", filename="thu.xlsx", sha256=uuid.uuid4().hex,
                        created_at=vn(oct_(28)))  # fmt: skip
    db.session.add(batch)
    db.session.flush()

    def person(key: str, commune: OrgUnit | None = None) -> Person:
        p = Person(full_name=f"Người {key}", commune_id=(commune or m.commune_a).id)
        db.session.add(p)
        db.session.flush()
        m.people[key] = p
        return p

    def touch(p: Person, e: Event, day: date, hall: BridgePoint | None = None, src="sheet"):
        db.session.add(Attendance(person_id=p.id, event_id=e.id, source=src, touched_at=vn(day),
                                  bridge_point_id=hall.id if hall else None))  # fmt: skip

    def enrol(p: Person, paid: date, new: bool = True, status=LinkStatus.LINKED) -> None:
        row = Enrolment(import_batch_id=batch.id, source_row=len(m.people),
                        row_key=uuid.uuid4().hex,
                        scheme=Scheme.BHXH_TU_NGUYEN, is_new=new, paid_on=paid,
                        commune_id=p.commune_id)  # fmt: skip
        db.session.add(row)
        db.session.flush()
        db.session.add(Link(person_id=p.id, enrolment_id=row.id, method="phone",
                            status=status, created_at=vn(oct_(28))))  # fmt: skip

    p = person("p1")
    touch(p, c1, oct_(10), hall_a)
    enrol(p, oct_(20))
    p = person("p2", m.commune_b)
    touch(p, c1, oct_(10), hall_b)
    touch(p, g1, oct_(15))
    enrol(p, oct_(25))
    p = person("p3", m.commune_b)
    touch(p, c1, oct_(10), hall_b)
    p = person("p4", m.commune_b)
    touch(p, g1, oct_(15))
    enrol(p, oct_(16), new=False)
    p = person("p5", m.commune_b)
    touch(p, g1, oct_(15))
    enrol(p, date(2027, 3, 1))
    p = person("p6")
    touch(p, l1, oct_(5), src="comment")
    enrol(p, oct_(6))
    p = person("p7")
    touch(p, l2, oct_(20))
    enrol(p, oct_(21), status=LinkStatus.REVIEW)
    p = person("p8", None)
    p.commune_id = None
    touch(p, x, oct_(5))
    enrol(p, oct_(7))
    db.session.commit()
    if report_path == "rollups":
        from app.reports.rollups.full_build import rebuild

        rebuild()
        db.session.commit()
    return m


OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}
