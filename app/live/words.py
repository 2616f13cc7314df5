"""Every sentence the live page's script shows, translated on the server and handed to it as JSON.

The script never builds text of its own beyond numbers: a ``__N__`` (a count), ``__T__`` (a
time) or ``__D__`` (a date, dd/mm/yyyy) placeholder is the only thing it fills in, and ``__U__``
(the name of the officer who ended the event) in ``ended_by_officer``.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.collection.fit import MEETING_KINDS
from app.formatting import fmt_datetime, local
from app.halls.unusual import UNSURE, UNSURE_NO_EXPECTED
from app.labels import (
    HALL_STATUS,
    INTENT,
    LIVE_COLLECTING,
    NOT_STARTED,
    PLATFORM,
    TARGET_KIND,
    hall_status_words,
)
from app.models.enums import Channel
from app.status.words import PAUSED, ended_state

SCRIPT_WORDS = {
    "connecting": _l("Connecting to live updates…"),
    "reconnecting": _l("Connection lost — reconnecting. The numbers below may be out of date."),
    "stale": _l("No new figures for __N__ minutes: collection may be delayed."),
    "refused": _l("You may not follow this event live."),
    "signed_out": _l("Your session has ended: sign in again to follow this event live."),
    "resyncing": _l("Catching up with missed updates…"),
    "unavailable": _l(
        "Live updates are unavailable for now. The figures below may be out of date; "
        "this page keeps trying by itself."
    ),
    "age_now": _l("just now"),
    "age_seconds": _l("__N__ s ago"),
    "age_minutes": _l("__N__ min ago"),
    "age_hours": _l("__N__ h ago"),
    # Older than a day: when, not how long ago ("updated at 20:15 on 24/11/2026").
    "age_at": _l("at __T__ on __D__"),
    "age_never": _l("no data yet"),
    # Once the event is over its figures stop moving: when they were read, no age ticking on
    # (``__T__``: "at 20:41", or ``age_at`` a day or more before now: "figures at 20:41").
    "figures_at": _l("figures __T__"),
    "age_at_time": _l("at __T__"),
    "age_not_started": _l("not started yet"),  # a figure of an event not started yet
    "not_yet_read": _l("not yet read"),  # a figure no read has brought yet (views), never 0
    # Views summed over the platforms that serve them during the broadcast (``views_counted``,
    # ``__T__``: those platforms); Facebook reads a live's views from its video once it ends
    # (``views_without``, ``__T__``: the platforms left out). The page joins them with "; ".
    "views_counted": _l("views of __T__ so far"),
    "views_without": _l("views of __T__ are added when the broadcast ends"),
    "maybe_stale": _l("may be out of date"),
    "updated": _l("updated"),
    "paused_auth_expired": PAUSED["auth_expired"],
    "paused_permanent_error": PAUSED["permanent_error"],
    "paused_other": _l("Paused: __T__"),
    "rate_limited": _l(
        "The platform asked us to slow down; collection resumes by itself at __T__. "
        "Figures from this platform may lag."
    ),
    "retrying": _l("Errors while collecting; retrying (__N__ failed attempts)"),
    "finished": _l("Finished"),
    "live": LIVE_COLLECTING["broadcast"],
    "live_meeting": LIVE_COLLECTING["meeting"],  # a meeting's (``meeting_kinds``) under way
    "ended_now": _l("Ended: reading the figures now"),
    "waiting": NOT_STARTED["broadcast"],
    "waiting_meeting": NOT_STARTED["meeting"],
    "last_success": _l("last read __T__"),
    "target_peak": _l("own peak __N__ viewers"),
    "lead": _l("Lead"),
    "no_phone": _l("no phone"),
    # A comment the page (a YouTube channel) wrote itself: shown, muted, never a lead or counted.
    "owner_reply": _l("Page reply"),
    "owner_reply_youtube": _l("Channel reply"),
    "owner_reply_hint": _l(
        "Written by the page or channel itself: not counted among the comments, never a lead"
    ),
    "new_comments": _l("__N__ new comments — resume scrolling"),
    "no_comments": _l("No comments yet."),
    # One per ``app.halls.state.STATUSES``, the words of ``app.labels.HALL_STATUS``.
    "hall_not_connected": HALL_STATUS["not_connected"],
    "hall_reported_only": HALL_STATUS["reported_only"],
    "hall_connected": HALL_STATUS["connected"],
    "hall_connected_reported": HALL_STATUS["connected_reported"],
    "hall_report_age": _l("head count __T__"),
    "people": _l("__N__ people"),
    "hall_no_contact": _l("no contact person"),
    "hall_call": _l("Call the contact person of __T__"),
    # A unit watching an upper unit's conference in part: its own halls are marked so.
    "hall_own": _l("One of your halls"),
    "hall_expected": _l("__N__ expected"),
    # A head count far above the expected one (``app.halls.unusual``), beside it.
    "hall_unusual": UNSURE,
    "hall_unusual_no_expected": UNSURE_NO_EXPECTED,
    "hall_minutes": _l("connected __N__ min"),
    "hall_reported_badge": _l("head count sent"),  # the wall's word for a reported-only hall
    "hall_all_connected": _l("Every hall is connected."),
    "hall_all_reported": _l("Every hall has sent its head count."),  # in person: no meeting
    "hall_none_yet": _l("This event has no halls yet: add them on its halls page."),
}
# The tab's title before the event's name, by phase (``app.live.targets``); the script swaps it.
PHASE_WORDS = {"upcoming": _l("Upcoming"), "live": _l("Live"), "ended": _l("Ended")}
# What the top of the page says before the event starts (its planned start, in local time).
UPCOMING_WORDS = (_l("Not started yet: planned for __T__ on __D__"), _l("Not started yet"))
# What the top of the page says once the event is over (``__T__``: "20:05 06/12/2026"), by kind.
ENDED_WORDS = {
    "conference": (_l("The conference ended at __T__"), _l("The conference has ended")),
    "livestream": (_l("The livestream ended at __T__"), _l("The livestream has ended")),
    "event": (_l("The event ended at __T__"), _l("The event has ended")),
}
# How it came to end, after that sentence (``__T__``): an officer marked it ended (``__U__``: the
# officer's name; the collectors no longer move it), or nothing collects it and its planned end
# has passed, so it ended by the clock (``app.live.targets.EventTargets.phase``).
ENDED_BY_OFFICER = _l("__T__ — __U__ marked it as ended")
ENDED_BY_CLOCK = _l("__T__ (at its planned end time)")


def ended_kind(channel: Channel) -> str:
    """Which of ``ENDED_WORDS`` an event of ``channel`` says when it is over."""
    if channel.has_halls:
        return "conference"
    return "livestream" if channel == Channel.LIVESTREAM else "event"


def ended_sentence(
    channel: Channel,
    ended_at: datetime | None,
    by_officer: str | None = None,
    by_clock: bool = False,
) -> str:
    """The page's first paint of what the script then keeps saying (same words, same format):
    ended at ``ended_at``, marked so by the officer named ``by_officer``, or ``by_clock`` (at its
    planned end, nothing collecting it)."""
    timed, untimed = ENDED_WORDS[ended_kind(channel)]
    said = str(untimed) if ended_at is None else str(timed).replace("__T__", when_ended(ended_at))
    if by_officer:
        return str(ENDED_BY_OFFICER).replace("__T__", said).replace("__U__", by_officer)
    return str(ENDED_BY_CLOCK).replace("__T__", said) if by_clock else said


def when_ended(at: datetime) -> str:
    """ "06/12/2026 20:05" in local time, as the script's ``endedWhen`` writes it."""
    return fmt_datetime(at)


def upcoming_sentence(planned_start: datetime | None) -> str:
    """The notice of an event not started yet: "planned for 20:00 on 08/12/2026"."""
    timed, untimed = UPCOMING_WORDS
    if planned_start is None:
        return str(untimed)
    at = local(planned_start)
    return str(timed).replace("__T__", f"{at:%H:%M}").replace("__D__", f"{at:%d/%m/%Y}")


def script_words(channel: Channel | None = None, meeting: bool = False) -> dict[str, object]:
    """The script's words; a hall's status as an event of ``channel`` says it, its halls
    connecting to a ``meeting`` or not (``app.labels.hall_status_words``)."""
    words: dict[str, object] = {key: str(value) for key, value in SCRIPT_WORDS.items()}
    if channel is not None:
        words.update({f"hall_{code}": str(w) for code, w in hall_status_words(meeting).items()})
        # Both ways: the page swaps them in when a meeting collector is added or removed.
        words["hall_words"] = {
            key: {code: str(w) for code, w in hall_status_words(on).items()}
            for key, on in (("meeting", True), ("in_person", False))
        }
    if channel is not None:
        timed, untimed = ENDED_WORDS[ended_kind(channel)]
        words["ended_at"], words["ended_untimed"] = str(timed), str(untimed)
        words["ended_by_officer"], words["ended_by_clock"] = (
            str(ENDED_BY_OFFICER),
            str(ENDED_BY_CLOCK),
        )
    words.update({f"phase_{key}": str(value) for key, value in PHASE_WORDS.items()})
    words["ended"] = ended_state("__T__")  # the next reading's time filled in by the script
    words["intents"] = {key: str(value) for key, value in INTENT.items()}
    words["platforms"] = {str(key): name for key, name in PLATFORM.items()}
    words["target_kinds"] = {key: str(value) for key, value in TARGET_KIND.items()}
    words["meeting_kinds"] = sorted(MEETING_KINDS)  # whose state says "live_meeting"
    return words
