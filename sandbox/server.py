"""The sandbox server: Facebook + YouTube fakes and a JSON control surface on one loopback port.

The shape follows STYLE.md §8 (fake platform servers served by ``werkzeug.serving.make_server`` on
127.0.0.1 in a daemon thread, a control surface, recorded requests, a per-test reset) and
platform-apis.md §10. It also keeps the ground truth — what the sandbox actually served — so
collector and runner tests can compare what they stored with what they were shown.

Control surface (JSON, under ``/_sandbox/``): ``GET truth``, ``GET state``, ``GET requests``,
``POST faults {"platform","kind","times",...opts}``, ``POST chaos {"rate","seed","kinds"}``,
``POST clear``, ``POST advance {"seconds"}``, ``POST renew-token {"platform"?, "token"?}``,
``POST end-live {"platform"?}``, ``POST reset``.

The online-conference fakes (Zoom, Teams, Meet, BigBlueButton) are mounted on the same port by
``sandbox.conferences``, with their own control surface under ``/_sandbox/conference/``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.serving import BaseWSGIServer, make_server

from sandbox.clock import Clock, ManualClock
from sandbox.conference import Conference
from sandbox.conferences import ConferenceFakes
from sandbox.facebook import FacebookFake, FacebookSettings
from sandbox.faults import Faults
from sandbox.loopback import RequestLog
from sandbox.scenario import PLATFORMS, Scenario
from sandbox.youtube import YouTubeFake, YouTubeSettings
from sandbox.zalo import KeepUnderscoreHeaders, ZaloFake

LOOPBACK = "127.0.0.1"


class _QuietHandler(KeepUnderscoreHeaders):
    """No access log in tests; the request log records what they need."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class Served:
    """What one answer showed, applied to the truth only once the answer goes out intact."""

    def __init__(self) -> None:
        self.notes: list[tuple[str, tuple[Any, ...]]] = []

    def note(self, what: str, *args: Any) -> None:
        self.notes.append((what, args))


class GroundTruth:
    """Everything the sandbox served, in the terms a collector would store it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._fb: dict[str, Any] = {
                "comments": {},
                "reactions": {},
                "reactions_total": None,
                "shares": None,
                "max_live_views": 0,
                "total_views": None,
                "insights": {},
            }
            self._yt: dict[str, Any] = {
                "max_concurrent_viewers": 0,
                "view_count": None,
                "like_count": None,
                "comment_count": None,
                "chat_messages": {},
                "chat_message_ids": [],
            }

    def pending(self) -> Served:
        """A fresh record for one answer; ``commit`` it once the answer went out intact."""
        return Served()

    def commit(self, served: Served) -> None:
        with self._lock:
            for what, args in served.notes:
                getattr(self, f"_on_{what}")(*args)

    def as_dict(self) -> dict[str, Any]:
        """A deep, plain copy: safe to keep while the sandbox goes on serving."""
        with self._lock:
            fb, yt = self._fb, self._yt
            return {
                "facebook": {
                    **fb,
                    "comments": {k: dict(v) for k, v in fb["comments"].items()},
                    "comment_ids": sorted(fb["comments"]),
                    "reactions": dict(fb["reactions"]),
                    "insights": {
                        k: dict(v) if isinstance(v, dict) else v for k, v in fb["insights"].items()
                    },
                },
                "youtube": {
                    **yt,
                    "chat_messages": dict(yt["chat_messages"]),
                    "chat_message_ids": list(yt["chat_message_ids"]),
                },
            }

    def _on_comment(
        self, comment_id: str, message: str, parent_id: str | None, created: str
    ) -> None:
        self._fb["comments"][comment_id] = {
            "message": message,
            "parent_id": parent_id,
            "created_time": created,
        }

    def _on_reactions(self, kind: str | None, count: int) -> None:
        if kind is None:
            self._fb["reactions_total"] = count
        else:
            self._fb["reactions"][kind] = count

    def _on_shares(self, count: int) -> None:
        self._fb["shares"] = count

    def _on_live_views(self, count: int) -> None:
        self._fb["max_live_views"] = max(self._fb["max_live_views"], count)

    def _on_total_views(self, count: int) -> None:
        self._fb["total_views"] = count

    def _on_insight(self, name: str, value: Any) -> None:
        self._fb["insights"][name] = value

    def _on_yt_viewers(self, count: int) -> None:
        self._yt["max_concurrent_viewers"] = max(self._yt["max_concurrent_viewers"], count)

    def _on_yt_statistics(self, stats: dict[str, int]) -> None:
        self._yt["view_count"] = stats["viewCount"]
        self._yt["like_count"] = stats["likeCount"]
        self._yt["comment_count"] = stats["commentCount"]

    def _on_chat(self, message_id: str, kind: str, text: str) -> None:
        if message_id not in self._yt["chat_messages"]:
            self._yt["chat_message_ids"].append(message_id)
        self._yt["chat_messages"][message_id] = {"type": kind, "text": text}


class Sandbox:
    """Fake Facebook and YouTube for one scripted livestream, plus the knobs tests need.

    Build it with :meth:`start` (serves in a daemon thread) or call :meth:`serve_forever`.
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        clock: Clock | None = None,
        facebook: FacebookSettings | None = None,
        youtube: YouTubeSettings | None = None,
        conference: Conference | None = None,
    ) -> None:
        self.scenario = scenario or Scenario()
        self.clock: Clock = clock or ManualClock()
        self.faults = Faults()
        self.ground_truth = GroundTruth()
        self.log = RequestLog()
        self.facebook = FacebookFake(
            self.scenario, self.clock, self.faults, self.ground_truth, self.log, facebook
        )
        self.youtube = YouTubeFake(
            self.scenario, self.clock, self.faults, self.ground_truth, self.log, youtube
        )
        self.conferences = ConferenceFakes(conference or Conference(), self.clock)
        self.zalo = ZaloFake(self.clock, epoch=self.scenario.params.epoch)
        self.app = self._build_app()
        self.port: int | None = None
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    # --- serving ----------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        port: int = 0,
        scenario: Scenario | None = None,
        clock: Clock | None = None,
        facebook: FacebookSettings | None = None,
        youtube: YouTubeSettings | None = None,
        conference: Conference | None = None,
    ) -> Sandbox:
        """Serve on 127.0.0.1:``port`` (0 = any free port) in a daemon thread."""
        sandbox = cls(scenario, clock, facebook, youtube, conference)
        sandbox._server = make_server(
            LOOPBACK, port, sandbox.app, threaded=True, request_handler=_QuietHandler
        )
        sandbox.port = sandbox._server.server_port
        server = sandbox._server
        sandbox._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.05), name="sandbox", daemon=True
        )
        sandbox._thread.start()
        return sandbox

    def serve_forever(self, port: int, on_ready: Callable[[Sandbox], None] | None = None) -> None:
        """Serve on 127.0.0.1:``port`` in the foreground until interrupted (the CLI).

        ``on_ready`` runs once the port is bound, so it can print the real URLs.
        """
        self._server = make_server(
            LOOPBACK, port, self.app, threaded=True, request_handler=KeepUnderscoreHeaders
        )
        self.port = self._server.server_port
        if on_ready is not None:
            on_ready(self)
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the sandbox is not serving")
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def facebook_url(self) -> str:
        return f"{self.url}/facebook/{self.facebook.settings.api_version}"

    @property
    def youtube_url(self) -> str:
        return f"{self.url}/youtube/v3"

    @property
    def zalo_api_url(self) -> str:
        return f"{self.url}/zalo/openapi"

    @property
    def zalo_oauth_url(self) -> str:
        return f"{self.url}/zalo/oauth/v4"

    @property
    def control_url(self) -> str:
        return f"{self.url}/_sandbox"

    def conference_credentials(self, platform: str) -> dict[str, str]:
        """Account credentials (``base_url`` included) for a conference platform of this sandbox."""
        return self.conferences.credentials(platform, self.url)

    # --- credentials ------------------------------------------------------------------------

    @property
    def facebook_token(self) -> str:
        """The Page access token Graph accepts right now."""
        return self.facebook.token

    @property
    def youtube_api_key(self) -> str:
        return self.youtube.api_key

    @property
    def youtube_token(self) -> str:
        """The OAuth bearer token YouTube accepts right now."""
        return self.youtube.oauth_token

    def credentials(self) -> dict[str, str]:
        p = self.scenario.params
        return {
            "facebook_page_id": p.page_id,
            "facebook_page_token": self.facebook_token,
            "facebook_live_video_id": p.live_video_id,
            "facebook_video_id": p.video_id,
            "facebook_post_id": p.post_id,
            "youtube_api_key": self.youtube_api_key,
            "youtube_oauth_token": self.youtube_token,
            "youtube_video_id": p.youtube_video_id,
            "youtube_live_chat_id": p.live_chat_id,
        }

    # --- control ----------------------------------------------------------------------------

    def fail_next(self, platform: str, kind: str, times: int = 1, **opts: Any) -> None:
        """Queue a fault; see ``sandbox.faults`` for the kinds and their options."""
        self.faults.fail_next(platform, kind, times, **opts)

    def chaos(self, rate: float, seed: int = 0, **kwargs: Any) -> None:
        self.faults.chaos(rate, seed, **kwargs)

    def clear(self) -> None:
        self.faults.clear()

    def advance(self, seconds: float) -> float:
        return self.clock.advance(seconds)

    def end_live(self, platform: str | None = None) -> None:
        """End the broadcast now on one platform, or both."""
        t = self.clock.now()
        for name in _platforms(platform):
            self.scenario.end_live(name, t)  # type: ignore[arg-type]

    def renew_token(self, platform: str | None = None, token: str | None = None) -> dict[str, str]:
        """Make tokens valid again after expiry; a new string unless ``token`` is given."""
        renewed = {}
        for name in _platforms(platform):
            renewed[name] = (self.facebook if name == "facebook" else self.youtube).renew_token(
                token
            )
        return renewed

    def reset(self) -> None:
        """Back to t = start with nothing served, queued or logged (a per-test fixture calls it)."""
        self.faults.clear()
        self.clock.reset()
        self.scenario.reset()
        self.ground_truth.reset()
        self.log.clear()
        self.facebook.reset()
        self.youtube.reset()
        self.conferences.reset()
        self.zalo.reset()

    def truth(self) -> dict[str, Any]:
        """What was served, as a plain dict (see ``GroundTruth``)."""
        return self.ground_truth.as_dict()

    @property
    def requests_log(self) -> list[dict[str, Any]]:
        return self.log.entries()

    def calls_count(self, platform: str) -> int:
        """HTTP requests received for ``platform`` (a batch counts once; its items are logged)."""
        return sum(
            1 for e in self.log.entries() if e["platform"] == platform and not e["batch_item"]
        )

    def state(self) -> dict[str, Any]:
        t = self.clock.now()
        return {
            **self.scenario.state_at(t),
            "faults": self.faults.pending(),
            "usage": self.facebook.usage(t),
            "youtube_quota_used": self.youtube.quota.used(t),
            "requests": len(self.log.entries()),
        }

    # --- the WSGI app -----------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask("sandbox")
        app.json.ensure_ascii = False  # type: ignore[attr-defined]
        app.register_blueprint(self.facebook.blueprint())
        app.register_blueprint(self.youtube.blueprint())
        self.conferences.register(app)
        app.register_blueprint(self.zalo.blueprint(), url_prefix="/zalo")
        app.register_blueprint(_control_blueprint(self))
        return app


def _platforms(platform: str | None) -> tuple[str, ...]:
    if platform is None:
        return PLATFORMS
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}")
    return (platform,)


def _control_blueprint(sandbox: Sandbox) -> Blueprint:
    """JSON endpoints mirroring the Sandbox methods, for the demo and for out-of-process tests."""
    bp = Blueprint("sandbox_control", __name__, url_prefix="/_sandbox")

    def body() -> dict[str, Any]:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}

    @bp.errorhandler(ValueError)
    @bp.errorhandler(TypeError)
    def bad_request(error: Exception) -> ResponseReturnValue:
        return jsonify(error=str(error)), 400

    @bp.get("/truth")
    def truth() -> ResponseReturnValue:
        return jsonify(sandbox.truth())

    @bp.get("/state")
    def state() -> ResponseReturnValue:
        return jsonify(sandbox.state())

    @bp.get("/requests")
    def requests_log() -> ResponseReturnValue:
        return jsonify(sandbox.requests_log)

    @bp.post("/faults")
    def faults() -> ResponseReturnValue:
        opts = body()
        platform, kind = str(opts.pop("platform", "")), str(opts.pop("kind", ""))
        sandbox.fail_next(platform, kind, int(opts.pop("times", 1)), **opts)
        return jsonify(faults=sandbox.faults.pending())

    @bp.post("/chaos")
    def chaos() -> ResponseReturnValue:
        opts = body()
        sandbox.chaos(float(opts.pop("rate", 0)), int(opts.pop("seed", 0)), **opts)
        return jsonify(ok=True)

    @bp.post("/clear")
    def clear() -> ResponseReturnValue:
        sandbox.clear()
        return jsonify(faults=sandbox.faults.pending())

    @bp.post("/advance")
    def advance() -> ResponseReturnValue:
        return jsonify(t=sandbox.advance(float(body().get("seconds", 0))))

    @bp.post("/renew-token")
    def renew_token() -> ResponseReturnValue:
        opts = body()
        return jsonify(sandbox.renew_token(opts.get("platform"), opts.get("token")))

    @bp.post("/end-live")
    def end_live() -> ResponseReturnValue:
        sandbox.end_live(body().get("platform"))
        return jsonify(sandbox.state())

    @bp.post("/reset")
    def reset() -> ResponseReturnValue:
        sandbox.reset()
        return jsonify(ok=True)

    return bp
