"""When each person on an attendee sheet was there: the sheet's own date column, else the event.

A touch (``Attendance.touched_at``) dates a visit, and attribution credits the enrolments paid
after it, so it is the moment the person was at the event, never the moment the file was
uploaded: a sheet imported a month late would otherwise lose every enrolment of that month, one
imported a week early would push the end of the window a week too soon.

- A date column ("Ngày tham dự", "Thời gian điểm danh", "Date attended" …) dates its row: a day,
  a day and a time, or a time alone (on the event's day). A day without a time takes the
  event's starting hour, so a one-day event's rows carry exactly its start.
- Without the column, or with the cell blank: the event's actual start, else its planned start.
- Only an event with no date at all leaves the import time, the one time known.
- A day outside the event's days (Vietnam time, from its first start to its last end, planned or
  actual: a postponed event's sheet may carry either) is an error of its row, not a warning: a
  sheet of a conference is signed on the day, so another day is a typo or another event's list,
  and the date is what credits enrolments. Saved as written it would move the person's visit;
  saved as the event's day it would hide the mistake. The row waits for the file to be corrected
  (or is left out with "import only the valid rows"), as a date that cannot be read does.

Times written on a sheet are Vietnam time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.models import Event
from app.sheets.cells import SERIALS
from app.sheets.headers import CellError
from app.sheets.issues import ImportIssue, _l
from app.timeparse import VN, excel_date

FIELD = "attended_at"
LABEL = _l("Date attended")
ALIASES = ("ngày tham dự", "thời gian tham dự", "ngày giờ tham dự", "ngày tham gia",
           "thời gian tham gia", "ngày dự", "ngày điểm danh", "thời gian điểm danh",
           "giờ điểm danh", "ngày giờ điểm danh", "ngày đến", "giờ đến", "thời gian đến",
           "ngày giờ", "thời gian", "thời điểm", "ngày hội nghị", "ngày họp", "ngày tổ chức",
           "date attended", "attendance date", "attended on", "attended at", "date", "date/time",
           "datetime", "time", "check-in time", "checked in at", "arrival time")  # fmt: skip
YEARS = range(2000, 2101)  # a birth date or a typo in the column is not a visit

BAD_DATE = _l("Write the date (10/03/2026) or the date and time (10/03/2026 08:30).")
NO_DAY = _l("Write the date too (10/03/2026 08:30): the event has no date.")
NOT_ITS_DAY = _l("Not a day of this event (%(days)s): check the date, or whether the list is this "
                 "event's.")  # fmt: skip

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_CLOCK = re.compile(r"(\d{1,2})\s*(?::|h|g|giờ)\s*(\d{2})?\s*(?:p|phút|')?(?::(\d{2}))?", re.I)


@dataclass(frozen=True)
class Written:
    """A date column's cell as written: a day, a time of day, or both (Vietnam time)."""

    day: date | None
    clock: time | None

    def __str__(self) -> str:
        parts = [self.day.strftime("%d/%m/%Y")] if self.day else []
        if self.clock is not None:
            parts.append(self.clock.strftime("%H:%M"))
        return " ".join(parts)


def parse(value: Any) -> Written | None:
    """The column's parser: a cell (text, Excel date or serial) → Written; blank → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(BAD_DATE)
    if isinstance(value, datetime):
        return _checked(_from_datetime(value))
    if isinstance(value, date):
        return _checked(Written(value, None))
    if isinstance(value, time):
        return Written(None, value.replace(tzinfo=None))
    if isinstance(value, int | float):
        return _checked(_from_serial(float(value)))
    return _checked(_from_text(" ".join(str(value).split())))


def _from_datetime(value: datetime) -> Written:
    if value.tzinfo is not None:
        value = value.astimezone(VN)
    if value.time() == time(0, 0):  # a date-formatted Excel cell: the day only
        return Written(value.date(), None)
    return Written(value.date(), value.time().replace(microsecond=0))


def _from_serial(serial: float) -> Written:
    """Excel's day count (General-formatted cells); a fraction alone is a time of day."""
    whole = int(serial)
    seconds = min(round((serial - whole) * 86_400), 86_399)
    clock = time(seconds // 3600, seconds // 60 % 60, seconds % 60) if seconds else None
    if whole == 0 and clock is not None:
        return Written(None, clock)
    if whole not in SERIALS:
        raise CellError(BAD_DATE)
    return Written(excel_date(whole), clock)


def _from_text(text: str) -> Written:
    if _NUMBER.fullmatch(text):  # a CSV saved from a General-formatted column
        return _from_serial(float(text))
    try:
        return _from_datetime(datetime.fromisoformat(text))  # 2026-03-10, 2026-03-10T08:30
    except ValueError:
        pass
    day = None
    rest = text
    found = _DMY.search(text)
    if found:
        d, m, y = (int(g) for g in found.groups())
        try:
            day = date(y, m, d)
        except ValueError:
            raise CellError(BAD_DATE) from None
        rest = f"{text[: found.start()]} {text[found.end() :]}"
    rest = rest.strip(" ,;-")
    clock = None
    if rest:
        match = _CLOCK.fullmatch(rest)
        if match is None:
            raise CellError(BAD_DATE)
        hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            clock = time(hour, minute, second)
        except ValueError:
            raise CellError(BAD_DATE) from None
    if day is None and clock is None:
        raise CellError(BAD_DATE)
    return Written(day, clock)


def _checked(written: Written) -> Written:
    if written.day is not None and written.day.year not in YEARS:
        raise CellError(BAD_DATE)
    return written


def visit_time(
    written: Written | None, event: Event, number: int, issues: list[ImportIssue]
) -> datetime | None:
    """When this row's person was there, in UTC; None when neither the row nor the event says.

    A time without a day and an event without a date is an issue of the row (added to
    ``issues``): the day cannot be guessed.
    """
    start = event.start
    if written is None:
        return start
    local_start = start.astimezone(VN) if start is not None else None
    day = written.day or (local_start.date() if local_start else None)
    if day is None:
        issues.append(ImportIssue(number, FIELD, NO_DAY, value=str(written)))
        return None
    days = event_days(event)
    if days is not None and written.day is not None and not days[0] <= day <= days[1]:
        issues.append(ImportIssue(number, FIELD, NOT_ITS_DAY, {"days": _shown(days)}, str(written)))
        return None
    clock = written.clock or (local_start.timetz().replace(tzinfo=None) if local_start else None)
    moment = datetime.combine(day, clock or time(0, 0), tzinfo=VN)
    return moment.astimezone(UTC)


def event_days(event: Event) -> tuple[date, date] | None:
    """The first and last day of ``event`` in Vietnam time, planned or actual (None: undated).

    An event without an end lasts its starting day; a day ending at midnight sharp does not
    reach into the next one.
    """
    starts = [t for t in (event.planned_start, event.actual_start) if t is not None]
    if not starts:
        return None
    ends = [t for t in (event.planned_end, event.actual_end) if t is not None] or starts
    first = min(starts).astimezone(VN)
    last = max(max(ends), max(starts)).astimezone(VN)
    if last.time() == time(0, 0) and last.date() > first.date():
        last -= timedelta(microseconds=1)
    return first.date(), last.date()


def _shown(days: tuple[date, date]) -> str:
    first, last = (d.strftime("%d/%m/%Y") for d in days)
    return first if first == last else f"{first} – {last}"
