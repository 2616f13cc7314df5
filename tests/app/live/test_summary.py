"""The summary: each target's latest counters summed; a delta reads again only what moved.

A target's counters are its latest non-empty value of each (an insights read has views but no live
viewers), live viewers count only while the target is live, peak is the highest sample, comments
and leads exclude removed comments, and the sample span runs over every target.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app import prepared
from app.collection.changes import Change
from app.extensions import db
from app.live import summary as model
from app.live import targets
from app.models import Channel, Comment, EngagementSample, Target
from tests.conftest import Factory, login

pytestmark = pytest.mark.postgres  # the figures as each database aggregates them

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def sample(target: Target, seconds: int, **counters: Any) -> EngagementSample:
    return EngagementSample(
        target_id=target.id, sampled_at=T0 + timedelta(seconds=seconds), extra={}, **counters
    )


def comment(target: Target, n: int, lead: bool = False, removed: bool = False) -> Comment:
    return Comment(target_id=target.id, external_id=f"c{target.id}-{n}", message="hi",
                   created_at=T0, is_lead=lead, deleted_at=T0 if removed else None)  # fmt: skip


@pytest.fixture
def two(app: Flask, make: Factory) -> tuple[Target, Target]:
    event = make.event()
    fb = make.target(event, make.account(), external_id="fb", status="live")
    yt = make.target(event, make.account(name="YT"), kind="youtube_live", external_id="yt",
                     status="ended")  # fmt: skip
    db.session.add_all([
        sample(fb, 0, live_viewers=100, views=10, shares=1, reactions_like=3, reactions_love=1),
        sample(fb, 10, live_viewers=300, views=None),
        sample(fb, 20, live_viewers=250, views=40),
        sample(yt, 5, live_viewers=70, views=500, reactions_like=9),
        sample(yt, 30, live_viewers=None, views=700),
        comment(fb, 1, lead=True), comment(fb, 2), comment(fb, 3, lead=True, removed=True),
        comment(yt, 1),
    ])  # fmt: skip
    db.session.commit()
    return fb, yt


def test_the_summary_adds_up_each_targets_latest_counters(two: tuple[Target, Target]) -> None:
    fb, yt = two
    summary = model.event_summary(fb.event_id)
    by_id = {t.id: t for t in summary.targets}
    assert (by_id[fb.id].views, by_id[yt.id].views) == (40, 700)
    assert (by_id[fb.id].live_viewers, by_id[yt.id].live_viewers) == (250, 0)  # yt has ended
    assert (by_id[fb.id].peak_viewers, by_id[yt.id].peak_viewers) == (300, 70)
    assert (summary.views, summary.live_viewers, summary.peak_viewers) == (740, 250, 370)
    assert summary.reactions["like"] == 12
    assert summary.reactions["total"] == 4 + 9  # no total served: the sum of the types
    assert (summary.comments, summary.leads, summary.shares) == (3, 1, 1)
    assert (summary.first_sample_at, summary.last_sample_at) == (T0, T0 + timedelta(seconds=30))
    assert summary.halls is None


def test_a_delta_reads_again_only_the_targets_that_moved(
    two: tuple[Target, Target], monkeypatch: pytest.MonkeyPatch
) -> None:
    fb, yt = two
    read: list[int] = []
    real = model.read_target

    def counted(target: Target) -> model.TargetRead:
        read.append(target.id)
        return real(target)

    monkeypatch.setattr(model, "read_target", counted)
    first = model.summary_after(fb.event_id, Change(fb.event_id, fb.id, fb.kind))
    assert sorted(read) == sorted([fb.id, yt.id])  # nothing kept yet

    # A batch of fb: only fb is read again, and the figures are those read whole.
    read.clear()
    db.session.add(sample(fb, 40, live_viewers=400, views=60))
    db.session.get(Target, fb.id).last_success_at = T0 + timedelta(seconds=40)
    db.session.commit()
    after = model.summary_after(fb.event_id, Change(fb.event_id, fb.id, fb.kind))
    assert read == [fb.id]
    assert after.as_dict() == model.event_summary(fb.event_id).as_dict()
    assert after.as_dict() != first.as_dict()

    # yt's row moved without a batch (paused by its account): read again on the next delta.
    read.clear()
    db.session.execute(sa.update(Target).where(Target.id == yt.id).values(paused_reason="x"))
    db.session.commit()
    status = model.summary_after(fb.event_id)
    assert read == [yt.id]
    assert status.as_dict() == model.event_summary(fb.event_id).as_dict()
    assert {t.id: t.paused_reason for t in status.targets}[yt.id] == "x"


@pytest.fixture
def staggered(app: Flask, make: Factory) -> tuple[Target, Target]:
    """Two lives peaking at different moments: 300 at 20 s and 271 at 45 s, never 571 at once."""
    event = make.event()
    fb = make.target(event, make.account(), external_id="fb", status="live")
    yt = make.target(event, make.account(name="YT"), kind="youtube_live", external_id="yt",
                     status="live")  # fmt: skip
    db.session.add_all([
        sample(fb, 0, live_viewers=250), sample(fb, 20, live_viewers=300),
        sample(fb, 40, live_viewers=200),
        sample(yt, 5, live_viewers=200), sample(yt, 25, live_viewers=264),
        sample(yt, 45, live_viewers=271),
    ])  # fmt: skip
    db.session.commit()
    return fb, yt


def test_peak_viewers_is_the_combined_series_peak_with_each_targets_own_beside_it(
    app: Flask, client: Any, make: Factory, staggered: tuple[Target, Target]
) -> None:
    from app.auth.tokens import issue_token
    from app.live import queries

    fb, yt = staggered
    series = queries.viewer_series(fb.event_id)
    assert [v for _, v in series] == [250, 450, 500, 564, 464, 471]
    summary = model.event_summary(fb.event_id)
    assert summary.peak_viewers == max(v for _, v in series) == 564  # not 300 + 271 = 571
    assert {t.id: t.peak_viewers for t in summary.targets} == {fb.id: 300, yt.id: 271}

    token = issue_token(make.user("viewer"))
    db.session.commit()
    body = client.get(f"/api/v1/events/{fb.event_id}/summary",
                      headers={"Authorization": f"Bearer {token}"}).get_json()  # fmt: skip
    assert body["peak_viewers"] == 564
    assert {t["id"]: t["peak_viewers"] for t in body["targets"]} == {fb.id: 300, yt.id: 271}

    # The event's page: the combined peak, each platform's own peak beside it, in Vietnamese.
    login(client, make.user("viewer").email)
    page = client.get(f"/events/{fb.event_id}").get_data(as_text=True)
    peak = re.search(r"<dt[^>]*>Đỉnh người xem</dt><dd>(.*?)</dd>", page, re.S)
    assert peak is not None
    assert peak.group(1).startswith("564 ")
    assert "đỉnh riêng của từng nền tảng: Facebook 300 · YouTube 271)" in peak.group(1)


def test_the_combined_peak_follows_each_batch_in_the_deltas(
    staggered: tuple[Target, Target],
) -> None:
    fb, yt = staggered
    assert model.summary_after(fb.event_id).peak_viewers == 564
    # yt climbs to 290 while fb shows 200: 490 at once, below the peak
    db.session.add(sample(yt, 50, live_viewers=290))
    db.session.get(Target, yt.id).last_success_at = T0 + timedelta(seconds=50)
    db.session.commit()
    after = model.summary_after(fb.event_id, Change(fb.event_id, yt.id, yt.kind))
    assert after.peak_viewers == 564
    # fb climbs to 310 while yt shows 290: a new combined peak of 600
    db.session.add(sample(fb, 55, live_viewers=310))
    db.session.get(Target, fb.id).last_success_at = T0 + timedelta(seconds=55)
    db.session.commit()
    after = model.summary_after(fb.event_id, Change(fb.event_id, fb.id, fb.kind))
    assert after.peak_viewers == 600
    assert after.as_dict() == model.event_summary(fb.event_id).as_dict()


def test_views_not_yet_read_are_null_never_zero(app: Flask, make: Factory) -> None:
    """A Facebook live's views come only from its insights, read when it ends: before that the
    summary says "not yet read" (None, null in JSON), not 0; once one target is read, the
    event's views are what was read."""
    event = make.event()
    fb = make.target(event, make.account(), external_id="fb", status="live")
    zoom = make.target(event, make.account(name="Zoom"), kind="zoom_meeting", external_id="z")
    db.session.add_all([sample(fb, 0, live_viewers=120, reactions_like=4),
                        sample(zoom, 0)])  # fmt: skip
    db.session.commit()
    before = model.event_summary(event.id)
    assert before.views is None
    assert [t.views for t in before.targets] == [None, None]
    out = before.as_dict()
    assert out["views"] is None
    assert [t["views"] for t in out["targets"]] == [None, None]
    db.session.add(sample(fb, 3600, views=1700))  # the insights read at the end
    db.session.commit()
    after = model.event_summary(event.id)
    assert after.views == 1700
    assert [t.views for t in after.targets] == [1700, None]
    assert after.peak_viewers == 120  # the insights read carries no viewers


def test_views_during_the_live_say_which_platform_they_leave_out(
    app: Flask, make: Factory, client
) -> None:
    """During the broadcast YouTube serves its views and Facebook does not (its video's views are
    read when the live ends): 118 views beside 515 viewers must say Facebook is not in them."""
    event = make.event()
    fb = make.target(event, make.account(), external_id="fb", status="live")
    yt = make.target(event, make.account(name="YT"), kind="youtube_live", external_id="yt",
                     status="live")  # fmt: skip
    db.session.add_all([sample(fb, 0, live_viewers=438), sample(yt, 0, live_viewers=77, views=118)])
    officer = make.user("officer")
    db.session.commit()
    summary = model.event_summary(event.id)
    assert (summary.views, summary.views_pending()) == (118, ["facebook_live"])
    login(client, officer.email)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert (
        "(lượt xem YouTube đến lúc này; lượt xem Facebook được cộng vào khi buổi phát kết thúc)"
        in html
    )
    db.session.add(sample(fb, 3600, views=1700))  # the read at the end
    db.session.commit()
    assert model.event_summary(event.id).views_pending() == []
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "được cộng vào khi buổi phát kết thúc" not in html


@pytest.mark.committing
def test_an_events_targets_come_with_its_channel_in_one_compiled_read(
    app: Flask, make: Factory, two: tuple[Target, Target]
) -> None:
    """Each delta asks which targets the event has and whether it counts people by hall: one
    statement, compiled once; its times aware UTC as the session's. A conference without targets
    still says it has halls; an event that does not exist has neither."""
    fb, yt = two
    event = targets.targets_of(fb.event_id)
    halls, status, rows = event.halls, event.status, event.targets
    assert "live.event_targets" in {key for _dialect, key in app.extensions["lantoa_prepared"]}
    assert (halls, status) == (False, "scheduled")
    assert [(r.id, r.kind, r.external_id, r.status) for r in rows] == [
        (fb.id, "facebook_live", "fb", "live"),
        (yt.id, "youtube_live", "yt", "ended"),
    ]
    stored = db.session.get(Target, fb.id)
    assert rows[0].updated_at == stored.updated_at
    assert rows[0].updated_at.tzinfo is not None
    conference = make.event(title="Hội nghị trực tuyến", channel=Channel.ONLINE_CONFERENCE)
    db.session.commit()
    assert targets.targets_of(conference.id) == targets.EventTargets(True, "scheduled", [])
    assert targets.targets_of(conference.id + 1000) == targets.EventTargets(False, None, [])


@pytest.mark.committing
def test_a_web_process_reads_a_target_compiled_once_with_the_same_figures(
    app: Flask, two: tuple[Target, Target]
) -> None:
    """As a web process reads (the pool's own connections): the statement is compiled once and
    its figures, times included (aware UTC on SQLite too), are those the session's would give."""
    fb, yt = two
    assert prepared.engine() is not None
    first, again, other = model.read_target(fb), model.read_target(fb), model.read_target(yt)
    assert "live.target_figures" in {key for _dialect, key in app.extensions["lantoa_prepared"]}
    assert first == again
    assert (first.first_sample_at, first.last_sample_at) == (T0, T0 + timedelta(seconds=20))
    assert (first.totals.views, first.totals.peak_viewers, first.totals.live_viewers) == (
        40,
        300,
        250,
    )
    assert (first.totals.comments, first.totals.leads, first.totals.shares) == (2, 1, 1)
    assert (first.totals.reactions["like"], first.totals.reactions["total"]) == (3, 4)
    assert (other.totals.views, other.totals.live_viewers, other.totals.comments) == (700, 0, 1)


def test_a_targets_comments_leads_and_peak_are_read_from_indexes(
    app: Flask, two: tuple[Target, Target]
) -> None:
    """Each delta re-reads its target's figures, so they must not cost a scan of its comments or
    samples: the counted comments and the leads are counted from ``ix_comments_counted`` and
    ``ix_comments_leads`` (no visit to SQLite's rows for ``deleted_at``, ``by_owner`` or
    ``is_lead``), the peak
    is one entry of the viewers' index. PostgreSQL is told to avoid plain scans, which it would
    rightly choose for tables this small."""
    fb, _yt = two
    connection = db.session.connection()
    statement = model.target_figures().params(target_id=fb.id)
    sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        text = "\n".join(connection.exec_driver_sql(f"EXPLAIN {sql}").scalars())
        assert "Index Only Scan using ix_comments_counted" in text, text
        assert "Index Only Scan using ix_comments_leads" in text, text
        assert "Index Only Scan Backward using ix_engagement_samples_viewers" in text, text
    else:
        details = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
        assert "SEARCH comments USING COVERING INDEX ix_comments_counted (target_id=?)" in details
        leads = "SEARCH comments USING COVERING INDEX ix_comments_leads (target_id=?"
        assert any(d.startswith(leads) for d in details), details
        assert any("COVERING INDEX ix_engagement_samples_viewers" in d for d in details), details


def test_a_targets_title_and_link_ride_the_whole_summary_and_a_patch_only_when_they_change(
    two: tuple[Target, Target],
) -> None:
    """Not counters: the collection card's name comes whole with a snapshot, and a delta's patch
    of the targets names it only when it changed (a counters-only patch stays as small)."""
    from app.live.diff import ROWS, diff, merge

    fb, _yt = two
    row = db.session.get(Target, fb.id)
    row.title = "Giao lưu trực tuyến: BHXH tự nguyện cho lao động tự do"
    row.url = "https://www.facebook.com/bhxhnghean/videos/101796580477"
    db.session.commit()
    before = model.summary_after(fb.event_id).as_dict()
    shown = {t["id"]: (t["title"], t["url"]) for t in before["targets"]}
    assert shown[fb.id] == (row.title, row.url)

    db.session.add(sample(fb, 40, live_viewers=410, views=61))
    db.session.get(Target, fb.id).last_success_at = T0 + timedelta(seconds=40)
    db.session.commit()
    counters = model.summary_after(fb.event_id, Change(fb.event_id, fb.id, fb.kind)).as_dict()
    patch = diff(before, counters)
    fb_patch = patch["targets"][ROWS][str(fb.id)]
    assert "live_viewers" in fb_patch
    assert not {"title", "url"} & set(fb_patch)
    assert merge(before, patch) == counters

    db.session.get(Target, fb.id).title = "Giao lưu trực tuyến (phát lại)"
    db.session.commit()
    renamed = model.summary_after(fb.event_id).as_dict()
    patch = diff(counters, renamed)
    assert patch == {"targets": {ROWS: {str(fb.id): {"title": "Giao lưu trực tuyến (phát lại)"}}}}
