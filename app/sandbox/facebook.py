"""A fake Meta Graph API for one Page and its livestream, under ``/facebook/<version>/``.

Implements platform-apis.md §1: token auth and OAuth errors (§1.1, §1.13), ``/{page}/live_videos``
with ``broadcast_status`` (§1.2), LiveVideo / Video / Post / Comment nodes (§1.3, §1.7),
``/{id}/comments`` with filter, order, since and cursor paging (§1.4, §1.11), reactions by type
and aliases (§1.6), ``/{video}/video_insights`` and Page/post insights with deprecated metrics
answering error 100 (§1.8–1.10), ``?ids=``, batch requests (§1.11), and the usage headers and
throttling codes of §1.12. Field expansion is parsed by ``app.sandbox.fields``.

Choices where the notes leave a gap (each listed in §1.14 as unverified): Graph errors answer
HTTP 400 (500/503 for server faults); ``status`` reads LIVE while live and VOD after; ``shares``
is omitted while 0; the post id is ``{page}_{video}``; comment ``limit`` is capped at 100.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, Response, request

from app.sandbox.faults import Fault, UsageMeter
from app.sandbox.fields import FieldSpec, FieldSyntaxError, format_fields, parse_fields
from app.sandbox.scenario import REACTION_TYPES, PastLive, Scenario, ScriptedComment, insight_values

if TYPE_CHECKING:
    from app.sandbox.clock import Clock
    from app.sandbox.faults import Faults
    from app.sandbox.server import GroundTruth, RequestLog, Served

VERSION = re.compile(r"^v\d+\.\d+$")
REACTION_PARAM_TYPES = (*REACTION_TYPES, "NONE", "THANKFUL", "PRIDE", "FIRE", "HUNDRED")
THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try "
    "again. For more info, please refer to "
    "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
}
INVALID_METRIC = "(#100) The value must be a valid insights metric"
PERIODS = ("day", "week", "days_28", "month", "lifetime", "total_over_range")
# Deprecated on all versions (§1.10): asking for any of them is error 100.
DEPRECATED_METRICS = frozenset(
    [
        "page_impressions",
        "page_impressions_unique",
        "page_impressions_paid",
        "page_impressions_paid_unique",
        "page_impressions_viral",
        "page_impressions_viral_unique",
        "page_impressions_nonviral",
        "page_impressions_nonviral_unique",
        "page_impressions_organic_v2",
        "page_fans",
        "page_fans_locale",
        "page_fans_city",
        "page_fans_country",
        "page_fan_adds",
        "page_fan_adds_unique",
        "page_fan_removes",
        "page_fan_removes_unique",
        "page_engaged_users",
        "page_consumptions",
        "page_consumptions_unique",
        "page_posts_impressions",
        "page_posts_impressions_unique",
        "page_video_views_10s",
        "post_impressions",
        "post_impressions_unique",
        "post_impressions_paid",
        "post_impressions_paid_unique",
        "post_impressions_fan",
        "post_impressions_fan_unique",
        "post_impressions_organic",
        "post_impressions_organic_unique",
        "post_impressions_viral",
        "post_impressions_viral_unique",
        "post_impressions_nonviral",
        "post_impressions_nonviral_unique",
        "post_engaged_users",
        "post_video_views_10s",
    ]
)
PAGE_METRICS = ("page_media_view", "page_total_media_view_unique", "page_follows")
POST_METRICS = (
    "post_media_view",
    "post_total_media_view_unique",
    "post_reactions_by_type_total",
    "post_video_views",
    "post_video_views_unique",
    "post_video_avg_time_watched",
)
DEFAULT_FIELDS = {
    "Page": "id,name",
    "LiveVideo": "id,title,description,status,creation_time,broadcast_start_time,permalink_url",
    "Video": "id,title,description,updated_time",
    "Post": "id,message,created_time",
    "Comment": "created_time,from,message,id",
}
OBJECT_DEFAULTS = {"from": "id,name", "video": "id", "parent": "created_time,from,message,id"}
EDGES = {
    "Page": ("live_videos", "insights"),
    "LiveVideo": ("comments", "reactions", "likes"),
    "Video": ("comments", "reactions", "likes", "video_insights"),
    "Post": ("comments", "reactions", "likes", "insights"),
    "Comment": ("comments", "reactions", "likes"),
}
PAGED_EDGES = ("comments", "live_videos")


@dataclass
class FacebookSettings:
    """Budgets and paging behaviour; the defaults suit the demo, tests shrink them."""

    api_version: str = "v25.0"
    app_calls_per_hour: int = 6000  # X-App-Usage budget (200 × daily active users, §1.12)
    page_calls_per_hour: int = 4800  # BUC budget for the Page (4800 × engaged users, §1.12)
    default_limit: int = 25
    max_limit: int = 100
    empty_page_every: int = 10  # every Nth continued comments page is empty but has next; 0 = off
    max_batch: int = 50
    page_token: str = "EAAGsandboxPageToken0BHXHNgheAn"


class GraphError(Exception):
    """A Graph error envelope (§1.13) and the HTTP status it travels with."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        status: int = 400,
        transient: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.subcode = code, message, subcode
        self.status, self.transient = status, transient

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": self.message,
            "type": "OAuthException",
            "code": self.code,
        }
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.transient is not None:
            error["is_transient"] = self.transient
        error["fbtrace_id"] = "A" + secrets.token_urlsafe(16)[:20]
        return {"error": error}


@dataclass
class Call:
    """One Graph call: an HTTP request, or one item of a batch."""

    method: str
    path: str
    params: dict[str, str]
    token: str | None
    token_in_query: bool
    t: float
    base: str  # absolute URL of the version root, for paging.next
    served: Served
    in_batch: bool = False
    fault: Fault | None = None


@dataclass
class Answer:
    status: int
    body: Any  # None: a batch item that timed out
    malformed: bool = False
    delay: float = 0.0
    usage_override: dict[str, int] = field(default_factory=dict)

    @property
    def intact(self) -> bool:
        return self.status == 200 and not self.malformed and self.body is not None


@dataclass(frozen=True)
class Node:
    type: str
    id: str
    past: PastLive | None = None  # None: the scripted live (or not a live-related node)
    comment: ScriptedComment | None = None


class FacebookFake:
    """The Graph API of the scenario's Page; state lives here, requests come through Flask."""

    def __init__(
        self,
        scenario: Scenario,
        clock: Clock,
        faults: Faults,
        truth: GroundTruth,
        log: RequestLog,
        settings: FacebookSettings | None = None,
    ) -> None:
        self.scenario, self.clock, self.faults, self.truth, self.log = (
            scenario,
            clock,
            faults,
            truth,
            log,
        )
        self.settings = settings or FacebookSettings()
        self.app_usage = UsageMeter(self.settings.app_calls_per_hour)
        self.page_usage = UsageMeter(self.settings.page_calls_per_hour)
        self._lock = threading.Lock()
        self.reset()

    # --- state ------------------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.token = self.settings.page_token
            self._retired: set[str] = set()
            self._expired = False
            self._renewals = 0
            self._continued_pages = 0
            self._cursor_serial = 0
        self.app_usage.reset()
        self.page_usage.reset()

    def expire_token(self) -> None:
        with self._lock:
            self._expired = True

    def renew_token(self, token: str | None = None) -> str:
        with self._lock:
            self._renewals += 1
            new = token or f"{self.settings.page_token}R{self._renewals}"
            if new != self.token:
                self._retired.add(self.token)
            self.token, self._expired = new, False
            return new

    def usage(self, t: float) -> dict[str, Any]:
        return {
            "app": self.app_usage.percent(t),
            "page": self.page_usage.percent(t),
            "page_minutes_to_regain": self.page_usage.minutes_to_regain(t),
        }

    # --- HTTP -------------------------------------------------------------------------------

    def blueprint(self) -> Blueprint:
        bp = Blueprint("sandbox_facebook", __name__, url_prefix="/facebook")
        methods = ["GET", "POST", "DELETE"]
        bp.add_url_rule(
            "/<version>",
            defaults={"path": ""},
            view_func=self._http,
            methods=methods,
            strict_slashes=False,
        )
        bp.add_url_rule("/<version>/<path:path>", view_func=self._http, methods=methods)
        return bp

    def _http(self, version: str, path: str) -> Response:
        t = self.clock.now()
        params = {**request.args.to_dict(), **request.form.to_dict()}
        self.log.add(
            platform="facebook",
            method=request.method,
            path=request.path,
            params=params,
            headers=dict(request.headers),
            t=t,
            batch_item=False,
        )
        base = f"{request.host_url.rstrip('/')}/facebook/{version}"
        query_token = request.args.get("access_token") or request.form.get("access_token")
        token = query_token or _bearer(request.headers.get("Authorization"))
        if not VERSION.match(version):
            answer = _error_answer(GraphError(2500, f"Unknown path components: /{version}"))
        elif request.method == "POST" and not path.strip("/"):
            answer = self._batch(params, token, t, base, version)
        else:
            served = self.truth.pending()
            call = Call(
                request.method, path.strip("/"), params, token, bool(query_token), t, base, served
            )
            answer = self.call(call)
            if answer.intact:
                self.truth.commit(served)
        if answer.delay:
            time.sleep(answer.delay)
        text = json.dumps(answer.body)
        if answer.malformed:
            text = text[: max(1, len(text) // 2)]
        response = Response(text, status=answer.status, mimetype="application/json")
        response.headers["facebook-api-version"] = self.settings.api_version
        response.headers["x-fb-trace-id"] = secrets.token_urlsafe(8)
        response.headers.update(self._usage_headers(t, answer.usage_override))
        return response

    def _usage_headers(self, t: float, override: dict[str, int]) -> dict[str, str]:
        app = max(self.app_usage.percent(t), override.get("app", 0))
        page = max(self.page_usage.percent(t), override.get("page", 0))
        regain = max(self.page_usage.minutes_to_regain(t), override.get("minutes", 0))
        buc = {
            "type": "pages",
            "call_count": page,
            "total_cputime": page * 2 // 5,
            "total_time": page // 2,
            "estimated_time_to_regain_access": regain,
        }
        return {
            "X-App-Usage": json.dumps(
                {"call_count": app, "total_cputime": app * 2 // 5, "total_time": app // 2},
                separators=(",", ":"),
            ),
            "X-Business-Use-Case-Usage": json.dumps(
                {self.scenario.params.page_id: [buc]}, separators=(",", ":")
            ),
        }

    # --- one call ---------------------------------------------------------------------------

    def call(self, call: Call) -> Answer:
        """Auth, throttling, faults, then the read itself; every step may answer an error."""
        try:
            self._authenticate(call.token)
            self._throttle(call.t)
            ids = [i for i in call.params.get("ids", "").split(",") if i] if not call.path else []
            weight = max(1, len(ids))
            self.app_usage.record(call.t, weight)
            self.page_usage.record(call.t, weight)
            segments = call.path.split("/") if call.path else []
            paged = len(segments) == 2 and segments[1] in PAGED_EDGES
            call.fault = self.faults.take("facebook", paged)
            early = self._apply_fault(call)
            if early is not None:
                return early
            answer = Answer(200, self._route(call, segments, ids))
        except GraphError as error:
            return _error_answer(error)
        except FieldSyntaxError as error:
            return _error_answer(GraphError(100, str(error)))
        if call.fault is not None and call.fault.kind == "malformed_json":
            answer.malformed = True
        if call.fault is not None and call.fault.kind == "timeout":
            answer.delay = float(call.fault.opt("seconds", 2.0))
        return answer

    def _authenticate(self, token: str | None) -> None:
        with self._lock:
            if not token:
                raise GraphError(104, "An access token is required to request this resource.")
            if token == self.token and not self._expired:
                return
            if token == self.token or token in self._retired:
                raise GraphError(
                    190,
                    "Error validating access token: Session has expired.",
                    subcode=463,
                )
        raise GraphError(190, "Invalid OAuth access token.", subcode=467)

    def _throttle(self, t: float) -> None:
        if self.app_usage.percent(t) >= 100:
            raise GraphError(4, THROTTLE_MESSAGES[4], transient=True)
        if self.page_usage.percent(t) >= 100:
            raise GraphError(80001, THROTTLE_MESSAGES[80001], transient=True)

    def _apply_fault(self, call: Call) -> Answer | None:
        fault = call.fault
        if fault is None:
            return None
        kind = fault.kind
        if kind == "rate_limit":
            code = int(fault.opt("code", 4))
            answer = _error_answer(GraphError(code, THROTTLE_MESSAGES[code], transient=True))
            page_level = code in (32, 80001)
            answer.usage_override = (
                {"page": 100, "minutes": int(fault.opt("minutes", 5))}
                if page_level
                else {"app": 100}
            )
            return answer
        if kind == "server_error":
            if int(fault.opt("status", 500)) == 503:
                message = "An unexpected error has occurred. Please retry your request later."
                return _error_answer(GraphError(2, message, status=503, transient=True))
            return _error_answer(GraphError(1, "An unknown error has occurred.", status=500))
        if kind == "token_expired":
            self.expire_token()
            self._authenticate(call.token)
        if kind == "timeout" and call.in_batch:
            return Answer(200, None)
        if kind == "end_live":
            self.scenario.end_live("facebook", call.t)
        if kind == "usage_near_limit":
            percent = int(fault.opt("percent", 95))
            target = fault.opt("target", "both")
            if target in ("app", "both"):
                self.app_usage.fill(call.t, percent)
            if target in ("page", "both"):
                self.page_usage.fill(call.t, percent)
        return None

    # --- routing ----------------------------------------------------------------------------

    def _route(self, call: Call, segments: list[str], ids: list[str]) -> Any:
        if call.method != "GET":
            raise _unsupported(call.method.lower(), call.path)
        specs = parse_fields(call.params["fields"]) if call.params.get("fields") else None
        if not segments:
            if not ids:
                raise GraphError(100, "(#100) Missing 'ids' parameter")
            nodes = {i: self._node(i, call.t) for i in ids}
            missing = [i for i, node in nodes.items() if node is None]
            if missing:
                message = (
                    f"(#803) Some of the aliases you requested do not exist: {','.join(missing)}"
                )
                raise GraphError(803, message, status=404)
            return {i: self._render(node, specs, call) for i, node in nodes.items() if node}
        if len(segments) > 2:
            raise GraphError(2500, f"Unknown path components: /{'/'.join(segments[2:])}")
        node = self._node(segments[0], call.t)
        if node is None:
            raise _unsupported("get", segments[0])
        if len(segments) == 1:
            return self._render(node, specs, call)
        edge = segments[1]
        if edge not in EDGES[node.type]:
            raise GraphError(2500, f"Unknown path components: /{edge}")
        params = {k: v for k, v in call.params.items() if k not in ("access_token", "fields")}
        return self._edge(node, edge, params, specs, call, fault=call.fault)

    def _node(self, object_id: str, t: float) -> Node | None:
        p = self.scenario.params
        if object_id in (p.page_id, "me"):
            return Node("Page", p.page_id)
        if object_id == p.live_video_id or object_id in p.mirror_live_ids:
            return Node("LiveVideo", object_id)
        if object_id == p.video_id:
            return Node("Video", object_id)
        if object_id == p.post_id:
            return Node("Post", object_id)
        for past in self.scenario.past_lives:
            if object_id == past.live_video_id:
                return Node("LiveVideo", object_id, past)
            if object_id == past.video_id:
                return Node("Video", object_id, past)
            if object_id == f"{p.page_id}_{past.video_id}":
                return Node("Post", object_id, past)
        comment = self.scenario.comment(object_id)
        if comment is not None and self.scenario.comment_visible(comment, t):
            return Node("Comment", object_id, comment=comment)
        return None

    # --- nodes ------------------------------------------------------------------------------

    def _render(self, node: Node, specs: tuple[FieldSpec, ...] | None, call: Call) -> dict:
        """A node with the asked fields (or the type's defaults); Graph always adds ``id``."""
        if node.comment is not None:
            c = node.comment
            created = _fb_time(self.scenario.datetime_at(c.created))
            call.served.note("comment", c.id, c.message_at(call.t), c.parent_id, created)
        out: dict[str, Any] = {}
        for spec in specs or parse_fields(DEFAULT_FIELDS[node.type]):
            if spec.name in EDGES[node.type]:
                out[spec.key] = self._edge(node, spec.name, spec.params(), spec.children, call)
                continue
            value = node.id if spec.name == "id" else self._object_field(node, spec, call)
            if value is _MISSING:
                value = getattr(self, f"_{node.type.lower()}_field")(node, spec.name, call)
            if value is _MISSING:
                raise GraphError(
                    100,
                    f"(#100) Tried accessing nonexisting field ({spec.name}) "
                    f"on node type ({node.type})",
                )
            if value is not None:
                out[spec.key] = value
        out.setdefault("id", node.id)
        return out

    def _object_field(self, node: Node, spec: FieldSpec, call: Call) -> Any:
        """Fields whose value is another object, expanded with ``{subfields}``."""
        if spec.name == "from" and node.type != "Page":
            author = node.comment.author if node.comment else self.scenario.page
            values = {"id": author.id, "name": author.name}
            names = [c.name for c in spec.children or parse_fields(OBJECT_DEFAULTS["from"])]
            if unknown := [n for n in names if n not in values]:
                raise GraphError(
                    100,
                    f"(#100) Tried accessing nonexisting field ({unknown[0]}) on node type (User)",
                )
            return {n: values[n] for n in names}
        if spec.name == "video" and node.type == "LiveVideo":
            video_id = node.past.video_id if node.past else self.scenario.params.video_id
            children = spec.children or parse_fields(OBJECT_DEFAULTS["video"])
            return self._render(Node("Video", video_id, node.past), children, call)
        if spec.name == "parent" and node.comment is not None:
            parent_id = node.comment.parent_id
            parent = self.scenario.comment(parent_id) if parent_id else None
            if parent is None:
                return None  # top-level comments have no parent field at all
            children = spec.children or parse_fields(OBJECT_DEFAULTS["parent"])
            return self._render(Node("Comment", parent.id, comment=parent), children, call)
        return _MISSING

    def _page_field(self, node: Node, name: str, call: Call) -> Any:
        p = self.scenario.params
        return {
            "name": p.page_name,
            "link": f"https://www.facebook.com/{p.page_id}",
            "category": "Government Organization",
            "about": "Trang thông tin chính thức của BHXH tỉnh",
            "fan_count": 18_452,
            "followers_count": 19_230,
        }.get(name, _MISSING)

    def _livevideo_field(self, node: Node, name: str, call: Call) -> Any:
        s, p, t, past = self.scenario, self.scenario.params, call.t, node.past
        start = past.start if past else s.live_start
        phase = "ended" if past else s.phase("facebook", t)
        video_id = past.video_id if past else p.video_id
        if name == "status":
            return {"scheduled": "SCHEDULED_LIVE", "live": "LIVE", "ended": "VOD"}[phase]
        if name == "live_views":
            views = s.viewers("facebook", t) if not past else 0
            call.served.note("live_views", views)
            return views
        if name == "total_views":
            views = past.views if past else s.views("facebook", t)
            if not past:
                call.served.note("total_views", views)
            return str(views)
        values = {
            "title": past.title if past else p.title,
            "description": p.description,
            "creation_time": _fb_time(s.datetime_at(start - 900)),
            "broadcast_start_time": _fb_time(s.datetime_at(start))
            if phase != "scheduled"
            else None,
            "planned_start_time": _fb_time(s.datetime_at(start)) if phase == "scheduled" else None,
            "permalink_url": f"https://www.facebook.com/{p.page_id}/videos/{video_id}/",
            "embed_html": f'<iframe src="https://www.facebook.com/plugins/video.php?href='
            f'https%3A%2F%2Fwww.facebook.com%2F{p.page_id}%2Fvideos%2F{video_id}%2F" '
            'width="1280" height="720" frameborder="0" allowfullscreen="true"></iframe>',
            "is_manual_mode": False,
            "is_reference_only": False,
            "seconds_left": None,
            "stream_url": f"rtmps://live-api-s.facebook.com:443/rtmp/FB-{node.id}-0-sandbox",
            "secure_stream_url": f"rtmps://live-api-s.facebook.com:443/rtmp/FB-{node.id}-0-sandbox",
        }
        return values.get(name, _MISSING)

    def _video_field(self, node: Node, name: str, call: Call) -> Any:
        s, p, past = self.scenario, self.scenario.params, node.past
        start = past.start if past else s.live_start
        phase = "ended" if past else s.phase("facebook", call.t)
        end = start + past.duration if past else s.end_time("facebook")
        return {
            "title": past.title if past else p.title,
            "description": p.description,
            "created_time": _fb_time(s.datetime_at(start - 900)),
            "updated_time": _fb_time(
                s.datetime_at(min(call.t, end) if phase != "scheduled" else start - 900)
            ),
            "permalink_url": f"/{p.page_id}/videos/{node.id}/",
            "length": round(end - start, 3) if phase == "ended" else None,
            "live_status": {"scheduled": "SCHEDULED_LIVE", "live": "LIVE", "ended": "VOD"}[phase],
            "published": True,
        }.get(name, _MISSING)

    def _post_field(self, node: Node, name: str, call: Call) -> Any:
        s, p, past = self.scenario, self.scenario.params, node.past
        start = past.start if past else s.live_start
        if name == "shares":
            count = past.shares if past else s.share_count(call.t)
            if not past:
                call.served.note("shares", count)
            return {"count": count} if count else None
        return {
            "message": f"{past.title if past else p.title}\n{p.description}",
            "created_time": _fb_time(s.datetime_at(start - 900)),
            "updated_time": _fb_time(s.datetime_at(max(start - 900, min(call.t, s.scripted_end)))),
            "permalink_url": f"https://www.facebook.com/{p.page_id}/posts/{node.id.split('_')[1]}",
            "status_type": "added_video",
            "is_published": True,
        }.get(name, _MISSING)

    def _comment_field(self, node: Node, name: str, call: Call) -> Any:
        comment, s = node.comment, self.scenario
        assert comment is not None
        return {
            "message": comment.message_at(call.t),
            "created_time": _fb_time(s.datetime_at(comment.created)),
            "like_count": comment.like_count,
            "comment_count": sum(
                1 for c in s.visible_comments(call.t) if c.parent_id == comment.id
            ),
            "permalink_url": f"https://www.facebook.com/{s.params.page_id}/videos/"
            f"{s.params.video_id}/?comment_id={comment.id.split('_')[1]}",
            "is_hidden": False,
            "can_remove": True,
            "live_broadcast_timestamp": max(0, int(comment.created - s.live_start)),
            "attachment": None,
            "message_tags": None,
        }.get(name, _MISSING)

    # --- edges ------------------------------------------------------------------------------

    def _edge(
        self,
        node: Node,
        edge: str,
        params: dict[str, str],
        children: tuple[FieldSpec, ...] | None,
        call: Call,
        fault: Fault | None = None,
    ) -> dict[str, Any]:
        if edge == "comments":
            return self._comments(node, params, children, call, fault)
        if edge in ("reactions", "likes"):
            return self._reactions(node, edge, params, call)
        if edge == "live_videos":
            return self._live_videos(node, params, children, call, fault)
        return self._insights(node, edge, params, call)

    def _comments(
        self,
        node: Node,
        params: dict[str, str],
        children: tuple[FieldSpec, ...] | None,
        call: Call,
        fault: Fault | None,
    ) -> dict[str, Any]:
        flt = params.get("filter", "toplevel")
        order = params.get("order", "chronological")
        if flt not in ("toplevel", "stream"):
            raise GraphError(
                100, "(#100) filter must be one of the following values: toplevel, stream"
            )
        if order not in ("chronological", "reverse_chronological", "ranked"):
            raise GraphError(
                100,
                "(#100) order must be one of the following values: chronological, "
                "reverse_chronological, ranked",
            )
        visible = [] if node.past else self.scenario.visible_comments(call.t)
        if node.type == "Comment":
            items = [c for c in visible if c.parent_id == node.id]
        else:
            items = [c for c in visible if flt == "stream" or c.parent_id is None]
        total = len(items)
        if "since" in params:
            since = self.scenario.seconds_at(_parse_time(params["since"], "since"))
            items = [c for c in items if c.created >= since]
        if "until" in params:
            until = self.scenario.seconds_at(_parse_time(params["until"], "until"))
            items = [c for c in items if c.created <= until]
        reverse = order == "reverse_chronological"
        if reverse:
            items.reverse()
        page = self._page_of(
            items,
            [c.seq for c in items],
            params,
            call,
            path=f"{node.id}/comments",
            children=children,
            fault=fault,
            descending=reverse,
        )
        specs = children or parse_fields(DEFAULT_FIELDS["Comment"])
        page["data"] = [
            self._render(Node("Comment", c.id, comment=c), specs, call) for c in page["data"]
        ]
        summary = params.get("summary")
        if summary and summary != "false":
            full = {
                "order": "chronological" if flt == "stream" else order,
                "total_count": total,
                "can_comment": True,
            }
            page["summary"] = _summary(full, summary)
        return page

    def _page_of(
        self,
        items: list[Any],
        keys: list[int],
        params: dict[str, str],
        call: Call,
        *,
        path: str,
        children: tuple[FieldSpec, ...] | None,
        fault: Fault | None,
        descending: bool,
    ) -> dict[str, Any]:
        """Cursor paging (§1.11) over ``items`` in answer order; ``keys`` are stable positions.

        Cursors name a key, not an offset, so comments arriving or being deleted between two
        pages neither skip nor repeat anything. ``next`` is absent only on the last page.
        """
        limit = self._limit(params)
        start_key = 10**9 if descending else -1  # "before the first item"
        after_raw, before_raw = params.get("after"), params.get("before")
        after = _decode_cursor(after_raw) if after_raw else None
        if after is not None:
            first = _index_after(keys, after, descending)
            chosen = range(first, min(first + limit, len(items)))
        elif before_raw:
            end = _index_after(keys, _decode_cursor(before_raw), descending, inclusive=True)
            chosen = range(max(0, end - limit), end)
        else:
            chosen = range(min(limit, len(items)))
        if limit == 0:
            return {"data": []}
        kind = fault.kind if fault else None
        if kind is None and after is not None and chosen and self._empty_page_due():
            kind = "empty_page"
        data = [items[n] for n in chosen]
        next_cursor: str | None = None
        if kind == "empty_page" and chosen:
            data = []
            next_cursor = self._encode_cursor(after if after is not None else start_key)
        elif kind == "duplicate_page":
            next_cursor = after_raw or self._encode_cursor(start_key)
        elif kind == "overlapping_page" and chosen and fault is not None:
            back = chosen[-1] - int(fault.opt("overlap", 3))
            next_cursor = self._encode_cursor(keys[back] if back >= 0 else start_key)
        elif chosen and chosen[-1] + 1 < len(items):
            next_cursor = self._encode_cursor(keys[chosen[-1]])
        page: dict[str, Any] = {"data": data}
        if not data and next_cursor is None:
            return page
        cursors = {
            "before": self._encode_cursor(keys[chosen[0]]) if data else next_cursor,
            "after": next_cursor or self._encode_cursor(keys[chosen[-1]]),
        }
        page["paging"] = {"cursors": cursors}
        if data and chosen[0] > 0:
            page["paging"]["previous"] = self._url(
                call, path, params, children, before=cursors["before"]
            )
        if next_cursor is not None:
            page["paging"]["next"] = self._url(call, path, params, children, after=next_cursor)
        return page

    def _empty_page_due(self) -> bool:
        every = self.settings.empty_page_every
        if not every:
            return False
        with self._lock:
            self._continued_pages += 1
            return self._continued_pages % every == 0

    def _encode_cursor(self, key: int) -> str:
        with self._lock:
            self._cursor_serial += 1
            serial = self._cursor_serial
        raw = f"{key}:{serial}".encode()
        return base64.urlsafe_b64encode(b"QVFI" + raw).decode().rstrip("=")

    def _limit(self, params: dict[str, str]) -> int:
        raw = params.get("limit", str(self.settings.default_limit))
        try:
            limit = int(raw)
        except ValueError as exc:
            raise GraphError(100, f"(#100) Param limit must be a number, got {raw}") from exc
        if limit < 0:
            raise GraphError(100, "(#100) Param limit must be a non-negative integer")
        return min(limit, self.settings.max_limit)

    def _url(
        self,
        call: Call,
        path: str,
        params: dict[str, str],
        children: tuple[FieldSpec, ...] | None,
        **cursor: str,
    ) -> str:
        query = {k: v for k, v in params.items() if k not in ("after", "before", "access_token")}
        if children is not None:
            query["fields"] = format_fields(children)
        query.setdefault("limit", str(self._limit(params)))
        if call.token_in_query and call.token:
            query["access_token"] = call.token
        query.update(cursor)
        return f"{call.base}/{path}?{urlencode(query)}"

    def _reactions(
        self, node: Node, edge: str, params: dict[str, str], call: Call
    ) -> dict[str, Any]:
        kind = params.get("type")
        if edge == "reactions" and kind and kind not in REACTION_PARAM_TYPES:
            raise GraphError(
                100,
                "(#100) type must be one of the following values: "
                + ", ".join(REACTION_PARAM_TYPES),
            )
        counts = self._reaction_counts(node, call.t)
        if edge == "likes":  # "like" counts include both LIKE and CARE (§1.6)
            total = counts.get("LIKE", 0) + counts.get("CARE", 0)
        else:
            total = counts.get(kind, 0) if kind else sum(counts.values())
        answer: dict[str, Any] = {"data": []}  # other people's reactions are never listed (§1.6)
        summary = params.get("summary")
        if summary and summary != "false":
            full: dict[str, Any] = {"total_count": total}
            full.update(
                {"viewer_reaction": "NONE"}
                if edge == "reactions"
                else {"can_like": True, "has_liked": False}
            )
            answer["summary"] = _summary(full, summary)
            if (
                edge == "reactions"
                and node.type in ("LiveVideo", "Video", "Post")
                and not node.past
            ):
                call.served.note("reactions", kind, total)
        return answer

    def _reaction_counts(self, node: Node, t: float) -> dict[str, int]:
        if node.comment is not None:
            return {"LIKE": node.comment.like_count}
        if node.past is not None:
            return dict(node.past.reactions)
        if node.type == "Page":
            return {}
        return self.scenario.reaction_counts(t)

    def _live_videos(
        self,
        node: Node,
        params: dict[str, str],
        children: tuple[FieldSpec, ...] | None,
        call: Call,
        fault: Fault | None,
    ) -> dict[str, Any]:
        p = self.scenario.params
        wanted = _status_filter(params.get("broadcast_status"))
        lives = [Node("LiveVideo", p.live_video_id)] + [
            Node("LiveVideo", past.live_video_id, past) for past in self.scenario.past_lives
        ]  # newest first, as Graph lists them
        keep = [
            n
            for n, live in enumerate(lives)
            if wanted is None or self._livevideo_field(live, "status", call) in wanted
        ]
        page = self._page_of(
            [lives[n] for n in keep],
            keep,  # a live's rank in the full list is its stable paging key
            params,
            call,
            path=f"{node.id}/live_videos",
            children=children,
            fault=fault,
            descending=False,
        )
        specs = children or parse_fields(DEFAULT_FIELDS["LiveVideo"])
        page["data"] = [self._render(live, specs, call) for live in page["data"]]
        return page

    def _insights(
        self, node: Node, edge: str, params: dict[str, str], call: Call
    ) -> dict[str, Any]:
        period = params.get("period", "lifetime" if node.type != "Page" else "day")
        if period not in PERIODS:
            raise GraphError(
                100, f"(#100) period must be one of the following values: {', '.join(PERIODS)}"
            )
        values = self._insight_values(node, call.t)
        names = _metric_list(params.get("metric")) or list(values)
        if any(name not in values for name in names):
            raise GraphError(100, INVALID_METRIC)
        if (period == "lifetime") != (node.type != "Page"):
            return {"data": []}  # video and post metrics are lifetime ones, Page metrics daily
        data = []
        for name in names:
            value = values[name]
            if edge == "video_insights" and not node.past:
                call.served.note("insight", name, value)
            entry: dict[str, Any] = {"value": value}
            if node.type == "Page":
                entry["end_time"] = _fb_time(
                    self.scenario.datetime_at(call.t).replace(hour=7, minute=0, second=0)
                )
            data.append(
                {
                    "name": name,
                    "period": period,
                    "values": [entry],
                    "title": f"{period.capitalize()} {name.replace('_', ' ')}",
                    "description": f"{period.capitalize()}: {name.replace('_', ' ')} (sandbox)",
                    "id": f"{node.id}/{edge}/{name}/{period}",
                }
            )
        return {"data": data}

    def _insight_values(self, node: Node, t: float) -> dict[str, Any]:
        s = self.scenario
        if node.past is not None:
            video = insight_values(
                node.past.views, 1.0, node.past.reactions, comments=0, shares=node.past.shares
            )
        else:
            video = s.video_insights(t)
        if node.type == "Video":
            return video
        if node.type == "Post":
            by_type = dict(video["total_video_reactions_by_type_total"])  # type: ignore[arg-type]
            return {
                "post_media_view": video["total_video_impressions"],
                "post_total_media_view_unique": video["total_video_impressions_unique"],
                "post_reactions_by_type_total": by_type,
                "post_video_views": video["total_video_views"],
                "post_video_views_unique": video["total_video_views_unique"],
                "post_video_avg_time_watched": video["total_video_avg_time_watched"],
            }
        if node.type == "Page":
            views = s.views("facebook", t)
            return {
                "page_media_view": 5_200 + views * 3,
                "page_total_media_view_unique": 2_900 + views,
                "page_follows": 19_230,
            }
        return {}

    # --- batch ------------------------------------------------------------------------------

    def _batch(
        self, params: dict[str, str], token: str | None, t: float, base: str, version: str
    ) -> Answer:
        """``POST /`` with ``batch=[{"method","relative_url"}, …]`` (§1.11)."""
        try:
            self._authenticate(token)
            ops = json.loads(params.get("batch") or "null")
            if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
                raise GraphError(100, "(#100) The parameter batch must be a JSON array of objects")
            if not ops:
                raise GraphError(100, "(#100) The parameter batch is required")
            if len(ops) > self.settings.max_batch:
                raise GraphError(
                    100,
                    "(#100) Too many requests in batch message. Maximum batch size is "
                    f"{self.settings.max_batch}",
                )
        except GraphError as error:
            return _error_answer(error)
        except json.JSONDecodeError:
            return _error_answer(GraphError(100, "(#100) The parameter batch must be valid JSON"))
        include_headers = params.get("include_headers", "true") != "false"
        results: list[dict[str, Any] | None] = []
        for op in ops:
            results.append(self._batch_item(op, token, t, base, version, include_headers))
        return Answer(200, results)

    def _batch_item(
        self,
        op: dict[str, Any],
        token: str | None,
        t: float,
        base: str,
        version: str,
        include_headers: bool,
    ) -> dict[str, Any] | None:
        relative = str(op.get("relative_url", ""))
        split = urlsplit(relative)
        path = re.sub(r"^/?(v\d+\.\d+/)?", "", split.path).strip("/")
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        if isinstance(op.get("body"), str):
            params.update(parse_qsl(op["body"]))
        item_token = params.pop("access_token", None)
        method = str(op.get("method", "GET")).upper()
        self.log.add(
            platform="facebook",
            method=method,
            path=f"/facebook/{version}/{path}",
            params=params,
            headers={},
            t=t,
            batch_item=True,
        )
        served = self.truth.pending()
        answer = self.call(
            Call(
                method,
                path,
                params,
                item_token or token,
                bool(item_token),
                t,
                base,
                served,
                in_batch=True,
            )
        )
        if answer.body is None:
            return None
        body = json.dumps(answer.body)
        if answer.malformed:
            body = body[: max(1, len(body) // 2)]
        elif answer.intact:
            self.truth.commit(served)
        item: dict[str, Any] = {"code": answer.status}
        if include_headers:
            item["headers"] = [
                {"name": "Content-Type", "value": "application/json; charset=UTF-8"},
                {"name": "facebook-api-version", "value": self.settings.api_version},
            ]
        item["body"] = body
        return item


_MISSING = object()


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def _error_answer(error: GraphError) -> Answer:
    return Answer(error.status, error.body())


def _unsupported(method: str, object_id: str) -> GraphError:
    return GraphError(
        100,
        f"Unsupported {method} request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation. Please read the "
        "Graph API documentation at https://developers.facebook.com/docs/graph-api",
        subcode=33,
    )


def _fb_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _parse_time(raw: str, name: str) -> datetime:
    """``since``/``until``: a Unix timestamp or an ISO 8601 time (naive means UTC)."""
    text = raw.strip()
    try:
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return datetime.fromtimestamp(float(text), tz=UTC)
        text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text.replace("Z", "+00:00"))
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise GraphError(100, f"(#100) Invalid {name} parameter: {raw}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        if not raw.startswith(b"QVFI"):
            raise ValueError(cursor)
        return int(raw[4:].split(b":")[0])
    except ValueError as exc:
        raise GraphError(100, "(#100) The After Cursor specified is invalid") from exc


def _index_after(keys: list[int], cursor: int, descending: bool, inclusive: bool = False) -> int:
    """Index of the first item that comes after the cursor's key in answer order."""
    for n, key in enumerate(keys):
        later = key < cursor if descending else key > cursor
        if later or (inclusive and key == cursor):
            return n
    return len(keys)


def _summary(full: dict[str, Any], asked: str) -> dict[str, Any]:
    """``summary=true`` gives every summary field; ``summary(total_count)`` gives those named."""
    if asked == "true" or asked == "1":
        return full
    names = [n.strip() for n in asked.split(",")]
    return {k: v for k, v in full.items() if k in names} or full


def _status_filter(raw: str | None) -> set[str] | None:
    if not raw:
        return None
    try:
        values = json.loads(raw) if raw.strip().startswith("[") else raw.split(",")
    except json.JSONDecodeError as exc:
        raise GraphError(100, "(#100) broadcast_status must be an array") from exc
    allowed = {
        "UNPUBLISHED", "LIVE", "LIVE_STOPPED", "PROCESSING", "VOD", "SCHEDULED_UNPUBLISHED",
        "SCHEDULED_LIVE", "SCHEDULED_EXPIRED", "SCHEDULED_CANCELED",
    }  # fmt: skip
    chosen = {str(v).strip().upper() for v in values}
    if not chosen <= allowed:
        raise GraphError(
            100,
            "(#100) broadcast_status[0] must be one of the following values: "
            + ", ".join(sorted(allowed)),
        )
    return chosen


def _metric_list(raw: str | None) -> list[str]:
    if not raw:
        return []
    if raw.strip().startswith("["):
        try:
            return [str(m) for m in json.loads(raw)]
        except json.JSONDecodeError as exc:
            raise GraphError(100, INVALID_METRIC) from exc
    return [m.strip() for m in raw.split(",") if m.strip()]
