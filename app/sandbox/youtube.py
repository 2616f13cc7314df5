"""A fake YouTube Data API v3 for the scenario's live video, under ``/youtube/v3/``.

Implements platform-apis.md §2: ``videos.list`` with snippet, statistics (counts as strings) and
liveStreamingDetails (``concurrentViewers`` and ``activeLiveChatId`` only while live,
``actualEndTime`` after) (§2.1); ``liveChatMessages.list`` oldest → newest with
``nextPageToken``, ``pollingIntervalMillis``, ``offlineAt`` after the end and then 403
``liveChatEnded``, and 403 ``rateLimitExceeded`` when polled sooner than the interval (§2.2);
a daily quota per project with 403 ``quotaExceeded`` (§2.3); ``key=`` or Bearer auth and the
Google error envelope (§2.4).

Choices where the notes leave a gap (§2.5): ``liveChatMessages.list`` costs 5 units by default
(configurable); ``liveChatEnded`` is 403; after the end the chat answers with ``offlineAt`` for
``offline_grace_seconds`` and then ``liveChatEnded``; a request that would pass the quota is
refused rather than allowed to overdraw; ``token_expired`` disables both the OAuth token (401) and
the API key (400 ``keyInvalid``) until renewed.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, request

from app.sandbox.faults import DailyQuota, Fault
from app.sandbox.scenario import ChatMessage, Scenario

if TYPE_CHECKING:
    from app.sandbox.clock import Clock
    from app.sandbox.faults import Faults
    from app.sandbox.server import GroundTruth, RequestLog, Served

PACIFIC = ZoneInfo("America/Los_Angeles")  # the quota day resets at midnight Pacific (§2.3)
VIDEO_PARTS = frozenset({"id", "snippet", "statistics", "liveStreamingDetails"})
CHAT_PARTS = frozenset({"id", "snippet", "authorDetails"})
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


@dataclass
class YouTubeSettings:
    """Credentials, quota and chat pacing; tests shrink the quota or switch enforcement off."""

    api_key: str = "AIzaSyBhxhSandboxKey0NgheAn0000000000000"
    oauth_token: str = "ya29.sandbox-bhxh-nghe-an"
    daily_quota: int = 10_000
    costs: dict[str, int] = field(
        default_factory=lambda: {"videos.list": 1, "liveChatMessages.list": 5}
    )
    polling_interval_ms: int = 5000
    enforce_polling_interval: bool = True
    offline_grace_seconds: float = 120.0
    max_results_range: tuple[int, int] = (200, 2000)  # liveChatMessages.list maxResults (§2.2)
    default_max_results: int = 500


class GoogleError(Exception):
    """The Google JSON error envelope (§2.4)."""

    def __init__(
        self, status: int, reason: str, message: str, domain: str = "global", **extra: str
    ) -> None:
        super().__init__(message)
        self.status, self.reason, self.message, self.domain, self.extra = (
            status,
            reason,
            message,
            domain,
            extra,
        )

    def body(self) -> dict[str, Any]:
        detail = {"message": self.message, "domain": self.domain, "reason": self.reason}
        detail.update(self.extra)
        return {
            "error": {
                "code": self.status,
                "message": self.message,
                "errors": [detail],
                "status": STATUS_NAMES.get(self.status, "UNKNOWN"),
            }
        }


def quota_exceeded() -> GoogleError:
    return GoogleError(
        403,
        "quotaExceeded",
        "The request cannot be completed because you have exceeded your "
        '<a href="/youtube/v3/getting-started#quota">quota</a>.',
        "youtube.quota",
    )


def rate_limit_exceeded() -> GoogleError:
    return GoogleError(
        403,
        "rateLimitExceeded",
        "The request was sent too soon after the previous one. This API call is rate limited "
        "to prevent clients from making requests too quickly.",
        "youtube.liveChat",
    )


@dataclass
class _Outcome:
    status: int = 200
    body: Any = None
    malformed: bool = False
    delay: float = 0.0


class YouTubeFake:
    """The Data API for one channel's live video and its chat."""

    def __init__(
        self,
        scenario: Scenario,
        clock: Clock,
        faults: Faults,
        truth: GroundTruth,
        log: RequestLog,
        settings: YouTubeSettings | None = None,
    ) -> None:
        self.scenario, self.clock, self.faults, self.truth, self.log = (
            scenario,
            clock,
            faults,
            truth,
            log,
        )
        self.settings = settings or YouTubeSettings()
        self.quota = DailyQuota(self.settings.daily_quota, self._pacific_day)
        self._lock = threading.Lock()
        self.reset()

    # --- state ------------------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.api_key = self.settings.api_key
            self.oauth_token = self.settings.oauth_token
            self._expired = False
            self._renewals = 0
            self._next_poll: dict[str, float] = {}
            self._serial = 0
        self.quota.reset()

    def renew_token(self, token: str | None = None) -> str:
        """A new OAuth token (or ``token``); the API key works again too."""
        with self._lock:
            self._renewals += 1
            self.oauth_token = token or f"{self.settings.oauth_token}.r{self._renewals}"
            self._expired = False
            return self.oauth_token

    def _pacific_day(self, t: float) -> date:
        return self.scenario.datetime_at(t).astimezone(PACIFIC).date()

    # --- HTTP -------------------------------------------------------------------------------

    def blueprint(self) -> Blueprint:
        bp = Blueprint("sandbox_youtube", __name__, url_prefix="/youtube/v3")
        bp.add_url_rule(
            "/videos", "videos", lambda: self._handle("videos.list", self._videos, paged=False)
        )
        bp.add_url_rule(
            "/liveChat/messages",
            "chat",
            lambda: self._handle("liveChatMessages.list", self._chat, paged=True),
        )
        bp.add_url_rule("/<path:path>", "unknown", self._not_found, methods=["GET", "POST"])
        return bp

    def _not_found(self, path: str) -> Response:
        self._log(self.clock.now())
        error = GoogleError(404, "notFound", "Not Found")
        return self._respond(_Outcome(404, error.body()))

    def _log(self, t: float) -> None:
        self.log.add(
            platform="youtube",
            method=request.method,
            path=request.path,
            params=request.args.to_dict(),
            headers=dict(request.headers),
            t=t,
            batch_item=False,
        )

    def _handle(
        self,
        method: str,
        read: Callable[[dict[str, str], float, Served, Fault | None], dict[str, Any]],
        paged: bool,
    ) -> Response:
        t = self.clock.now()
        self._log(t)
        params = request.args.to_dict()
        served = self.truth.pending()
        outcome = _Outcome()
        try:
            self._authenticate(params.get("key"), request.headers.get("Authorization"))
            if not self.quota.spend(t, self.settings.costs.get(method, 1)):
                raise quota_exceeded()
            fault = self.faults.take("youtube", paged)
            self._apply_fault(fault, params, t, outcome)
            outcome.body = read(params, t, served, fault)
        except GoogleError as error:
            outcome.status, outcome.body = error.status, error.body()
        if outcome.status == 200 and not outcome.malformed:
            self.truth.commit(served)
        return self._respond(outcome)

    def _respond(self, outcome: _Outcome) -> Response:
        if outcome.delay:
            time.sleep(outcome.delay)
        text = json.dumps(outcome.body, ensure_ascii=False)
        if outcome.malformed:
            text = text[: max(1, len(text) // 2)]
        return Response(text, status=outcome.status, content_type="application/json; charset=UTF-8")

    def _authenticate(self, key: str | None, authorization: str | None) -> None:
        bearer = (
            authorization[7:].strip()
            if authorization and authorization[:7].lower() == "bearer "
            else None
        )
        with self._lock:
            if bearer is not None:
                if bearer == self.oauth_token and not self._expired:
                    return
                raise GoogleError(
                    401,
                    "authError",
                    "Invalid Credentials",
                    location="Authorization",
                    locationType="header",
                )
            if key is not None:
                if key == self.api_key and not self._expired:
                    return
                raise GoogleError(
                    400,
                    "keyInvalid",
                    "API key not valid. Please pass a valid API key.",
                    "usageLimits",
                )
        raise GoogleError(403, "forbidden", "The request is missing a valid API key.")

    def _apply_fault(
        self, fault: Fault | None, params: dict[str, str], t: float, outcome: _Outcome
    ) -> None:
        if fault is None:
            return
        if fault.kind == "rate_limit":
            if fault.opt("reason", "rateLimitExceeded") == "quotaExceeded":
                raise quota_exceeded()
            raise rate_limit_exceeded()
        if fault.kind == "quota_exceeded":
            raise quota_exceeded()
        if fault.kind == "server_error":
            if int(fault.opt("status", 500)) == 503:
                raise GoogleError(503, "backendError", "The service is currently unavailable.")
            raise GoogleError(500, "backendError", "Backend Error")
        if fault.kind == "token_expired":
            with self._lock:
                self._expired = True
            self._authenticate(params.get("key"), request.headers.get("Authorization"))
        if fault.kind == "end_live":
            self.scenario.end_live("youtube", t)
        if fault.kind == "malformed_json":
            outcome.malformed = True
        if fault.kind == "timeout":
            outcome.delay = float(fault.opt("seconds", 2.0))

    # --- videos.list ------------------------------------------------------------------------

    def _videos(
        self, params: dict[str, str], t: float, served: Served, fault: Fault | None
    ) -> dict[str, Any]:
        parts = _parts(params, VIDEO_PARTS)
        ids = [i.strip() for i in _required(params, "id").split(",") if i.strip()]
        items = [
            self._video(parts, t, served) for i in ids if i == self.scenario.params.youtube_video_id
        ]
        return {
            "kind": "youtube#videoListResponse",
            "etag": _etag(),
            "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
        }

    def _video(self, parts: set[str], t: float, served: Served) -> dict[str, Any]:
        s, p = self.scenario, self.scenario.params
        phase = s.phase("youtube", t)
        item: dict[str, Any] = {"kind": "youtube#video", "etag": _etag(), "id": p.youtube_video_id}
        if "snippet" in parts:
            item["snippet"] = {
                "publishedAt": _yt_time(s.datetime_at(s.live_start - 900)),
                "channelId": p.youtube_channel_id,
                "title": p.title,
                "description": p.description,
                "thumbnails": {
                    "default": {
                        "url": f"https://i.ytimg.com/vi/{p.youtube_video_id}/default_live.jpg",
                        "width": 120,
                        "height": 90,
                    }
                },
                "channelTitle": p.page_name,
                "categoryId": "25",
                "liveBroadcastContent": {"scheduled": "upcoming", "live": "live", "ended": "none"}[
                    phase
                ],
                "defaultAudioLanguage": "vi",
            }
        if "statistics" in parts:
            stats = s.youtube_statistics(t)
            served.note("yt_statistics", stats)
            item["statistics"] = {k: str(v) for k, v in stats.items()}  # uint64 as strings (§2.1)
        if "liveStreamingDetails" in parts:
            details: dict[str, str] = {}
            if phase != "scheduled":
                details["actualStartTime"] = _yt_time(s.datetime_at(s.live_start))
            if phase == "ended":
                details["actualEndTime"] = _yt_time(s.datetime_at(s.end_time("youtube")))
            details["scheduledStartTime"] = _yt_time(s.datetime_at(s.live_start))
            if phase == "live":
                viewers = s.viewers("youtube", t)
                served.note("yt_viewers", viewers)
                details["concurrentViewers"] = str(viewers)
                details["activeLiveChatId"] = p.live_chat_id
            item["liveStreamingDetails"] = details
        return item

    # --- liveChatMessages.list --------------------------------------------------------------

    def _chat(
        self, params: dict[str, str], t: float, served: Served, fault: Fault | None
    ) -> dict[str, Any]:
        s = self.scenario
        chat_id = _required(params, "liveChatId")
        parts = _parts(params, CHAT_PARTS)
        if chat_id != s.params.live_chat_id:
            raise GoogleError(
                404,
                "liveChatNotFound",
                "The live chat that you are trying to retrieve cannot be found.",
                "youtube.liveChat",
            )
        max_results = self._max_results(params)
        end = s.end_time("youtube")
        if t >= end + self.settings.offline_grace_seconds:
            raise GoogleError(
                403, "liveChatEnded", "The live chat is no longer live.", "youtube.liveChat"
            )
        self._check_pacing(chat_id, t)
        items = s.visible_chat(t)
        token = params.get("pageToken")
        position = _decode_token(token) if token else None
        if position is None:  # the first call returns recent history (§2.2)
            start = max(0, len(items) - max_results)
        else:
            start = next((n for n, m in enumerate(items) if m.seq > position), len(items))
        chosen = items[start : start + max_results]
        origin = items[start - 1].seq if start > 0 else -1
        if fault is not None and fault.kind == "duplicate_page":
            next_token = token or self._encode_token(origin)
        elif fault is not None and fault.kind == "overlapping_page" and chosen:
            back = len(chosen) - 1 - int(fault.opt("overlap", 3))
            next_token = self._encode_token(chosen[back].seq if back >= 0 else origin)
        else:
            last = chosen[-1].seq if chosen else (position if position is not None else origin)
            next_token = self._encode_token(last)
        for message in chosen:
            served.note("chat", message.id, message.type, message.text)
        body: dict[str, Any] = {
            "kind": "youtube#liveChatMessageListResponse",
            "etag": _etag(),
            "nextPageToken": next_token,
            "pollingIntervalMillis": self.settings.polling_interval_ms,
        }
        if t >= end:
            body["offlineAt"] = _yt_time(s.datetime_at(end))
        body["pageInfo"] = {"totalResults": len(chosen), "resultsPerPage": len(chosen)}
        body["items"] = [self._chat_item(m, chat_id, parts) for m in chosen]
        return body

    def _max_results(self, params: dict[str, str]) -> int:
        low, high = self.settings.max_results_range
        raw = params.get("maxResults", str(self.settings.default_max_results))
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise GoogleError(
                400,
                "invalidValue",
                f"Invalid value '{raw}'. Values must be within the range: [{low}, {high}]",
                location="maxResults",
                locationType="parameter",
            )
        return int(raw)

    def _check_pacing(self, chat_id: str, t: float) -> None:
        """403 rateLimitExceeded when polled before the last ``pollingIntervalMillis`` ran out."""
        with self._lock:
            if self.settings.enforce_polling_interval and t < self._next_poll.get(chat_id, -1.0):
                raise rate_limit_exceeded()
            self._next_poll[chat_id] = t + self.settings.polling_interval_ms / 1000

    def _chat_item(self, message: ChatMessage, chat_id: str, parts: set[str]) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": "youtube#liveChatMessage",
            "etag": _etag(),
            "id": message.id,
        }
        if "snippet" in parts:
            snippet: dict[str, Any] = {
                "type": message.type,
                "liveChatId": chat_id,
                "authorChannelId": message.author.id,
                "publishedAt": _yt_time(self.scenario.datetime_at(message.published), millis=True),
                "hasDisplayContent": message.type == "textMessageEvent",
            }
            if message.type == "textMessageEvent":
                snippet["displayMessage"] = message.text
                snippet["textMessageDetails"] = {"messageText": message.text}
            elif message.type == "messageDeletedEvent":
                snippet["messageDeletedDetails"] = {"deletedMessageId": message.deleted_id}
            item["snippet"] = snippet
        if "authorDetails" in parts:
            owner = message.author.id == self.scenario.params.youtube_channel_id
            item["authorDetails"] = {
                "channelId": message.author.id,
                "channelUrl": f"http://www.youtube.com/channel/{message.author.id}",
                "displayName": message.author.name,
                "profileImageUrl": f"https://yt3.ggpht.com/sandbox/{message.author.id}",
                "isVerified": False,
                "isChatOwner": owner,
                "isChatSponsor": False,
                "isChatModerator": owner,
            }
        return item

    def _encode_token(self, position: int) -> str:
        with self._lock:
            self._serial += 1
            serial = self._serial
        return base64.urlsafe_b64encode(f"GO{position}:{serial}".encode()).decode().rstrip("=")


def _required(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise GoogleError(
            400,
            "required",
            f"Required parameter: {name}",
            location=name,
            locationType="parameter",
        )
    return value


def _parts(params: dict[str, str], allowed: frozenset[str]) -> set[str]:
    parts = {p.strip() for p in _required(params, "part").split(",") if p.strip()}
    for part in parts - allowed:
        raise GoogleError(
            400, "unknownPart", f"'{part}'", location="part", locationType="parameter"
        )
    return parts


def _decode_token(token: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        if not raw.startswith("GO"):
            raise ValueError(token)
        return int(raw[2:].split(":")[0])
    except ValueError as exc:
        raise GoogleError(
            400,
            "pageTokenInvalid",
            "The page token is not valid.",
            "youtube.liveChat",
            location="pageToken",
            locationType="parameter",
        ) from exc


def _yt_time(moment: datetime, millis: bool = False) -> str:
    moment = moment.astimezone(UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _etag() -> str:
    return secrets.token_urlsafe(20)
