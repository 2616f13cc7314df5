"""The officer's live page: counters, charts and comments that update themselves over Socket.IO."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.audit import record
from app.chart_words import chart_words
from app.events.queries import followed_live
from app.events.start_gap import start_gap_sentence
from app.events.status import (
    OVERDUE,
    UNDER_WAY,
    planned_end_of,
    waiting_for,
    waiting_words,
)
from app.extensions import db
from app.followup.lead_controls import lead_controls
from app.formatting import display_tz
from app.identity.phones import shown_phone
from app.labels import hall_status_words
from app.live import bp, queries
from app.live.shapes import without_contacts
from app.live.summary import EventSummary, event_summary
from app.live.targets import ENDED
from app.live.words import PHASE_WORDS, ended_sentence, script_words, upcoming_sentence
from app.models import BridgePoint, Event, EventStatus, Role, User, utcnow
from app.scoping import get_watched_event
from collectors.base import REACTION_TYPES
from dashboards import conference as hall_figures
from dashboards import live as figures

STALE_AFTER_SECONDS = 120  # a live sampled every 15-60 s that has said nothing for 2 min is late
HALL_STALE_AFTER_SECONDS = 20 * 60  # a hall's head count older than this is shown as old


@bp.route("/events/<int:event_id>/live")
@login_required
def live_page(event_id: int) -> str | Response:
    """``?wall=1`` is projector mode: large and dark; the counters, the viewers chart of a
    livestream, the halls board of a conference as a grid.

    A conference shows its halls (contact phones for officers and above); livestream counters
    only when the event has a livestream target; an event with both shows both side by side.

    A unit with a hall at an upper unit's event watches it in part (``get_watched_event``):
    phones masked, no lead controls on the comment cards (their lead work is on the follow-up
    list), and on the board every hall's state but the contacts of their own halls alone,
    which are marked.

    A meeting held in person with neither halls nor a collection target has nothing that arrives
    live (its attendee sheet is imported afterwards): its address, bookmarked or typed, leads to
    the event page, where its people are, saying why. A livestream or post with nothing tracked
    yet says so instead of counters at nought, with the way back to the event page, where its
    links are tracked.
    """
    view = get_watched_event(event_id, current_user)
    event, in_part = view.event, not view.whole
    now = utcnow()
    read = event_summary(event.id, now)
    wall = request.args.get("wall") == "1"
    if not event.channel.has_meeting and not followed_live(
        len(read.targets), len(read.halls or [])
    ):
        if not event.channel.has_halls:  # a livestream or post whose links are not tracked yet
            return render_template("live/untracked.html", event=event, wall=wall)
        flash(_("Nothing arrives live for this meeting: it has no halls sending their head counts "
                "and no tracked object. Its people present and attendee sheets are on this page."),
              "info")  # fmt: skip
        return redirect(url_for("events.event_detail", event_id=event.id))
    phones = not in_part and current_user.has_role(Role.OFFICER)  # as app.realtime.viewer
    if phones:
        # Officers see leads' and contacts' phones in clear: each view is audited (once per
        # page, not per comment; the socket's join is audited too).
        record("live.view", current_user, "event", event.id, wall=wall)
        db.session.commit()
    summary = read.as_dict(with_phones=phones)
    if in_part:  # as the socket's part room sends it
        summary = without_contacts({"summary": summary})["summary"]
    conference = event.channel.has_halls
    livestream = read.shows_livestream(conference)
    config = _page_config(event, summary, wall, livestream, now)
    steps = upcoming_steps(event)  # the banner's words while the platform has not started
    config["upcoming_steps"] = [(at.isoformat() if at else None, text) for at, text in steps]
    if in_part:
        config["own_halls"] = own_halls(event.id, current_user)
    return render_template(
        "live/page.html",
        event=event,
        wall=wall,
        summary=summary,
        conference=conference,
        livestream=livestream,
        reaction_kinds=REACTION_TYPES,
        page_config=config,
        in_part=in_part,
        lead_work=None if in_part else lead_controls(event, current_user),
        ended_text=_ended_text(event, read),
        phase_title=PHASE_WORDS[read.phase],
        start_gap=start_gap_sentence(event, bool(read.targets)),
        upcoming_text=next(text for at, text in reversed(steps) if at is None or at <= now),
        hall_words=hall_status_words,  # both ways: a meeting collector may come or go
    )


def upcoming_steps(event: Event) -> list[tuple[datetime | None, str]]:
    """What the banner says while the platform has not started, from when: not started yet
    (when planned); then, a scheduled event, the status every other page shows by its schedule
    (``app.events.status.status_words``: under way, then past its end) and that the platform
    has not started (its meeting, when all it waits for are meetings). The script moves along
    them on an open page."""
    steps: list[tuple[datetime | None, str]] = [(None, upcoming_sentence(event.planned_start))]
    if event.status != EventStatus.SCHEDULED or event.start is None:
        return steps
    waiting = "meeting" if waiting_for(event) == "meeting" else "broadcast"
    for at, shown in ((event.start, UNDER_WAY), (planned_end_of(event), OVERDUE)):
        if at is not None:
            steps.append((at, waiting_words(waiting, shown)))
    return steps


def _ended_text(event: Event, read: EventSummary) -> str:
    """The ended banner's first paint: ended by its status (an officer's or a collector's) or
    its meeting, at ``ended_at``; else, nothing collecting it, by the clock at its planned end
    (the script says the same when that moment comes on an open page); "" while not over."""
    if read.ended:
        return ended_sentence(event.channel, read.ended_at, by_officer=read.ended_by)
    if read.phase == ENDED and read.phase_times is not None and read.phase_times[1] is not None:
        return ended_sentence(event.channel, read.phase_times[1], by_clock=True)
    return ""


def _page_config(
    event: Event, summary: dict[str, Any], wall: bool, livestream: bool, now: datetime
) -> dict[str, Any]:
    """Everything the script needs, embedded as JSON so the page paints before the socket opens.

    The series come from the same queries as the socket snapshot, so the first paint and the
    snapshot that replaces it a moment later draw the same curve.
    """
    tz = display_tz()
    words = chart_words()
    return {
        "event_id": event.id,
        "event_status": event.status.value,
        "wall": wall,
        "conference": event.channel.has_halls,
        "meeting": summary["meeting"],  # halls connect to a meeting (else: reported)
        "livestream": livestream,
        "locale": str(get_locale()),
        "tz_offset_minutes": int(now.astimezone(tz).utcoffset().total_seconds() // 60),  # type: ignore[union-attr]
        "server_time": now.isoformat(),
        "summary": summary,
        "stale_after": STALE_AFTER_SECONDS,
        "hall_stale_after": HALL_STALE_AFTER_SECONDS,
        "figures": {
            "viewers": figures.viewers_figure(queries.viewer_series(event.id), tz=tz, words=words),
            "reactions": figures.reactions_figure(summary["reactions"], words=words),
            "comments": figures.comments_per_minute_figure(
                queries.comments_per_minute(event.id), tz=tz, words=words
            ),
            **(_hall_figures(event.id, summary, tz, words) if event.channel.has_halls else {}),
        },
        "words": script_words(event.channel, summary["meeting"]),
    }


def _hall_figures(
    event_id: int, summary: dict[str, Any], tz: Any, words: dict[str, str]
) -> dict[str, Any]:
    """A conference's two charts, from the same series the snapshot carries."""
    series = queries.halls_series(event_id)
    halls, people = summary["halls_expected"], summary["people_expected"]
    return {
        "halls": hall_figures.halls_figure(series, halls, tz=tz, words=words),
        "people": hall_figures.people_figure(series, people, tz=tz, words=words),
    }


def own_halls(event_id: int, user: User) -> dict[str, dict[str, str | None]]:
    """The contacts of the user's own halls at an event they watch in part, by hall id: the
    socket sends no hall's contact to them, the page adds these (the phone for officers)."""
    stmt = select(BridgePoint).where(
        BridgePoint.event_id == event_id, BridgePoint.org_unit_id == user.org_unit_id
    )
    phones = user.has_role(Role.OFFICER)
    return {
        str(hall.id): {
            "contact": hall.contact_name or None,
            "phone": shown_phone(hall.contact_phone) if phones and hall.contact_phone else None,
        }
        for hall in db.session.scalars(stmt)
    }
