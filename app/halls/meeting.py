"""Whether an event's halls connect to a meeting we can see: the one decision the hall board,
the live page, the home screen and the alerts share.

Only an online conference has a meeting (``Channel.has_meeting``), and only its meeting collector
(a Zoom, Teams, Meet or BBB target) sees halls join it. An online conference followed by check-in
alone sees nothing of its meeting: "not connected" would be said of every hall, true or not, while
its head counts are all there is to know. Such a conference speaks of its halls as an in-person one
does: a hall is in once it sent its head count.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import g, has_request_context
from sqlalchemy import select

from app.collection.fit import MEETING_KINDS
from app.extensions import db
from app.models import Channel, Event, Target


def collects_meeting(channel: Channel, kinds: Iterable[str]) -> bool:
    """``tracks_meeting`` from what is already read: the event's channel and its targets' kinds
    (the live page's deltas follow a meeting collector added or removed since it opened)."""
    return channel.has_meeting and any(kind in MEETING_KINDS for kind in kinds)


def tracks_meeting(event: Event) -> bool:
    """Whether ``event``'s halls connect to a meeting it collects; read once per request (a page
    asks for each of its halls), and at every call outside one (an alerts run sees a meeting
    collector added since)."""
    if not event.channel.has_meeting:
        return False
    known: dict[int, bool] = g.setdefault("lantoa_meetings", {}) if has_request_context() else {}
    if event.id not in known:
        meetings = select(Target.id).where(
            Target.event_id == event.id, Target.kind.in_(MEETING_KINDS)
        )
        known[event.id] = db.session.scalar(meetings.limit(1)) is not None
    return known[event.id]
