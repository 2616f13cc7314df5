"""Facebook fanpage livestreams: the collector.

One poll of a live costs one HTTP request: a Graph batch carrying the live node (status, instant
``live_views``, comment count and reactions by type through field-expansion aliases), the new
comments since the cursor (reverse-chronological, replies included with ``filter=stream``) and,
every few polls, the post's ``shares``. Several lives of one account share the batch (≤ 50 items).

After the end, one sweep re-reads every comment and the same batch reads the video's lifetime
insights, so the views are there when the officer looks; they are read again on
``settling.SETTLING_READS`` (minutes apart in the first hour, then to +7 days: Meta settles them
late), each with the live node and a sweep of the comments: the replay gathers comments for days,
and comments deleted or hidden since are found. A metric of ``metrics.LIVE_VIDEO_METRICS`` Graph
refuses ("invalid metric") is dropped for this target and its replacement asked; it never stops
the target. Retired page/post metrics are never requested.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar, NamedTuple
from urllib.parse import urlencode

from collectors.base import Batch, Clock, CommentRecord, Sample, TargetSpec, not_after, utc_now
from collectors.errors import CollectorError, TransientError, classify_http
from collectors.facebook import final_read
from collectors.facebook.graph import (
    ERROR_TABLE,
    PLATFORM,
    bearer,
    next_page,
    to_int,
    token,
    usage_from_headers,
)
from collectors.facebook.listing import listed_spans
from collectors.facebook.metrics import (
    LIVE_VIDEO_METRICS,
    read_one_by_one,
    refused_metric,
    to_request,
)
from collectors.facebook.parse import (
    COMMENT_FIELDS,
    live_fields,
    parse_comments,
    parse_end,
    parse_insight_values,
    parse_insights,
    parse_live,
    parse_names,
    parse_start,
)
from collectors.http import ApiClient
from collectors.pagination import Paginator
from collectors.settling import due_reads

BATCH_LIMIT = 50  # operations per Graph batch request, Meta's maximum
COMMENT_PAGE_SIZE = 100
COMMENT_OVERLAP = timedelta(seconds=60)  # re-read a minute back; upserts absorb duplicates
SWEEP_DELAY = 5.0  # seconds between seeing the end and the final sweep of comments
SHARES_EVERY = 4  # polls between reads of the post's share count
ENDED_STATUSES = {"LIVE_STOPPED", "VOD", "PROCESSING"}


class FacebookLiveCollector:
    """Collects Facebook live videos, several per Graph batch request."""

    kind: ClassVar[str] = "facebook_live"

    def __init__(self, client: ApiClient, *, clock: Clock = utc_now, max_pages: int = 20) -> None:
        self.client = client
        self.clock = clock
        self.max_pages = max_pages

    def collect(self, target: TargetSpec, cursor: Mapping[str, Any]) -> Batch:
        result = self.collect_many([(target, cursor)])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def collect_many(
        self, items: Sequence[tuple[TargetSpec, Mapping[str, Any]]]
    ) -> list[Batch | Exception]:
        """One batch request per 50 operations; each target's result is its Batch or its error."""
        plans = [_Plan(target, dict(cursor), self.clock()) for target, cursor in items]
        operations = [(plan, op) for plan in plans for op in plan.operations()]
        access = token(items[0][0]) if items else ""
        for start in range(0, len(operations), BATCH_LIMIT):
            chunk = operations[start : start + BATCH_LIMIT]
            try:
                answers, usage = self._batch([op for _, op in chunk], access)
            except CollectorError as exc:
                for plan, _ in chunk:
                    plan.error = plan.error or exc
                continue
            for (plan, op), answer in zip(chunk, answers, strict=True):
                plan.usage = usage
                plan.take(op, answer)
        return [self._finish(plan) for plan in plans]

    def _batch(self, ops: list[_Op], access: str) -> tuple[list[Any], dict[str, Any]]:
        batch = [{"method": "GET", "relative_url": op.relative_url} for op in ops]
        reply = self.client.post(
            "",
            data={"access_token": access, "batch": json.dumps(batch), "include_headers": "false"},
        )
        self.client.calls += len(ops) - 1  # each item counts against the rate limits
        if not isinstance(reply.body, list) or len(reply.body) != len(ops):
            raise TransientError("batch answer does not match the request", platform=PLATFORM)
        return reply.body, usage_from_headers(reply.headers)

    def _finish(self, plan: _Plan) -> Batch | Exception:
        if plan.error is not None:
            return plan.error
        try:
            plan.follow_comment_pages(self.client, self.max_pages)
            plan.read_refused_insights(self.client)
            return plan.batch()
        except CollectorError as exc:
            return exc


class _Op(NamedTuple):
    name: str
    relative_url: str


class _Plan:
    """What one target needs this poll, and what came back for it."""

    def __init__(self, target: TargetSpec, cursor: dict[str, Any], now: datetime) -> None:
        self.target = target
        self.cursor = cursor
        self.now = now
        self.error: CollectorError | None = None
        self.usage: dict[str, Any] = {}
        self.samples: list[Sample] = []
        self.comments: list[CommentRecord] = []
        # Per comment stream ("newest" and "backlog"): the next page URL, then whether the page
        # cap stopped us, and the comments that stream brought.
        self.next_url: dict[str, str | None] = {}
        self.capped: dict[str, bool] = {}
        self.read: dict[str, list[CommentRecord]] = {"newest": [], "backlog": []}
        self.asked_since: dict[str, str | None] = {}  # each stream's since, as asked this poll
        self.status: str | None = None
        self.started_at: datetime | None = None  # as Graph dates them, when this poll read the live
        self.ended_at: datetime | None = None
        self.named: dict[str, str] = {}  # the live's title and url (Batch's), when read
        self.calls = 0
        final_read.prepare(cursor, target.ended_at)  # an officer ended it: read as at its end
        self.phase = cursor.get("phase", "live")
        # The settling reads this poll answers, the metrics it asks, what came back, and whether
        # Graph refused them together (then they are asked one by one after the batch).
        self.due: tuple[int, ...] = ()
        self.metrics: tuple[str, ...] = ()
        self.insights: dict[str, Any] | None = None
        self.refused_together = False

    def operations(self) -> list[_Op]:
        live_id = self.target.external_id
        if self.phase == "insights":
            self._insight_ops()
            if not self.due:
                return []  # polled before the next read is due
            self._sweep_again()
        ops = [_Op("live", f"{live_id}?fields={live_fields()}")]
        # Newest comments first (the doc's advice for lives), down to the since-cursor.
        since = self.cursor.get("comments_since")
        self.asked_since["newest"] = since
        ops.append(_Op("newest", self._comments_url("reverse_chronological", since)))
        # Older comments a capped run could not reach, and the final sweep, oldest first.
        backlog = self.cursor.get("backlog_since")
        if backlog is not None:
            self.asked_since["backlog"] = backlog or None
            ops.append(_Op("backlog", self._comments_url("chronological", backlog or None)))
        polls = int(self.cursor.get("polls", 0))
        post = self._post_id()
        sweeping = bool(self.cursor.get("swept"))  # the final poll: take the final share count
        if post and (polls % SHARES_EVERY == 0 or "shares" not in self.cursor or sweeping):
            ops.append(_Op("post", f"{post}?fields=shares"))
        return ops + self._insight_ops()  # the read at the end rides with the sweep

    def _sweep_again(self) -> None:
        """A settling read is due: the live and every comment are read with it, as at the end."""
        self.phase = self.cursor["phase"] = "live"
        self.cursor["backlog_since"] = ""  # sweep every comment, oldest first

    def _insight_ops(self) -> list[_Op]:
        """The video insights read, when one of the settling reads is due (none before the end)."""
        ended = self._ended_at()
        if ended is None:
            return []
        self.due, _ = due_reads(ended, self.now, self.cursor.get("insights_done", []))
        self.metrics = to_request(
            LIVE_VIDEO_METRICS, self.now.date(), self.cursor.get("failed_metrics") or {}
        )
        if not self.due:
            return []
        if not self.metrics:  # Graph refused every one: nothing left to read, the read is done
            self._mark_done()
            return []
        return [_Op("insights", self._insights_url(self.metrics))]

    def _insights_url(self, metrics: Sequence[str]) -> str:
        video = self.cursor.get("video_id") or self.target.external_id
        query = urlencode({"metric": ",".join(metrics), "period": "lifetime"})
        return f"{video}/video_insights?{query}"

    def _mark_done(self) -> None:
        done = self.cursor.setdefault("insights_done", [])
        done.extend(o for o in self.due if o not in done)

    def _comments_url(self, order: str, since: str | None) -> str:
        params: dict[str, Any] = {"filter": "stream", "order": order, "limit": COMMENT_PAGE_SIZE,
                                  "live_filter": "no_filter", "fields": COMMENT_FIELDS}  # fmt: skip
        if since:
            params["since"] = int(datetime.fromisoformat(since).timestamp())
        return f"{self.target.external_id}/comments?{urlencode(params)}"

    def _post_id(self) -> str | None:
        video = self.cursor.get("video_id")
        page = self.target.account_external_id
        return f"{page}_{video}" if page and video else None

    def take(self, op: _Op, answer: Any) -> None:
        self.calls += 1
        if self.error is not None:
            return
        if answer is None:
            self.error = TransientError("batch item timed out", platform=PLATFORM)
            return
        status = int(answer.get("code") or 0)
        try:
            body = json.loads(answer.get("body") or "null")
        except ValueError:
            body = None
        error = classify_http(status, body, None, ERROR_TABLE) if body is not None else None
        if body is None and error is None:
            error = TransientError("batch item body is not JSON", platform=PLATFORM, status=status)
        if op.name == "insights" and refused_metric(error):
            self.refused_together = True  # not the target's error: one metric is retired
            return
        if error is not None:
            self.error = error
            return
        if op.name in self.read:  # a comment stream: "newest" or "backlog"
            self._take_stream(op.name, body)
        else:
            getattr(self, f"_take_{op.name}")(body)

    def _take_live(self, node: Mapping[str, Any]) -> None:
        node = final_read.as_ended(node, self.target.ended_at, ENDED_STATUSES)
        sample, self.status, video_id = parse_live(node, self.now)
        if video_id:
            self.cursor["video_id"] = video_id
        self.started_at = not_after(parse_start(node), self.now)
        self.named = parse_names(node)
        if self.status in ENDED_STATUSES:
            self.ended_at = self.target.ended_at or not_after(parse_end(node), self.now)
            # The end as Graph dates it, else now: the first poll that saw it ended.
            self.cursor.setdefault("ended_at", (self.ended_at or self.now).isoformat())
        self.samples.append(sample)

    def _take_stream(self, stream: str, payload: Mapping[str, Any]) -> None:
        self.read[stream].extend(parse_comments(payload, self.target.account_external_id))
        self.next_url[stream] = next_page(payload)

    def _take_post(self, node: Mapping[str, Any]) -> None:
        shares = node.get("shares") or {}
        self.cursor["shares"] = to_int(shares.get("count"))  # absent when never shared

    def _take_insights(self, payload: Mapping[str, Any]) -> None:
        self.insights = parse_insight_values(payload)

    def read_refused_insights(self, client: ApiClient) -> None:
        """After Graph refused the metrics together: each alone, dropping the refused ones."""
        if not self.refused_together:
            return
        calls = client.calls

        def read(names: Sequence[str]) -> dict[str, Any]:
            url = self._insights_url(names)
            return parse_insight_values(client.get(url, headers=bearer(self.target)).body)

        refused = self.cursor.setdefault("failed_metrics", {})
        self.insights = read_one_by_one(read, self.metrics, refused, self.now)
        self.calls += client.calls - calls

    def follow_comment_pages(self, client: ApiClient, max_pages: int) -> None:
        for stream, url in self.next_url.items():
            pager = Paginator(max_pages)
            while pager.advance(url):
                body = client.get(pager.token, headers=bearer(self.target)).body  # type: ignore[arg-type]
                self.calls += 1
                self.read[stream].extend(parse_comments(body, self.target.account_external_id))
                url = next_page(body)
            self.capped[stream] = pager.capped
        self.comments = self.read["newest"] + self.read["backlog"]

    def _ended_at(self) -> datetime | None:
        value = self.cursor.get("ended_at")
        return datetime.fromisoformat(value) if value else None

    def _insight_sample(self) -> Sample | None:
        """The insights read, merged into the live node's sample of the same poll (one row)."""
        if self.insights is None:
            return None
        self._mark_done()
        if not self.insights:
            return None  # every metric refused one by one: nothing was read
        read = parse_insights(self.insights, self.now, self.due)
        if not self.samples:
            return read
        node = self.samples.pop()
        return replace(
            node,
            views=read.views,
            reactions=node.reactions or read.reactions,
            reactions_total=node.reactions_total or read.reactions_total,
            extra={**node.extra, **read.extra},
        )

    def batch(self) -> Batch:
        started_live = self.phase == "live"
        # What the comment reads listed whole, before the cursors move on.
        listed = listed_spans(self.next_url, self.asked_since, self.capped, self.read["backlog"])
        insights = self._insight_sample()
        if insights is not None:
            self.samples.append(insights)
        if started_live:
            self._after_live_poll()
        samples = self.samples
        shares = self.cursor.get("shares")
        if started_live and shares is not None:
            samples = [replace(sample, shares=shares) for sample in samples]
        poll_after, finished = None, False
        if self.phase == "live" and "backlog_since" in self.cursor:
            poll_after = SWEEP_DELAY  # comments left to read (or the final sweep): come back soon
        if self.phase == "insights":
            ended = self._ended_at() or self.now
            due, later = due_reads(ended, self.now, self.cursor.get("insights_done", []))
            # An officer's end is followed by the same reads (``final_read``).
            finished = not due and later is None
            if due:
                poll_after = 1.0  # a read left over (a cursor from before the end read)
            elif later is not None:
                poll_after = max((later - self.now).total_seconds(), 1.0)
        return Batch(
            samples=tuple(samples),
            comments=tuple(self.comments),
            cursor=self.cursor,
            status=self._status(),
            finished=finished,
            calls=self.calls,
            usage=self.usage,
            poll_after=poll_after,
            started_at=self.started_at,
            ended_at=self.ended_at,
            listed=listed,
            **self.named,
        )

    def _status(self) -> str | None:
        if self.status == "LIVE":
            return "live"
        if self.phase == "insights" or self.status in ENDED_STATUSES:
            return "ended"
        return "scheduled" if self.status else None

    def _after_live_poll(self) -> None:
        """Move the since-cursors; after the end, sweep every comment before reading insights.
        A run stopped by the page cap leaves older comments unread between the old since-cursor
        and the oldest comment it reached: a backlog read oldest-first in later runs, so no
        burst of comments can outrun the cap and be lost."""
        self.cursor["polls"] = int(self.cursor.get("polls", 0)) + 1
        old_since = self.cursor.get("comments_since")
        if self.capped.get("newest") and "backlog_since" not in self.cursor:
            self.cursor["backlog_since"] = old_since or ""  # "" = from the first comment
        newest = max((c.created_at for c in self.read["newest"]), default=None)
        if newest is not None:
            since = min(newest, self.now) - COMMENT_OVERLAP
            if old_since is None or since > datetime.fromisoformat(old_since):
                self.cursor["comments_since"] = since.isoformat()
        if "backlog" in self.next_url:  # the backlog was read this run
            if self.capped.get("backlog"):
                reached = max((c.created_at for c in self.read["backlog"]), default=None)
                if reached is not None:
                    self.cursor["backlog_since"] = (reached - COMMENT_OVERLAP).isoformat()
            else:
                self.cursor.pop("backlog_since", None)
        if self.status in ENDED_STATUSES:
            if not self.cursor.get("swept"):
                self.cursor["swept"] = True
                self.cursor["backlog_since"] = ""  # sweep every comment, oldest first
            elif "backlog_since" not in self.cursor:
                self.phase = self.cursor["phase"] = "insights"
                self.cursor.setdefault("ended_at", self.now.isoformat())  # older cursors
