"""YouTube Live through the Data API v3.

Each poll reads ``videos.list`` (concurrent viewers, views, likes, comment count; the end is seen in
``actualEndTime``) and the next page of live chat (``liveChatMessages.list``), whose
``pollingIntervalMillis`` is handed back to the runner as the earliest next poll. Every poll reads
the statistics, so the poll that sees the end (``actualEndTime``) is the read at the end; after it
the chat is drained until ``offlineAt`` / ``liveChatEnded``, and the statistics are read again on
``settling.SETTLING_READS`` (every few minutes in the first hour, then +1 h, +24 h, +7 days after
``actualEndTime``) while the view count settles. An object whose event an officer ended
(``TargetSpec.ended_at``) is read once more as at that end, whatever YouTube says of it (its
statistics and the chat's last messages), then follows the same settling reads from that end, so
both ways of ending say the same things. Each settling read made
once the chat is over (or when there was no chat to read) also
lists the comments written under the replay (``commentThreads.list``, and ``comments.list`` for
the replies a thread leaves out; ``youtube_replay``): a number left there an hour later is a lead
like one in the chat.

Every call spends quota units of the project (videos.list 1, liveChatMessages.list 5 — the chat's
is configurable —, commentThreads.list and comments.list 1 a page, by the newest reference,
https://developers.google.com/youtube/v3/determine_quota_cost); the batch reports them so the
runner can keep a campaign day within the daily budget (``QUOTA``: 10,000 units a day, reset at
midnight Pacific time).

Reasons (``ERROR_TABLE``, in this order; the reason lives in ``error.errors[].reason``, else
``error.status``): quotaExceeded / dailyLimitExceeded → RateLimited until the Pacific-time reset;
rateLimitExceeded / userRateLimitExceeded, 429 → RateLimited(a few seconds); liveChatEnded,
liveChatNotFound, liveChatDisabled → TargetGone, which the collector reads as "the chat is over"
(not an end of the target); commentsDisabled → TargetGone, which the replay's read takes for "no
comments" (not an end of the target either), and its listing of replies for "no more replies";
401, authError, forbidden, insufficientPermissions, keyInvalid → AuthExpired; videoNotFound / 404
→ TargetGone (a 404 ``commentNotFound`` from the listing of replies is a thread deleted since it
was listed, not an end of the target); 5xx, backendError → TransientError;
anything else → PermanentError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import requests

from collectors.base import (
    NOT_LIVE,
    Batch,
    Clock,
    CommentRecord,
    DailyQuota,
    Description,
    ListedSpan,
    Sample,
    TargetSpec,
    not_after,
    parse_time,
    title_of,
    utc_now,
    youtube_watch_url,
)
from collectors.errors import (
    SERVER_ERRORS,
    AuthExpired,
    ErrorTable,
    Failure,
    RateLimited,
    Rule,
    TargetGone,
    TransientError,
    wait_for,
)
from collectors.http import ApiClient
from collectors.settling import due_reads
from collectors.youtube_replay import (
    COMMENTS_DISABLED,
    MAX_PAGES,
    MAX_REPLY_PAGES,
    listed_after,
    read_replay,
)

PLATFORM = "youtube"
# 10,000 units per project per day, reset at midnight Pacific time.
QUOTA = DailyQuota(10_000, ZoneInfo("America/Los_Angeles"))
VIDEOS_COST = 1
CHAT_COST = 5
CHAT_PAGE_SIZE = 2000
CHAT_OVER = {"liveChatEnded", "liveChatNotFound", "liveChatDisabled"}
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
SLOW_DOWN_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
AUTH_REASONS = {"authError", "forbidden", "insufficientPermissions", "keyInvalid"}


def reason_of(body: Any) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ""
    for item in error.get("errors") or []:
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    return str(error.get("status") or "")


def read_error(status: int, body: Any) -> Failure | None:
    """A Google error answer: its first reason is the code; any 2xx or 3xx is a success."""
    if status < 400:
        return None
    reason = reason_of(body)
    error = body.get("error") if isinstance(body, dict) else None
    message = str(error.get("message")) if isinstance(error, dict) else f"HTTP {status}"
    return Failure(reason or None, message)


ERROR_TABLE = ErrorTable(
    PLATFORM,
    read_error,
    (
        Rule(RateLimited, codes=QUOTA_REASONS, wait=lambda h, now: QUOTA.seconds_to_reset(now)),
        Rule(RateLimited, statuses={429}, codes=SLOW_DOWN_REASONS, wait=wait_for(10.0)),
        Rule(TargetGone, codes=CHAT_OVER),
        Rule(TargetGone, codes={COMMENTS_DISABLED}),
        Rule(AuthExpired, statuses={401}, codes=AUTH_REASONS),
        Rule(TargetGone, statuses={404}, codes={"videoNotFound"}),
        Rule(TransientError, statuses=SERVER_ERRORS, codes={"backendError"}),
    ),
)


def _int(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def parse_video(item: Mapping[str, Any], sampled_at: datetime) -> tuple[Sample, dict[str, Any]]:
    """The sample of one videos.list item, and its live details (chat id, start, end)."""
    stats = item.get("statistics") or {}
    live = item.get("liveStreamingDetails") or {}
    likes = _int(stats.get("likeCount"))
    sample = Sample(
        sampled_at=sampled_at,
        live_viewers=_int(live.get("concurrentViewers")),
        views=_int(stats.get("viewCount")),
        reactions={"like": likes} if likes is not None else None,
        reactions_total=likes,
        comments=_int(stats.get("commentCount")),
    )
    return sample, dict(live)


# Chat items that remove an earlier message, and where they name it.
REMOVALS = {
    "messageDeletedEvent": ("messageDeletedDetails", "deletedMessageId"),
    "messageRetractedEvent": ("messageRetractedDetails", "retractedMessageId"),
}


def parse_removed(payload: Mapping[str, Any]) -> tuple[str, ...]:
    """The ids of the messages a moderator deleted or their authors retracted in this page."""
    removed = []
    for item in payload.get("items") or []:
        snippet = item.get("snippet") or {}
        where = REMOVALS.get(str(snippet.get("type")))
        if where is not None:
            message_id = (snippet.get(where[0]) or {}).get(where[1])
            if message_id:
                removed.append(str(message_id))
    return tuple(removed)


def parse_chat(
    payload: Mapping[str, Any], channel_id: str | None = None
) -> tuple[CommentRecord, ...]:
    """Text-bearing chat messages; silent events (bans, chat ended, the deletions
    ``parse_removed`` reads) carry no comment.

    The channel's own messages (``isChatOwner``, or ``authorChannelId`` the video's channel) say
    so: the office answering in its chat is not a viewer.
    """
    records = []
    for item in payload.get("items") or []:
        snippet = item.get("snippet") or {}
        author = item.get("authorDetails") or {}
        created = parse_time(snippet.get("publishedAt"))
        if not item.get("id") or created is None or not snippet.get("hasDisplayContent", True):
            continue
        text = (snippet.get("textMessageDetails") or {}).get("messageText")
        author_id = author.get("channelId") or snippet.get("authorChannelId")
        owner = author.get("isChatOwner") is True or (
            channel_id is not None and author_id == channel_id
        )
        records.append(
            CommentRecord(
                external_id=str(item["id"]),
                message=str(text if text is not None else snippet.get("displayMessage") or ""),
                created_at=created,
                author_name=str(author.get("displayName") or ""),
                author_external_id=author_id,
                by_owner=owner,
            )
        )
    return tuple(records)


def auth(target: TargetSpec) -> tuple[dict[str, str], dict[str, str]]:
    """OAuth tokens go in a header; a bare API key is the documented ``key`` parameter."""
    creds = target.credentials
    if creds.get("access_token"):
        return {"Authorization": f"Bearer {creds['access_token']}"}, {}
    if creds.get("api_key"):
        return {}, {"key": str(creds["api_key"])}
    raise AuthExpired("the account has neither access_token nor api_key", platform=PLATFORM)


def describe(client: ApiClient, target: TargetSpec, now: datetime) -> Description:
    """Title, state and times of a video (one ``videos.list`` unit); a plain upload is no live."""
    headers, key = auth(target)
    params = {"part": "snippet,liveStreamingDetails", "id": target.external_id, **key}
    items = client.get("videos", params=params, headers=headers).body.get("items") or []
    if not items:
        raise TargetGone("video not found", platform=PLATFORM, code="videoNotFound")
    live = items[0].get("liveStreamingDetails")
    if not live:
        raise TargetGone("the video was never a live broadcast", platform=PLATFORM, code=NOT_LIVE)
    started, ended = parse_time(live.get("actualStartTime")), parse_time(live.get("actualEndTime"))
    return Description(
        kind=YouTubeLiveCollector.kind,
        external_id=str(items[0].get("id") or target.external_id),
        title=str((items[0].get("snippet") or {}).get("title") or ""),
        status="ended" if ended else "live" if started else "scheduled",
        starts_at=started or parse_time(live.get("scheduledStartTime")),
        ends_at=ended,
        url=youtube_watch_url(str(items[0].get("id") or target.external_id)),
    )


class YouTubeLiveCollector:
    kind: ClassVar[str] = "youtube_live"

    def __init__(
        self,
        client: ApiClient,
        *,
        clock: Clock = utc_now,
        max_pages: int = MAX_PAGES,
        max_reply_pages: int = MAX_REPLY_PAGES,
    ) -> None:
        self.client = client
        self.clock = clock
        self.max_pages = max_pages  # of comment threads, per settling read
        self.max_reply_pages = max_reply_pages  # of comments.list replies, per settling read

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        now = self.clock()
        state = dict(cursor)
        if target.ended_at is None and state.pop("hand_ended", None):  # set live again
            for end_key in HAND_END_KEYS:
                state.pop(end_key, None)
        headers, key = auth(target)
        chat_cost = int(target.credentials.get("chat_quota_cost", CHAT_COST))
        units = VIDEOS_COST
        reply = self.client.get(
            "videos",
            params={
                "part": "snippet,statistics,liveStreamingDetails",
                "id": target.external_id,
                **key,
            },
            headers=headers,
        )
        items = reply.body.get("items") or []
        if not items:
            raise TargetGone("video not found", platform=PLATFORM, code="videoNotFound")
        sample, live = parse_video(items[0], now)
        snippet = items[0].get("snippet") or {}
        channel = snippet.get("channelId")
        calls = 1
        if live.get("activeLiveChatId"):
            state["chat_id"] = live["activeLiveChatId"]
        started_at = not_after(parse_time(live.get("actualStartTime")), now)
        ended_at = not_after(parse_time(live.get("actualEndTime")), now)
        comments: tuple[CommentRecord, ...] = ()
        removed: tuple[str, ...] = ()
        poll_after: float | None = None
        if state.get("chat_id") and not state.get("chat_over"):
            params = {"liveChatId": state["chat_id"], "part": "id,snippet,authorDetails",
                      "maxResults": CHAT_PAGE_SIZE, **key}  # fmt: skip
            if state.get("page_token"):
                params["pageToken"] = state["page_token"]
            calls += 1
            units += chat_cost
            try:
                chat = self.client.get("liveChat/messages", params=params, headers=headers).body
            except TargetGone:
                state["chat_over"] = True
            else:
                comments = parse_chat(chat, channel)
                removed = parse_removed(chat)
                _note_chat_until(state, comments)
                if chat.get("nextPageToken"):
                    state["page_token"] = chat["nextPageToken"]
                if chat.get("offlineAt"):
                    state["chat_over"] = True
                if chat.get("pollingIntervalMillis") is not None:
                    poll_after = float(chat["pollingIntervalMillis"]) / 1000.0
        finished = False
        listed: tuple[ListedSpan, ...] = ()
        status = "live" if live.get("actualStartTime") and not ended_at else "scheduled"
        if target.ended_at is not None:  # an officer ended its event: the end is theirs, and
            # the settling reads follow it as a platform's end (the chat after it is not read).
            state["hand_ended"] = state["chat_over"] = True
            ended_at = target.ended_at
            sample = replace(sample, live_viewers=None)  # no audience after its end
        if ended_at is not None:
            status = "ended"
            ended_at = datetime.fromisoformat(state.setdefault("ended_at", ended_at.isoformat()))
            done = state.setdefault("final_reads", [])
            due, later = due_reads(ended_at, now, done)
            done.extend(due)
            chat_done = bool(state.get("chat_over") or not state.get("chat_id"))
            if due and chat_done:  # a settling read: the comments under the replay with it
                replay = read_replay(self.client, target.external_id, channel, (headers, key),
                                     self.max_pages, self.max_reply_pages)  # fmt: skip
                calls, units = calls + replay.pages, units + replay.units
                state["comments_disabled"] = replay.disabled
                # A poll that also brought chat messages vouches for nothing: the writer would
                # show again any of them a moderator had deleted (``Batch.listed``).
                if not comments:
                    listed = listed_after(replay, ended_at, state.get("chat_until"))
                comments += replay.comments
            finished, poll_after = _next_read(chat_done, later, now, poll_after)
        return Batch(
            samples=(sample,),
            comments=comments,
            cursor=state,
            status=status,
            finished=finished,
            calls=calls,
            usage={
                "quota_units": units,
                "quota_limit": int(target.credentials.get("daily_quota", QUOTA.units)),
                "project": target.credentials.get("project", "default"),
            },
            poll_after=poll_after,
            started_at=started_at,
            ended_at=ended_at,
            removed_comments=removed,
            title=title_of(snippet.get("title")),  # the video's, renamed or not
            url=youtube_watch_url(target.external_id),  # built: YouTube answers no permalink
            listed=listed,
        )


HAND_END_KEYS = ("ended_at", "final_reads", "chat_over")  # forgotten when set live again


def _note_chat_until(state: dict[str, Any], chat: tuple[CommentRecord, ...]) -> None:
    """Keep the time of the last chat message returned: the replay's listing, which never lists
    the chat, only vouches for the comments written after it."""
    if not chat:
        return
    last = max(c.created_at for c in chat)
    if state.get("chat_until") is None or last > datetime.fromisoformat(state["chat_until"]):
        state["chat_until"] = last.isoformat()


def _next_read(
    chat_done: bool, later: datetime | None, now: datetime, poll_after: float | None
) -> tuple[bool, float | None]:
    """After the end: drain the chat, then come back when the next settling read falls due;
    finished after the last one."""
    if not chat_done:
        return False, poll_after
    if later is None:
        return True, None
    return False, max((later - now).total_seconds(), 1.0)


def make_client(session: requests.Session, base_url: str, **kw: Any) -> ApiClient:
    return ApiClient(session, base_url, ERROR_TABLE, **kw)
