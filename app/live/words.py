"""Every sentence the live page's script shows, translated on the server and handed to it as JSON.

The script never builds text of its own beyond numbers: a ``__N__`` (a count) or ``__T__`` (a
time) placeholder is the only thing it fills in.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.labels import HALL_STATUS, INTENT, PLATFORM, hall_status_words
from app.models.enums import Channel
from app.status.words import PAUSED

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
    "age_never": _l("no data yet"),
    "not_yet_read": _l("not yet read"),  # a figure no read has brought yet (views), never 0
    # Views summed over the platforms that serve them during the broadcast; Facebook reads a
    # live's views from its video once it ends (``__T__``: the platforms left out).
    "views_without": _l("without __T__: its views are read when the broadcast ends"),
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
    "live": _l("Live: collecting"),
    "ended": _l("Ended: reading the final figures"),
    "waiting": _l("Waiting for the live to start"),
    "last_success": _l("last read __T__"),
    "target_peak": _l("own peak __N__ viewers"),
    "lead": _l("Lead"),
    "no_phone": _l("no phone"),
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
    "hall_expected": _l("__N__ expected"),
    "hall_minutes": _l("connected __N__ min"),
    "hall_reported_badge": _l("head count sent"),  # the wall's word for a reported-only hall
    "hall_all_connected": _l("Every hall is connected."),
    "hall_all_reported": _l("Every hall has sent its head count."),  # in person: no meeting
    "hall_none_yet": _l("This event has no halls yet: add them on its halls page."),
}


def script_words(channel: Channel | None = None) -> dict[str, object]:
    """The script's words; a hall's status as an event of ``channel`` says it (in person, no
    meeting: ``app.labels.hall_status_words``)."""
    words: dict[str, object] = {key: str(value) for key, value in SCRIPT_WORDS.items()}
    if channel is not None:
        words.update({f"hall_{code}": str(w) for code, w in hall_status_words(channel).items()})
    words["intents"] = {key: str(value) for key, value in INTENT.items()}
    words["platforms"] = {str(key): name for key, name in PLATFORM.items()}
    return words
