"""The runner: a transaction per batch, idempotent writes, errors by class, publish after commit.

A scripted collector stands in for the platform here, so every rule has a fast, exact test; the
same runner against the sandbox over real HTTP is tested in test_sandbox_runs.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from app.collection import runner, writer
from app.collection.changes import Change
from app.extensions import db
from app.models import Comment, EngagementSample, Event, PlatformAccount, Target
from collectors.base import Batch, CommentRecord, Sample, TargetSpec
from collectors.errors import AuthExpired, PermanentError, RateLimited, TargetGone, TransientError
from tests.conftest import HOME, Factory

# Also on PostgreSQL: upserts, a transaction per batch, rollback after a crash.
pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


class Scripted:
    """A collector that answers from a list: a Batch, or an exception to raise."""

    kind = "facebook_live"

    def __init__(self, *answers: Batch | Exception) -> None:
        self.answers = list(answers)
        self.seen: list[tuple[TargetSpec, Mapping[str, Any]]] = []

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        self.seen.append((target, dict(cursor)))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def batch(n_comments: int = 3, viewers: int = 120, status: str = "live", **kw: Any) -> Batch:
    comments = tuple(
        CommentRecord(f"c{i}", f"bình luận {i}", NOW - timedelta(seconds=i), author_name="Lan")
        for i in range(n_comments)
    )
    sample = Sample(NOW, live_viewers=viewers, reactions={"like": 5, "love": 2}, reactions_total=7,
                    comments=n_comments, shares=1)  # fmt: skip
    return Batch(samples=(sample,), comments=comments, cursor={"since": "x"}, status=status,
                 calls=2, **kw)  # fmt: skip


@pytest.fixture
def live(app: Flask, make: Factory) -> Target:
    event = make.event(HOME, title="Live")
    account = make.account(HOME)
    return make.target(event, account, external_id="live-1")


def run(
    target: Target, collector: Scripted, published: list | None = None, at: datetime = NOW
) -> runner.RunResult:
    sink = published if published is not None else []
    (result,) = runner.run_targets(
        [target.id],
        factory=lambda kind, url: collector,
        clock=lambda: at,
        publish=lambda event_id, name, payload: sink.append((event_id, name, payload)),
    )
    db.session.expire_all()
    return result


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_batch_is_written_with_its_cursor_and_schedule(live: Target) -> None:
    result = run(live, Scripted(batch()))
    assert (result.outcome, result.samples, result.comments) == ("ok", 1, 3)
    target = db.session.get(Target, live.id)
    assert target.cursor == {"since": "x"}
    assert target.last_success_at == NOW
    assert target.next_run_at == NOW + timedelta(seconds=10)
    assert target.calls_used == 2
    assert (count(EngagementSample), count(Comment)) == (1, 3)
    event = db.session.get(Event, target.event_id)
    assert (event.status.value, event.actual_start) == ("live", NOW)


def test_running_twice_stores_everything_once(live: Target) -> None:
    run(live, Scripted(batch()))
    edited = batch()
    edited = Batch(**{**edited.__dict__, "comments": (CommentRecord("c0", "đã sửa", NOW),)})
    run(live, Scripted(edited))
    assert (count(EngagementSample), count(Comment)) == (1, 3)
    message = db.session.scalar(sa.select(Comment.message).where(Comment.external_id == "c0"))
    assert message == "đã sửa"


# Committing: another connection must see the committed rows.
@pytest.mark.committing
def test_publish_happens_after_commit(app: Flask, live: Target) -> None:
    seen_in_db = []

    def publish(event_id: int, name: str, payload: dict) -> None:
        with db.engine.connect() as other:  # another connection sees only committed rows
            seen_in_db.append(other.execute(sa.text("SELECT count(*) FROM comments")).scalar())

    runner.run_targets([live.id], factory=lambda k, u: Scripted(batch()), clock=lambda: NOW,
                       publish=publish)  # fmt: skip
    assert seen_in_db == [3]


def test_a_crash_while_writing_loses_nothing_and_duplicates_nothing(
    live: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = writer.write_batch

    def half_then_crash(target: Target, b: Batch, now: datetime) -> Change:
        real(target, b, now)
        raise RuntimeError("power cut before commit")

    monkeypatch.setattr(writer, "write_batch", half_then_crash)
    crashed = run(live, Scripted(batch()))
    assert crashed.outcome == "error"
    assert "power cut" in crashed.error
    assert (count(EngagementSample), count(Comment)) == (0, 0)
    assert db.session.get(Target, live.id).cursor == {}
    monkeypatch.setattr(writer, "write_batch", real)
    collector = Scripted(batch())
    run(live, collector)
    assert collector.seen[0][1] == {}  # re-run from the last committed cursor
    assert (count(EngagementSample), count(Comment)) == (1, 3)


def test_rate_limited_waits_without_counting_a_failure(live: Target) -> None:
    result = run(live, Scripted(RateLimited("slow down", retry_after=420, code=80001)))
    target = db.session.get(Target, live.id)
    assert result.outcome == "rate_limited"
    assert target.next_run_at == NOW + timedelta(seconds=420)
    assert target.failures == 0
    assert target.account.health == "rate_limited"


def test_transient_errors_back_off(live: Target) -> None:
    run(live, Scripted(TransientError("503")))
    run(live, Scripted(TransientError("503")))
    target = db.session.get(Target, live.id)
    assert target.failures == 2
    assert target.next_run_at == NOW + timedelta(seconds=40)
    run(live, Scripted(batch()))
    assert db.session.get(Target, live.id).failures == 0


def test_expired_token_pauses_the_account_only(
    app: Flask, client, live: Target, make: Factory
) -> None:
    sibling = make.target(live.event, live.account, external_id="live-2")
    other_account = make.account(HOME, name="Kênh khác")
    unrelated = make.target(live.event, other_account, external_id="live-3")
    published: list = []
    result = run(live, Scripted(AuthExpired("token expired", code=190)), published)
    assert result.outcome == "auth_expired"
    paused = {t.id: t.paused_reason for t in db.session.scalars(sa.select(Target))}
    assert paused == {live.id: "auth_expired", sibling.id: "auth_expired", unrelated.id: None}
    assert db.session.get(PlatformAccount, live.account_id).health == "auth_expired"
    assert published[-1][1] == "status"
    # Paused targets are skipped, not collected.
    skipped = run(live, Scripted())
    assert skipped.outcome == "skipped"
    # Re-authorising through the API resumes them.
    from app.auth.tokens import issue_token

    manager = make.user("manager", HOME)
    token = issue_token(manager)
    db.session.commit()
    response = client.patch(
        f"/api/v1/accounts/{live.account_id}",
        json={"credentials": {"access_token": "new"}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert "new" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Target, live.id).paused_reason is None
    assert db.session.get(Target, sibling.id).paused_reason is None
    assert db.session.get(PlatformAccount, live.account_id).credentials == {"access_token": "new"}


def test_permanent_error_pauses_and_gone_finishes(live: Target, make: Factory) -> None:
    run(live, Scripted(PermanentError("(#100) bad field")))
    assert db.session.get(Target, live.id).paused_reason == "permanent_error"
    other = make.target(live.event, live.account, external_id="gone")
    run(other, Scripted(TargetGone("deleted")))
    assert db.session.get(Target, other.id).finished_at == NOW


def test_a_live_video_deleted_ends_its_target_and_its_event(live: Target, make: Factory) -> None:
    """The page deletes its live video after the broadcast: the event is no longer live (it
    ended when the video was last read), and the open pages hear so at once."""
    run(live, Scripted(batch()))
    later = NOW + timedelta(minutes=40)
    published: list = []
    result = run(live, Scripted(TargetGone("(#100) Object does not exist")), published, later)
    assert result.outcome == "gone"
    target = db.session.get(Target, live.id)
    assert (target.status, target.finished_at) == ("ended", later)
    event = db.session.get(Event, live.event_id)
    assert (event.status.value, event.actual_end) == ("ended", NOW)
    assert published == [(live.event_id, "status", None)]


def test_a_deleted_video_leaves_its_event_live_while_another_target_is(
    live: Target, make: Factory
) -> None:
    other = make.target(live.event, live.account, external_id="live-2")
    run(live, Scripted(batch()))
    run(other, Scripted(batch()))
    run(live, Scripted(TargetGone("deleted")), at=NOW + timedelta(minutes=5))
    assert db.session.get(Target, live.id).status == "ended"
    assert db.session.get(Event, live.event_id).status.value == "live"
    run(other, Scripted(TargetGone("deleted")), at=NOW + timedelta(minutes=9))
    event = db.session.get(Event, live.event_id)
    assert (event.status.value, event.actual_end) == ("ended", NOW)


def test_a_video_gone_before_it_went_live_leaves_its_event_as_planned(
    live: Target, make: Factory
) -> None:
    run(live, Scripted(TargetGone("deleted")))
    target = db.session.get(Target, live.id)
    assert (target.status, target.finished_at) == (None, NOW)
    assert db.session.get(Event, live.event_id).status.value == "scheduled"


def test_the_event_takes_the_broadcasts_own_times_over_the_polls(live: Target) -> None:
    """The link was added twenty minutes into the live: the event began when the platform says,
    and ends when it says (the poll that sees the end comes later still)."""
    on_air = NOW - timedelta(minutes=20)
    run(live, Scripted(batch(started_at=on_air)))
    event = db.session.get(Event, live.event_id)
    assert (event.status.value, event.actual_start) == ("live", on_air)
    off_air = NOW + timedelta(minutes=50)
    run(live, Scripted(batch(status="ended", started_at=on_air, ended_at=off_air)),
        at=NOW + timedelta(hours=1))  # fmt: skip
    event = db.session.get(Event, live.event_id)
    assert (event.status.value, event.actual_start, event.actual_end) == ("ended", on_air, off_air)


def test_a_platform_date_after_the_poll_replaces_it_on_an_event_of_one_target(
    live: Target,
) -> None:
    """A Teams meeting is "live" from its scheduled start until its attendance report says
    when it began; a Zoom meeting is seen over by a poll, its report's end minutes later."""
    run(live, Scripted(batch()))  # no platform date: the poll's
    assert db.session.get(Event, live.event_id).actual_start == NOW
    began_late = NOW + timedelta(minutes=12)
    run(live, Scripted(batch(started_at=began_late)), at=NOW + timedelta(minutes=20))
    seen_over = NOW + timedelta(hours=1, minutes=2)
    run(live, Scripted(batch(status="ended")), at=seen_over)
    event = db.session.get(Event, live.event_id)
    assert (event.actual_start, event.actual_end) == (began_late, seen_over)
    ended = NOW + timedelta(minutes=58, seconds=30)
    run(live, Scripted(batch(status="ended", started_at=began_late, ended_at=ended)),
        at=NOW + timedelta(hours=1, minutes=5))  # fmt: skip
    event = db.session.get(Event, live.event_id)
    assert (event.status.value, event.actual_start, event.actual_end) == (
        "ended", began_late, ended,
    )  # fmt: skip


def test_with_two_targets_the_event_spans_both_platforms_dates(live: Target, make: Factory) -> None:
    """A livestream on the fanpage and on YouTube: the event runs from the first start to the
    last end, whichever target's report comes last."""
    second = make.target(live.event, live.account, external_id="yt", kind="youtube_live")
    first_on, later_on = NOW - timedelta(minutes=3), NOW - timedelta(minutes=1)
    run(live, Scripted(batch(started_at=first_on)))
    run(second, Scripted(batch(started_at=later_on)))
    assert db.session.get(Event, live.event_id).actual_start == first_on
    run(live, Scripted(batch(status="ended", started_at=first_on)), at=NOW + timedelta(minutes=59))
    assert db.session.get(Event, live.event_id).status.value == "live"  # YouTube still is
    last_off = NOW + timedelta(minutes=61)
    run(second, Scripted(batch(status="ended", started_at=later_on, ended_at=last_off)),
        at=NOW + timedelta(minutes=62))  # fmt: skip
    first_off = NOW + timedelta(minutes=58)  # the fanpage's own end, read after the event's
    run(live, Scripted(batch(status="ended", started_at=first_on, ended_at=first_off)),
        at=NOW + timedelta(minutes=64))  # fmt: skip
    event = db.session.get(Event, live.event_id)
    assert (event.status.value, event.actual_start, event.actual_end) == (
        "ended", first_on, last_off,
    )  # fmt: skip


def test_a_live_tracked_weeks_after_it_ended_ends_its_event_on_its_own_dates(
    live: Target, make: Factory
) -> None:
    """An officer adds last month's livestream to count its figures: the event is over (it
    counts in the after-livestream reports) and dated by the platform, not by the first poll."""
    on_air = NOW - timedelta(days=23)
    off_air = on_air + timedelta(hours=1, minutes=30)
    weeks_later = NOW
    run(live, Scripted(batch(status="ended", started_at=on_air, ended_at=off_air)), at=weeks_later)
    event = db.session.get(Event, live.event_id)
    assert (event.status.value, event.actual_start, event.actual_end) == ("ended", on_air, off_air)
    undated = make.target(make.event(title="Không ngày"), live.account, external_id="old")
    run(undated, Scripted(batch(status="ended")), at=weeks_later)
    event = db.session.get(Event, undated.event_id)
    assert (event.status.value, event.actual_start, event.actual_end) == ("ended", None, None)


def test_a_collector_bug_counts_as_a_transient_failure(live: Target) -> None:
    result = run(live, Scripted(KeyError("data")))
    assert result.outcome == "transient"
    assert "KeyError" in db.session.get(Target, live.id).last_error


def test_leads_are_marked_and_phones_encrypted(live: Target) -> None:
    comments = (
        CommentRecord("a", "Cho em hỏi mức đóng BHXH tự nguyện, sđt 0912.345.678", NOW),
        CommentRecord("b", "👍👍", NOW),
    )
    run(live, Scripted(Batch(comments=comments, cursor={}, status="live")))
    lead = db.session.scalars(sa.select(Comment).where(Comment.external_id == "a")).one()
    plain = db.session.scalars(sa.select(Comment).where(Comment.external_id == "b")).one()
    assert lead.is_lead
    assert {"hoi", "muc_dong"} <= set(lead.lead_intents)
    assert lead.phone == "+84912345678"
    assert lead.phone_bidx
    assert not plain.is_lead
    raw = db.session.execute(sa.text("SELECT phone FROM comments WHERE external_id = 'a'")).scalar()
    assert b"912345678" not in bytes(raw)


def test_event_ends_when_its_last_live_target_ends(live: Target, make: Factory) -> None:
    second = make.target(live.event, live.account, external_id="yt", kind="youtube_live")
    run(live, Scripted(batch()))
    run(second, Scripted(batch()))
    run(live, Scripted(batch(status="ended")))
    assert db.session.get(Event, live.event_id).status.value == "live"
    run(second, Scripted(batch(status="ended")))
    event = db.session.get(Event, live.event_id)
    assert (event.status.value, event.actual_end) == ("ended", NOW)


def test_summary_api_adds_up_the_targets(app: Flask, client, live: Target, make: Factory) -> None:
    run(live, Scripted(batch(viewers=300)))
    reactions = {"like": 600, "love": 100, "care": 78}
    later = Sample(NOW + timedelta(seconds=10), live_viewers=250, views=1700, shares=139,
                   reactions=reactions, reactions_total=778)  # fmt: skip
    comments = tuple(CommentRecord(f"x{i}", "tư vấn giúp em", NOW) for i in range(2))
    run(live, Scripted(Batch(samples=(later,), comments=comments, cursor={}, status="live")))
    from app.auth.tokens import issue_token

    token = issue_token(make.user("viewer", HOME))
    db.session.commit()
    data = client.get(
        f"/api/v1/events/{live.event_id}/summary", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert data["views"] == 1700
    assert data["live_viewers"] == 250
    assert data["peak_viewers"] == 300
    assert data["shares"] == 139
    assert data["reactions"]["like"] == 600
    assert data["reactions"]["care"] == 78
    assert data["reactions"]["total"] == 778
    assert data["comments"] == 5
    assert data["leads"] == 2
    assert data["first_sample_at"].startswith("2026-11-23T13:00:00")
    assert len(data["targets"]) == 1


def test_a_comment_the_platform_removed_is_no_longer_shown_counted_or_called(
    live: Target,
) -> None:
    """A moderator deletes a chat message (a phone number written in public, an insult): the
    row stays, but the live feed, the counts and the call list no longer have it."""
    from app.followup.calls import call_list
    from app.live.summary import event_summary

    asking = CommentRecord("p", "Cho em hỏi mức đóng BHXH tự nguyện, sđt 0912.345.678", NOW)
    run(live, Scripted(Batch(comments=(asking,), cursor={}, status="live")))
    run(live, Scripted(batch()))
    before = event_summary(live.event_id)
    assert (before.comments, before.leads) == (4, 1)
    assert len(call_list(live.event_id, phones=False)) == 1
    published: list = []
    later = NOW + timedelta(minutes=3)
    gone = Batch(cursor={}, status="live", removed_comments=("p", "c1", "never-stored"))
    run(live, Scripted(gone), published, at=later)
    rows = dict(db.session.execute(sa.select(Comment.external_id, Comment.deleted_at)).all())
    assert rows == {"p": later, "c0": None, "c1": later, "c2": None}
    after = event_summary(live.event_id)
    assert (after.comments, after.leads) == (2, 0)
    assert not call_list(live.event_id, phones=False)
    ((_, _, change),) = published
    assert sorted(r.id for r in change.removed) == sorted(
        db.session.scalars(sa.select(Comment.id).where(Comment.deleted_at.is_not(None)))
    )
    published.clear()
    run(live, Scripted(gone), published, at=later + timedelta(seconds=10))  # said again
    assert published[0][2].removed == ()
