"""Which objects an event's channel can track: a livestream or a post has no meeting, an online
conference is followed on its meeting; and whether an object starts when the event is planned.

A Google Meet pasted on a livestream used to be tracked, and the event then showed its peak as
"… Google Meet 0 · BigBlueButton 0": figures of something the event is not. The check names the
object and the channel so the officer sees which link is wrong; the page and the API share it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from app.extensions import db
from app.formatting import local
from app.labels import CHANNEL, TARGET_KIND
from app.models import Target
from app.models.enums import Channel
from sandbox.index import meetings, upcoming_videos

MEETING_KINDS = frozenset({"zoom_meeting", "teams_meeting", "meet_conference", "bbb_meeting"})
BROADCAST_KINDS = frozenset({"facebook_live", "youtube_live", "facebook_post", "zalo_article"})
# Channels with nothing to track of a kind set. In-person conferences and small groups are left
# open: they may be streamed, or held on a meeting for remote participants.
NO_MEETING = frozenset({Channel.LIVESTREAM, Channel.POST})
NO_BROADCAST = frozenset({Channel.ONLINE_CONFERENCE})

MEETING_ON_BROADCAST = _l(
    "%(object)s cannot be tracked in an event of the %(channel)s channel, which has no "
    "meeting: its figures would be counted as the event's viewers. Paste the link of the live "
    "video or post, or track the meeting in an online conference event."
)
BROADCAST_ON_MEETING = _l(
    "%(object)s cannot be tracked in an event of the %(channel)s channel, which is followed on "
    "its meeting (Zoom, Teams, Google Meet or BigBlueButton). Paste the meeting's link, or "
    "track the live in a livestream event."
)


def misfit(channel: Channel, kind: str) -> str | None:
    """Why an object of ``kind`` cannot be tracked for an event of ``channel``; None if it can."""
    if kind in MEETING_KINDS and channel in NO_MEETING:
        text = MEETING_ON_BROADCAST
    elif kind in BROADCAST_KINDS and channel in NO_BROADCAST:
        text = BROADCAST_ON_MEETING
    else:
        return None
    return str(text % {"object": TARGET_KIND[kind], "channel": CHANNEL[channel]})


# A live begun two days before the event's planned evening is most likely another broadcast of
# the page (a link copied from the wrong video): said before it is tracked, never refused.
FAR = timedelta(hours=3)
VIDEO_ELSEWHEN = _l(
    "This video starts at %(time)s on %(day)s, while the event is planned for %(planned_time)s "
    "on %(planned_day)s: check the link."
)
MEETING_ELSEWHEN = _l(
    "This meeting starts at %(time)s on %(day)s, while the event is planned for "
    "%(planned_time)s on %(planned_day)s: check the link."
)


def elsewhen(planned: datetime | None, kind: str, starts: datetime | None) -> str:
    """A warning when the object starts (scheduled or begun) more than ``FAR`` from the event's
    planned start, or on another day in the display zone; "" when it fits or either is unknown."""
    if planned is None or starts is None:
        return ""
    there, here = local(starts), local(planned)
    if abs(starts - planned) <= FAR and there.date() == here.date():
        return ""
    text = MEETING_ELSEWHEN if kind in MEETING_KINDS else VIDEO_ELSEWHEN
    return str(text % {
        "time": there.strftime("%H:%M"), "day": there.strftime("%d/%m/%Y"),
        "planned_time": here.strftime("%H:%M"), "planned_day": here.strftime("%d/%m/%Y"),
    })  # fmt: skip


# What the links box asks for, by channel: a livestream or post event refuses meetings, an online
# conference refuses live videos (``misfit``), so its help and example name only what it takes.
ANY_LINK_HINT = _l(
    "Links of live videos (Facebook, YouTube) or meetings (Zoom, Teams, Google Meet, "
    "BigBlueButton), or a meeting ID, one per line."
)
VIDEO_EXAMPLE = "https://www.facebook.com/…/videos/…"
LINK_HINTS: dict[Channel, tuple[LazyString, str]] = {
    Channel.LIVESTREAM: (_l("Links of live videos (Facebook, YouTube), one per line."),
                         VIDEO_EXAMPLE),
    Channel.POST: (_l("Links of videos (Facebook, YouTube), one per line."), VIDEO_EXAMPLE),
    Channel.ONLINE_CONFERENCE: (
        _l("Links of the meeting (Zoom, Teams, Google Meet, BigBlueButton), or its meeting ID, "
           "one per line."),
        "https://zoom.us/j/…",
    ),
}  # fmt: skip


# Under `make run` only: the demo's own events track every sandbox object, so a newcomer's first
# paste needs one they do not: the scheduled live of each video platform of the sandbox
# (``sandbox.index``, whose root page lists every object), on a platform the user's unit has an
# account of (a commune with none was shown links every one of which was then refused).
SANDBOX_TRY = _l("Try the sandbox's upcoming live videos: %(links)s")
# The same for a meeting: the demo's conference tracks the sandbox meeting on Zoom, so the Zoom
# link a newcomer pasted on a conference was refused as tracked elsewhere, with no other offered.
# One untracked link, the shortest first (Teams' join link fills the box).
SANDBOX_MEETING_TRY = _l("Try the sandbox's meeting: %(link)s")
MEETING_ORDER = ("zoom", "meet", "bbb", "teams")
# Every link pasted would be refused ("No Facebook account is connected for your unit"): said
# before the paste, in the refusal's words: a manager connects the accounts a unit reads with.
NO_ACCOUNT_HINT = _l(
    "Your unit has no connected platform account to read these links: ask a manager to connect one."
)


def channel_platforms(channel: Channel | str | None) -> set[str]:
    """The platforms whose objects an event of ``channel`` can track (``misfit``'s rule)."""
    try:
        known = Channel(channel)
    except ValueError:
        return {kind.split("_")[0] for kind in TARGET_KIND}
    return {kind.split("_")[0] for kind in TARGET_KIND if misfit(known, kind) is None}


def links_hint(
    channel: Channel | str | None, platforms: Collection[str] | None = None
) -> dict[str, str]:
    """The links box's help and example for an event of ``channel`` (unknown: every kind).

    ``platforms`` are those the user's unit has accounts of (``usable_platforms``): the sandbox's
    links are offered on those only, and with none the channel takes the box says whom to ask.
    None (no user) offers every one."""
    try:
        hint, example = LINK_HINTS.get(Channel(channel), (ANY_LINK_HINT, VIDEO_EXAMPLE))
        takes_videos = Channel(channel) not in NO_BROADCAST
        takes_meetings = Channel(channel) not in NO_MEETING
    except ValueError:
        hint, example, takes_videos, takes_meetings = ANY_LINK_HINT, VIDEO_EXAMPLE, True, True
    text = str(hint)
    if platforms is not None and not channel_platforms(channel) & set(platforms):
        return {"hint": f"{text} {NO_ACCOUNT_HINT}", "placeholder": example}
    if takes_videos and (links := _sandbox_upcoming_links(platforms)):
        text = f"{text} {SANDBOX_TRY % {'links': ' · '.join(links)}}"
    if takes_meetings and (meeting := _sandbox_meeting(platforms)):
        text = f"{text} {SANDBOX_MEETING_TRY % {'link': meeting}}"
    return {"hint": text, "placeholder": example}


def _sandbox_upcoming_links(platforms: Collection[str] | None) -> list[str]:
    """The running sandbox's scheduled lives, one per video platform (of ``platforms`` when
    given), only when this process started one (never in production: ``LANTOA_SANDBOX`` starts
    it), and each only until an event tracks it: pasted again it would be refused as tracked
    elsewhere, the very dead end the tip is there to avoid."""
    sandbox = current_app.extensions.get("lantoa_sandbox") if has_app_context() else None
    if sandbox is None or getattr(sandbox, "scenario", None) is None:
        return []
    links = []
    for platform, (link, external_id) in upcoming_videos(sandbox).items():
        if platforms is not None and platform.lower() not in platforms:
            continue  # "Facebook" is read through a "facebook" account
        tracked = select(Target.id).where(Target.external_id == external_id).limit(1)
        if db.session.scalar(tracked) is None:
            links.append(f"{platform}: {link}")
    return links


def _sandbox_meeting(platforms: Collection[str] | None) -> str | None:
    """The running sandbox's meeting on the first platform (of ``platforms`` when given) whose
    meeting no event tracks yet, as "Google Meet: https://…"; None without a sandbox."""
    sandbox = current_app.extensions.get("lantoa_sandbox") if has_app_context() else None
    if sandbox is None or getattr(sandbox, "conferences", None) is None:
        return None
    offered = meetings(sandbox)
    for platform in MEETING_ORDER:
        if platforms is not None and platform not in platforms:
            continue
        name, link, external_id = offered[platform]
        tracked = select(Target.id).where(Target.external_id == external_id).limit(1)
        if db.session.scalar(tracked) is None:
            return f"{name}: {link}"
    return None


def links_hints(platforms: Collection[str] | None = None) -> dict[str, dict[str, str]]:
    """Every channel's, for the event form's script (the channel may change before saving)."""
    return {c.value: links_hint(c, platforms) for c in Channel}
