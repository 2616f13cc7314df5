"""A province's day for the home screen: Nghệ An (40) at 10:00 on 25/11/2026, Vietnam time.

- a livestream going on (live): 1,234 watching now, 1,500 at the peak, 5,678 views, 2 comments
  of which 1 lead, on a Facebook target;
- an online conference inside its planned hours (still "scheduled": nothing said it went live),
  with three halls: one reported 40 people but never joined the meeting (so not connected), two
  neither connected nor reported;
- an event later today at 23:30, one ended this morning at 07:00, one tomorrow at 00:30 (the
  same UTC day as today: Vietnam's day decides), one in 6 days and one in 9 days (too far);
- Huế (46) has a live event and a failing account of its own (never shown);
- a campaign running from 01/10 to 31/12 (the livestream's and the conference's) with a goal of
  1,700 and 3 new enrolments of its scheme so far (a renewal, one of another scheme and one paid
  before it do not count), and one that ended;
- accounts: one whose token expired (failing), one whose token ends in 3 days, one in 30 days,
  one that renews itself (a refresh token); a target paused by the expired token.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from app.collection.targets import add_target
from app.extensions import db
from app.halls import services
from app.models import (
    Comment,
    EngagementSample,
    Enrolment,
    EventStatus,
    ImportBatch,
    OrgUnit,
    Scheme,
)
from tests.conftest import HOME, OTHER, Factory

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


def vn(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A Vietnam wall-clock time in 2026 as an aware UTC time."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@dataclass(frozen=True)
class Day:
    livestream: int
    conference: int
    tonight: int
    this_morning: int
    tomorrow: int
    in_six_days: int
    in_nine_days: int
    elsewhere: int
    campaign: int
    ended_campaign: int
    halls: dict[str, int]  # commune code -> expected


@pytest.fixture
def day(app, make: Factory) -> Day:
    campaign = make.campaign(HOME, name="BHXH tự nguyện quý IV", goal=1700,
                             starts_on=date(2026, 10, 1), ends_on=date(2026, 12, 31))  # fmt: skip
    live = make.event(HOME, title="Livestream tư vấn BHXH tự nguyện", status=EventStatus.LIVE,
                      planned_start=vn(25, 9), planned_end=vn(25, 11),
                      actual_start=vn(25, 9), campaign=campaign)  # fmt: skip
    fb = make.target(live, make.account(name="Fanpage BHXH Nghệ An"), external_id="live-1",
                     status="live")  # fmt: skip
    db.session.add_all([
        EngagementSample(target_id=fb.id, sampled_at=vn(25, 9, 30), live_viewers=1500,
                         views=3000, extra={}),
        EngagementSample(target_id=fb.id, sampled_at=vn(25, 9, 59), live_viewers=1234,
                         views=5678, reactions_total=321, extra={}),
        Comment(target_id=fb.id, external_id="c1", message="Tư vấn giúp em", created_at=NOW,
                is_lead=True, lead_intents=["advice"]),
        Comment(target_id=fb.id, external_id="c2", message="Hay quá", created_at=NOW,
                lead_intents=[]),
    ])  # fmt: skip
    conference = make.event(HOME, title="Hội nghị trực tuyến quý IV", channel="online_conference",
                            planned_start=vn(25, 8), planned_end=vn(25, 11, 30),
                            campaign=campaign)  # fmt: skip
    province = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == HOME))
    codes = list(db.session.scalars(
        sa.select(OrgUnit.code).where(OrgUnit.parent_id == province.id).order_by(OrgUnit.code)
        .limit(3)
    ))  # fmt: skip
    expected = dict(zip(codes, (40, 35, 30), strict=True))
    points = services.set_bridge_points(conference, codes, expected, now=vn(24, 9))  # the eve
    services.record_report(points[0], "first-hall", 40, [], vn(25, 8, 20))
    # On Zoom: its halls connect to a meeting it collects (else a hall is in once it reported).
    make.target(conference, make.account(platform="zoom", name="Zoom tỉnh"), kind="zoom_meeting",
                external_id="850", status="live")  # fmt: skip
    events = {
        "tonight": ("Livestream hỏi đáp buổi tối", vn(25, 23, 30)),
        "this_morning": ("Truyền thông nhóm nhỏ tại chợ", vn(25, 7)),
        "tomorrow": ("Bài viết đầu ngày mai", vn(26, 0, 30)),
        "in_six_days": ("Hội nghị tại xã", vn(1, 9, month=12)),
        "in_nine_days": ("Livestream tháng 12", vn(4, 9, month=12)),
    }
    ids = {}
    for key, (title, at) in events.items():
        status = EventStatus.ENDED if key == "this_morning" else EventStatus.SCHEDULED
        ids[key] = make.event(HOME, title=title, planned_start=at, status=status,
                              planned_end=at + timedelta(hours=2)).id  # fmt: skip
    elsewhere = make.event(OTHER, title="Sự kiện Huế đang diễn ra", status=EventStatus.LIVE,
                           planned_start=vn(25, 9))  # fmt: skip
    make.account(OTHER, name="Fanpage Huế", health="auth_expired")
    ended = make.campaign(HOME, name="Chiến dịch quý III", starts_on=date(2026, 7, 1),
                          ends_on=date(2026, 9, 30))  # fmt: skip
    batch = ImportBatch(kind="enrolments", filename="thu.xlsx", sha256=uuid.uuid4().hex,
                        created_at=NOW)  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    rows = [(Scheme.BHXH_TU_NGUYEN, True, date(2026, 10, 5)),
            (Scheme.BHXH_TU_NGUYEN, True, date(2026, 11, 2)),
            (Scheme.BHXH_TU_NGUYEN, True, date(2026, 11, 24)),
            (Scheme.BHXH_TU_NGUYEN, False, date(2026, 11, 3)),  # a renewal
            (Scheme.BHYT_HO_GIA_DINH, True, date(2026, 11, 3)),  # another scheme
            (Scheme.BHXH_TU_NGUYEN, True, date(2026, 9, 3))]  # before the campaign  # fmt: skip
    for n, (scheme, new, paid) in enumerate(rows):
        db.session.add(Enrolment(import_batch_id=batch.id, source_row=n + 2,
                                 row_key=uuid.uuid4().hex, scheme=scheme, is_new=new,
                                 paid_on=paid, org_unit_id=province.id))  # fmt: skip
    expired = make.account(name="Kênh Zalo OA", platform="zalo", health="auth_expired")
    add_target(live.id, "zalo_article", "bai-1", account_id=expired.id,
               paused_reason="auth_expired")  # fmt: skip
    make.account(name="Trang Facebook xã", credentials={
        "access_token": "t", "expires_at": (NOW + timedelta(days=3)).isoformat()})  # fmt: skip
    in_a_month = int((NOW + timedelta(days=30)).timestamp())  # Unix seconds, as Facebook says
    make.account(name="Trang Facebook huyện",
                 credentials={"access_token": "t", "expires_at": in_a_month})  # fmt: skip
    make.account(name="Zalo tự gia hạn", platform="zalo", credentials={
        "access_token": "t", "refresh_token": "r",
        "expires_at": (NOW + timedelta(hours=1)).isoformat()})  # fmt: skip
    db.session.commit()
    return Day(live.id, conference.id, elsewhere=elsewhere.id, campaign=campaign.id,
               ended_campaign=ended.id, halls=expected, **ids)  # fmt: skip


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on loopback in this process (so a stopped clock holds in its threads)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
