"""Facebook fanpage posts and videos: reactions, comments, shares and views.

One poll costs two requests plus comment pages: the post node with field expansion (publication
time, ``shares``, the comment count, reactions by type through ``.as()`` aliases as for lives),
its lifetime ``insights`` for the view metrics Meta still serves (``post_media_view`` and
``post_total_media_view_unique`` by default, from ``metrics.REGISTRY``), and the comments written
since the cursor, oldest first, so the since-cursor can advance after every page.

Graph says nothing when a comment is deleted or hidden by the page; it just stops listing it (see
``listing``). So each later poll also re-reads a stretch of the older comments, oldest first,
from where the last one stopped, starting over once it reaches the end, and the batch says which
spans both reads listed whole: the writer marks a stored comment missing from them as removed,
and shows again one the page unhid.

A video is read through its Page post ``{page-id}_{video-id}`` (the mapping is unverified),
so a target may name either. Posts are polled on ``post_schedule``'s slowing schedule and the
target finishes 28 days after publication.

"Invalid metric" (error 100) for one metric fails the whole ``metric=a,b`` request, so the
collector then asks each metric alone, keeps every answer it gets, and records the refused names
in the cursor (``failed_metrics``) so later polls ask for their replacement, if any, instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from collectors.base import Batch, Clock, CommentRecord, ListedSpan, Sample, TargetSpec, utc_now
from collectors.errors import PermanentError
from collectors.facebook.graph import bearer, next_page, parse_time, to_int
from collectors.facebook.metrics import (
    DEFAULT_POST_METRICS,
    check_metrics,
    is_invalid_metric,
    read_one_by_one,
    requestable,
    to_request,
)
from collectors.facebook.parse import (
    COMMENT_FIELDS,
    parse_comments,
    parse_insight_values,
    reaction_fields,
    reactions_of,
    summary_count,
)
from collectors.http import ApiClient
from collectors.pagination import Paginator
from collectors.post_schedule import next_poll

COMMENT_PAGE_SIZE = 100
COMMENT_OVERLAP = timedelta(seconds=60)  # re-read a minute back; upserts absorb duplicates
# Pages of older comments re-read per poll: a post's whole thread is read again every few polls
# (300 comments a poll; every 15 minutes while the post is new) at a few requests each.
RECHECK_PAGES = 3
STATUS = "published"


def post_fields() -> str:
    return ",".join(
        [
            "id",
            "created_time",
            "permalink_url",
            "status_type",
            "shares",
            "comments.filter(stream).limit(0).summary(true)",
            "reactions.limit(0).summary(total_count)",
            *reaction_fields(),
        ]
    )


def post_id_of(target: TargetSpec) -> str:
    """A post id as is; a bare video id becomes its Page post ``{page}_{video}``."""
    if "_" in target.external_id or not target.account_external_id:
        return target.external_id
    return f"{target.account_external_id}_{target.external_id}"


class FacebookPostCollector:
    """One fanpage post (or video) until 28 days after publication."""

    kind: ClassVar[str] = "facebook_post"

    def __init__(
        self,
        client: ApiClient,
        *,
        clock: Clock = utc_now,
        max_pages: int = 10,
        metrics: Iterable[str] = DEFAULT_POST_METRICS,
    ) -> None:
        self.client = client
        self.clock = clock
        self.max_pages = max_pages
        # An unknown name is a configuration bug: refused. A retired one (create_app refuses it at
        # boot; it may retire while the process runs) is dropped, never requested.
        self.metrics = requestable(check_metrics(metrics, None), clock().date())

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        now = self.clock()
        state = dict(cursor)
        calls_before = self.client.calls
        post = post_id_of(target)
        headers = bearer(target)
        node = self.client.get(post, {"fields": post_fields()}, headers=headers).body
        failed = dict(state.get("failed_metrics") or {})
        wanted = list(to_request(self.metrics, now.date(), failed))
        values = self._insights(post, wanted, headers, failed, now)
        if failed:
            state["failed_metrics"] = failed
        comments, listed = self._comments(post, headers, state, now)
        published = parse_time(node.get("created_time"))
        if published is not None:
            state["published_at"] = published.isoformat()
        wait, final = next_poll(published, now)
        state["polls"] = int(state.get("polls", 0)) + 1
        return Batch(
            samples=(self._sample(node, values, now),),
            comments=comments,
            cursor=state,
            status=STATUS,
            finished=final,
            calls=self.client.calls - calls_before,
            poll_after=None if final else wait,
            listed=listed,
        )

    def _sample(self, node: Mapping[str, Any], values: dict[str, Any], now: datetime) -> Sample:
        views = values.get("post_media_view")
        shares = node.get("shares") or {}
        return Sample(
            sampled_at=now,
            views=to_int(views) if views is not None else None,
            reactions=reactions_of(node),
            reactions_total=summary_count(node.get("reactions")),
            comments=summary_count(node.get("comments")),
            shares=to_int(shares.get("count")),  # absent while never shared
            extra={
                k: v
                for k, v in values.items()
                if k != "post_media_view" and isinstance(v, int | float)  # that one is ``views``
            },
        )

    def _insights(
        self,
        post: str,
        metrics: list[str],
        headers: dict[str, str],
        failed: dict[str, Any],
        now: datetime,
    ) -> dict[str, Any]:
        """All metrics in one request; on "invalid metric", each alone, keeping the good ones."""
        if not metrics:
            return {}
        try:
            return self._read_insights(post, metrics, headers)
        except PermanentError as exc:
            if not is_invalid_metric(exc.code, exc.message):
                raise
        return read_one_by_one(
            lambda names: self._read_insights(post, names, headers), metrics, failed, now
        )

    def _read_insights(
        self, post: str, metrics: Sequence[str], headers: dict[str, str]
    ) -> dict[str, Any]:
        params = {"metric": ",".join(metrics), "period": "lifetime"}
        return parse_insight_values(
            self.client.get(f"{post}/insights", params, headers=headers).body
        )

    def _comments(
        self, post: str, headers: dict[str, str], state: dict[str, Any], now: datetime
    ) -> tuple[tuple[CommentRecord, ...], tuple[ListedSpan, ...]]:
        """New comments oldest first from the since-cursor, then the next stretch of the re-read;
        replies included (``stream``). With the spans the two reads listed whole."""
        since = state.get("comments_since")
        records, capped = self._read_comments(post, headers, since)
        spans = [span_of(since, capped, records)]
        newest = max((c.created_at for c in records), default=None)
        if newest is not None:
            # Read oldest first, a run stopped by the page cap has read everything before the
            # newest comment it reached: continue from that very second (``since`` includes
            # it), or a minute-long overlap could keep a burst of comments from ever moving on.
            # A run that read to the end steps back a minute for comments indexed late.
            moved = newest if capped else min(newest, now) - COMMENT_OVERLAP
            if since is None or moved > datetime.fromisoformat(since):
                state["comments_since"] = moved.isoformat()
        if since is not None:  # comments were read before: go on re-reading them
            again = state.get("recheck_since") or None
            older, capped = self._read_comments(post, headers, again, RECHECK_PAGES)
            spans.append(span_of(again, capped, older))
            reached = max((c.created_at for c in older), default=None)
            state["recheck_since"] = reached.isoformat() if capped and reached else ""
            records += older
        return tuple(records), tuple(s for s in spans if s is not None)

    def _read_comments(
        self, post: str, headers: dict[str, str], since: str | None, pages: int | None = None
    ) -> tuple[list[CommentRecord], bool]:
        """The post's comments from ``since`` (ISO; None: the first), oldest first, and whether
        the page cap stopped the read."""
        params: dict[str, Any] = {"filter": "stream", "order": "chronological",
                                  "limit": COMMENT_PAGE_SIZE, "fields": COMMENT_FIELDS}  # fmt: skip
        if since:
            params["since"] = int(datetime.fromisoformat(since).timestamp())
        records: list[CommentRecord] = []
        pager = Paginator(pages or self.max_pages)
        url, query = f"{post}/comments", params
        page = post.partition("_")[0] if "_" in post else None  # a Page post is {page}_{post}
        while True:
            body = self.client.get(url, query, headers=headers).body
            records.extend(parse_comments(body, page))
            if not pager.advance(next_page(body)):
                break
            url, query = pager.token or "", None  # the next URL carries the parameters
        return records, pager.capped


def span_of(since: str | None, capped: bool, records: list[CommentRecord]) -> ListedSpan | None:
    """What one oldest-first read listed whole: from its since to now, or, stopped by the page
    cap, up to the last comment it reached (others of that second may be on the next page)."""
    start = datetime.fromisoformat(since) if since else None
    if not capped:
        return ListedSpan(start, None)
    reached = max((c.created_at for c in records), default=None)
    return ListedSpan(start, reached) if reached is not None else None
