"""The rollups give the very same report as the source tables, and follow every write.

On the hand-made month: every view (channels, months, communes, events, totals) under every
attribution model and window, for several filters, is compared field by field between the two
paths; then a runner batch, a hall check-in, an attendee and a confirmed link each change the
figures, and the rollups, kept up to date in the writers' transactions, still agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from app.collection.steps import refresh_rollups
from app.collection.writer import write_batch
from app.extensions import db
from app.followup.attribution import MODELS, WINDOWS
from app.followup.dedup import merge_people
from app.halls.services import record_report
from app.models import (
    Attendance,
    BridgePoint,
    Campaign,
    EngagementSample,
    EventRollup,
    Link,
    LinkStatus,
    PeopleRollup,
    Person,
    Target,
)
from app.reports.facts import ChannelReport, ReportFilter
from app.reports.report import build_report
from app.reports.rollups import build, full_build, people_cells
from collectors.base import Batch, CommentRecord, Sample
from collectors.facebook.metrics import POST_REACH as REACH
from tests.app.reports.conftest import _target, vn


def snapshot(report: ChannelReport, events: bool = True) -> dict[str, Any]:
    """Everything any view shows, as plain values."""
    out = {
        "channels": [f.as_dict() for f in report.by_channel()],
        "months": [(m, f.as_dict()) for m, f in report.by_month()],
        "communes": [(c, n, f.as_dict()) for c, n, f in report.by_commune()],
        "totals": report.totals(),
    }
    if events:
        out["events"] = [
            (
                e.event_id,
                e.title,
                e.channel,
                e.day,
                e.commune_code,
                e.reach,
                e.reach_kind,
                e.interactions,
                None if e.offline else e.identified_count,
                round(e.enrolments, 6),
                e.cost_vnd,
                e.post_reach,
            )  # fmt: skip
            for e in report.events()
        ]
    return out


def filters(month) -> list[ReportFilter]:
    campaign = db.session.get(Campaign, month.campaign_id)
    october = {"start": date(2026, 10, 1), "end": date(2026, 10, 31)}
    out = [
        ReportFilter(unit=month.province),
        ReportFilter(unit=month.commune_a, **october),
        ReportFilter(unit=month.commune_b),
        ReportFilter(unit=month.province, campaign=campaign, start=date(2026, 10, 12)),
    ]
    year = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    out += [  # calendar years and months read people from people_rollups
        ReportFilter(unit=month.province, **year),
        ReportFilter(unit=month.province, campaign=campaign, **year),
        ReportFilter(unit=month.commune_a, campaign=campaign, **october),
        ReportFilter(unit=month.province, start=date(2026, 9, 1), end=date(2026, 9, 30)),
    ]
    out += [
        ReportFilter(unit=month.province, model=m, window_days=w, **october)
        for m in MODELS
        for w in WINDOWS
    ]
    return out


def assert_same(month) -> None:
    assert build.ready()
    for f in filters(month):
        from_sources = snapshot(build_report(f, rollups=False))
        from_rollups = snapshot(build_report(f, rollups=True))
        assert from_rollups == from_sources, f
        # Added up by the database (channel, commune, month): every view but the events list.
        grouped = build_report(f, rollups=True, per_event=False)
        del from_sources["events"]
        assert snapshot(grouped, events=False) == from_sources, f
        with pytest.raises(ValueError, match="per_event"):
            grouped.events()


def test_rollups_give_the_same_report_on_every_view(month) -> None:
    if not build.ready():
        full_build.rebuild()
        db.session.commit()
    assert_same(month)
    # Not vacuous: the month has figures of every kind.
    report = snapshot(build_report(filters(month)[0], rollups=True))
    channels = {r["channel"]: r for r in report["channels"]}
    assert channels["livestream"]["reach"] == 1500 + 200 + 5000
    assert channels["online_conference"]["identified"] == 3
    assert report["totals"]["enrolments"] == 3


def test_a_missing_rollup_row_is_computed_from_the_sources(month) -> None:
    full_build.rebuild()
    db.session.execute(sa.delete(EventRollup).where(EventRollup.event_id == month.events["L1"].id))
    db.session.commit()
    assert_same(month)


def test_writers_keep_the_rollups_up_to_date(month) -> None:
    full_build.rebuild()
    db.session.commit()
    now = datetime(2026, 10, 30, tzinfo=UTC)

    # The runner: a new sample and a comment on L2, in the batch's transaction.
    target = db.session.scalars(
        sa.select(Target).where(Target.event_id == month.events["L2"].id)
    ).one()
    batch = Batch(
        samples=(Sample(sampled_at=vn(date(2026, 10, 20), 11), views=650, reactions_total=12),),
        comments=(CommentRecord("l2-new", "Cho em hỏi", vn(date(2026, 10, 20), 11)),),
    )
    refresh_rollups(write_batch(target, batch, now))
    db.session.commit()
    row = db.session.get(EventRollup, month.events["L2"].id)
    db.session.refresh(row)
    assert (row.views, row.interactions) == (650, 12 + 1 + 1)

    # A hall's head count: hall B now reports 25 people.
    hall_b = db.session.scalars(
        sa.select(BridgePoint).where(
            BridgePoint.event_id == month.events["C1"].id,
            BridgePoint.org_unit_id == month.commune_b.id,
        )
    ).one()
    record_report(hall_b, "hall-b-second", 25, [], now)
    db.session.commit()
    row = db.session.get(EventRollup, month.events["C1"].id)
    db.session.refresh(row)
    assert row.present == 40 + 25

    # p3 (at C1) also came to G1 later and enrolled: a touch and a link move the credit.
    p3 = month.people["p3"]
    db.session.add(Attendance(person_id=p3.id, event_id=month.events["G1"].id, source="sheet",
                              touched_at=vn(date(2026, 10, 15))))  # fmt: skip
    db.session.commit()
    # p7's link, waiting for review, is confirmed: L2 earns p7's enrolment.
    link = db.session.scalars(sa.select(Link).where(Link.person_id == month.people["p7"].id)).one()
    link.status = LinkStatus.CONFIRMED
    db.session.commit()
    row = db.session.get(EventRollup, month.events["L2"].id)
    db.session.refresh(row)
    assert row.credit["90"]["last_touch"] == 1.0
    assert row.credit_default == 1.0  # the default's own column follows the JSON
    assert_same(month)


def test_a_posts_reach_reads_alike_from_both_paths(month) -> None:
    """A post's reach (two targets, each its latest read; an earlier read, a later sample
    without it) and a runner batch that moves it: the rollup row, every view and the channel's
    sum agree with the sources; the livestreams carry none."""
    post = month.events["P1"]
    first = db.session.scalars(sa.select(Target).where(Target.event_id == post.id)).one()
    second = _target(post, "p1-b")
    day = date(2026, 10, 25)
    for target, hour, extra in ((first, 13, {REACH: 100}), (first, 14, {REACH: 250}),
                                (first, 15, {}), (second, 14, {REACH: 40.0})):  # fmt: skip
        db.session.add(EngagementSample(target_id=target.id, sampled_at=vn(day, hour),
                                        extra=extra))  # fmt: skip
    db.session.commit()
    full_build.rebuild()
    db.session.commit()
    assert db.session.get(EventRollup, post.id).post_reach == 250 + 40
    assert db.session.get(EventRollup, month.events["L1"].id).post_reach is None
    assert_same(month)
    grouped = build_report(filters(month)[0], rollups=True, per_event=False)
    channels = {f.channel: f.as_dict() for f in grouped.by_channel()}
    assert channels["post"]["post_reach"] == 290
    assert channels["livestream"]["post_reach"] is None
    assert "post_reach" not in grouped.totals()

    # The runner brings a new read of the second target: the row follows in its transaction.
    batch = Batch(samples=(Sample(sampled_at=vn(day, 16), views=410, extra={REACH: 60}),))
    refresh_rollups(write_batch(second, batch, datetime(2026, 10, 30, tzinfo=UTC)))
    db.session.commit()
    row = db.session.get(EventRollup, post.id)
    db.session.refresh(row)
    assert row.post_reach == 250 + 60
    assert_same(month)


def test_a_head_count_refreshes_people_present_only(month, monkeypatch) -> None:
    """A hall's count credits nobody: the event's credit is not replayed on every check-in."""
    full_build.rebuild()
    db.session.commit()
    replayed: list[Any] = []
    monkeypatch.setattr(build, "credit_by_event", lambda *a: replayed.append(a) or {})
    hall = db.session.scalars(
        sa.select(BridgePoint).where(BridgePoint.event_id == month.events["C1"].id)
    ).first()
    record_report(hall, "hall-count-only", 30, [], datetime(2026, 10, 30, tzinfo=UTC))
    db.session.commit()
    assert replayed == []
    monkeypatch.undo()
    assert_same(month)


def stored_people() -> dict[tuple[Any, ...], int]:
    rows = db.session.execute(sa.select(PeopleRollup)).scalars()
    return {
        (r.org_unit_id, r.scope, r.period, r.campaign_id, r.channel): r.people
        for r in rows
        if r.people
    }


def assert_people_cells_as_rebuilt() -> None:
    """The cells kept up to date by the writers equal the cells counted again from scratch."""
    kept = stored_people()
    people_cells.replace(people_cells.count())
    assert kept == stored_people()


def test_people_cells_follow_touches_moves_and_merges(month) -> None:
    full_build.rebuild()
    db.session.commit()
    province_year = (month.province.id, "tree", "2026", 0, "*")
    before = stored_people()[province_year]
    year = ReportFilter(unit=month.province, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert before == build_report(year, rollups=False).totals()["identified"]

    # A new person at G1: one more in G1's cells; p3 at G1 too: p3 was counted already.
    newcomer = Person(full_name="Người mới", commune_id=month.commune_b.id)
    db.session.add(newcomer)
    db.session.flush()
    for person in (newcomer, month.people["p3"]):
        db.session.add(Attendance(person_id=person.id, event_id=month.events["G1"].id,
                                  source="sheet", touched_at=vn(date(2026, 10, 15))))  # fmt: skip
    db.session.commit()
    assert stored_people()[province_year] == before + 1
    assert_people_cells_as_rebuilt()
    db.session.commit()

    # A touch removed; an event moved to another commune, month and campaign-less.
    db.session.delete(db.session.scalars(sa.select(Attendance).limit(1)).one())
    g1 = month.events["G1"]
    g1.org_unit_id = month.commune_a.id
    g1.planned_start = vn(date(2026, 11, 3))
    g1.actual_start = None
    g1.campaign_id = None
    db.session.commit()
    assert_people_cells_as_rebuilt()
    db.session.commit()

    # Two people merged: their touches change hands by a bulk UPDATE.
    merge_people(month.people["p1"], [month.people["p2"]], datetime(2026, 11, 5, tzinfo=UTC))
    db.session.commit()
    assert stored_people()[province_year] < before + 1
    assert_people_cells_as_rebuilt()
    db.session.commit()
    assert_same(month)
