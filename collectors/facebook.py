"""Facebook fanpage livestreams through the Graph API (platform-apis.md §1).

One poll of a live costs one HTTP request: a Graph batch carrying the live node (status, instant
``live_views``, comment count and reactions by type through field-expansion aliases), the new
comments since the cursor (reverse-chronological, replies included with ``filter=stream``) and,
every few polls, the post's ``shares``. Several lives of one account share the batch (≤ 50 items).
After the end, one sweep re-reads every comment, then the video's lifetime insights are read at
+1 h, +24 h and +7 days because Meta settles them late. Deprecated page/post insight metrics
(§1.10) are never requested.

Error codes (§1.12, §1.13): 4, 17, 32, 341, 613, 80001 → RateLimited; 190 (subcodes 458, 460, 463,
467…) and 102 → AuthExpired; 10 and 200–299 (missing permission) → AuthExpired; 1, 2 or
``is_transient`` → TransientError; 100 with subcode 33 (object does not exist) → TargetGone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

import requests

from collectors.base import (
    REACTION_TYPES,
    Batch,
    Clock,
    CommentRecord,
    DiscoveredLive,
    Sample,
    TargetSpec,
    utc_now,
)
from collectors.errors import (
    AuthExpired,
    CollectorError,
    PermanentError,
    RateLimited,
    TargetGone,
    TransientError,
)
from collectors.http import ApiClient, parse_json
from collectors.pagination import Paginator

PLATFORM = "facebook"
RATE_LIMIT_CODES = {4, 17, 32, 341, 613, 80001}
AUTH_CODES = {190, 102, 10}
TRANSIENT_CODES = {1, 2}
DEFAULT_RATE_LIMIT_WAIT = 300.0  # seconds, when Meta does not say how long
BATCH_LIMIT = 50  # operations per Graph batch request (§1.11)
COMMENT_PAGE_SIZE = 100
COMMENT_OVERLAP = timedelta(seconds=60)  # re-read a minute back; upserts absorb duplicates
SHARES_EVERY = 4  # polls between reads of the post's share count
INSIGHT_OFFSETS = (3600, 86400, 7 * 86400)  # seconds after the end (§1.8: figures settle late)
INSIGHT_METRICS = (
    "total_video_views",
    "total_video_views_unique",
    "total_video_views_live",
    "total_video_avg_time_watched",
    "total_video_view_total_time_live",
    "total_video_reactions_by_type_total",
)
ENDED_STATUSES = {"LIVE_STOPPED", "VOD", "PROCESSING"}
# Keys Meta uses inside total_video_reactions_by_type_total → ours.
INSIGHT_REACTION_KEYS = {"like": "like", "love": "love", "care": "care", "haha": "haha",
                         "wow": "wow", "sorry": "sad", "sad": "sad", "anger": "angry",
                         "angry": "angry"}  # fmt: skip
COMMENT_FIELDS = "id,message,created_time,from{id,name},parent{id}"


def live_fields() -> str:
    """One field-expanded read of a live: status, viewers, comment count, reactions by type."""
    aliases = [
        f"reactions.type({kind.upper()}).limit(0).summary(total_count).as(reactions_{kind})"
        for kind in REACTION_TYPES
    ]
    return ",".join(
        [
            "id",
            "status",
            "live_views",
            "title",
            "broadcast_start_time",
            "permalink_url",
            "video{id}",
            "comments.filter(stream).limit(0).summary(true)",
            "reactions.limit(0).summary(total_count)",
            *aliases,
        ]
    )


# --- classification and usage ---------------------------------------------------------------


def graph_error(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> CollectorError | None:
    """The classified error of one Graph answer (or batch item), None for a success."""
    error = body.get("error") if isinstance(body, dict) else None
    if error is None:
        if status >= 500:
            return TransientError("server error", platform=PLATFORM, status=status)
        if status >= 400:
            return PermanentError("request refused", platform=PLATFORM, status=status)
        return None
    code = error.get("code")
    subcode = error.get("error_subcode")
    message = str(error.get("message", "Graph API error"))
    kw: dict[str, Any] = {"platform": PLATFORM, "status": status, "code": code}
    if code in RATE_LIMIT_CODES:
        wait = usage_from_headers(headers or {}).get("regain_seconds") or DEFAULT_RATE_LIMIT_WAIT
        return RateLimited(message, retry_after=float(wait), **kw)
    if code in AUTH_CODES or (isinstance(code, int) and 200 <= code <= 299):
        return AuthExpired(message + (f" [subcode {subcode}]" if subcode else ""), **kw)
    if code in TRANSIENT_CODES or error.get("is_transient") or status >= 500:
        return TransientError(message, **kw)
    if code == 100 and subcode == 33:
        return TargetGone(message, **kw)
    return PermanentError(message, **kw)


def classify(response: requests.Response, body: Any) -> CollectorError | None:
    if body is None and response.ok:
        return None  # the client reports the broken body
    return graph_error(response.status_code, body, response.headers)


def usage_from_headers(headers: Mapping[str, str]) -> dict[str, Any]:
    """Highest percentage in X-App-Usage / X-Business-Use-Case-Usage, and the wait Meta asks."""
    highest, regain = 0, 0
    app = _json_header(headers.get("X-App-Usage"))
    if isinstance(app, dict):
        highest = max(
            [highest, *(_pct(app.get(k)) for k in ("call_count", "total_cputime", "total_time"))]
        )
    business = _json_header(headers.get("X-Business-Use-Case-Usage"))
    if isinstance(business, dict):
        for entries in business.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                highest = max(
                    [
                        highest,
                        *(
                            _pct(entry.get(k))
                            for k in ("call_count", "total_cputime", "total_time")
                        ),
                    ]
                )
                regain = max(regain, _pct(entry.get("estimated_time_to_regain_access")) * 60)
    if not app and not business:
        return {}
    return {"usage_pct": highest, "regain_seconds": regain}


def _json_header(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _pct(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


# --- parsing ---------------------------------------------------------------------------------


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")


def parse_live(node: Mapping[str, Any], sampled_at: datetime) -> tuple[Sample, str, str | None]:
    """The sample, status and underlying video id of a live node read with ``live_fields()``."""
    status = str(node.get("status", ""))
    reactions = {kind: _summary(node.get(f"reactions_{kind}")) for kind in REACTION_TYPES}
    total = _summary(node.get("reactions"))
    sample = Sample(
        sampled_at=sampled_at,
        live_viewers=_pct(node.get("live_views")) if status == "LIVE" else None,
        reactions=None
        if all(v is None for v in reactions.values())
        else {k: v or 0 for k, v in reactions.items()},
        reactions_total=total,
        comments=_summary(node.get("comments")),
    )
    video = node.get("video") or {}
    return sample, status, video.get("id")


def _summary(edge: Any) -> int | None:
    if not isinstance(edge, dict) or not isinstance(edge.get("summary"), dict):
        return None
    return _pct(edge["summary"].get("total_count"))


def parse_comments(payload: Mapping[str, Any]) -> tuple[CommentRecord, ...]:
    records = []
    for item in payload.get("data") or []:
        created = parse_time(item.get("created_time"))
        if not item.get("id") or created is None:
            continue
        author = item.get("from") or {}
        parent = item.get("parent") or {}
        records.append(
            CommentRecord(
                external_id=str(item["id"]),
                message=str(item.get("message") or ""),
                created_at=created,
                author_name=str(author.get("name") or ""),
                author_external_id=author.get("id"),
                parent_external_id=parent.get("id"),
            )
        )
    return tuple(records)


def next_page(payload: Mapping[str, Any]) -> str | None:
    paging = payload.get("paging") or {}
    return paging.get("next") or None


def parse_insights(payload: Mapping[str, Any], sampled_at: datetime, offset: int) -> Sample:
    values: dict[str, Any] = {}
    for item in payload.get("data") or []:
        points = item.get("values") or [{}]
        values[str(item.get("name"))] = points[-1].get("value")
    reactions = None
    by_type = values.pop("total_video_reactions_by_type_total", None)
    if isinstance(by_type, dict):
        reactions = dict.fromkeys(REACTION_TYPES, 0)
        for key, count in by_type.items():
            if key in INSIGHT_REACTION_KEYS:
                reactions[INSIGHT_REACTION_KEYS[key]] += _pct(count)
    views = values.get("total_video_views")
    extra = {k: v for k, v in values.items() if isinstance(v, int | float)}
    extra["insights_offset_seconds"] = offset
    return Sample(
        sampled_at=sampled_at,
        views=_pct(views) if views is not None else None,
        reactions=reactions,
        reactions_total=sum(reactions.values()) if reactions else None,
        extra=extra,
    )


# --- the collector -------------------------------------------------------------------------


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
        token = _token(items[0][0]) if items else ""
        for start in range(0, len(operations), BATCH_LIMIT):
            chunk = operations[start : start + BATCH_LIMIT]
            try:
                answers, usage = self._batch([op for _, op in chunk], token)
            except CollectorError as exc:
                for plan, _ in chunk:
                    plan.error = plan.error or exc
                continue
            for (plan, op), answer in zip(chunk, answers, strict=True):
                plan.usage = usage
                plan.take(op, answer)
        return [self._finish(plan) for plan in plans]

    def _batch(self, ops: list[_Op], token: str) -> tuple[list[Any], dict[str, Any]]:
        batch = [{"method": "GET", "relative_url": op.relative_url} for op in ops]
        reply = self.client.post(
            "", data={"access_token": token, "batch": json.dumps(batch), "include_headers": "false"}
        )
        self.client.calls += len(ops) - 1  # each item counts against the rate limits (§1.11)
        if not isinstance(reply.body, list) or len(reply.body) != len(ops):
            raise TransientError("batch answer does not match the request", platform=PLATFORM)
        return reply.body, usage_from_headers(reply.headers)

    def _finish(self, plan: _Plan) -> Batch | Exception:
        if plan.error is not None:
            return plan.error
        try:
            plan.follow_comment_pages(self.client, self.max_pages)
            return plan.batch()
        except CollectorError as exc:
            return exc


class _Op:
    def __init__(self, name: str, relative_url: str) -> None:
        self.name = name
        self.relative_url = relative_url


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
        self.comment_next: str | None = None
        self.status: str | None = None
        self.calls = 0
        self.phase = cursor.get("phase", "live")

    def operations(self) -> list[_Op]:
        live_id = self.target.external_id
        if self.phase == "insights":
            video = self.cursor.get("video_id") or live_id
            metrics = ",".join(INSIGHT_METRICS)
            return [_Op("insights", f"{video}/video_insights?metric={metrics}&period=lifetime")]
        ops = [_Op("live", f"{live_id}?fields={live_fields()}")]
        params = {"filter": "stream", "order": "reverse_chronological", "limit": COMMENT_PAGE_SIZE,
                  "live_filter": "no_filter", "fields": COMMENT_FIELDS}  # fmt: skip
        since = self.cursor.get("comments_since")
        if since and self.phase == "live":
            params["since"] = int(datetime.fromisoformat(since).timestamp())
        ops.append(_Op("comments", f"{live_id}/comments?{urlencode(params)}"))
        polls = int(self.cursor.get("polls", 0))
        post = self._post_id()
        if post and (polls % SHARES_EVERY == 0 or "shares" not in self.cursor):
            ops.append(_Op("post", f"{post}?fields=shares"))
        return ops

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
        error = graph_error(status, body) if body is not None else None
        if body is None and error is None:
            error = TransientError("batch item body is not JSON", platform=PLATFORM, status=status)
        if error is not None:
            self.error = error
            return
        getattr(self, f"_take_{op.name}")(body)

    def _take_live(self, node: Mapping[str, Any]) -> None:
        sample, self.status, video_id = parse_live(node, self.now)
        if video_id:
            self.cursor["video_id"] = video_id
        self.samples.append(sample)

    def _take_comments(self, payload: Mapping[str, Any]) -> None:
        self.comments.extend(parse_comments(payload))
        self.comment_next = next_page(payload)

    def _take_post(self, node: Mapping[str, Any]) -> None:
        shares = node.get("shares") or {}
        self.cursor["shares"] = _pct(shares.get("count"))  # absent when never shared (§1.7)

    def _take_insights(self, payload: Mapping[str, Any]) -> None:
        due = self._next_insight()
        if due is not None:
            self.samples.append(parse_insights(payload, self.now, due))
            self.cursor.setdefault("insights_done", []).append(due)

    def follow_comment_pages(self, client: ApiClient, max_pages: int) -> None:
        pager = Paginator(max_pages)
        url = self.comment_next
        while pager.advance(url):
            body = client.get(pager.token, headers=_bearer(self.target)).body  # type: ignore[arg-type]
            self.calls += 1
            self.comments.extend(parse_comments(body))
            url = next_page(body)

    def _ended_at(self) -> datetime | None:
        value = self.cursor.get("ended_at")
        return datetime.fromisoformat(value) if value else None

    def _next_insight(self) -> int | None:
        ended = self._ended_at()
        pending = self._pending_insights()
        if ended is None or not pending:
            return None
        return pending[0] if self.now >= ended + timedelta(seconds=pending[0]) else None

    def batch(self) -> Batch:
        started_live = self.phase == "live"
        if started_live:
            self._after_live_poll()
        samples = self.samples
        shares = self.cursor.get("shares")
        if started_live and shares is not None:
            samples = [replace(sample, shares=shares) for sample in samples]
        poll_after, finished = None, False
        if self.phase == "insights":
            pending = self._pending_insights()
            finished = not pending
            ended = self._ended_at()
            if pending and ended is not None:
                due = ended + timedelta(seconds=pending[0])
                poll_after = max((due - self.now).total_seconds(), 1.0)
        return Batch(
            samples=tuple(samples),
            comments=tuple(self.comments),
            cursor=self.cursor,
            status=self._status(),
            finished=finished,
            calls=self.calls,
            usage=self.usage,
            poll_after=poll_after,
        )

    def _status(self) -> str | None:
        if self.status == "LIVE":
            return "live"
        if self.phase == "insights" or self.status in ENDED_STATUSES:
            return "ended"
        return "scheduled" if self.status else None

    def _pending_insights(self) -> list[int]:
        done = set(self.cursor.get("insights_done", []))
        return [offset for offset in INSIGHT_OFFSETS if offset not in done]

    def _after_live_poll(self) -> None:
        self.cursor["polls"] = int(self.cursor.get("polls", 0)) + 1
        newest = max((c.created_at for c in self.comments), default=None)
        if newest is not None:
            since = min(newest, self.now) - COMMENT_OVERLAP
            old = self.cursor.get("comments_since")
            if old is None or since > datetime.fromisoformat(old):
                self.cursor["comments_since"] = since.isoformat()
        if self.status in ENDED_STATUSES:
            # The full sweep happened in this poll only if we read without `since`.
            if self.cursor.get("swept"):
                self.phase = self.cursor["phase"] = "insights"
                self.cursor.setdefault("ended_at", self.now.isoformat())
            else:
                self.cursor["swept"] = True
                self.cursor.pop("comments_since", None)  # next poll re-reads every comment


def _bearer(target: TargetSpec) -> dict[str, str]:
    """Tokens travel in a header, never in a query string that ends up in logs."""
    return {"Authorization": f"Bearer {_token(target)}"}


def _token(target: TargetSpec) -> str:
    token = target.credentials.get("access_token")
    if not token:
        raise AuthExpired("the account has no access_token", platform=PLATFORM)
    return str(token)


# --- discovery -------------------------------------------------------------------------------


class FacebookPageDiscovery:
    """Lists a registered page's lives so a livestream becomes an event within one poll."""

    kind: ClassVar[str] = "facebook_live"

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def discover(self, page_id: str, credentials: Mapping[str, Any]) -> list[DiscoveredLive]:
        params = {
            "broadcast_status": json.dumps(["LIVE"]),
            "fields": "id,title,status,broadcast_start_time,permalink_url",
        }
        token = credentials.get("access_token")
        if not token:
            raise AuthExpired("the account has no access_token", platform=PLATFORM)
        headers = {"Authorization": f"Bearer {token}"}
        found: list[DiscoveredLive] = []
        pager = Paginator(max_pages=5)
        url: str | None = f"{page_id}/live_videos"
        while url:
            query = None if url.startswith("http") else params
            body = self.client.get(url, params=query, headers=headers).body
            for item in body.get("data") or []:
                if item.get("status") == "LIVE" and item.get("id"):
                    found.append(
                        DiscoveredLive(
                            kind=self.kind,
                            external_id=str(item["id"]),
                            title=str(item.get("title") or ""),
                            started_at=parse_time(item.get("broadcast_start_time")),
                            permalink=str(item.get("permalink_url") or ""),
                        )
                    )
            url = next_page(body) if pager.advance(next_page(body)) else None
        return found


def make_client(session: requests.Session, base_url: str, **kw: Any) -> ApiClient:
    return ApiClient(session, base_url, classify, platform=PLATFORM, **kw)


__all__ = [
    "FacebookLiveCollector",
    "FacebookPageDiscovery",
    "classify",
    "make_client",
    "parse_json",
]
