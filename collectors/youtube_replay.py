"""The comments under a YouTube replay: ``commentThreads.list`` once the broadcast is over.

Viewers go on writing under the video for days after the live, where the live chat never shows
them, and a phone number left there an hour later is a lead like any other. So once the chat is
over (or there was none to read), each settling read (``settling.SETTLING_READS``) of the
collector also lists the video's comment threads: ``part=snippet,replies``, ``order=time``
(newest first), ``maxResults=100``, ``textFormat=plainText``, following ``nextPageToken`` for at
most ``MAX_PAGES`` pages a read (20 pages: 2,000 threads; a busier video loses its oldest threads
on that read, and the next read tries again), one quota unit a page
(https://developers.google.com/youtube/v3/determine_quota_cost).

Each top-level comment and each reply a thread carries becomes a ``CommentRecord`` whose
external id is the comment's id (a reply's parent is its thread's top-level comment); a comment
whose ``authorChannelId.value`` is the video's own channel is the office answering, ``by_owner``,
never a lead. A thread carries "not necessarily all" of its replies (the reference's words;
``totalReplyCount`` counts them all): the rest only ``comments.list?parentId=`` would list, and
this module does not read it, so a reply beyond those a thread carries is not collected.

``commentsDisabled`` (403): the channel switched the video's comments off. It is no failure of
the target: the read yields no comments and the next read asks again (the collector's
``ERROR_TABLE`` makes it a ``TargetGone`` with that code, which only this read can meet and
catches); any other error fails the poll as usual and the read is made again.

Deletions: the listing holds only the comments that still exist, so a read that listed every
thread (no page left) and every reply (each thread carrying ``totalReplyCount`` of them) says
that a stored comment it no longer lists was deleted. But the target's stored comments also hold
its live chat's messages, which ``commentThreads`` never lists: the span it reports
(``ListedSpan``) therefore starts ``CHAT_MARGIN`` after both the broadcast's end
(``actualEndTime``) and the last chat message the collector returned (no chat message is written
after the chat closes, which ``offlineAt`` marks at the end). A comment written under the video
before that (during the live, or in the minute after its end) is collected but never found
deleted. A capped read reports no span at all, nor does a poll that also brought chat messages
(the read at the end, when the chat's last page comes with it): the writer shows again a stored
comment marked deleted that a listing batch carries, which a chat message never may be.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from collectors.base import CommentRecord, ListedSpan, parse_time
from collectors.errors import TargetGone
from collectors.http import ApiClient
from collectors.pagination import Paginator

COMMENTS_COST = 1  # quota units per commentThreads.list page
PAGE_SIZE = 100  # the reference's maximum
MAX_PAGES = 20
COMMENTS_DISABLED = "commentsDisabled"
CHAT_MARGIN = timedelta(minutes=1)


@dataclass(frozen=True)
class ReplayRead:
    """What one listing brought: its comments, the pages it cost, whether it was whole."""

    comments: tuple[CommentRecord, ...] = ()
    pages: int = 0
    whole: bool = False  # every thread and every reply listed: the missing ones were deleted
    disabled: bool = False  # the video's comments are switched off

    @property
    def units(self) -> int:
        return self.pages * COMMENTS_COST


def parse_comment(resource: Mapping[str, Any], channel_id: str | None) -> CommentRecord | None:
    """One ``youtube#comment``; None without an id or a publication time."""
    snippet = resource.get("snippet") or {}
    created = parse_time(snippet.get("publishedAt"))
    if not resource.get("id") or created is None:
        return None
    author = (snippet.get("authorChannelId") or {}).get("value")
    text = snippet.get("textDisplay")  # plain text, as asked
    return CommentRecord(
        external_id=str(resource["id"]),
        message=str(text if text is not None else snippet.get("textOriginal") or ""),
        created_at=created,
        author_name=str(snippet.get("authorDisplayName") or ""),
        author_external_id=str(author) if author else None,
        parent_external_id=snippet.get("parentId"),
        by_owner=channel_id is not None and author == channel_id,
    )


def parse_threads(
    payload: Mapping[str, Any], channel_id: str | None
) -> tuple[tuple[CommentRecord, ...], bool]:
    """The comments of one page of threads, and whether each thread carried all its replies."""
    records: list[CommentRecord] = []
    every_reply = True
    for thread in payload.get("items") or []:
        snippet = thread.get("snippet") or {}
        top = parse_comment(snippet.get("topLevelComment") or {}, channel_id)
        if top is None:
            every_reply = False
            continue
        records.append(top)
        replies = (thread.get("replies") or {}).get("comments") or []
        for reply in replies:
            record = parse_comment(reply, channel_id)
            if record is not None:
                # A reply that does not name its parent belongs to the thread it came in.
                records.append(record if record.parent_external_id else
                               replace(record, parent_external_id=top.external_id))  # fmt: skip
        if int(snippet.get("totalReplyCount") or 0) > len(replies):
            every_reply = False
    return tuple(records), every_reply


def read_replay(
    client: ApiClient,
    video_id: str,
    channel_id: str | None,
    auth: tuple[Mapping[str, str], Mapping[str, str]],
    max_pages: int = MAX_PAGES,
) -> ReplayRead:
    """List the video's comment threads, newest first, page by page up to ``max_pages``."""
    headers, key = auth
    params = {"part": "snippet,replies", "videoId": video_id, "order": "time",
              "maxResults": PAGE_SIZE, "textFormat": "plainText", **key}  # fmt: skip
    comments: list[CommentRecord] = []
    pager = Paginator(max_pages)
    whole = True
    token: str | None = None
    while True:
        page = {**params, "pageToken": token} if token else params
        try:
            body = client.get("commentThreads", params=page, headers=dict(headers)).body
        except TargetGone as exc:
            if exc.code != COMMENTS_DISABLED:
                raise
            return ReplayRead(pages=pager.pages + 1, disabled=True)
        records, every_reply = parse_threads(body, channel_id)
        comments.extend(records)
        whole = whole and every_reply
        if not pager.advance(body.get("nextPageToken")):
            break
        token = pager.token
    return ReplayRead(tuple(comments), pager.pages, whole and not pager.capped)


def listed_after(
    read: ReplayRead, ended_at: datetime, chat_until: str | None
) -> tuple[ListedSpan, ...]:
    """The span a whole read listed: from a minute after both the end and the chat's last
    message (``chat_until``, ISO; None when no chat message was returned)."""
    if not read.whole or read.disabled:
        return ()
    last_chat = datetime.fromisoformat(chat_until) if chat_until else ended_at
    since = max(ended_at, last_chat) + CHAT_MARGIN
    return (ListedSpan(since, None),)
