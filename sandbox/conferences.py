"""The four conference fakes mounted in the one sandbox process, with their control surface.

One ``Conference`` script is played by Zoom, Microsoft Graph (Teams), Google Meet and
BigBlueButton at once, on the sandbox's port and clock:

==============  ==================  ========================================================
platform        mounted at          the app's setting / where the app reads the base URL
==============  ==================  ========================================================
zoom            ``/zoom/v2``        ``ZOOM_API_URL`` (token at ``/zoom/v2/oauth/token``)
teams           ``/msgraph/v1.0``   ``MSGRAPH_URL``
meet            ``/meet/v2``        ``MEET_API_URL``
bbb             ``/bbb/api``        the account's ``base_url`` (each BBB server is its own)
==============  ==================  ========================================================

Control surface under ``/_sandbox/conference``: ``GET truth[?t=]`` (``hall_truth.truth_at``),
``GET state``, ``GET requests?platform=``, ``POST faults {"platform","kind","times",...opts}``,
``POST end`` (the host ends the meeting now), ``POST reset``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.bbb import BBBFake
from sandbox.clock import Clock
from sandbox.conference import Conference
from sandbox.hall_truth import truth_at
from sandbox.meet import MeetFake
from sandbox.teams import TeamsFake
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

    @property
    def fakes(self) -> dict[str, Any]:
        return {"zoom": self.zoom, "teams": self.teams, "meet": self.meet, "bbb": self.bbb}

    def register(self, app: Flask) -> None:
        for name, fake in self.fakes.items():
            app.register_blueprint(fake.blueprint(), url_prefix=PREFIXES[name])
        app.register_blueprint(_control_blueprint(self))

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
        return truth_at(self.conference, self.clock.now() if t is None else t)

    def state(self) -> dict[str, Any]:
        t, c = self.clock.now(), self.conference
        return {
            "t": t,
            "phase": c.phase(t),
            "start": c.datetime_at(c.start).isoformat(),
            "end": c.datetime_at(c.end).isoformat(),
            "title": c.params.title,
            "meetings": {name: self.external_id(name) for name in PREFIXES},
            "paths": dict(PREFIXES),
        }


def _control_blueprint(fakes: ConferenceFakes) -> Blueprint:
    bp = Blueprint("sandbox_conference", __name__, url_prefix="/_sandbox/conference")

    def body() -> dict[str, Any]:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}

    @bp.errorhandler(ValueError)
    @bp.errorhandler(TypeError)
    def bad_request(error: Exception) -> ResponseReturnValue:
        return jsonify(error=str(error)), 400

    @bp.get("/truth")
    def truth() -> ResponseReturnValue:
        t = request.args.get("t")
        return jsonify(fakes.truth(None if t is None else float(t)))

    @bp.get("/state")
    def state() -> ResponseReturnValue:
        return jsonify(fakes.state())

    @bp.get("/requests")
    def requests_log() -> ResponseReturnValue:
        wanted = request.args.get("platform")
        return jsonify(
            {
                name: [{k: v for k, v in e.items() if k != "headers"} for e in fake.log.entries()]
                for name, fake in fakes.fakes.items()
                if wanted in (None, name)
            }
        )

    @bp.post("/faults")
    def faults() -> ResponseReturnValue:
        opts = body()
        platform, kind = str(opts.pop("platform", "")), str(opts.pop("kind", ""))
        fakes.fail_next(platform, kind, int(opts.pop("times", 1)), **opts)
        return jsonify(ok=True)

    @bp.post("/end")
    def end() -> ResponseReturnValue:
        fakes.end()
        return jsonify(fakes.state())

    @bp.post("/reset")
    def reset() -> ResponseReturnValue:
        fakes.reset()
        return jsonify(ok=True)

    return bp
