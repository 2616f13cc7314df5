"""When a hall may report people present: from a little before its event starts until its link
expires (``links.expires_at``). A count or a name list sent earlier cannot be people present, so
it is refused and stores nothing (a tester's counts a week early went into the month's reports).

The opening is worked out from the event's dates every time it is needed, never stored: an event
whose start moves earlier opens its halls earlier at once. An event with no start at all has no
opening (its link's thirty days from issue are the only bound).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app.sheets.issues import _l
from app.timeparse import VN

OPENS_BEFORE_START = timedelta(hours=2)
"""How long before the event's start a hall may report. Halls fill up and their officers try the
link in the hour or so before a conference starts (an 08:00 conference opens at 06:00); a day
earlier, or a week, is a test or a mistake, never people present. Two hours rather than the
start's whole local day: an evening event's morning is no more the event than the day before."""

OPENS = _l("This hall takes reports from %(time)s on %(date)s.")
REFUSED = _l(
    "This hall takes reports from %(time)s on %(date)s. A report sent before then is not "
    "counted: nothing was stored."
)
SHEET_REFUSED = _l(
    "The event has not started yet: an attendee sheet records people present, so it can be "
    "imported from %(time)s on %(date)s. Nothing was imported."
)
LINKS_OPEN = _l(
    "The check-in links take reports from %(time)s on %(date)s (%(hours)s hours before the "
    "start) until they expire."
)


def reports_open_at(
    actual_start: datetime | None, planned_start: datetime | None
) -> datetime | None:
    """The opening from the event's start (the earlier of actual and planned), or None."""
    starts = [s for s in (actual_start, planned_start) if s is not None]
    return min(starts) - OPENS_BEFORE_START if starts else None


def opens_at(event: Any) -> datetime | None:
    """The opening of an event's halls (``Event`` or anything with its start columns)."""
    return reports_open_at(event.actual_start, event.planned_start)


def not_open_yet(event: Any, when: datetime) -> datetime | None:
    """The opening, when ``when`` is before it; else None (open, or no opening)."""
    opens = opens_at(event)
    return opens if opens is not None and when < opens else None


def notice(event: Any, now: datetime) -> str | None:
    """What the hall's page says instead of its forms before the opening; None once open."""
    opens = not_open_yet(event, now)
    return message(OPENS, opens) if opens is not None else None


def when_params(opens: datetime) -> dict[str, str]:
    """The opening as the messages write it, in Vietnam time: 06:00 and 14/12/2026."""
    local = opens.astimezone(VN)
    return {"time": local.strftime("%H:%M"), "date": local.strftime("%d/%m/%Y")}


def message(msgid: str, opens: datetime) -> str:
    """``msgid`` with the opening, in the request's language."""
    from flask_babel import gettext

    hours = int(OPENS_BEFORE_START.total_seconds() // 3600)
    return gettext(msgid, hours=hours, **when_params(opens))
