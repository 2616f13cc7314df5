"""Fake Facebook Graph and YouTube Data APIs playing a scripted BHXH livestream on loopback.

Used by the demo (``flask sandbox run``) and by tests as real HTTP servers with a ground truth;
see ``server.Sandbox`` for the entry point and platform-apis.md §10 for the behaviours played.
Nothing here touches the database or the app's models.
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
