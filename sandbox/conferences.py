"""The four conference fakes mounted in the one sandbox process, and their control routes.

One ``Conference`` script is played by Zoom, Microsoft Graph (Teams), Google Meet and
BigBlueButton at once, on the sandbox's port and clock:

==============  ==================  ========================================================
platform        mounted at          the app's setting / where the app reads the base URL
==============  ==================  ========================================================
zoom            ``/zoom/v2``        ``ZOOM_API_URL`` (token at ``/zoom/v2/oauth/token``)
teams           ``/msgraph/v1.0``   ``MSGRAPH_URL`` (app tokens at ``/microsoft/{tenant}/…``,
                                    ``MS_LOGIN_URL``)
meet            ``/meet/v2``        ``MEET_API_URL`` (service-account tokens at
                                    ``/google/oauth2/token``, ``GOOGLE_TOKEN_URL``)
bbb             ``/bbb/api``        the account's ``base_url`` (each BBB server is its own)
==============  ==================  ========================================================

They register with the sandbox's one control surface (``sandbox.control``) under
``/_sandbox/conference``: ``GET truth[?t=]`` (``truth.conference_truth``; also part of
``GET /_sandbox/truth``), ``GET state``, ``GET requests?platform=``,
``POST faults {"platform","kind","times",...opts}``, ``POST end`` (the host ends the meeting now),
``POST reset`` (these four fakes only; ``POST /_sandbox/reset`` resets every fake).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response

from sandbox.bbb import BBBFake
from sandbox.clock import Clock
from sandbox.conference import Conference
from sandbox.control import ControlSurface, Params
from sandbox.meet import MeetFake
from sandbox.oauth_apps import AppTokenEndpoints
from sandbox.teams import TeamsFake
from sandbox.truth import conference_truth
from sandbox.zoom import ZoomFake

PREFIXES = {"zoom": "/zoom/v2", "teams": "/msgraph/v1.0", "meet": "/meet/v2", "bbb": "/bbb/api"}
TARGET_KINDS = {
    "zoom": "zoom_meeting",
    "teams": "teams_meeting",
    "meet": "meet_conference",
    "bbb": "bbb_meeting",
}


class ConferenceFakes:
    """Zoom, Teams, Meet and BBB fakes sharing one conference script and one clock."""

    def __init__(self, conference: Conference, clock: Clock) -> None:
        self.conference = conference
        self.clock = clock
        self.zoom = ZoomFake(conference, clock)
        self.teams = TeamsFake(conference, clock)
        self.meet = MeetFake(conference, clock)
        self.bbb = BBBFake(conference, clock)
        self.app_tokens = AppTokenEndpoints(conference, clock, self.teams.issued, self.meet.issued)

    @property
    def fakes(self) -> dict[str, Any]:
        return {"zoom": self.zoom, "teams": self.teams, "meet": self.meet, "bbb": self.bbb}

    def register(self, app: Flask, google_fallback: Callable[[], Response] | None = None) -> None:
        """Mount the four fakes on ``app``, each under its platform's prefix, and the token
        endpoints of app-only accounts; ``google_fallback`` answers Google's other grants."""
        for name, fake in self.fakes.items():
            app.register_blueprint(fake.blueprint(), url_prefix=PREFIXES[name])
        app.register_blueprint(self.app_tokens.blueprint(google_fallback))

    def add_controls(self, surface: ControlSurface) -> None:
        """The ``conference/…`` routes, the conference's truth, and its part of every reset."""
        surface.add_truth("conference", self.truth)
        surface.on_reset(self.reset)
        surface.get("/conference/state", lambda p: self.state())
        surface.get("/conference/requests", lambda p: self.requests(p.args.get("platform")))
        surface.post("/conference/faults", self._queue_fault)
        surface.post("/conference/end", self._end)
        surface.post("/conference/reset", self._reset)

    def external_id(self, platform: str) -> str:
        p = self.conference.params
        return {
            "zoom": p.zoom_meeting_id,
            "teams": p.teams_meeting_id,
            "meet": p.meet_code,
            "bbb": p.bbb_meeting_id,
        }[platform]

    def credentials(self, platform: str, base: str) -> dict[str, str]:
        """An account's credentials for ``platform``, ``base_url`` pointing at this sandbox."""
        url = f"{base}{PREFIXES[platform]}"
        if platform == "zoom":
            s = self.zoom.settings
            return {"account_id": s.account_id, "client_id": s.client_id,
                    "client_secret": s.client_secret, "token_url": f"{url}/oauth/token",
                    "base_url": url}  # fmt: skip
        if platform == "teams":
            organizer = self.conference.params.teams_organizer_id
            return {"access_token": self.teams.settings.access_token, "organizer_id": organizer,
                    "base_url": url}  # fmt: skip
        if platform == "meet":
            return {"access_token": self.meet.settings.access_token, "base_url": url}
        if platform == "bbb":
            return {"secret": self.bbb.settings.secret, "base_url": url}
        raise ValueError(f"unknown conference platform {platform!r}; use one of {list(PREFIXES)}")

    def connection(self, platform: str, base: str) -> dict[str, str]:
        """What to type on Lan Tỏa's connection page to connect ``platform``'s fake the way a real
        account connects: the Entra app's secret, the service account's JSON key."""
        url = f"{base}{PREFIXES[platform]}"
        if platform == "teams":
            app = self.app_tokens.entra
            return {"tenant_id": app.tenant_id, "client_id": app.client_id,
                    "client_secret": app.client_secret,
                    "organizer_id": self.conference.params.teams_organizer_id, "base_url": url,
                    "token_url": f"{base}/microsoft/{app.tenant_id}/oauth2/v2.0/token"}  # fmt: skip
        if platform == "meet":
            token_url = f"{base}/google/oauth2/token"
            key = self.app_tokens.service_account.key_file(token_url)
            return {"service_account_json": key, "base_url": url, "token_url": token_url}
        return self.credentials(platform, base)

    def fail_next(self, platform: str, kind: str, times: int = 1, **opts: Any) -> None:
        if platform not in PREFIXES:
            raise ValueError(
                f"unknown conference platform {platform!r}; use one of {list(PREFIXES)}"
            )
        self.fakes[platform].faults.fail_next(kind, times, **opts)

    def end(self) -> None:
        """The host ends the meeting now (on every platform: they play one meeting)."""
        self.conference.end_meeting(self.clock.now())

    def reset(self) -> None:
        for fake in self.fakes.values():
            fake.reset()

    def truth(self, t: float | None = None) -> dict[str, Any]:
        return conference_truth(self.conference, self.clock.now() if t is None else t)

    def requests(self, platform: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """Each fake's request log (or one platform's), without headers: no credentials shown."""
        return {
            name: [{k: v for k, v in e.items() if k != "headers"} for e in fake.log.entries()]
            for name, fake in self.fakes.items()
            if platform in (None, name)
        }

    def state(self) -> dict[str, Any]:
        t, c = self.clock.now(), self.conference
        return {
            "t": t,
            "phase": c.phase(t),
            "start": c.datetime_at(c.start).isoformat(),
            "end": c.datetime_at(c.end).isoformat(),
            "title": c.params.title,
            "meetings": {name: self.external_id(name) for name in PREFIXES},
            "teams_join_url": self.teams.join_web_url,  # what an officer would paste
            "paths": dict(PREFIXES),
        }

    # --- control routes ---------------------------------------------------------------------

    def _queue_fault(self, p: Params) -> dict[str, bool]:
        platform, kind, times, opts = p.fault()
        self.fail_next(platform, kind, times, **opts)
        return {"ok": True}

    def _end(self, p: Params) -> dict[str, Any]:
        self.end()
        return self.state()

    def _reset(self, p: Params) -> dict[str, bool]:
        self.reset()
        return {"ok": True}
