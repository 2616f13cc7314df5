"""The demo's past events carry their figures, so a newcomer's reports are not empty."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import demo
from app.collection.runner import due_target_ids
from app.extensions import db
from app.identity.names import written_name
from app.identity.text import fold
from app.models import (
    Attendance,
    BridgePoint,
    Channel,
    Comment,
    EngagementSample,
    Enrolment,
    Event,
    Link,
    LinkStatus,
    OrgUnit,
    Participant,
    Person,
    Target,
)
from app.reports.facts import ReportFilter
from app.reports.pending_leads import pending_leads
from app.timeparse import VN
from tests.conftest import HOME, login

pytestmark = pytest.mark.postgres
# Not today: the demo's dates follow the day it is loaded, whatever that day is.
LOADED_ON = datetime.now(VN).date() - timedelta(days=137)


def _event(channel: Channel) -> Event:
    stmt = sa.select(Event).where(Event.channel == channel, Event.actual_start.is_not(None))
    return db.session.scalars(stmt).one()


def test_the_past_livestream_and_post_have_their_samples_and_are_not_collected_again(
    app: Flask,
) -> None:
    demo.load(db.session, HOME, today=LOADED_ON)
    live = _event(Channel.LIVESTREAM)
    target = db.session.scalars(sa.select(Target).where(Target.event_id == live.id)).one()
    last = db.session.scalars(
        sa.select(EngagementSample)
        .where(EngagementSample.target_id == target.id)
        .order_by(EngagementSample.sampled_at.desc())
    ).first()
    assert last is not None
    assert last.views == 1_700
    peak = sa.select(sa.func.max(EngagementSample.live_viewers))
    assert db.session.scalar(peak.where(EngagementSample.target_id == target.id)) == 180
    assert live.actual_start is not None
    assert last.sampled_at <= live.actual_start + timedelta(hours=2)
    post = _event(Channel.POST)
    assert db.session.scalar(sa.select(sa.func.count(Target.id)).where(Target.event_id == post.id))
    due = due_target_ids(datetime.now(VN))
    ended = sa.select(Target.id).where(Target.finished_at.is_not(None))
    assert not set(due) & set(db.session.scalars(ended))


def test_the_past_conference_has_932_people_in_39_halls_and_the_organisers_own_connections(
    app: Flask,
) -> None:
    demo.load(db.session, HOME, today=LOADED_ON)
    conference = _event(Channel.ONLINE_CONFERENCE)
    halls = list(
        db.session.scalars(sa.select(BridgePoint).where(BridgePoint.event_id == conference.id))
    )
    assert len(halls) == 39
    assert sum(h.head_count or 0 for h in halls) == 932
    meeting = db.session.scalars(
        sa.select(Target).where(Target.event_id == conference.id, Target.kind == "zoom_meeting")
    ).one()
    connections = list(
        db.session.scalars(sa.select(Participant).where(Participant.target_id == meeting.id))
    )
    assert len({c.bridge_point_id for c in connections if c.bridge_point_id}) == 36
    assert sorted(c.display_name for c in connections if c.bridge_point_id is None) == [
        "BHXH Nghệ An",
        "iPhone của Lan",
    ]
    assert conference.actual_start is not None
    assert all(h.head_count_at and h.head_count_at >= conference.actual_start for h in halls)


def test_people_met_enrol_after_the_event_and_are_linked_and_strangers_are_not(
    app: Flask,
) -> None:
    demo.load(db.session, HOME, today=LOADED_ON)
    first_touch = dict(
        db.session.execute(
            sa.select(Attendance.person_id, sa.func.min(Attendance.touched_at)).group_by(
                Attendance.person_id
            )
        ).all()
    )
    assert len(first_touch) > 100
    enrolments = list(db.session.scalars(sa.select(Enrolment)))
    assert all(e.paid_on is not None and e.paid_on <= LOADED_ON for e in enrolments)
    links = db.session.execute(sa.select(Link.person_id, Link.enrolment_id)).all()
    assert len(links) >= 15
    paid = {e.id: e.paid_on for e in enrolments}
    for person, enrolment in links:
        assert paid[enrolment] > first_touch[person].astimezone(VN).date()
    assert len(enrolments) - len(links) >= 9  # enrolled after hearing of it elsewhere
    review = sa.select(sa.func.count(Link.id)).where(Link.status == LinkStatus.REVIEW)
    assert db.session.scalar(review)  # typed without accents: a pair for the review queue


def test_the_reports_a_newcomer_opens_show_the_past_figures(
    app: Flask, client: FlaskClient
) -> None:
    result = demo.load(db.session, HOME, today=LOADED_ON)
    db.session.flush()
    assert result.password is not None
    login(client, result.email, result.password)
    live = _event(Channel.LIVESTREAM)
    assert "1.700" in client.get(f"/events/{live.id}").get_data(as_text=True)
    channels = client.get("/reports/channels").get_data(as_text=True)
    assert "932" in channels
    assert "1.700" in channels
    assert "bình luận quan tâm (" not in channels  # no "… chưa được tính vào": none waits


def test_the_past_lead_comments_authors_are_people_so_none_waits(app: Flask) -> None:
    """The demo writes its comments itself, so it registers their lead authors as a collected
    batch does: the channels page's "not counted yet" note has nothing to say."""
    demo.load(db.session, HOME, today=LOADED_ON)
    leads = list(db.session.scalars(sa.select(Comment).where(Comment.is_lead)))
    assert len(leads) > 10
    assert sum(1 for c in leads if c.phone_bidx) > 5  # the note counted those with a phone too
    assert all(c.person_id is not None for c in leads)
    touched = sa.select(Attendance.person_id).where(
        Attendance.person_id.in_({c.person_id for c in leads})
    )
    assert set(db.session.scalars(touched)) == {c.person_id for c in leads}
    province = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == HOME))
    waiting = pending_leads(ReportFilter(unit=province))
    assert (waiting.comments, waiting.with_phone) == (0, 0)


def test_nothing_is_read_after_the_moment_the_demo_is_loaded(app: Flask) -> None:
    """A tour loaded the demo at 03:00 and the post of three days ago at 09:00 said "Lần đo gần
    nhất 07/12/2026 09:00", later that day: its 72 hours of samples were all written. They stop
    at the moment the demo is loaded, as its comments and its target's last read do."""
    now = datetime.combine(LOADED_ON, time(3, 6), tzinfo=VN)
    demo.load(db.session, HOME, today=LOADED_ON, now=now)
    post = _event(Channel.POST)
    target = db.session.scalars(sa.select(Target).where(Target.event_id == post.id)).one()
    samples = sa.select(EngagementSample.sampled_at)
    read = list(db.session.scalars(samples.where(EngagementSample.target_id == target.id)))
    assert read  # read until now: three days of samples
    assert max(read) <= now
    assert max(read) > now - timedelta(hours=1)
    every = db.session.scalar(sa.select(sa.func.max(EngagementSample.sampled_at)))
    assert every is not None
    assert every <= now
    said = db.session.scalar(sa.select(sa.func.max(Comment.created_at)))
    assert said is not None
    assert said <= now
    assert target.finished_at is not None
    assert target.finished_at <= now
    assert target.last_success_at is not None
    assert target.last_success_at <= now


def test_the_posts_reach_is_there_as_the_post_collector_reads_it(
    app: Flask, client: FlaskClient
) -> None:
    """The channels files' "Tổng lượt tiếp cận của các bài đăng" was empty in the demo: its post
    had views but not the reach (post_total_media_view_unique) the collector keeps."""
    import csv
    import io

    from app.post_reach import REACH_KEY

    result = demo.load(db.session, HOME, today=LOADED_ON)
    db.session.flush()
    post = _event(Channel.POST)
    target = db.session.scalars(sa.select(Target).where(Target.event_id == post.id)).one()
    last = db.session.scalars(
        sa.select(EngagementSample)
        .where(EngagementSample.target_id == target.id)
        .order_by(EngagementSample.sampled_at.desc())
    ).first()
    assert last is not None
    assert 0 < last.extra[REACH_KEY] <= last.views
    assert result.password is not None
    login(client, result.email, result.password)
    answer = client.get("/reports/channels.csv", headers={"Accept-Language": "vi"})
    text = answer.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.split("\n")[0] else ","))
    column = rows[0].index("Tổng lượt tiếp cận của các bài đăng")
    assert [r[column] for r in rows[1:] if r[0] == "Bài viết"] == [str(last.extra[REACH_KEY])]


def test_everybody_the_demo_makes_is_named_as_names_are_written(app: Flask) -> None:
    """Sheet rows, halls' check-ins and lead commenters alike: "Nguyễn Thị Hoa", never as typed
    (the demo's sheets skip the check a real sheet's rows go through, so it writes them itself)."""
    demo.load(db.session, HOME, today=LOADED_ON)
    names = db.session.execute(sa.select(Person.full_name, Person.name_folded)).all()
    assert len(names) > 50
    assert [n for n in names if n.full_name != written_name(n.full_name)] == []
    assert [n for n in names if n.name_folded != fold(n.full_name)] == []
