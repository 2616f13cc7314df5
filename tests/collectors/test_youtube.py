"""The YouTube live collector against the loopback Data API fake: who wrote each chat message.

Platform behaviour pinned here (Data API v3, ``liveChatMessages.list``): every message names its
author in ``snippet.authorChannelId`` and ``authorDetails.channelId``; the channel that owns the
broadcast is flagged ``authorDetails.isChatOwner`` and is the ``snippet.channelId`` of
``videos.list``. The channel answering its viewers in its own chat is not a viewer.
"""

from __future__ import annotations

from typing import Any

import collectors
from collectors.base import CommentRecord, TargetSpec
from collectors.http import make_session
from collectors.youtube import parse_chat, parse_removed
from sandbox import Sandbox


def _collect_the_chat(
    sandbox: Sandbox, removed: list[str] | None = None
) -> dict[str, CommentRecord]:
    collector = collectors.build(
        "youtube_live",
        make_session(backoff=0),
        sandbox.youtube_url,
        clock=lambda: sandbox.scenario.datetime_at(sandbox.clock.now()),
        timeout=2,
    )
    spec = TargetSpec("youtube_live", sandbox.scenario.params.youtube_video_id,
                      sandbox.youtube_url, {"api_key": sandbox.youtube_api_key})  # fmt: skip
    cursor: dict[str, Any] = {}
    seen: dict[str, CommentRecord] = {}
    while not cursor.get("chat_over"):
        sandbox.advance(60)
        batch = collector.collect(spec, cursor)
        cursor = dict(batch.cursor)
        seen.update((c.external_id, c) for c in batch.comments)
        if removed is not None:
            removed.extend(batch.removed_comments)
    return seen


def test_the_channels_own_answers_say_so(sandbox: Sandbox) -> None:
    seen = _collect_the_chat(sandbox)
    channel = sandbox.scenario.params.youtube_channel_id
    answers = {m.id for m in sandbox.scenario.chat if m.author.id == channel and m.text}
    by_owner = {i for i, c in seen.items() if c.by_owner}
    assert by_owner
    assert by_owner == answers
    assert len(seen) > len(by_owner)  # and the viewers' messages do not
    assert {c.author_external_id for c in seen.values() if c.by_owner} == {channel}


def _message(author: str, **details: Any) -> dict[str, Any]:
    return {
        "id": f"LCC.{author}",
        "snippet": {
            "type": "textMessageEvent",
            "authorChannelId": author,
            "publishedAt": "2026-11-25T13:05:01.123Z",
            "hasDisplayContent": True,
            "displayMessage": "cán bộ sẽ gọi lại 0912 345 678",
        },  # fmt: skip
        "authorDetails": {"channelId": author, "displayName": author, **details},
    }


def test_the_owner_is_told_by_its_flag_or_by_the_videos_channel() -> None:
    payload = {
        "items": [
            _message("UCowner", isChatOwner=True),
            _message("UCviewer", isChatOwner=False),
            _message("UCchannel"),  # no flag served: the video's channel id decides
        ]
    }
    owners = {c.author_external_id: c.by_owner for c in parse_chat(payload, "UCchannel")}
    assert owners == {"UCowner": True, "UCviewer": False, "UCchannel": True}
    assert not any(c.by_owner for c in parse_chat({"items": payload["items"][1:]}))


def test_messages_a_moderator_deleted_are_reported_removed(sandbox: Sandbox) -> None:
    """A deletion is a chat item of its own (``messageDeletedEvent``), polled after the message
    it names; the collector hands the named id on, never the deletion as a comment."""
    removed: list[str] = []
    seen = _collect_the_chat(sandbox, removed)
    victims = [m.deleted_id for m in sandbox.scenario.chat if m.type == "messageDeletedEvent"]
    assert victims
    assert removed == victims
    assert set(removed) <= set(seen)  # each was collected first, as a comment
    assert not any(c.message == "" for c in seen.values())


def _removal(kind: str, details: str, field: str, message_id: str) -> dict[str, Any]:
    snippet = {"type": kind, "hasDisplayContent": False, details: {field: message_id}}
    return {"id": f"LCC.{kind}", "snippet": snippet}


def test_a_retracted_message_is_removed_too() -> None:
    payload = {
        "items": [
            _removal("messageDeletedEvent", "messageDeletedDetails", "deletedMessageId", "LCC.a"),
            _removal(
                "messageRetractedEvent", "messageRetractedDetails", "retractedMessageId", "LCC.b"
            ),
            _message("UCviewer"),
        ]
    }
    assert parse_removed(payload) == ("LCC.a", "LCC.b")
    assert [c.external_id for c in parse_chat(payload)] == ["LCC.UCviewer"]
