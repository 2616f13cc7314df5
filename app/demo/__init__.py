"""`make run`'s demo: a province to look at, and the sandbox platforms playing live events.

``flask demo load`` calls ``load`` (``province``: units, campaigns, past events and the demo admin;
``history``: the past events' figures, people and enrolments). A serving process started with
``LANTOA_SANDBOX=1`` calls ``start_demo_sandbox`` (``live``): the sandbox plays a livestream on
Facebook and YouTube and a Zoom conference of the province's halls (``conference``), registered
under the sandbox platform accounts (``accounts``); a restart plays the earlier start's sandbox
events again in place (``replay``, clearing their earlier play with ``earlier_play``), so the
reports do not grow a pair of past events on each start.
Imports run one way: ``live`` → ``conference`` → ``accounts`` → ``province`` → ``history``, and
``live`` and ``conference`` → ``replay`` → ``earlier_play``.
"""

from app.demo.live import start_demo_sandbox
from app.demo.province import (
    DEMO_EMAIL,
    DemoResult,
    credentials_banner,
    load,
    reset_credentials,
)

__all__ = [
    "DEMO_EMAIL",
    "DemoResult",
    "credentials_banner",
    "load",
    "reset_credentials",
    "start_demo_sandbox",
]
