"""Vietnam time, in one place: ``VN`` is the zone, ``as_utc`` reads the times people type.

Times are stored in UTC and shown in Vietnam time; a naive value someone typed (a form, a sheet,
an API call without an offset) is Vietnamese local time. Every module of ``app`` that needs the
zone takes ``VN`` from here (the configured display zone defaults to it); ``dashboards`` stay pure
and receive the zone as a parameter.

Spreadsheets hand dates over as Excel's day count (a General-formatted cell): ``excel_date``
reads it, for sheet cells and dates of birth alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Excel's day 0: serial 1 is 1900-01-01 once Excel's 1900 leap-year bug is counted in.
EXCEL_EPOCH = date(1899, 12, 30)


def excel_date(serial: float) -> date:
    """The day an Excel serial number stands for (the fraction, a time of day, is dropped)."""
    return EXCEL_EPOCH + timedelta(days=int(serial))


def as_utc(value: datetime | None, tz: ZoneInfo = VN) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)
