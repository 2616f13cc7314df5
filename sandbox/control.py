"""The sandbox's one control surface: JSON under ``/_sandbox/`` for the demo and for tests that
drive the fakes over HTTP (queue faults, move the clock, end the live, read the truth, reset).

Every group of fakes registers with it: its routes (``get``, ``post``), its part of the ground
truth (``add_truth``) and its reset (``on_reset``). The surface serves them all from one
blueprint: it reads the query and the JSON body once (``Params``) and answers a ``ValueError`` or
``TypeError`` (an unknown fault kind, a missing number) with HTTP 400 ``{"error": …}``. Its own
routes are those every fake shares:

=============================  =================================================================
``GET  truth[?t=]``            every registered truth by name: ``facebook``, ``youtube`` (what was
                               served) and ``conference`` (the halls at scenario second ``t``,
                               default now)
``GET  <name>/truth[?t=]``     one of them, e.g. ``conference/truth``
``POST advance {"seconds"}``   moves the scenario clock forward; answers ``{"t"}``
``POST reset``                 the clock back to its start and every fake as new
=============================  =================================================================

The livestream fakes add ``state``, ``requests``, ``faults``, ``chaos``, ``clear``,
``renew-token`` and ``end-live`` (``sandbox.server``); the conference fakes add
``conference/state``, ``conference/requests``, ``conference/faults``, ``conference/end`` and
``conference/reset`` (``sandbox.conferences``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.clock import Clock

PREFIX = "/_sandbox"


@dataclass(frozen=True)
class Params:
    """What a control request carries: its query, its JSON body (when an object), its path."""

    args: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    path: dict[str, str] = field(default_factory=dict)

    def moment(self) -> float | None:
        """``?t=``: a scenario second, or None for now."""
        t = self.args.get("t")
        return None if t is None else float(t)

    def fault(self) -> tuple[str, str, int, dict[str, Any]]:
        """A fault request ``{"platform", "kind", "times"?, …opts}`` as its four parts."""
        opts = dict(self.body)
        platform, kind = str(opts.pop("platform", "")), str(opts.pop("kind", ""))
        return platform, kind, int(opts.pop("times", 1)), opts


Handler = Callable[[Params], Any]  # returns what the route answers, as JSON
TruthSource = Callable[[float | None], dict[str, Any]]  # the truth at a moment (None: now)


class ControlSurface:
    """Routes, truths and resets that groups of fakes register, served as one blueprint."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._routes: list[tuple[str, str, Handler]] = []
        self._truths: dict[str, TruthSource] = {}
        self._resets: list[Callable[[], None]] = []

    # --- what the fakes register ------------------------------------------------------------

    def get(self, rule: str, handler: Handler) -> None:
        self._routes.append(("GET", rule, handler))

    def post(self, rule: str, handler: Handler) -> None:
        self._routes.append(("POST", rule, handler))

    def add_truth(self, name: str, source: TruthSource) -> None:
        self._truths[name] = source

    def on_reset(self, reset: Callable[[], None]) -> None:
        """``reset`` runs on ``POST reset``, after the clock is back at its start."""
        self._resets.append(reset)

    # --- what the surface does --------------------------------------------------------------

    def truth(self, t: float | None = None) -> dict[str, Any]:
        """Every registered truth by name; ``t`` is the moment of those that depend on one."""
        return {name: source(t) for name, source in self._truths.items()}

    def reset(self) -> None:
        self.clock.reset()
        for reset in self._resets:
            reset()

    def blueprint(self) -> Blueprint:
        bp = Blueprint("sandbox_control", __name__, url_prefix=PREFIX)
        bp.register_error_handler(ValueError, _bad_request)
        bp.register_error_handler(TypeError, _bad_request)
        own: list[tuple[str, str, Handler]] = [
            ("GET", "/truth", lambda p: self.truth(p.moment())),
            ("GET", "/<name>/truth", self._one_truth),
            ("POST", "/advance", self._advance),
            ("POST", "/reset", self._reset),
        ]
        for method, rule, handler in own + self._routes:
            endpoint = method.lower() + "_" + re.sub(r"\W+", "_", rule).strip("_")
            bp.add_url_rule(rule, endpoint, _view(handler), methods=[method])
        return bp

    def _one_truth(self, p: Params) -> dict[str, Any]:
        source = self._truths.get(p.path["name"])
        if source is None:
            abort(404)
        return source(p.moment())

    def _advance(self, p: Params) -> dict[str, float]:
        return {"t": self.clock.advance(float(p.body.get("seconds", 0)))}

    def _reset(self, p: Params) -> dict[str, bool]:
        self.reset()
        return {"ok": True}


def _view(handler: Handler) -> Callable[..., ResponseReturnValue]:
    def view(**path: str) -> ResponseReturnValue:
        data = request.get_json(silent=True)
        params = Params(request.args.to_dict(), data if isinstance(data, dict) else {}, path)
        return jsonify(handler(params))

    return view


def _bad_request(error: Exception) -> ResponseReturnValue:
    return jsonify(error=str(error)), 400
