"""Vietnam time, in one place: ``VN`` is the zone, ``as_utc`` reads the times people type.

Times are stored in UTC and shown in Vietnam time; a naive value someone typed (a form, a sheet,
an API call without an offset) is Vietnamese local time. Every module of ``app`` that needs the
zone takes ``VN`` from here (the configured display zone defaults to it); ``dashboards`` stay pure
and receive the zone as a parameter.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def as_utc(value: datetime | None, tz: ZoneInfo = VN) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)
