"""Fake platforms on loopback: Facebook Graph, YouTube Data, Zoom, Teams, Meet, BigBlueButton
and Zalo, playing a scripted BHXH livestream and online conference.

Used by the demo (``make run``, ``flask sandbox run``), the tests and the benchmarks as real HTTP
servers with a ground truth; ``server.Sandbox`` is the entry point. One fake per collector module
(``facebook``, ``youtube``, ``zoom``, ``teams``, ``meet``, ``bbb``, ``zalo``); the scripts they
play (``scenario``, ``conference``), the control surface (``control``), the ground truth
(``truth``) and the plumbing (``clock``, ``loopback``, ``faults``) sit beside them. Nothing here
imports ``app``, the database or the collectors (``tests/sandbox/test_purity.py``).
"""

from sandbox.clock import Clock, ManualClock, RealClock
from sandbox.facebook import FacebookSettings
from sandbox.scenario import Scenario, ScenarioParams
from sandbox.server import Sandbox
from sandbox.youtube import YouTubeSettings

__all__ = [
    "Clock",
    "FacebookSettings",
    "ManualClock",
    "RealClock",
    "Sandbox",
    "Scenario",
    "ScenarioParams",
    "YouTubeSettings",
]
