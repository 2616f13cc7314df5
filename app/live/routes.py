"""The officer's live page: counters, charts and comments that update themselves over Socket.IO."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required

from app.audit import record
from app.chart_words import chart_words
from app.extensions import db
from app.followup.lead_controls import lead_controls
from app.formatting import display_tz
from app.labels import hall_status_words
from app.live import bp, queries
from app.live.summary import EventSummary, event_summary
from app.live.targets import ENDED
from app.live.words import PHASE_WORDS, ended_sentence, script_words, upcoming_sentence
from app.models import Event, Role, utcnow
from app.scoping import get_scoped
from collectors.base import REACTION_TYPES
from dashboards import conference as hall_figures
from dashboards import live as figures

STALE_AFTER_SECONDS = 120  # a live sampled every 15-60 s that has said nothing for 2 min is late
HALL_STALE_AFTER_SECONDS = 20 * 60  # a hall's head count older than this is shown as old


@bp.route("/events/<int:event_id>/live")
@login_required
def live_page(event_id: int) -> str:
    """``?wall=1`` is projector mode: large and dark; the counters, the viewers chart of a
    livestream, the halls board of a conference as a grid.

    A conference shows its halls (contact phones for officers and above); livestream counters
    only when the event has a livestream target; an event with both shows both side by side.
    """
    event = get_scoped(Event, event_id, current_user)
    wall = request.args.get("wall") == "1"
    if current_user.has_role(Role.OFFICER):  # as app.realtime.viewer.PHONE_ROLE
        # Officers see leads' and contacts' phones in clear: each view is audited (once per
        # page, not per comment; the socket's join is audited too).
        record("live.view", current_user, "event", event.id, wall=wall)
        db.session.commit()
    now = utcnow()
    read = event_summary(event.id, now)
    summary = read.as_dict(with_phones=current_user.has_role(Role.OFFICER))
    conference = event.channel.has_halls
    livestream = read.shows_livestream(conference)
    return render_template(
        "live/page.html",
        event=event,
        wall=wall,
        summary=summary,
        conference=conference,
        livestream=livestream,
        reaction_kinds=REACTION_TYPES,
        page_config=_page_config(event, summary, wall, livestream, now),
        lead_work=lead_controls(event, current_user),
        ended_text=_ended_text(event, read),
        phase_title=PHASE_WORDS[read.phase],
        upcoming_text=upcoming_sentence(event.planned_start),
        hall_words=hall_status_words,  # both ways: a meeting collector may come or go
    )


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
