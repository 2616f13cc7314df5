"""A seeded, scripted fanpage livestream: what is true on Facebook and YouTube at scenario time t.

The script is a BHXH province office's "Livestream tư vấn BHXH tự nguyện", simulcast to its
Facebook Page and YouTube channel, as the platforms serve one: a LiveVideo and its *different*
Video id; status SCHEDULED_LIVE → LIVE → VOD, ``live_views`` instantaneous and 0 after the end;
comments with replies, edits and deletions; every reaction type; shares; video insights that keep
settling for ~7 days; YouTube viewers, counts and live chat; and no peak field anywhere, only
instantaneous viewers.

Time ``t`` is seconds since the sandbox started; ``params.epoch`` is the wall-clock instant of
t = 0. The script is immutable except for one thing the control surface may change: the live can
be ended early per platform (``end_live``).

``params`` holds ``ScenarioParams`` and the constants, ``records`` the comment / chat / past-live
records, ``timeline`` the ``Scenario`` itself (what is true at ``t``), ``audience`` the viewer
curves and the moments drawn from them, ``script`` the seeded generators of comments, chat,
reactions and past lives, ``vocabulary`` the Vietnamese messages they draw from, ``insights``
the video insight values, and ``presets`` the named livestreams (``PRESETS``: the Điện Biên one of
the acceptance checks). With ``scheduled_in`` set, the page and channel also have a live scheduled
for later (``Scenario.scheduled``, drawn from ``ScenarioParams.scheduled_params``): its own
shorter script on the same clock, which `make run`'s newcomer pastes on an event of their own.
"""

from sandbox.scenario.insights import insight_values
from sandbox.scenario.params import (
    BUCKET,
    DAY,
    HOSTILE_MESSAGES,
    LIVE_SHARE_OF_VIEWS,
    PLATFORMS,
    REACTION_TYPES,
    REACTION_WEIGHTS,
    SETTLE_KNOTS,
    WEEK,
    Phase,
    Platform,
    ScenarioParams,
)
from sandbox.scenario.presets import PRESETS
from sandbox.scenario.records import Author, ChatMessage, PastLive, ScriptedComment
from sandbox.scenario.timeline import Scenario
from sandbox.scenario.vocabulary import phone_spellings

__all__ = [
    "BUCKET",
    "DAY",
    "HOSTILE_MESSAGES",
    "LIVE_SHARE_OF_VIEWS",
    "PLATFORMS",
    "PRESETS",
    "REACTION_TYPES",
    "REACTION_WEIGHTS",
    "SETTLE_KNOTS",
    "WEEK",
    "Author",
    "ChatMessage",
    "PastLive",
    "Phase",
    "Platform",
    "Scenario",
    "ScenarioParams",
    "ScriptedComment",
    "insight_values",
    "phone_spellings",
]
