"""The comments the figures count are the audience's: a fanpage answering its viewers under its
own livestream ("Dạ anh để lại số điện thoại, bên em gọi lại ạ") writes comments that the live
page shows, marked, but that no count takes for engagement — the live counter and its bars, a
livestream's comments and interactions in the reports, from the source tables and from the
rollups, on SQLite and PostgreSQL (``app.models.counted_comment``, their one home).

One ended livestream of province 40 on 10/11/2026: 400 reactions, 30 shares; viewers wrote
three comments (one a lead), the page answered two of them, and a viewer's fourth comment and a
third page reply were removed by the platform. Counted: 3 comments, 433 interactions.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.collection.targets import add_target
from app.extensions import db
from app.live.queries import comments_in_minutes, comments_per_minute, minute_of
from app.live.summary import event_summary
from app.models import Channel, Comment, EngagementSample, Event, EventStatus, OrgUnit
from app.reports.facts import ReportFilter
from app.reports.livestreams import figures_of
from app.reports.report import event_facts_of
from tests.app.reports.conftest import vn
from tests.conftest import HOME

pytestmark = pytest.mark.postgres

START = vn(date(2026, 11, 10), 20)
# (minute after the start, by the page?, removed?, lead?)
SAID = [(0, False, False, True), (1, True, False, False), (1, False, False, False),
        (2, False, False, False), (2, True, False, False), (3, False, True, False),
        (3, True, True, False)]  # fmt: skip


@pytest.fixture
def livestream(app, report_path) -> Event:
    province = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one()
    event = Event(title="Livestream hỏi đáp BHXH tự nguyện", channel=Channel.LIVESTREAM,
                  org_unit=province, planned_start=START, actual_start=START, cost_vnd=0,
                  status=EventStatus.ENDED, actual_end=START + timedelta(hours=1))  # fmt: skip
    db.session.add(event)
    db.session.flush()
    target = add_target(event.id, "facebook_live", "v-replies")
    target.status = "ended"
    db.session.flush()
    db.session.add(EngagementSample(target_id=target.id, sampled_at=START, extra={}, views=1700,
                                    live_viewers=60, reactions_total=400,
                                    shares=30))  # fmt: skip
    for n, (minute, by_page, removed, lead) in enumerate(SAID):
        at = START + timedelta(minutes=minute)
        db.session.add(Comment(target_id=target.id, external_id=f"c{n}", created_at=at,
                               author_name="BHXH tỉnh" if by_page else f"Người xem {n}",
                               message="Dạ anh để lại số điện thoại, bên em gọi lại ạ"
                               if by_page else "Mức đóng thấp nhất là bao nhiêu?",
                               by_owner=by_page, deleted_at=at if removed else None,
                               is_lead=lead, lead_intents=[]))  # fmt: skip
    db.session.commit()
    if report_path == "rollups":
        from app.reports.rollups.full_build import rebuild

        rebuild()
        db.session.commit()
    return event


def test_the_live_page_counts_the_audiences_comments(livestream: Event) -> None:
    summary = event_summary(livestream.id)
    assert (summary.comments, summary.leads) == (3, 1)
    minutes = [minute_of(START + timedelta(minutes=m)) for m in range(4)]
    assert comments_per_minute(livestream.id) == list(zip(minutes[:3], [1, 1, 1], strict=True))
    assert comments_in_minutes(livestream.id, minutes) == list(
        zip(minutes, [1, 1, 1, 0], strict=True)
    )


def test_the_reports_count_the_audiences_comments(livestream: Event) -> None:
    province = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.code == HOME)).one()
    f = ReportFilter(unit=province)
    figures = figures_of([livestream.id], f)[livestream.id]
    assert (figures.comments, figures.leads) == (3, 1)
    assert figures.interactions == 400 + 3 + 30
    (fact,) = event_facts_of(sa.select(Event.id).where(Event.id == livestream.id), f)
    assert fact.interactions == 433
