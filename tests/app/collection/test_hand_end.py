"""An officer ends a livestream both platforms still broadcast: over the sandbox's real HTTP.

The scenario's live runs from 20:00:30 to 20:15:30 on 25/11/2026 (Hà Nội); the officer ends the
event at 20:07, half-way, while Facebook and YouTube still say "live". Its objects end as their
platform would at that time, one last read takes their final figures through the collectors'
normal path (Facebook's total views, every comment), then the settling reads of a platform's end
follow from the officer's end; every page and report takes the livestream as finished. Set live
again, it is collected again. Ending an event whose live the platform already ended keeps its
settling reads: the views go on growing for a week either way.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app.events.status import end_by_hand, reopen
from app.extensions import db
from app.live.summary import event_summary
from app.models import CollectionRun, Comment, Event, EventStatus, Target
from app.reports.facts import ReportFilter
from app.reports.livestreams import is_finished, month_livestreams
from app.status.words import target_state
from collectors.settling import SETTLING_READS
from tests.app.collection.conftest import Player
from tests.conftest import Factory

HALF_WAY = 30 + 400  # seconds into the scenario: 20:07 on 25/11/2026, both lives on air


def dated(player: Player, event: Event) -> Event:
    """The event as planned: 20:00–21:00 on 25/11/2026, live on both platforms."""
    epoch = player.sandbox.scenario.params.epoch
    event.planned_start, event.planned_end = epoch, epoch + timedelta(hours=1)
    db.session.commit()
    return event


def officer_ends(event_id: int, officer, now) -> int:
    """What saving the event's form with "Ended" does (``app.events.services``)."""
    event = db.session.get(Event, event_id)
    event.status = EventStatus.ENDED
    stopped = end_by_hand(event, officer, now)
    db.session.commit()
    return stopped


def runs(target: Target) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(CollectionRun.id)).where(CollectionRun.target_id == target.id)
    )


@pytest.mark.postgres
def test_an_officers_end_reads_the_final_figures_once_and_the_livestream_is_finished(
    player: Player, fb_target: Target, yt_target: Target, make: Factory
) -> None:
    event = dated(player, fb_target.event)
    player.play(HALF_WAY, step=5)
    fb, yt = db.session.get(Target, fb_target.id), db.session.get(Target, yt_target.id)
    assert (fb.status, yt.status) == ("live", "live")
    assert event_summary(event.id).live_viewers > 0
    assert event_summary(event.id).views_pending() == ["facebook_live"]  # read at the end

    ended_at = player.now()
    assert officer_ends(event.id, make.user("officer"), ended_at) == 2
    fb, yt = db.session.get(Target, fb.id), db.session.get(Target, yt.id)
    # Ended as their platform would, at the officer's end; pages already take them as ended.
    assert [(t.status, t.hand_ended_at) for t in (fb, yt)] == [("ended", ended_at)] * 2
    assert is_finished(db.session.get(Event, event.id))
    assert event_summary(event.id).live_viewers == 0

    fb_runs, yt_runs = runs(fb), runs(yt)
    end_second = player.sandbox.clock.now()
    player.play(5, step=5)  # the read at the end, due at once
    assert (runs(fb), runs(yt)) == (fb_runs + 1, yt_runs + 1)
    fb, yt = db.session.get(Target, fb.id), db.session.get(Target, yt.id)
    # Not finished: the same settling reads as after a platform's end, from the officer's end,
    # and the state says when the next one is (the platform's way and the officer's alike).
    assert [(t.status, t.finished_at) for t in (fb, yt)] == [("ended", None)] * 2
    assert fb.cursor["ended_at"] == ended_at.isoformat()
    for t in (fb, yt):
        assert t.next_run_at.replace(tzinfo=UTC) == ended_at + timedelta(minutes=2)
        state = target_state(t, player.now())
        assert state.startswith("Ended. Next reading: ")
        assert "7 days" in state
    truth = player.sandbox.truth()["facebook"]
    # Facebook's total views, read from the video's insights, and every comment it served.
    fb_views = truth["insights"]["total_video_views"]
    assert fb_views > 0
    summary = event_summary(event.id)
    fb_totals = next(t for t in summary.targets if t.kind == "facebook_live")
    assert fb_totals.views == fb_views
    assert summary.views_pending() == []
    shown = {c.id for c in player.sandbox.scenario.shown_comments(player.sandbox.clock.now())}
    kept = sa.select(Comment.external_id).where(
        Comment.target_id == fb.id, Comment.deleted_at.is_(None)
    )
    assert set(db.session.scalars(kept)) == shown
    assert (summary.live_viewers, summary.phase) == (0, "ended")
    assert summary.peak_viewers > 0  # the figures read are kept
    event = db.session.get(Event, event.id)
    assert (event.status, event.actual_end) == (EventStatus.ENDED, ended_at)

    # Read again minutes apart, the broadcast still taken as ended; finished after the week.
    player.play(300, step=15)
    assert (runs(fb), runs(yt)) == (fb_runs + 3, yt_runs + 3)  # +2 min, +5 min
    assert [db.session.get(Target, t.id).status for t in (fb, yt)] == ["ended"] * 2
    assert event_summary(event.id).live_viewers == 0
    player.sandbox.clock.set(end_second + 7 * 86400 + 60)
    player.tick()
    fb, yt = db.session.get(Target, fb.id), db.session.get(Target, yt.id)
    assert [(t.status, t.finished_at is not None) for t in (fb, yt)] == [("ended", True)] * 2
    assert fb.cursor["insights_done"] == list(SETTLING_READS)
    assert [target_state(t, player.now()) for t in (fb, yt)] == ["Finished"] * 2

    # The month's report lists it, its views Facebook's and YouTube's together.
    summary = event_summary(event.id)  # as settled after the week
    fb_views = player.sandbox.truth()["facebook"]["insights"]["total_video_views"]
    report = ReportFilter(unit=event.org_unit, start=date(2026, 11, 1), end=date(2026, 11, 30),
                          as_of=ended_at + timedelta(days=3))  # fmt: skip
    (listed,) = [c for c in month_livestreams(report) if c.current.event_id == event.id]
    assert listed.current.views == summary.views == fb_views + (yt_totals(summary) or 0)


def yt_totals(summary) -> int | None:
    return next(t.views for t in summary.targets if t.kind == "youtube_live")


def test_set_live_again_after_an_officers_end_it_is_collected_as_before(
    player: Player, fb_target: Target, make: Factory
) -> None:
    event = dated(player, fb_target.event)
    player.play(HALF_WAY, step=5)
    officer_ends(event.id, make.user("officer"), player.now())
    player.play(5, step=5)
    fb = db.session.get(Target, fb_target.id)
    assert (fb.finished_at, fb.cursor["phase"]) == (None, "insights")

    event = db.session.get(Event, event.id)
    event.status = EventStatus.LIVE
    assert reopen(event, player.now()) == 1
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count(Comment.id)))
    player.play(120, step=5)
    fb = db.session.get(Target, fb_target.id)
    # Graph still says live: polled as live again, its cursor no longer at an end.
    assert (fb.status, fb.finished_at, fb.hand_ended_at) == ("live", None, None)
    assert "phase" not in fb.cursor or fb.cursor["phase"] == "live"
    assert db.session.scalar(sa.select(sa.func.count(Comment.id))) > before
    assert event_summary(event.id).live_viewers > 0
    assert not is_finished(db.session.get(Event, event.id))


def test_the_event_page_shows_the_livestream_after_an_officers_end(
    player: Player, fb_target: Target, client: FlaskClient, logged_in
) -> None:
    officer = logged_in("officer")
    event = dated(player, fb_target.event)
    player.play(HALF_WAY, step=5)
    officer_ends(event.id, officer, player.now())
    player.play(5, step=5)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Sau buổi livestream" in page
    assert "được cộng vào khi buổi phát kết thúc" not in page  # Facebook's views are in
    views = player.sandbox.truth()["facebook"]["insights"]["total_video_views"]
    assert f"{views:,}".replace(",", ".") in page


@pytest.mark.postgres
def test_an_officers_end_after_the_platforms_keeps_the_settling_reads(
    player: Player, fb_target: Target, make: Factory
) -> None:
    event = dated(player, fb_target.event)
    player.play(30 + 900 + 30, step=5)  # the platform ended the live at 20:15:30: swept, read
    fb = db.session.get(Target, fb_target.id)
    assert (fb.status, fb.cursor["phase"], fb.hand_ended_at) == ("ended", "insights", None)
    at_end = event_summary(event.id).views
    officer_ends(event.id, make.user("officer"), player.now())  # "Sửa" → Đã kết thúc
    fb = db.session.get(Target, fb.id)
    assert (fb.finished_at, fb.hand_ended_at) == (None, None)  # not "Finished" within seconds
    player.sandbox.clock.set(30 + 900 + 25 * 60)
    player.tick()
    fb = db.session.get(Target, fb.id)
    assert fb.finished_at is None
    truth = player.sandbox.truth()["facebook"]["insights"]["total_video_views"]
    assert event_summary(event.id).views == truth > at_end
    assert target_state(fb, player.now()).startswith("Ended. Next reading: ")
