"""The whole path over real HTTP: sandbox → collectors → runner → database → summary.

The sandbox was written from the platform notes independently of the collectors; its ground truth
(what it actually served) is the reference every total is compared with.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.live.summary import event_summary
from app.models import Comment, Event, Target
from collectors.settling import FIRST_HOUR, SETTLING_READS
from tests.app.collection.conftest import Player

SCENARIO_END = 30 + 900


def stored_comment_ids(target: Target) -> list[str]:
    return list(
        db.session.scalars(sa.select(Comment.external_id).where(Comment.target_id == target.id))
    )


def play_to_the_end(player: Player, extra: float = 120) -> None:
    player.play(SCENARIO_END + extra, step=5)


@pytest.mark.postgres  # the sweep's removals are an UPDATE … RETURNING on both databases
def test_facebook_live_totals_equal_what_the_platform_served(
    player: Player, fb_target: Target
) -> None:
    play_to_the_end(player)
    truth = player.sandbox.truth()["facebook"]
    ids = stored_comment_ids(fb_target)
    assert len(ids) == len(set(ids))  # each comment stored once
    hidden = set(truth["hidden_comment_ids"])
    assert hidden  # the page's moderators hid a few
    # Every served comment stored, but one first served already hidden (never shown to anyone).
    assert set(ids) <= set(truth["comment_ids"])
    assert set(truth["comment_ids"]) - set(ids) <= hidden
    messages = dict(db.session.execute(sa.select(Comment.external_id, Comment.message)).all())
    for comment_id, served in truth["comments"].items():
        if comment_id in messages:
            assert messages[comment_id] == served["message"]  # edits included
    # Authors deleted a few during the live and the page hid a few: Graph stops listing them (or
    # lists them as hidden), and the reads after find them gone (kept, no longer shown, counted
    # or called).
    deleted = set(truth["deleted_comment_ids"])
    assert deleted
    gone = db.session.scalars(sa.select(Comment.external_id).where(Comment.deleted_at.is_not(None)))
    assert set(gone) == (deleted | hidden) & set(ids)
    # The Page answered some askers itself: stored as its own (shown on the live page, marked),
    # never counted with the audience's comments.
    page = set(truth["page_comment_ids"])
    assert page - deleted - hidden
    owned = db.session.scalars(sa.select(Comment.external_id).where(Comment.by_owner))
    assert set(owned) == page & set(ids)
    summary = event_summary(fb_target.event_id)
    assert summary.comments == len(set(truth["comment_ids"]) - deleted - hidden - page)
    for kind, count in truth["reactions"].items():
        assert summary.reactions[kind.lower()] == count, kind
    assert summary.shares == truth["shares"]
    assert summary.peak_viewers == truth["max_live_views"]
    assert summary.leads > 0
    event = db.session.get(Event, fb_target.event_id)
    assert event.status.value == "ended"
    assert event.actual_start is not None
    assert event.actual_end is not None


def test_views_are_shown_right_at_the_end_then_read_again_until_they_settle(
    player: Player, fb_target: Target
) -> None:
    player.play(SCENARIO_END - 30, step=5)
    assert event_summary(fb_target.event_id).views is None  # not yet read: never 0
    player.play(60, step=5)  # the end, the sweep, and nothing more: no waiting an hour
    target = db.session.get(Target, fb_target.id)
    assert target.cursor["phase"] == "insights"
    assert target.cursor["insights_done"] == [0]
    assert not target.finished_at
    truth = player.sandbox.truth()["facebook"]
    at_end = event_summary(fb_target.event_id).views
    assert at_end == truth["insights"]["total_video_views"] > 0
    # 25 minutes on, the views are read again (they keep growing), and the next read is minutes
    # away, not an hour after the end.
    player.sandbox.clock.set(SCENARIO_END + 25 * 60)
    player.tick()
    target = db.session.get(Target, fb_target.id)
    later = event_summary(fb_target.event_id).views
    assert later == player.sandbox.truth()["facebook"]["insights"]["total_video_views"] > at_end
    end_at = player.sandbox.scenario.datetime_at(SCENARIO_END)
    assert target.next_run_at - end_at <= timedelta(minutes=31)
    for hours in (1, 24, 24 * 7):
        player.sandbox.clock.set(SCENARIO_END + hours * 3600 + 60)
        player.tick()
    target = db.session.get(Target, fb_target.id)
    assert target.finished_at is not None
    assert target.cursor["insights_done"] == list(SETTLING_READS)
    truth = player.sandbox.truth()["facebook"]
    assert event_summary(fb_target.event_id).views == truth["insights"]["total_video_views"]
    assert truth["insights"]["total_video_views"] == player.sandbox.scenario.params.final_views
    metrics = {
        e["path"].split("?")[0] for e in player.sandbox.requests_log if "insights" in e["path"]
    }
    assert metrics  # insights were read, and never a deprecated page/post metric:
    log = " ".join(str(e) for e in player.sandbox.requests_log)
    for retired in ("page_impressions", "post_impressions", "page_fans", "page_engaged_users"):
        assert retired not in log


@pytest.mark.postgres
def test_comments_under_the_replay_come_with_the_reads_after_the_end(
    player: Player, fb_target: Target
) -> None:
    """The replay gathers comments for days, and a number left there is a lead like any other:
    each settling read (+1 h, +24 h, +7 days) sweeps the comments again, bringing the new ones
    and finding the one its author deleted since."""
    play_to_the_end(player)
    sandbox, scenario = player.sandbox, player.sandbox.scenario
    first, deleted, *_ = scenario.replay_comments
    assert not {first.id, deleted.id} & set(stored_comment_ids(fb_target))
    for at in (3600, 86400, 7 * 86400):
        sandbox.clock.set(SCENARIO_END + at + 60)
        (result,) = player.tick()
        assert result.outcome == "ok", result.error
        if at == 3600:
            assert {first.id, deleted.id} <= set(stored_comment_ids(fb_target))
            lead = db.session.scalars(sa.select(Comment).where(Comment.external_id == first.id))
            assert lead.one().phone is not None  # on the call list
    removed = sa.select(Comment.deleted_at).where(Comment.external_id == deleted.id)
    assert db.session.scalar(removed) is not None
    assert db.session.get(Target, fb_target.id).finished_at is not None
    shown = {c.id for c in scenario.shown_comments(sandbox.clock.now())}
    kept = sa.select(Comment.external_id).where(
        Comment.target_id == fb_target.id, Comment.deleted_at.is_(None)
    )
    assert set(db.session.scalars(kept)) == shown
    # The audience's comments are counted, not the Page's own replies among them.
    page = scenario.params.page_id
    audience = {c.id for c in scenario.shown_comments(sandbox.clock.now()) if c.author.id != page}
    assert event_summary(fb_target.event_id).comments == len(audience) < len(shown)


def test_a_retired_video_metric_never_pauses_the_live(player: Player, fb_target: Target) -> None:
    player.sandbox.facebook.retire_metric("total_video_views_unique")  # Meta retires it today
    play_to_the_end(player)
    target = db.session.get(Target, fb_target.id)
    assert target.paused_reason is None
    assert target.last_error == ""
    assert set(target.cursor["failed_metrics"]) == {"total_video_views_unique"}
    truth = player.sandbox.truth()["facebook"]
    assert event_summary(fb_target.event_id).views == truth["insights"]["total_video_views"] > 0
    player.sandbox.clock.set(SCENARIO_END + 3600 + 60)
    (result,) = player.tick()
    assert result.outcome == "ok"
    assert db.session.get(Target, fb_target.id).cursor["insights_done"] == [*FIRST_HOUR, 3600]


def test_nothing_lost_or_duplicated_through_faults(player: Player, fb_target: Target) -> None:
    sandbox = player.sandbox
    player.play(200, step=5)
    sandbox.chaos(0.3, seed=7)  # 5xx, timeouts, rate limits, malformed bodies, odd pages…
    player.play(500, step=5)
    sandbox.fail_next("facebook", "duplicate_page")
    sandbox.fail_next("facebook", "overlapping_page")
    sandbox.fail_next("facebook", "malformed_json")
    player.play(100, step=5)
    sandbox.clear()
    play_to_the_end(player, extra=400)
    target = db.session.get(Target, fb_target.id)
    truth = sandbox.truth()["facebook"]
    ids = stored_comment_ids(fb_target)
    assert len(ids) == len(set(ids))
    # Every comment the public sees (not one the page hid) but those written under the replay
    # since the final sweep: the next read, an hour after the end, brings them.
    scenario = sandbox.scenario
    shown = {c.id for c in scenario.shown_comments(sandbox.clock.now())
             if c.created <= scenario.scripted_end}  # fmt: skip
    assert set(ids) >= shown
    assert set(ids) <= set(truth["comment_ids"])
    summary = event_summary(fb_target.event_id)
    for kind, count in truth["reactions"].items():
        assert summary.reactions[kind.lower()] == count, kind
    assert summary.shares == truth["shares"]
    assert target.paused_reason is None


def test_expired_token_pauses_until_reauthorised(
    player: Player, fb_target: Target, client, make
) -> None:
    player.play(300)
    player.sandbox.fail_next("facebook", "token_expired")
    player.play(30)
    target = db.session.get(Target, fb_target.id)
    assert target.paused_reason == "auth_expired"
    assert target.account.health == "auth_expired"
    before = len(stored_comment_ids(fb_target))
    player.play(200)  # nothing collected while paused
    assert len(stored_comment_ids(fb_target)) == before
    new_token = player.sandbox.renew_token("facebook")["facebook"]
    from app.auth.tokens import issue_token

    token = issue_token(make.user("manager"))
    db.session.commit()
    credentials = {"access_token": new_token, "base_url": player.sandbox.facebook_url}
    response = client.patch(
        f"/api/v1/accounts/{fb_target.account_id}",
        json={"credentials": credentials},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    play_to_the_end(player)
    truth = player.sandbox.truth()["facebook"]
    assert set(stored_comment_ids(fb_target)) == set(truth["comment_ids"])


def test_youtube_live_and_chat(player: Player, yt_target: Target) -> None:
    play_to_the_end(player, extra=300)
    truth = player.sandbox.truth()["youtube"]
    chat = set(stored_comment_ids(yt_target))
    text_ids = {i for i, m in truth["chat_messages"].items() if m["type"] == "textMessageEvent"}
    assert chat == text_ids
    # The messages a moderator deleted are kept, marked, and no longer counted.
    victims = {m.deleted_id for m in player.sandbox.scenario.chat if m.deleted_id}
    deleted = db.session.scalars(
        sa.select(Comment.external_id).where(
            Comment.target_id == yt_target.id, Comment.deleted_at.is_not(None)
        )
    )
    assert victims
    assert set(deleted) == victims
    totals = next(t for t in event_summary(yt_target.event_id).targets if t.kind == "youtube_live")
    # The channel's own answers in its chat are stored as its own, and not counted.
    channel = player.sandbox.scenario.params.youtube_channel_id
    answers = {m.id for m in player.sandbox.scenario.chat if m.author.id == channel} & text_ids
    owned = sa.select(Comment.external_id).where(
        Comment.target_id == yt_target.id, Comment.by_owner
    )
    assert answers
    assert set(db.session.scalars(owned)) == answers
    assert totals.comments == len(text_ids - victims - answers)
    assert totals.peak_viewers == truth["max_concurrent_viewers"]
    assert totals.views == truth["view_count"]
    assert totals.reactions["like"] == truth["like_count"]
    # The chat was polled no faster than the platform's pollingIntervalMillis allows.
    times = [
        e["t"] for e in player.sandbox.requests_log if e["path"].endswith("/liveChat/messages")
    ]
    interval = player.sandbox.youtube.settings.polling_interval_ms / 1000
    assert len(times) > 10
    assert all(b - a >= interval for a, b in zip(times, times[1:], strict=False))


@pytest.mark.postgres
def test_comments_under_the_youtube_replay_come_with_the_reads_after_the_end(
    player: Player, yt_alone: Target
) -> None:
    """As on Facebook, a number left under the YouTube replay is a lead: each settling read
    after the chat lists the video's comments, the office's own answer among them (never a lead),
    and the replies a thread does not carry (``comments.list``: the first thread has seven, a
    thread carries five, and the seventh leaves a number), and finds the one its author deleted
    since; the chat's messages are never taken for deleted, although the comment listing never
    shows them."""
    play_to_the_end(player, extra=300)
    sandbox, scenario = player.sandbox, player.sandbox.scenario
    first, deleted, answer, viewer = scenario.youtube_replay[:4]
    replies = sorted(
        (c for c in scenario.youtube_replay if c.parent_id == first.id), key=lambda c: c.created
    )
    assert len(replies) > sandbox.youtube.settings.thread_replies
    replay = {c.id for c in scenario.youtube_replay}
    assert not replay & set(stored_comment_ids(yt_alone))
    for at in (3600, 86400, 7 * 86400):
        sandbox.clock.set(SCENARIO_END + at + 60)
        (result,) = player.tick()
        assert result.outcome == "ok", result.error
        if at == 3600:
            assert replay <= set(stored_comment_ids(yt_alone))
            lead = db.session.scalars(sa.select(Comment).where(Comment.external_id == first.id))
            assert lead.one().phone is not None  # on the call list
            own = db.session.scalars(sa.select(Comment).where(Comment.external_id == answer.id))
            own = own.one()
            assert own.parent_external_id == first.id
            assert not own.is_lead
            assert own.phone is None
            # The seventh reply, beyond those the thread carries: stored under it, a lead.
            beyond = sa.select(Comment).where(Comment.external_id == replies[6].id)
            beyond = db.session.scalars(beyond).one()
            assert beyond.parent_external_id == first.id
            assert beyond.phone is not None
            assert beyond.is_lead
    removed = sa.select(Comment.deleted_at).where(Comment.external_id == deleted.id)
    assert db.session.scalar(removed) is not None
    assert db.session.get(Target, yt_alone.id).finished_at is not None
    truth = sandbox.truth()["youtube"]
    chat = {i for i, m in truth["chat_messages"].items() if m["type"] == "textMessageEvent"}
    victims = {m.deleted_id for m in scenario.chat if m.deleted_id}
    shown = {c.id for c in scenario.youtube_comments(sandbox.clock.now())}
    kept = sa.select(Comment.external_id).where(
        Comment.target_id == yt_alone.id, Comment.deleted_at.is_(None)
    )
    assert set(db.session.scalars(kept)) == (chat - victims) | shown
    # Counted: the audience's, not the channel's own chat messages and answers.
    channel = scenario.params.youtube_channel_id
    own = {m.id for m in scenario.chat if m.author.id == channel} | {
        c.id for c in scenario.youtube_comments(sandbox.clock.now()) if c.author.id == channel
    }
    assert answer.id in own
    assert event_summary(yt_alone.event_id).comments == len(((chat - victims) | shown) - own)
    # Every comment and reply the sandbox served is stored, the seventh reply included.
    assert set(truth["replay_comment_ids"]) == replay
    assert replay <= set(stored_comment_ids(yt_alone))


def test_publish_follows_each_successful_poll(player: Player, fb_target: Target) -> None:
    player.play(120)
    names = [name for _, name, _ in player.published]
    assert names
    assert set(names) == {"collected"}
    assert all(event_id == fb_target.event_id for event_id, _, _ in player.published)


def test_next_poll_is_stored_so_a_restart_resumes(player: Player, fb_target: Target) -> None:
    player.play(200)
    target = db.session.get(Target, fb_target.id)
    assert target.next_run_at > player.now() - timedelta(seconds=1)
    assert target.cursor.get("comments_since")


def test_the_page_and_the_channel_answering_are_never_leads(
    player: Player, fb_target: Target, yt_target: Target
) -> None:
    """The real collectors against the fakes: the office answers on its page and in its chat
    (asking for a number, promising a call, giving its own), and none of it is a lead; each
    viewer who wrote in is on the call list once."""
    from app.followup.calls import call_list
    from app.followup.linking import refresh_follow_up

    play_to_the_end(player, extra=300)
    p = player.sandbox.scenario.params
    rows = db.session.execute(  # the comments still shown: a deleted or hidden one calls nobody
        sa.select(Comment.author_external_id, Comment.is_lead, Comment.phone_bidx).where(
            Comment.deleted_at.is_(None)
        )
    ).all()
    own = [r for r in rows if r.author_external_id in (p.page_id, p.youtube_channel_id)]
    assert {r.author_external_id for r in own} == {p.page_id, p.youtube_channel_id}
    assert not any(r.is_lead or r.phone_bidx for r in own)
    writers = {r.author_external_id for r in rows if r.is_lead}
    assert len(writers) < sum(r.is_lead for r in rows)  # some viewers wrote in more than once

    refresh_follow_up(player.now())
    db.session.commit()
    leads = [r for r in call_list(fb_target.event_id, phones=True) if r.kind == "lead"]
    assert p.page_name not in {r.name for r in leads}
    assert len(leads) == len({r.person_id for r in leads}) == len(writers)
