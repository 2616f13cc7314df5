"""How a hall joins its conference: the meeting links the event tracks, for the check-in page and
the printed cards.

Only what the invitation itself gives every participant: the platform, its join link and meeting
ID, read from the event's collection targets. Nothing of the account that reads the meeting (its
name, tokens, the organiser behind it) is ever shown. A Zoom target keeps the meeting number
alone (``collectors.links`` drops the passcode), so its link is rebuilt from the number and
carries no passcode: the hall gets that from the organiser as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Event, Target

# The meeting kinds a hall can join from a link (BigBlueButton's join link needs a password).
PLATFORMS = {"zoom_meeting": "Zoom", "teams_meeting": "Microsoft Teams",
             "meet_conference": "Google Meet"}  # fmt: skip
DIGITS = re.compile(r"^\d{6,20}$")


@dataclass(frozen=True)
class Meeting:
    platform: str  # the product's name, the same in every language
    link: str
    meeting_id: str  # as people read it out ("850 1234 5678"); "" when the link is all there is


def meetings(event: Event) -> list[Meeting]:
    """The meetings an online conference's halls join, in the order they were added."""
    if not event.channel.has_meeting:
        return []
    rows = db.session.execute(
        select(Target.kind, Target.external_id)
        .where(Target.event_id == event.id, Target.kind.in_(PLATFORMS))
        .order_by(Target.id)
    ).all()
    found = [meeting_of(kind, external_id) for kind, external_id in rows]
    return [m for m in found if m is not None]


def meeting_of(kind: str, external_id: str) -> Meeting | None:
    """The join link and meeting ID of one target (None: nothing a hall could open)."""
    value = external_id.strip()
    if kind == "zoom_meeting" and DIGITS.match(value):
        return Meeting("Zoom", f"https://zoom.us/j/{value}", spaced(value))
    if kind == "teams_meeting":
        if value.startswith("https://teams.microsoft.com/"):
            return Meeting("Microsoft Teams", value, "")
        if DIGITS.match(value):
            return Meeting("Microsoft Teams", f"https://teams.microsoft.com/meet/{value}",
                           spaced(value, (3,) * 7))  # fmt: skip
    if kind == "meet_conference" and value:
        return Meeting("Google Meet", f"https://meet.google.com/{value}", value)
    return None


def spaced(number: str, groups: tuple[int, ...] | None = None) -> str:
    """A meeting number in groups, as Zoom shows it: 850 1234 5678, 123 456 7890."""
    if groups is None:
        groups = {11: (3, 4, 4), 10: (3, 3, 4), 9: (3, 3, 3)}.get(len(number), (3,) * 7)
    parts, at = [], 0
    for size in groups:
        if at >= len(number):
            break
        parts.append(number[at : at + size])
        at += size
    if at < len(number):
        parts.append(number[at:])
    return " ".join(parts)
