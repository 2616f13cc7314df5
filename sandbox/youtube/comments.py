"""``commentThreads.list`` and ``comments.list``: the comments under the replay of the scenario's
video.

``commentThreads.list``: ``part`` (id, snippet, replies; required), ``videoId`` (the one filter
served), ``maxResults`` (1–100, default 20), ``pageToken``, ``order`` (``time``, the default:
newest thread first; ``relevance``: most liked first, then newest), ``textFormat`` (``html``, the
default: the text escaped with ``<br>`` for line breaks; ``plainText``). Each thread carries its
top-level comment and, with ``part=replies``, at most ``YouTubeSettings.thread_replies`` of its
replies, oldest first (the reference says a thread "does not necessarily contain all the
replies"; ``totalReplyCount`` counts them all). A comment its author deleted is gone from the
listing, and its replies with it.

``comments.list``: ``part`` (id, snippet; required) and exactly one filter: ``parentId``, the
replies to one top-level comment, oldest first, ``maxResults`` (1–100, default 20) a page, paged
by ``nextPageToken``; or ``id``, a comma-separated list of comment ids (top-level or replies),
which takes neither ``maxResults`` nor ``pageToken``. ``textFormat`` as above. A reply names its
top-level comment in ``snippet.parentId``; a reply has no replies of its own (an empty listing).

Errors as the reference lists them: an unknown video is 404 ``videoNotFound``; a video whose
comments are switched off (``YouTubeSettings.comments_disabled``) is 403 ``commentsDisabled`` on
the threads; a page token that is not ours, or from the other order or another parent, is 400
``invalidPageToken``; ``comments.list`` without a filter is 400 ``missingRequiredParameter``, with
two (or ``id`` with paging) 400 ``incompatibleParameters``, and a ``parentId`` that names no
existing comment (never written, or deleted) 404 ``commentNotFound``. Choices the reference leaves
open: ``id`` leaves out the ids that name no comment (the items may be empty) rather than
failing; switching comments off refuses only the thread listing. The channel's plain upload has
no scripted comments: its listing is empty.
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING, Any

from sandbox.youtube.errors import GoogleError, int_in_range, one_of, requested_parts
from sandbox.youtube.formats import etag, youtube_time

if TYPE_CHECKING:
    from sandbox.faults import Fault
    from sandbox.scenario import Scenario, ScriptedComment
    from sandbox.truth import Served
    from sandbox.youtube.settings import YouTubeSettings

THREAD_PARTS = frozenset({"id", "snippet", "replies"})
COMMENT_PARTS = frozenset({"id", "snippet"})
ORDERS = ("time", "relevance")
TEXT_FORMATS = ("html", "plainText")
DOMAIN = "youtube.commentThread"
COMMENT_DOMAIN = "youtube.comment"

Key = tuple[int, ...]


class CommentsMixin:
    """The replay's comment threads, paged by a token naming the last thread served."""

    scenario: Scenario
    settings: YouTubeSettings

    def _comment_threads(
        self, params: dict[str, str], t: float, served: Served, fault: Fault | None
    ) -> dict[str, Any]:
        parts = requested_parts(params, THREAD_PARTS)
        video_id = self._thread_video(params)
        size = int_in_range(params, "maxResults", 20, 1, 100)
        order = one_of(params, "order", ORDERS)
        text_format = one_of(params, "textFormat", TEXT_FORMATS)
        token = params.get("pageToken")
        after = _decode_token(f"CT{order}", token) if token is not None else None
        shown = self.scenario.youtube_comments(t) if video_id == self._video_id else []
        replies: dict[str, list[ScriptedComment]] = {}
        for comment in shown:
            if comment.parent_id is not None:
                replies.setdefault(comment.parent_id, []).append(comment)
        threads = sorted((c for c in shown if c.parent_id is None), key=lambda c: _key(order, c))
        start = 0 if after is None else next(
            (n for n, c in enumerate(threads) if _key(order, c) > after), len(threads)
        )  # fmt: skip
        page = threads[start : start + size]
        body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "etag": etag()}
        next_key = _key(order, page[-1]) if page and start + size < len(threads) else None
        if fault is not None and fault.kind == "duplicate_page":
            next_key = after if after is not None else ()
        elif fault is not None and fault.kind == "overlapping_page" and page:
            back = start + len(page) - 1 - int(fault.opt("overlap", 3))
            next_key = _key(order, threads[back]) if back >= 0 else ()
        if next_key is not None:
            body["nextPageToken"] = _encode_token(f"CT{order}", next_key)
        body["pageInfo"] = {"totalResults": len(page), "resultsPerPage": size}
        body["items"] = [
            self._thread(top, replies.get(top.id, []), parts, text_format, t, served)
            for top in page
        ]
        return body

    def _comments_list(
        self, params: dict[str, str], t: float, served: Served, fault: Fault | None
    ) -> dict[str, Any]:
        """``comments.list``: the comments ``id`` names, or the replies to ``parentId``."""
        parts = requested_parts(params, COMMENT_PARTS)
        ids, parent_id = params.get("id"), params.get("parentId")
        if not ids and not parent_id:
            raise GoogleError(400, "missingRequiredParameter",
                              "No filter selected. Expected one of: id, parentId")  # fmt: skip
        text_format = one_of(params, "textFormat", TEXT_FORMATS)
        shown = self.scenario.youtube_comments(t)
        body: dict[str, Any] = {"kind": "youtube#commentListResponse", "etag": etag()}
        if ids:
            for other in ("parentId", "maxResults", "pageToken"):
                if other in params:
                    raise GoogleError(400, "incompatibleParameters",
                                      f"Incompatible parameters specified in the request: id, "
                                      f"{other}")  # fmt: skip
            by_id = {c.id: c for c in shown}
            page = [by_id[i] for i in ids.split(",") if i in by_id]
            size = len(page)
        else:
            size = int_in_range(params, "maxResults", 20, 1, 100)
            page, next_key = self._replies_page(str(parent_id), shown, size, params, fault)
            if next_key is not None:
                body["nextPageToken"] = _encode_token(f"CM{parent_id}", next_key)
        body["pageInfo"] = {"totalResults": len(page), "resultsPerPage": size}
        body["items"] = [
            self._comment(c, text_format, t, served)
            if "snippet" in parts
            else {"kind": "youtube#comment", "etag": etag(), "id": c.id}
            for c in page
        ]
        return body

    def _replies_page(
        self,
        parent_id: str,
        shown: list[ScriptedComment],
        size: int,
        params: dict[str, str],
        fault: Fault | None,
    ) -> tuple[list[ScriptedComment], Key | None]:
        """One page of a comment's replies, oldest first, and the key the next page starts
        after (None on the last page)."""
        token = params.get("pageToken")
        after = _decode_token(f"CM{parent_id}", token) if token is not None else None
        if not any(c.id == parent_id for c in shown):
            raise GoogleError(404, "commentNotFound",
                              "The comment identified by the <code>parentId</code> parameter "
                              "could not be found.", COMMENT_DOMAIN, location="parentId",
                              locationType="parameter")  # fmt: skip
        replies = sorted((c for c in shown if c.parent_id == parent_id), key=_oldest)
        start = 0 if after is None else next(
            (n for n, c in enumerate(replies) if _oldest(c) > after), len(replies)
        )  # fmt: skip
        page = replies[start : start + size]
        next_key = _oldest(page[-1]) if page and start + size < len(replies) else None
        if fault is not None and fault.kind == "duplicate_page":
            next_key = after if after is not None else ()
        return page, next_key

    @property
    def _video_id(self) -> str:
        return self.scenario.params.youtube_video_id

    def _thread_video(self, params: dict[str, str]) -> str:
        video_id = params.get("videoId")
        if not video_id:
            raise GoogleError(400, "missingRequiredParameter",
                              "No filter selected. Expected one of: videoId, id, "
                              "allThreadsRelatedToChannelId")  # fmt: skip
        if video_id not in (self._video_id, self.scenario.params.youtube_clip_id):
            raise GoogleError(
                404,
                "videoNotFound",
                'The video identified by the <code><a href="/youtube/v3/docs/commentThreads/'
                'list#videoId">videoId</a></code> parameter could not be found.',
                DOMAIN,
                location="videoId",
                locationType="parameter",
            )
        if self.settings.comments_disabled:
            raise GoogleError(
                403,
                "commentsDisabled",
                'The video identified by the <code><a href="/youtube/v3/docs/commentThreads/'
                'list#videoId">videoId</a></code> parameter has disabled comments.',
                DOMAIN,
                location="videoId",
                locationType="parameter",
            )
        return video_id

    def _thread(
        self,
        top: ScriptedComment,
        replies: list[ScriptedComment],
        parts: set[str],
        text_format: str,
        t: float,
        served: Served,
    ) -> dict[str, Any]:
        item: dict[str, Any] = {"kind": "youtube#commentThread", "etag": etag(), "id": top.id}
        p = self.scenario.params
        if "snippet" in parts:
            item["snippet"] = {
                "channelId": p.youtube_channel_id,
                "videoId": p.youtube_video_id,
                "topLevelComment": self._comment(top, text_format, t, served),
                "canReply": True,
                "totalReplyCount": len(replies),
                "isPublic": True,
            }
        included = replies[: self.settings.thread_replies]
        if "replies" in parts and included:
            item["replies"] = {
                "comments": [self._comment(r, text_format, t, served) for r in included]
            }
        return item

    def _comment(
        self, comment: ScriptedComment, text_format: str, t: float, served: Served
    ) -> dict[str, Any]:
        s, p = self.scenario, self.scenario.params
        text = comment.message_at(t)
        edited = max((at for at, _ in comment.edits if at <= t), default=comment.created)
        published = youtube_time(s.datetime_at(comment.created))
        served.note("yt_comment", comment.id, text, comment.parent_id, published)
        display = html.escape(text).replace("\n", "<br>") if text_format == "html" else text
        snippet: dict[str, Any] = {
            "channelId": p.youtube_channel_id,
            "videoId": p.youtube_video_id,
            "textDisplay": display,
            "textOriginal": text,
            "authorDisplayName": comment.author.name,
            "authorProfileImageUrl": f"https://yt3.ggpht.com/sandbox/{comment.author.id}",
            "authorChannelUrl": f"http://www.youtube.com/channel/{comment.author.id}",
            "authorChannelId": {"value": comment.author.id},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": comment.like_count,
            "publishedAt": published,
            "updatedAt": youtube_time(s.datetime_at(edited)),
        }
        if comment.parent_id is not None:
            snippet["parentId"] = comment.parent_id
        return {"kind": "youtube#comment", "etag": etag(), "id": comment.id, "snippet": snippet}


def _key(order: str, comment: ScriptedComment) -> Key:
    """Where a thread stands in the order, ascending: newest first, or most liked first."""
    newest = (-comment.created, -comment.seq)
    return (-comment.like_count, *newest) if order == "relevance" else newest


def _oldest(comment: ScriptedComment) -> Key:
    """Where a reply stands among its thread's: oldest first."""
    return (comment.created, comment.seq)


def _encode_token(prefix: str, key: Key) -> str:
    """A page token: what it pages (the threads' order, or the parent of replies) and the key."""
    raw = f"{prefix}:{','.join(str(k) for k in key)}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_token(prefix: str, token: str) -> Key:
    """The key of the last item served; ``()`` (before the first) for a repeated first page."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        head, _, key = raw.rpartition(":")
        if head != prefix:
            raise ValueError(token)
        return tuple(int(k) for k in key.split(",")) if key else ()
    except ValueError as exc:
        raise GoogleError(
            400,
            "invalidPageToken",
            "The request specifies an invalid page token.",
            location="pageToken",
            locationType="parameter",
        ) from exc
