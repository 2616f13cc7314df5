"""``YouTubeFake``: the fake Data API's state, its Flask blueprint, auth, quota and faults; the
reads themselves come from the videos, chat, comments and channels mixins."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, request

from sandbox.broadcast import BroadcastFake
from sandbox.faults import DailyQuota, Fault
from sandbox.youtube.channels import ChannelsMixin
from sandbox.youtube.chat import ChatMixin
from sandbox.youtube.comments import CommentsMixin
from sandbox.youtube.errors import GoogleError, quota_exceeded, rate_limit_exceeded
from sandbox.youtube.settings import YouTubeSettings
from sandbox.youtube.videos import VideosMixin

if TYPE_CHECKING:
    from sandbox.broadcast import Broadcast
    from sandbox.truth import Served

PACIFIC = ZoneInfo("America/Los_Angeles")  # the quota day resets at midnight Pacific


@dataclass
class _Outcome:
    status: int = 200
    body: Any = None
    malformed: bool = False
    delay: float = 0.0


class YouTubeFake(BroadcastFake, VideosMixin, ChatMixin, CommentsMixin, ChannelsMixin):
    """The Data API for one channel's live video, its chat and the comments under its replay."""

    def __init__(self, broadcast: Broadcast, settings: YouTubeSettings | None = None) -> None:
        super().__init__(broadcast)
        self.settings = settings or YouTubeSettings()
        self.quota = DailyQuota(self.settings.daily_quota, self._pacific_day)
        self._lock = threading.Lock()
        scheduled = broadcast.scenario.scheduled
        # The channel's scheduled live, played from its own script on the same clock: the calls
        # naming its video, chat or comments are answered by this second fake (``_answering``).
        self.scheduled = (
            YouTubeFake(replace(broadcast, scenario=scheduled), self.settings)
            if scheduled is not None
            else None
        )
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
        bp.add_url_rule(
            "/commentThreads",
            "comment_threads",
            lambda: self._handle("commentThreads.list", self._comment_threads, paged=True),
        )
        bp.add_url_rule(
            "/comments",
            "comments",
            lambda: self._handle("comments.list", self._comments_list, paged=True),
        )
        bp.add_url_rule(
            "/channels",
            "channels",
            lambda: self._handle("channels.list", self._channels, paged=False),
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
            answering = self._answering(params)
            if answering is not self:
                read = getattr(answering, read.__name__)
            outcome.body = read(params, t, served, fault)
        except GoogleError as error:
            outcome.status, outcome.body = error.status, error.body()
        if outcome.status == 200 and not outcome.malformed:
            self.truth.commit(served)
        return self._respond(outcome)

    def _answering(self, params: dict[str, str]) -> YouTubeFake:
        """The fake whose objects the call names: the scheduled live's, else this one."""
        s = self.scheduled
        if s is None:
            return self
        p = s.scenario.params
        named = {params.get(k) for k in ("id", "videoId", "liveChatId", "parentId")}
        own = {p.youtube_video_id, p.live_chat_id} | {c.id for c in s.scenario.youtube_replay}
        return s if named & own else self

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
