"""The comments under a YouTube replay once the broadcast is over: ``commentThreads.list``, and
``comments.list`` for the replies a thread leaves out.

Viewers go on writing under the video for days after the live, where the live chat never shows
them, and a phone number left there an hour later is a lead like any other. So once the chat is
over (or there was none to read), each settling read (``settling.SETTLING_READS``) of the
collector also lists the video's comment threads: ``part=snippet,replies``, ``order=time``
(newest first), ``maxResults=100``, ``textFormat=plainText``, following ``nextPageToken`` for at
most ``MAX_PAGES`` pages a read (20 pages: 2,000 threads; a busier video loses its oldest threads
on that read, and the next read tries again), one quota unit a page
(https://developers.google.com/youtube/v3/determine_quota_cost).

Each top-level comment and each reply becomes a ``CommentRecord`` whose external id is the
comment's id (a reply's parent is its thread's top-level comment); a comment whose
``authorChannelId.value`` is the video's own channel is the office answering, ``by_owner``, never
a lead. A thread carries "not necessarily all" of its replies (the reference's words;
``totalReplyCount`` counts them all), so for each thread that carried fewer than its
``totalReplyCount`` the read then lists them with ``comments.list``: ``part=snippet``,
``parentId=<top-level comment id>``, ``maxResults=100``, ``textFormat=plainText``, following
``nextPageToken``, one quota unit a page like ``commentThreads``. A read spends at most
``MAX_REPLY_PAGES`` such pages over all its threads (20 pages; the newest threads first), so a
busy video cannot drain the day's quota: a thread the budget cut, or never reached, is read
again by the next read. The replies its thread carried come again in that listing; each comment
is returned once. A ``commentNotFound`` (404) there means the top-level comment was deleted
since its thread was listed, and ``commentsDisabled`` that the comments were switched off
meanwhile (no further thread is asked): either leaves that thread not whole, and the read goes
on; any other error fails the poll, as on the threads.

``commentsDisabled`` (403): the channel switched the video's comments off. It is no failure of
the target: the read yields no comments and the next read asks again (the collector's
``ERROR_TABLE`` makes it a ``TargetGone`` with that code, which only this read can meet and
catches); any other error fails the poll as usual and the read is made again.

Deletions: the listing holds only the comments that still exist, so a read that listed every
thread (no page left) and every reply (each thread carrying ``totalReplyCount`` of them, or its
``comments.list`` followed to the last page within the budget) says that a stored comment it no
longer lists was deleted. But the target's stored comments also hold its live chat's messages,
which ``commentThreads`` never lists: the span it reports (``ListedSpan``) therefore starts
``CHAT_MARGIN`` after both the broadcast's end (``actualEndTime``) and the last chat message the
collector returned (no chat message is written after the chat closes, which ``offlineAt`` marks
at the end). A comment written under the video before that (during the live, or in the minute
after its end) is collected but never found deleted. A read cut by either budget (thread pages
or reply pages) reports no span at all, nor does a poll that also brought chat messages (the
read at the end, when the chat's last page comes with it): the writer shows again a stored
comment marked deleted that a listing batch carries, which a chat message never may be.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from collectors.base import CommentRecord, ListedSpan, parse_time
from collectors.errors import TargetGone
from collectors.http import ApiClient
from collectors.pagination import Paginator

COMMENTS_COST = 1  # quota units per commentThreads.list page, and per comments.list page
PAGE_SIZE = 100  # the reference's maximum, for both methods
MAX_PAGES = 20
MAX_REPLY_PAGES = 20  # comments.list pages a read may spend, over all its threads
COMMENTS_DISABLED = "commentsDisabled"
COMMENT_NOT_FOUND = "commentNotFound"
CHAT_MARGIN = timedelta(minutes=1)


@dataclass(frozen=True)
class ReplayRead:
    """What one listing brought: its comments, the pages it cost (threads and replies), whether
    it was whole."""

    comments: tuple[CommentRecord, ...] = ()
    pages: int = 0
    whole: bool = False  # every thread and every reply listed: the missing ones were deleted
    disabled: bool = False  # the video's comments are switched off

    @property
    def units(self) -> int:
        return self.pages * COMMENTS_COST


@dataclass(frozen=True)
class ThreadPage:
    """One page of threads: its comments, the threads that carried only some of their replies
    (by top-level comment id), and whether every thread on it could be read."""

    comments: tuple[CommentRecord, ...]
    short: tuple[str, ...]
    readable: bool


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


def parse_replies(
    items: Iterable[Mapping[str, Any]], parent_id: str, channel_id: str | None
) -> list[CommentRecord]:
    """Replies to one top-level comment; one that does not name its parent belongs to it."""
    records = []
    for item in items:
        record = parse_comment(item, channel_id)
        if record is not None:
            records.append(record if record.parent_external_id else
                           replace(record, parent_external_id=parent_id))  # fmt: skip
    return records


def parse_threads(payload: Mapping[str, Any], channel_id: str | None) -> ThreadPage:
    """The comments of one page of threads, and the threads short of some of their replies."""
    records: list[CommentRecord] = []
    short: list[str] = []
    readable = True
    for thread in payload.get("items") or []:
        snippet = thread.get("snippet") or {}
        top = parse_comment(snippet.get("topLevelComment") or {}, channel_id)
        if top is None:
            readable = False
            continue
        records.append(top)
        replies = (thread.get("replies") or {}).get("comments") or []
        records += parse_replies(replies, top.external_id, channel_id)
        if int(snippet.get("totalReplyCount") or 0) > len(replies):
            short.append(top.external_id)
    return ThreadPage(tuple(records), tuple(short), readable)


def read_replay(
    client: ApiClient,
    video_id: str,
    channel_id: str | None,
    auth: tuple[Mapping[str, str], Mapping[str, str]],
    max_pages: int = MAX_PAGES,
    max_reply_pages: int = MAX_REPLY_PAGES,
) -> ReplayRead:
    """List the video's comment threads, newest first, page by page up to ``max_pages``; then
    the replies of the threads that carried only some, up to ``max_reply_pages`` in all."""
    headers, key = auth
    params = {"part": "snippet,replies", "videoId": video_id, "order": "time",
              "maxResults": PAGE_SIZE, "textFormat": "plainText", **key}  # fmt: skip
    comments: list[CommentRecord] = []
    short: list[str] = []
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
        threads = parse_threads(body, channel_id)
        comments += threads.comments
        short += threads.short
        whole = whole and threads.readable
        if not pager.advance(body.get("nextPageToken")):
            break
        token = pager.token
    replies = ReplyLister(client, channel_id, auth, max_reply_pages)
    for parent_id in dict.fromkeys(short):  # a thread two pages overlap on: asked once
        comments += replies.list(parent_id)
    whole = whole and not pager.capped and replies.whole
    return ReplayRead(_unique(comments), pager.pages + replies.pages, whole)


class ReplyLister:
    """``comments.list?parentId=``, oldest first, under one read's budget of pages."""

    def __init__(
        self,
        client: ApiClient,
        channel_id: str | None,
        auth: tuple[Mapping[str, str], Mapping[str, str]],
        budget: int,
    ) -> None:
        self.client, self.channel_id, self.budget = client, channel_id, budget
        self.headers, self.key = auth
        self.pages = 0
        self.whole = True  # every reply of every thread asked for was listed
        self.stopped = False  # the comments were switched off meanwhile: ask no more

    def list(self, parent_id: str) -> list[CommentRecord]:
        """The replies to one top-level comment, as many as the budget left allows."""
        if self.stopped or self.pages >= self.budget:
            self.whole = False
            return []
        params = {"part": "snippet", "parentId": parent_id, "maxResults": PAGE_SIZE,
                  "textFormat": "plainText", **self.key}  # fmt: skip
        pager = Paginator(self.budget - self.pages)
        records: list[CommentRecord] = []
        while True:
            page = {**params, "pageToken": pager.token} if pager.token else params
            try:
                body = self.client.get("comments", params=page, headers=dict(self.headers)).body
            except TargetGone as exc:
                # Deleted since its thread was listed (its replies with it), or the comments
                # switched off: that thread is not vouched for; any other error fails the poll.
                if exc.code not in (COMMENT_NOT_FOUND, COMMENTS_DISABLED):
                    raise
                self.pages += 1
                self.whole = False
                self.stopped = exc.code == COMMENTS_DISABLED
                return records
            records += parse_replies(body.get("items") or [], parent_id, self.channel_id)
            more = pager.advance(body.get("nextPageToken"))
            self.pages += 1
            if not more:
                break
        self.whole = self.whole and not pager.capped
        return records


def _unique(comments: list[CommentRecord]) -> tuple[CommentRecord, ...]:
    """Each comment once: the replies a thread carried come again in its ``comments.list``."""
    return tuple({c.external_id: c for c in comments}.values())


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
