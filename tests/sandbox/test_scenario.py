"""The scripted livestream: deterministic, realistic, settling late."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from sandbox.scenario import (
    DAY,
    HOSTILE_MESSAGES,
    REACTION_TYPES,
    WEEK,
    Scenario,
    ScenarioParams,
)
from sandbox.youtube import YouTubeSettings


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario()


def test_same_seed_same_script_other_seed_other_script() -> None:
    a, b, c = Scenario(), Scenario(), Scenario(seed=2)
    assert a.comments == b.comments
    assert a.chat == b.chat
    assert [a.viewers("facebook", t) for t in range(0, 4000, 30)] == [
        b.viewers("facebook", t) for t in range(0, 4000, 30)
    ]
    assert [x.message for x in a.comments] != [x.message for x in c.comments]


def test_ids_are_distinct_and_post_id_joins_page_and_video(scenario: Scenario) -> None:
    p = scenario.params
    assert p.live_video_id != p.video_id
    assert p.post_id == f"{p.page_id}_{p.video_id}"
    assert len({c.id for c in scenario.comments}) == len(scenario.comments)
    assert len({m.id for m in scenario.chat}) == len(scenario.chat)


def test_viewer_curve_ramps_plateaus_and_declines(scenario: Scenario) -> None:
    start, end = scenario.live_start, scenario.scripted_end
    samples = [scenario.viewers("facebook", start + s) for s in range(0, 3600, 5)]
    assert all(isinstance(v, int) and v > 0 for v in samples)
    assert scenario.viewers("facebook", start - 1) == 0
    assert scenario.viewers("facebook", end) == 0
    assert samples[0] < max(samples) * 0.2  # ramp up
    plateau = samples[200:560]
    assert min(plateau) > 0.8 * max(plateau)  # noisy plateau
    assert len(set(plateau)) > 20
    assert samples[-1] < 0.6 * max(samples)  # decline
    assert max(samples) <= scenario.params.peak_viewers * 1.2


def test_phases_and_abrupt_end() -> None:
    scenario = Scenario()
    assert scenario.phase("facebook", 0) == "scheduled"
    assert scenario.phase("facebook", scenario.live_start) == "live"
    scenario.end_live("youtube", 600)
    assert scenario.phase("youtube", 700) == "ended"
    assert scenario.phase("facebook", 700) == "live"
    assert scenario.viewers("youtube", 700) == 0
    scenario.reset()
    assert scenario.phase("youtube", 700) == "live"


def test_comments_cover_what_officers_must_pick_out(scenario: Scenario) -> None:
    messages = [c.message for c in scenario.comments]
    assert 280 <= len(messages) <= 320
    text = "\n".join(messages + [m for c in scenario.comments for _, m in c.edits])
    for spelling in (
        r"\b0\d{3} \d{3} \d{3}\b",
        r"\b0\d{3}\.\d{3}\.\d{3}\b",
        r"\+84 \d{9}\b",
        r"(?<![+\d])84\d{9}\b",
        r"\b016\d{8}\b",
    ):
        assert re.search(spelling, text), spelling
    assert any("cho em hỏi mức đóng" in m.lower() for m in messages)
    assert any(re.fullmatch(r"[a-z ]+", m) for m in messages)  # typed without diacritics
    assert any(m and not re.search(r"\w", m) for m in messages)  # emoji only
    assert sorted(m for m in messages if m in HOSTILE_MESSAGES) == sorted(HOSTILE_MESSAGES)
    assert any(
        re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ]", c.author.name) for c in scenario.comments
    )


def test_replies_edits_and_deletions(scenario: Scenario) -> None:
    by_id = {c.id: c for c in scenario.comments}
    replies = [c for c in scenario.comments if c.parent_id]
    assert len(replies) > 20
    assert all(by_id[r.parent_id].created < r.created for r in replies)  # type: ignore[index]
    assert any(r.author.id == scenario.params.page_id for r in replies)
    edited = [c for c in scenario.comments if c.edits]
    deleted = [c for c in scenario.comments if c.deleted_at]
    assert len(edited) >= 3
    assert len(deleted) >= 3
    c = edited[0]
    ((at, new),) = c.edits
    assert c.message_at(at - 1) == c.message
    assert c.message_at(at) == new
    d = deleted[0]
    assert d in scenario.visible_comments(d.deleted_at - 1)  # type: ignore[operator]
    assert d not in scenario.visible_comments(d.deleted_at)  # type: ignore[arg-type]


def test_reactions_and_shares_grow_and_every_type_appears(scenario: Scenario) -> None:
    mid, end = scenario.live_start + 1800, scenario.scripted_end
    early, late = scenario.reaction_counts(mid), scenario.reaction_counts(end + WEEK)
    assert set(late) == set(REACTION_TYPES)
    assert all(late[k] >= early[k] for k in REACTION_TYPES)
    assert all(late[k] > 0 for k in REACTION_TYPES)
    assert sum(late.values()) > sum(early.values())
    assert 0 < scenario.share_count(mid) < scenario.share_count(end + WEEK)
    assert scenario.share_count(end + WEEK) == scenario.params.final_shares


def test_insights_settle_only_a_week_after_the_end(scenario: Scenario) -> None:
    end = scenario.scripted_end
    views = [
        scenario.video_insights(t)["total_video_views"]
        for t in (end - 1800, end, end + 3600, end + DAY, end + WEEK - 3600, end + WEEK)
    ]
    assert views == sorted(views)
    assert len(set(views)) == len(views)
    assert views[-1] == scenario.params.final_views
    assert scenario.video_insights(end + WEEK + DAY) == scenario.video_insights(end + WEEK)
    assert scenario.settle("facebook", scenario.live_start) == 0
    assert scenario.views("facebook", scenario.live_start - 1) == 0


def test_youtube_chat_has_its_own_messages_and_ends(scenario: Scenario) -> None:
    end = scenario.scripted_end
    channel = scenario.params.youtube_channel_id
    texts = [m.text for m in scenario.chat if m.type == "textMessageEvent"]
    viewers = [m for m in scenario.chat if m.type == "textMessageEvent" and m.author.id != channel]
    assert len(viewers) == scenario.params.chat_count
    assert set(texts) != {c.message for c in scenario.comments}
    assert any(re.search(r"\d{3}[ .]?\d{3}[ .]?\d{3}", t) for t in texts)
    assert any(m.type == "messageDeletedEvent" for m in scenario.chat)
    assert scenario.visible_chat(end - 1)[-1].type != "chatEndedEvent"
    assert scenario.visible_chat(end)[-1].type == "chatEndedEvent"


def test_overrides_shape_the_script() -> None:
    small = Scenario(ScenarioParams(comment_count=40, duration=600, start_offset=0))
    assert len(small.comments) == 40
    assert small.scripted_end == 600
    assert all(0 <= c.created < 600 for c in small.comments)


def test_the_page_and_the_channel_answer_in_words_that_read_like_leads(scenario: Scenario) -> None:
    """The office's own answers ask for a phone, promise a call and give its number: an input
    that must never become a lead."""
    p = scenario.params
    by_page = [c for c in scenario.comments if c.author.id == p.page_id]
    assert len(by_page) > 10
    assert all(c.parent_id for c in by_page)  # replies under viewers' comments
    assert any(re.search(r"0238 3844 112", c.message) for c in by_page)
    answers = [
        m for m in scenario.chat if m.author.id == p.youtube_channel_id and m.text
    ]  # the channel writes in its own chat, beside deleting messages
    assert len(answers) > 10
    assert any("0238 3844 112" in m.text for m in answers)
    assert all(m.text.startswith("@") for m in answers)


def test_the_youtube_replay_has_its_own_comments_and_moves_nothing_else(
    scenario: Scenario,
) -> None:
    """Comments under the YouTube replay: a phone first, one deleted hours later, the channel
    answering the first; drawn apart, so the live's script and Facebook's replay stay the same."""
    p = scenario.params
    end = scenario.scripted_end
    first, deleted = [c for c in scenario.youtube_replay if c.parent_id is None][:2]
    assert end < first.created < deleted.created < end + 3600
    assert re.search(r"\d{3}[ .]?\d{3}[ .]?\d{3}", first.message)
    assert deleted.deleted_at == deleted.created + 5 * 3600
    replies = [c for c in scenario.youtube_replay if c.parent_id == first.id]
    assert {c.author.id for c in replies} > {p.youtube_channel_id}  # and a viewer
    assert all(first.created < c.created < end + 3600 for c in replies)
    assert not {c.id for c in scenario.youtube_replay} & {c.id for c in scenario.comments}
    assert max(c.created for c in scenario.youtube_replay) <= end + 2 * DAY
    without = Scenario(youtube_replay_comments=0)
    assert without.youtube_replay == ()
    assert without.chat == scenario.chat
    assert without.comments == scenario.comments
    assert without.replay_comments == scenario.replay_comments
    assert without.reaction_times == scenario.reaction_times
    assert len(Scenario(youtube_replay_comments=5).youtube_replay) == 5 + 2 + 5


def test_the_first_youtube_thread_runs_longer_than_a_thread_carries(scenario: Scenario) -> None:
    """Five more viewers answer the first comment (seven replies; a thread carries five), the
    last with a phone number, from a stream of their own: every other comment stays as drawn."""
    end = scenario.scripted_end
    first = scenario.youtube_replay[0]
    replies = [c for c in scenario.youtube_replay if c.parent_id == first.id]
    assert len(replies) == 7 > YouTubeSettings().thread_replies
    assert re.search(r"\d{4} \d{3} \d{3}", max(replies, key=lambda c: c.created).message)
    assert all(first.created < c.created < end + 3600 for c in replies)
    assert len({c.id for c in replies}) == 7
    short = Scenario(youtube_long_thread=0)
    assert len(short.youtube_replay) == len(scenario.youtube_replay) - 5
    kept = {c.id: c for c in scenario.youtube_replay}
    assert all(replace(c, seq=kept[c.id].seq) == kept[c.id] for c in short.youtube_replay)
    assert [c.seq for c in scenario.youtube_replay] == list(range(len(scenario.youtube_replay)))
    created = [c.created for c in scenario.youtube_replay]
    assert created == sorted(created)
    assert short.chat == scenario.chat
    assert short.comments == scenario.comments


def test_a_deleted_youtube_comment_takes_its_replies_along() -> None:
    scenario = Scenario()
    first = scenario.youtube_replay[0]
    scenario.youtube_replay = tuple(
        replace(c, deleted_at=first.created + 60) if c.id == first.id else c
        for c in scenario.youtube_replay
    )
    later = scenario.scripted_end + DAY
    assert not any(first.id in (c.id, c.parent_id) for c in scenario.youtube_comments(later))


@pytest.mark.parametrize("platform", ["facebook", "youtube"])
@pytest.mark.parametrize("ended_after", [None, 30.0, 300.0, 900.0])
def test_views_never_fewer_than_the_viewers_seen(platform: str, ended_after: float | None) -> None:
    """Everyone seen watching counts as a view: early in a live, and after a broadcast ended a few
    minutes in, the views are at least the peak audience so far, and they never go down."""
    s = Scenario()
    if ended_after is not None:
        s.end_live(platform, s.live_start + ended_after)
    times = [s.live_start + k * 7.0 for k in range(700)] + [
        s.scripted_end + DAY,
        s.scripted_end + WEEK,
    ]
    peak, last = 0, 0
    for t in times:
        peak = max(peak, s.viewers(platform, t))
        views = s.views(platform, t)
        assert views >= peak, (t - s.live_start, views, peak)
        assert views >= last
        last = views
    assert s.views(platform, s.live_start - 1) == 0
    assert peak > 0
