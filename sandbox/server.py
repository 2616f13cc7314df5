"""The sandbox server: every fake platform and one control surface on one loopback port.

``Sandbox`` mounts the Facebook and YouTube fakes playing one scripted live
(``/facebook/<version>``, ``/youtube/v3``), the conference fakes (``sandbox.conferences``: Zoom,
Teams, Meet and BigBlueButton playing one meeting) and Zalo (``/zalo``), and registers each group
with the one control surface under ``/_sandbox/`` (``sandbox.control``). It is served by werkzeug
on 127.0.0.1, in a daemon thread for tests (``start``) or in the foreground (``serve_forever``,
the CLI), with recorded requests and a per-test reset. The ground truth — what the fakes served,
and the conference's halls at a moment — is at ``GET /_sandbox/truth`` (``sandbox.truth``), so
collector and runner tests compare what they stored with what they were shown.

The livestream's own control routes: ``GET state``, ``GET requests``,
``POST faults {"platform","kind","times",...opts}``, ``POST chaos {"rate","seed","kinds"}``,
``POST clear``, ``POST renew-token {"platform"?, "token"?}``, ``POST end-live {"platform"?}``,
``POST retire-metric {"metric"}`` (Graph answers error 100 "invalid metric" for it from now on,
as Meta does for a retired insights metric, until ``reset``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from sandbox import index
from sandbox.broadcast import Broadcast
from sandbox.clock import Clock, ManualClock
from sandbox.conference import Conference
from sandbox.conferences import ConferenceFakes
from sandbox.control import ControlSurface, Params
from sandbox.facebook import FacebookFake, FacebookSettings
from sandbox.faults import Faults
from sandbox.loopback import LOOPBACK, KeepUnderscoreHeaders, QuietHandler, RequestLog
from sandbox.scenario import PLATFORMS, Scenario
from sandbox.truth import GroundTruth
from sandbox.youtube import YouTubeFake, YouTubeSettings
from sandbox.zalo import ZaloFake


class Sandbox:
    """Every fake platform on one port: one scripted livestream on Facebook and YouTube, one
    conference on Zoom, Teams, Meet and BigBlueButton, Zalo articles, plus the knobs tests need.

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
        live = Broadcast(self.scenario, self.clock, self.faults, self.ground_truth, self.log)
        self.facebook = FacebookFake(live, facebook)
        self.youtube = YouTubeFake(live, youtube)
        self.conferences = ConferenceFakes(conference or Conference(), self.clock)
        self.zalo = ZaloFake(self.clock, epoch=self.scenario.params.epoch)
        self.control = ControlSurface(self.clock)
        self._add_livestream_controls(self.control)
        self.conferences.add_controls(self.control)
        self.control.on_reset(self.zalo.reset)
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
            LOOPBACK, port, sandbox.app, threaded=True, request_handler=QuietHandler
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
        p, scheduled = self.scenario.params, self.scenario.scheduled
        upcoming = (
            {"facebook_scheduled_video_id": scheduled.params.video_id,
             "youtube_scheduled_video_id": scheduled.params.youtube_video_id}
            if scheduled is not None
            else {}
        )  # fmt: skip
        return {
            "facebook_page_id": p.page_id,
            "facebook_page_token": self.facebook_token,
            "facebook_live_video_id": p.live_video_id,
            "facebook_video_id": p.video_id,
            "facebook_post_id": p.post_id,
            "youtube_api_key": self.youtube_api_key,
            "youtube_oauth_token": self.youtube_token,
            "youtube_video_id": p.youtube_video_id,
            "youtube_clip_id": p.youtube_clip_id,
            "youtube_live_chat_id": p.live_chat_id,
            **upcoming,
        }

    @property
    def scheduled_link(self) -> str | None:
        """The facebook.com address of the page's scheduled live, as an officer copies it (a
        newcomer pastes it on a new event); None when the script has no scheduled live."""
        scheduled = self.scenario.scheduled
        if scheduled is None:
            return None
        p = scheduled.params
        return f"https://www.facebook.com/{p.page_id}/videos/{p.video_id}/"

    def connections(self) -> dict[str, dict[str, str]]:
        """What to type on Lan Tỏa's connection page to connect each fake, kind by kind."""
        fb, yt, zalo = self.facebook.settings, self.youtube.settings, self.zalo
        p = self.scenario.params
        return {
            "facebook": {"page_id": p.page_id, "access_token": self.facebook_token,
                         "app_id": fb.app_id, "app_secret": fb.app_secret,
                         "user_token": fb.user_token, "base_url": self.facebook_url},
            "youtube": {"client_id": yt.client_id, "client_secret": yt.client_secret,
                        "refresh_token": yt.refresh_token, "base_url": self.youtube_url,
                        "token_url": f"{self.url}/google/oauth2/token"},
            "zoom": self.conference_credentials("zoom"),
            "teams": self.conferences.connection("teams", self.url),
            "meet": self.conferences.connection("meet", self.url),
            "bbb": self.conference_credentials("bbb"),
            "zalo": {"app_id": zalo.settings.app_id, "secret_key": zalo.settings.secret_key,
                     "refresh_token": zalo.refresh_token, "base_url": self.zalo_api_url,
                     "oauth_url": self.zalo_oauth_url},
        }  # fmt: skip

    # --- control ----------------------------------------------------------------------------

    def fail_next(self, platform: str, kind: str, times: int = 1, **opts: Any) -> None:
        """Queue a livestream fault; see ``sandbox.faults`` for the kinds and their options."""
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
        self.control.reset()

    def truth(self, t: float | None = None) -> dict[str, Any]:
        """The ground truth of every fake, as plain dicts by name (see ``sandbox.truth``)."""
        return self.control.truth(t)

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

    # --- the control surface and the WSGI app ---------------------------------------------

    def _facebook_truth(self, t: float | None) -> dict[str, Any]:
        """What Graph served, and which of those comments their authors have deleted by ``t``
        (now by default: a collector that reads the comments again no longer finds them) or the
        page has hidden (listed to the page with ``is_hidden`` true)."""
        truth = self.ground_truth.facebook()
        at = self.clock.now() if t is None else t
        served = [self.scenario.comment(i) for i in truth["comment_ids"]]
        known = [c for c in served if c is not None]
        truth["deleted_comment_ids"] = [c.id for c in known if not c.exists_at(at)]
        truth["hidden_comment_ids"] = [c.id for c in known if c.exists_at(at) and c.hidden(at)]
        return truth

    def _add_livestream_controls(self, surface: ControlSurface) -> None:
        surface.add_truth("facebook", self._facebook_truth)
        surface.add_truth("youtube", lambda t: self.ground_truth.youtube())
        surface.on_reset(self._reset_livestream)
        surface.get("/state", lambda p: self.state())
        surface.get("/requests", lambda p: self.requests_log)
        surface.post("/faults", self._queue_fault)
        surface.post("/chaos", self._start_chaos)
        surface.post("/clear", self._clear)
        surface.post(
            "/renew-token", lambda p: self.renew_token(p.body.get("platform"), p.body.get("token"))
        )
        surface.post("/end-live", self._end_live)
        surface.post("/retire-metric", self._retire_metric)

    def _reset_livestream(self) -> None:
        self.faults.clear()
        self.scenario.reset()
        self.ground_truth.reset()
        self.log.clear()
        self.facebook.reset()
        self.youtube.reset()

    def _queue_fault(self, p: Params) -> dict[str, Any]:
        platform, kind, times, opts = p.fault()
        self.fail_next(platform, kind, times, **opts)
        return {"faults": self.faults.pending()}

    def _start_chaos(self, p: Params) -> dict[str, bool]:
        opts = dict(p.body)
        self.chaos(float(opts.pop("rate", 0)), int(opts.pop("seed", 0)), **opts)
        return {"ok": True}

    def _clear(self, p: Params) -> dict[str, Any]:
        self.clear()
        return {"faults": self.faults.pending()}

    def _end_live(self, p: Params) -> dict[str, Any]:
        self.end_live(p.body.get("platform"))
        return self.state()

    def _retire_metric(self, p: Params) -> dict[str, Any]:
        name = p.body.get("metric")
        if not isinstance(name, str) or not name:
            raise ValueError('retire-metric needs {"metric": "<name>"}')
        self.facebook.retire_metric(name)
        return {"retired": name}

    def _build_app(self) -> Flask:
        app = Flask("sandbox")
        app.json.ensure_ascii = False  # type: ignore[attr-defined]
        app.register_blueprint(self.facebook.blueprint())
        app.register_blueprint(self.youtube.blueprint())
        # Google's one token endpoint: service-account assertions (Meet), refresh tokens (YouTube).
        self.conferences.register(app, google_fallback=self.youtube.refresh_grant)
        app.register_blueprint(self.zalo.blueprint(), url_prefix="/zalo")
        app.register_blueprint(self.control.blueprint())
        app.add_url_rule("/", "index", lambda: index.page(index.live_links(self)))
        return app


def _platforms(platform: str | None) -> tuple[str, ...]:
    if platform is None:
        return PLATFORMS
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}")
    return (platform,)
