"""The YouTube live collector reads the comments under the replay, against the sandbox over HTTP.

Pinned Data API behaviour (``commentThreads.list``): threads of one video newest first with
``order=time``, at most 100 a page, paged by ``nextPageToken``; each thread's top-level comment
and the replies it carries (``snippet.parentId``), "not necessarily all" of them
(``totalReplyCount`` counts them all); the author in ``authorChannelId.value`` (the video's own
channel when the office answers); a comment its author deleted is no longer listed; 403
``commentsDisabled`` when the channel switched comments off; one quota unit a page.
``comments.list?parentId=`` lists all of a thread's replies, oldest first, at most 100 a page,
one quota unit a page; 404 ``commentNotFound`` once the top-level comment is gone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import requests

from collectors.base import Batch, CommentRecord, TargetSpec
from collectors.errors import RateLimited
from collectors.http import make_session
from collectors.settling import FIRST_HOUR
from collectors.youtube import YouTubeLiveCollector, make_client
from collectors.youtube_replay import CHAT_MARGIN, MAX_REPLY_PAGES, parse_threads
from sandbox import Sandbox, Scenario
from sandbox.scenario import DAY


def setup(
    sandbox: Sandbox, session: requests.Session | None = None, **kw: Any
) -> tuple[YouTubeLiveCollector, TargetSpec]:
    session = session or make_session(backoff=0)
    client = make_client(session, sandbox.youtube_url, timeout=2)
    collector = YouTubeLiveCollector(
        client, clock=lambda: sandbox.scenario.datetime_at(sandbox.clock.now()), **kw
    )
    spec = TargetSpec("youtube_live", sandbox.scenario.params.youtube_video_id,
                      sandbox.youtube_url, {"api_key": sandbox.youtube_api_key})  # fmt: skip
    return collector, spec


def poll(collector: YouTubeLiveCollector, spec: TargetSpec, cursor: dict[str, Any]) -> Batch:
    batch = collector.collect(spec, cursor)
    cursor.clear()
    cursor.update(batch.cursor)
    return batch


def follow_the_live(sandbox: Sandbox, collector: YouTubeLiveCollector, spec: TargetSpec) -> dict:
    """Poll the live every minute until its chat is over; the cursor after it."""
    cursor: dict[str, Any] = {}
    sandbox.clock.set(sandbox.scenario.live_start + 30)
    while not cursor.get("chat_over"):
        sandbox.advance(60)
        poll(collector, spec, cursor)
    return cursor


def by_id(batch: Batch) -> dict[str, CommentRecord]:
    return {c.external_id: c for c in batch.comments}


def test_the_read_an_hour_after_the_end_brings_the_replays_comments(sandbox: Sandbox) -> None:
    collector, spec = setup(sandbox)
    s = sandbox.scenario
    cursor = follow_the_live(sandbox, collector, spec)
    chat = {m.id for m in s.chat}
    sandbox.clock.set(s.scripted_end + 3600)
    batch = poll(collector, spec, cursor)
    first, deleted, answer, viewer = s.youtube_replay[:4]
    seen = by_id(batch)
    assert set(seen) == {c.id for c in s.youtube_comments(sandbox.clock.now())}
    assert {first.id, deleted.id, answer.id, viewer.id} < set(seen)
    assert len(batch.comments) == len(seen)  # the carried replies come again: each once
    assert not set(seen) & chat
    assert seen[first.id].message == first.message  # the phone number: a lead for the app
    assert seen[first.id].created_at == s.datetime_at(first.created)
    assert seen[first.id].author_external_id == first.author.id
    assert seen[first.id].parent_external_id is None
    assert not seen[first.id].by_owner
    # The office answering under the replay is its own channel: never a lead.
    assert seen[answer.id].by_owner
    assert seen[answer.id].author_external_id == s.params.youtube_channel_id
    assert seen[answer.id].parent_external_id == first.id
    assert not seen[viewer.id].by_owner
    assert seen[viewer.id].parent_external_id == first.id
    # One quota unit for the threads, one for the first thread's replies, one for the
    # statistics; no chat read any more.
    assert batch.usage["quota_units"] == 3
    assert batch.calls == 3
    assert batch.listed  # every thread and every reply: a whole read
    assert cursor["final_reads"] == [*FIRST_HOUR, 3600]
    assert not batch.finished
    # Never while the chat was being read: the comment section waits for the broadcast's end.
    times = [e["t"] for e in sandbox.requests_log if e["path"].endswith("/commentThreads")]
    assert times
    assert min(times) >= s.scripted_end


def test_every_settling_read_lists_them_again_and_a_deletion_shows(sandbox: Sandbox) -> None:
    collector, spec = setup(sandbox)
    s = sandbox.scenario
    cursor = follow_the_live(sandbox, collector, spec)
    last_chat = max(s.datetime_at(m.published) for m in s.chat if m.text)
    deleted = s.youtube_replay[1]
    for offset in (3600, DAY, 7 * DAY):
        sandbox.clock.set(s.scripted_end + offset)
        batch = poll(collector, spec, cursor)
        expected = {c.id for c in s.youtube_comments(sandbox.clock.now())}
        assert set(by_id(batch)) == expected
        assert (deleted.id in expected) == (offset == 3600)
        # The listing was whole: it vouches for what it does not list, but only after the
        # chat's last message and the end, so no chat message is taken for deleted.
        (span,) = batch.listed
        assert span.until is None
        end = s.datetime_at(s.scripted_end)
        assert span.since == max(end, last_chat) + CHAT_MARGIN
        assert span.since <= s.datetime_at(deleted.created)
        assert span.since > max(s.datetime_at(m.published) for m in s.chat)
    assert batch.finished
    assert len(by_id(batch)) > 4  # the comments of the days after came with the later reads


def test_the_poll_that_drains_the_chat_vouches_for_no_deletion(sandbox: Sandbox) -> None:
    """The read at the end comes with the chat's last page (``offlineAt``): it lists the replay,
    but a batch carrying chat messages must not say what it listed whole, or the app would show
    again a chat message a moderator deleted."""
    collector, spec = setup(sandbox)
    s = sandbox.scenario
    cursor: dict[str, Any] = {}
    sandbox.clock.set(s.scripted_end - 300)
    poll(collector, spec, cursor)
    log = len(sandbox.requests_log)
    sandbox.clock.set(s.scripted_end + 60)  # the chat's last page, with offlineAt
    batch = poll(collector, spec, cursor)
    paths = [e["path"] for e in sandbox.requests_log[log:]]
    assert any(p.endswith("/liveChat/messages") for p in paths)
    assert any(p.endswith("/commentThreads") for p in paths)
    assert cursor["chat_over"]
    assert any(c.external_id.startswith("LCC.") for c in batch.comments)  # the chat's last
    assert batch.listed == ()


def test_a_video_first_read_after_its_end_reads_its_replay_at_once(sandbox: Sandbox) -> None:
    collector, spec = setup(sandbox)
    s = sandbox.scenario
    sandbox.clock.set(s.scripted_end + 3 * DAY)
    cursor: dict[str, Any] = {}
    batch = poll(collector, spec, cursor)  # no chat left to read: none was ever followed
    assert set(by_id(batch)) == {c.id for c in s.youtube_comments(sandbox.clock.now())}
    assert cursor["final_reads"] == [*FIRST_HOUR, 3600, DAY]
    (span,) = batch.listed
    assert span.since == s.datetime_at(s.scripted_end) + CHAT_MARGIN


def test_comments_switched_off_yield_no_comments_and_keep_the_target(sandbox: Sandbox) -> None:
    sandbox.youtube.settings.comments_disabled = True
    collector, spec = setup(sandbox)
    s = sandbox.scenario
    sandbox.clock.set(s.scripted_end + 3600)
    cursor: dict[str, Any] = {}
    batch = poll(collector, spec, cursor)
    assert batch.comments == ()
    assert batch.listed == ()  # nothing listed: nothing is taken for deleted
    assert batch.status == "ended"
    assert not batch.finished
    assert cursor["comments_disabled"] is True
    assert batch.usage["quota_units"] == 2  # the refused call is spent all the same
    sandbox.youtube.settings.comments_disabled = False
    sandbox.clock.set(s.scripted_end + DAY)
    assert poll(collector, spec, cursor).comments
    assert cursor["comments_disabled"] is False


@pytest.fixture
def busy() -> Any:
    """A replay that drew 250 top-level comments: three pages of 100."""
    with Sandbox.start(scenario=Scenario(youtube_replay_comments=250)) as sandbox:
        yield sandbox


def test_pages_are_followed_up_to_the_cap_and_a_capped_read_vouches_for_nothing(
    busy: Sandbox,
) -> None:
    s = busy.scenario
    busy.clock.set(s.scripted_end + 3 * DAY)
    everything = {c.id for c in s.youtube_comments(busy.clock.now())}
    collector, spec = setup(busy)
    whole = poll(collector, spec, {})
    assert set(by_id(whole)) == everything
    assert whole.usage["quota_units"] == 1 + 3 + 1  # and the long thread's replies
    assert whole.calls == 1 + 3 + 1
    assert whole.listed
    collector, spec = setup(busy, max_pages=2)
    capped = poll(collector, spec, {})
    assert len({c.external_id for c in capped.comments if c.parent_external_id is None}) == 200
    assert capped.usage["quota_units"] == 1 + 2  # the long thread, the oldest, was left out
    assert capped.listed == ()
    newest = max(s.youtube_replay, key=lambda c: c.created)
    assert newest.id in by_id(capped)  # newest first: the cap leaves out the oldest


def replies_of(scenario: Scenario, parent_id: str) -> list[Any]:
    """A thread's replies as the scenario wrote them, oldest first."""
    replies = [c for c in scenario.youtube_replay if c.parent_id == parent_id]
    return sorted(replies, key=lambda c: (c.created, c.seq))


def test_a_reply_beyond_those_its_thread_carries_is_collected(sandbox: Sandbox) -> None:
    """The first thread has seven replies and carries five: ``comments.list`` brings the rest,
    the seventh's phone number among them, each under its thread."""
    collector, spec = setup(sandbox)
    s = sandbox.scenario
    first = s.youtube_replay[0]
    replies = replies_of(s, first.id)
    assert len(replies) > sandbox.youtube.settings.thread_replies
    sandbox.clock.set(s.scripted_end + 3600)
    batch = poll(collector, spec, {})
    seen = by_id(batch)
    seventh = seen[replies[6].id]
    assert seventh.parent_external_id == first.id
    assert seventh.message == replies[6].message
    assert re.search(r"0\d{3} \d{3} \d{3}", seventh.message)  # a number to call back
    assert seventh.author_external_id == replies[6].author.id
    assert not seventh.by_owner
    assert seventh.created_at == s.datetime_at(replies[6].created)
    assert {r.id for r in replies} <= set(seen)
    (asked,) = [e["params"] for e in sandbox.requests_log if e["path"].endswith("/comments")]
    assert asked == {"part": "snippet", "parentId": first.id, "maxResults": "100",
                     "textFormat": "plainText", "key": sandbox.youtube_api_key}  # fmt: skip
    assert batch.listed  # every thread and every reply listed


@pytest.fixture
def long_thread() -> Any:
    """The first thread has 252 replies: three pages of comments.list."""
    with Sandbox.start(scenario=Scenario(youtube_long_thread=250)) as sandbox:
        yield sandbox


def test_the_reply_budget_cuts_a_read_and_a_cut_read_vouches_for_nothing(
    long_thread: Sandbox,
) -> None:
    s = long_thread.scenario
    first = s.youtube_replay[0]
    replies = replies_of(s, first.id)
    long_thread.clock.set(s.scripted_end + 3 * DAY)
    assert MAX_REPLY_PAGES == 20
    collector, spec = setup(long_thread)
    whole = poll(collector, spec, {})
    assert {r.id for r in replies} <= set(by_id(whole))
    assert whole.usage["quota_units"] == 1 + 1 + 3  # statistics, threads, three reply pages
    assert whole.calls == 1 + 1 + 3
    assert whole.listed
    collector, spec = setup(long_thread, max_reply_pages=2)
    cut = poll(collector, spec, {})
    listed = {c.external_id for c in cut.comments if c.parent_external_id == first.id}
    assert listed == {r.id for r in replies[:200]}  # oldest first: the newest are left out
    assert cut.usage["quota_units"] == 1 + 1 + 2
    assert cut.calls == 1 + 1 + 2
    # A reply it did not list may well still exist: the cut read takes nothing for deleted.
    assert cut.listed == ()
    collector, spec = setup(long_thread, max_reply_pages=0)
    none = poll(collector, spec, {})
    assert none.listed == ()
    assert none.usage["quota_units"] == 1 + 1


def test_a_thread_deleted_before_its_replies_are_listed_leaves_the_read_not_whole(
    sandbox: Sandbox,
) -> None:
    """404 ``commentNotFound`` on ``comments.list``: the top-level comment went between the two
    calls. That thread is not vouched for; the target goes on."""
    s = sandbox.scenario
    first = s.youtube_replay[0]
    gone = first.created + 7200
    s.youtube_replay = tuple(
        replace(c, deleted_at=gone) if c.id == first.id else c for c in s.youtube_replay
    )
    session = make_session(backoff=0)

    def delete_between(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if "/commentThreads" in response.url:
            sandbox.clock.set(gone)

    session.hooks["response"].append(delete_between)
    collector, spec = setup(sandbox, session)
    sandbox.clock.set(gone - 1)
    batch = poll(collector, spec, {})
    asked = [e for e in sandbox.requests_log if e["path"].endswith("/comments")]
    assert len(asked) == 1
    seen = by_id(batch)
    assert first.id in seen  # listed with its thread, while it still was
    carried = replies_of(s, first.id)[:5]
    assert {c.id for c in carried} <= set(seen)
    assert not batch.finished
    assert batch.status == "ended"
    assert batch.listed == ()
    assert batch.usage["quota_units"] == 1 + 1 + 1  # the refused call is spent all the same


def test_any_other_error_on_the_replies_fails_the_poll(sandbox: Sandbox) -> None:
    session = make_session(backoff=0)

    def refuse_next(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if "/commentThreads" in response.url:
            sandbox.fail_next("youtube", "quota_exceeded")

    session.hooks["response"].append(refuse_next)
    collector, spec = setup(sandbox, session)
    sandbox.clock.set(sandbox.scenario.scripted_end + 3600)
    with pytest.raises(RateLimited):
        poll(collector, spec, {})
    assert sandbox.requests_log[-1]["path"].endswith("/comments")


def _comment(cid: str, author: str, **extra: Any) -> dict[str, Any]:
    snippet = {
        "textDisplay": f"text {cid}",
        "publishedAt": "2026-11-25T15:00:00Z",
        "authorChannelId": {"value": author},
        "authorDisplayName": author,
        **extra,
    }
    return {"kind": "youtube#comment", "id": cid, "snippet": snippet}


def test_a_thread_that_carries_only_some_of_its_replies_is_not_whole() -> None:
    thread = {
        "id": "Ugz1",
        "snippet": {"topLevelComment": _comment("Ugz1", "UCviewer"), "totalReplyCount": 7},
        "replies": {
            "comments": [
                _comment("Ugz1.a", "UCchan", parentId="Ugz1"),
                _comment("Ugz1.b", "UCviewer"),
            ]
        },  # fmt: skip
    }
    page = parse_threads({"items": [thread]}, "UCchan")
    records = page.comments
    assert page.short == ("Ugz1",)  # 7 replies, 2 carried: comments.list must list the rest
    assert page.readable
    assert [r.external_id for r in records] == ["Ugz1", "Ugz1.a", "Ugz1.b"]
    assert [r.by_owner for r in records] == [False, True, False]
    assert records[2].parent_external_id == "Ugz1"  # no parentId: the thread it came in
    assert records[0].created_at - records[1].created_at == timedelta(0)
    thread["snippet"]["totalReplyCount"] = 2
    assert parse_threads({"items": [thread]}, "UCchan").short == ()
    assert parse_threads({"items": [thread]}, None).comments[1].by_owner is False
