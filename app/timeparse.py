"""Vietnam time, in one place: ``VN`` is the zone, ``as_utc`` reads the times people type.

Times are stored in UTC and shown in Vietnam time; a naive value someone typed (a form, a sheet,
an API call without an offset) is Vietnamese local time. Every module of ``app`` that needs the
zone takes ``VN`` from here (the configured display zone defaults to it); ``dashboards`` stay pure
and receive the zone as a parameter.

Spreadsheets hand dates over as Excel's day count (a General-formatted cell): ``excel_date``
reads it, for sheet cells and dates of birth alike.

Days are typed dd/mm/yyyy on every page (``parse_day``); the API and links say yyyy-mm-dd, which
reads too.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Excel's day 0: serial 1 is 1900-01-01 once Excel's 1900 leap-year bug is counted in.
EXCEL_EPOCH = date(1899, 12, 30)
DAY_VN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
DAY_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_day(text: str) -> date:
    """A day typed dd/mm/yyyy (or yyyy-mm-dd); ValueError if it is neither or no such day."""
    raw = text.strip()
    if found := DAY_VN.fullmatch(raw):
        day, month, year = (int(g) for g in found.groups())
    elif found := DAY_ISO.fullmatch(raw):
        year, month, day = (int(g) for g in found.groups())
    else:
        raise ValueError(f"not a day dd/mm/yyyy: {raw!r}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"no such day dd/mm/yyyy: {raw!r}") from None


def excel_date(serial: float) -> date:
    """The day an Excel serial number stands for (the fraction, a time of day, is dropped)."""
    return EXCEL_EPOCH + timedelta(days=int(serial))


def as_utc(value: datetime | None, tz: ZoneInfo = VN) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


# A press kept on a phone while it was offline (a hall's report, a call's outcome) is sent later
# with its time; a time older than this, or ahead of the server, is a wrong phone clock.
MAX_QUEUE_AGE = timedelta(days=7)


def sent_time(sent_at: datetime | None, now: datetime, clock: datetime | None = None) -> datetime:
    """When the officer pressed send, on the server's clock (a later press sorts later).

    ``clock`` is the phone's time when this request left: with it, the press's age is measured
    on the phone's own clock, so a phone whose clock runs minutes fast or slow still sorts its
    presses right against others. Without it the page's time is taken as it is, unless it is
    ahead of the server or over ``MAX_QUEUE_AGE`` old (a wrong clock).
    """
    if sent_at is not None and clock is not None:
        age = clock - sent_at
        return now - age if timedelta(0) <= age <= MAX_QUEUE_AGE else now
    if sent_at is None or sent_at > now or now - sent_at > MAX_QUEUE_AGE:
        return now
    return sent_at
