"""The YouTube live collector reads the comments under the replay, against the sandbox over HTTP.

Pinned Data API behaviour (``commentThreads.list``): threads of one video newest first with
``order=time``, at most 100 a page, paged by ``nextPageToken``; each thread's top-level comment
and the replies it carries (``snippet.parentId``), the author in ``authorChannelId.value`` (the
video's own channel when the office answers); a comment its author deleted is no longer listed;
403 ``commentsDisabled`` when the channel switched comments off; one quota unit a page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from collectors.base import Batch, CommentRecord, TargetSpec
from collectors.http import make_session
from collectors.youtube import YouTubeLiveCollector, make_client
from collectors.youtube_replay import CHAT_MARGIN, parse_threads
from sandbox import Sandbox, Scenario
from sandbox.scenario import DAY


def setup(sandbox: Sandbox, **kw: Any) -> tuple[YouTubeLiveCollector, TargetSpec]:
    client = make_client(make_session(backoff=0), sandbox.youtube_url, timeout=2)
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
    assert set(seen) == {first.id, deleted.id, answer.id, viewer.id}
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
    # One quota unit for the listing, one for the statistics; no chat read any more.
    assert batch.usage["quota_units"] == 2
    assert batch.calls == 2
    assert cursor["final_reads"] == [0, 3600]
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
    assert cursor["final_reads"] == [0, 3600, DAY]
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
    assert whole.usage["quota_units"] == 1 + 3
    assert whole.calls == 1 + 3
    assert whole.listed
    collector, spec = setup(busy, max_pages=2)
    capped = poll(collector, spec, {})
    assert len({c.external_id for c in capped.comments if c.parent_external_id is None}) == 200
    assert capped.usage["quota_units"] == 1 + 2
    assert capped.listed == ()
    newest = max(s.youtube_replay, key=lambda c: c.created)
    assert newest.id in by_id(capped)  # newest first: the cap leaves out the oldest


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
    records, every_reply = parse_threads({"items": [thread]}, "UCchan")
    assert not every_reply  # 7 replies, 2 carried: the others are not vouched for
    assert [r.external_id for r in records] == ["Ugz1", "Ugz1.a", "Ugz1.b"]
    assert [r.by_owner for r in records] == [False, True, False]
    assert records[2].parent_external_id == "Ugz1"  # no parentId: the thread it came in
    assert records[0].created_at - records[1].created_at == timedelta(0)
    thread["snippet"]["totalReplyCount"] = 2
    assert parse_threads({"items": [thread]}, "UCchan")[1]
    assert parse_threads({"items": [thread]}, None)[0][1].by_owner is False
