"""All the halls' check-in links in one message, ready to paste into the communes' Zalo group.

The event's title and start (dd/mm/yyyy HH:MM, Vietnam time), the meeting the halls join (its
link and ID, ``app.halls.joining``: "Link họp Zoom: https://…"), when sent before the halls may
report, the hour they may (``window``: a commune officer who tries the link at dawn and is
refused gives up), then one line per hall whose link
opens now ("Xã Bạch Hà: https://…"): a revoked or expired link, or a hall with none, is left out
rather than sent to a commune that could not use it. An online conference tracking no meeting a
hall can open has no meeting line at all (never an empty "Link họp:"), and the page tells the
organiser so, with where to add the meeting's link (``Share.no_meeting``). The page shows it in
a read-only box to select and copy (no JavaScript needed), copies it with one button, and serves
it as a .txt file.
While the links name a loopback address (``public_urls.local_only``), the page warns the
organiser above the box; the file, like the copied text, is the message alone: it is forwarded
to the communes as it is, and the warning is not theirs to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.extensions import db
from app.formatting import fmt_datetime
from app.halls import window
from app.halls.joining import Meeting, meetings
from app.halls.links import checkin_url, link_state
from app.models import BridgePoint, Event


def shared(points: list[BridgePoint], now: datetime) -> list[BridgePoint]:
    """The halls whose link opens now, in the page's order."""
    return [p for p in points if link_state(p, now) == "valid"]


@dataclass(frozen=True)
class Share:
    """What the page shows of the message."""

    text: str
    halls: int  # the halls whose link it carries
    no_meeting: bool  # an online conference's message without a meeting link to join


def view(event: Event, points: list[BridgePoint], now: datetime) -> Share:
    joins = meetings(event)
    return Share(message(event, points, now, joins), len(shared(points, now)),
                 event.channel.has_meeting and not joins)  # fmt: skip


def message(
    event: Event, points: list[BridgePoint], now: datetime, joins: list[Meeting] | None = None
) -> str:
    """The text to send; its hall lines in the order of ``points``; ``joins``: the event's
    meetings, when already read."""
    lines = [event.title]
    start = event.actual_start or event.planned_start
    if start is not None:
        lines.append(_("Time: %(t)s", t=fmt_datetime(start)))
    for m in meetings(event) if joins is None else joins:
        lines.append(_("%(platform)s meeting link: %(link)s", platform=m.platform, link=m.link))
        if m.meeting_id:
            lines.append(_("Meeting ID: %(id)s", id=m.meeting_id))
    if (opens := window.not_open_yet(event, now)) is not None:  # tried early, refused, given up
        lines.append(window.message(window.LINKS_OPEN, opens))
    lines.append(_("Check-in link of each hall:"))
    lines += [f"{p.org_unit.name}: {checkin_url(p)}" for p in shared(points, now)]
    return "\n".join(lines) + "\n"


def text_file(event: Event, points: list[BridgePoint], now: datetime) -> Response:
    """The message as a .txt download (UTF-8), for a browser without JavaScript or a phone
    whose copy fails; the links are secrets, so who took them is logged."""
    text = message(event, points, now)  # the box's text: no warning for the organiser in it
    audit.record("bridge_points.share", current_user, "event", event.id,
                 halls=len(shared(points, now)))  # fmt: skip
    db.session.commit()
    response = Response(text, mimetype="text/plain")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="duong-dan-diem-cau-{event.id}.txt"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
