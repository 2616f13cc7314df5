"""Dates of birth with their precision: the one parser, for sheets, check-ins and the linkage.

Older people often have only a birth year on record; comparing "1962" with 14/03/1962 as unequal
dates would throw away a match, so each date keeps its precision (``BirthPrecision``, also the
type of the models' ``birth_precision`` columns) and is compared at it. Day-first parsing, as
Vietnamese write dates; an impossible day is an error, never silently swapped with the month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from app.timeparse import VN, excel_date

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_Y = re.compile(r"^(\d{4})$")
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
MIN_YEAR = 1900


class BirthPrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class Birth:
    year: int
    month: int | None
    day: int | None
    precision: BirthPrecision

    @property
    def iso(self) -> str | None:
        """ISO date when the day is known, else None (never a fake 1 January)."""
        if self.precision != BirthPrecision.DAY:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def text(self) -> str:
        """ISO at its precision, as stored: "1975", "1975-05" or "1975-05-17"."""
        if self.precision == BirthPrecision.YEAR:
            return f"{self.year:04d}"
        if self.precision == BirthPrecision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


class BirthError(ValueError):
    """A date of birth that cannot be a date (the message says which part is wrong)."""


def _checked(year: int, month: int | None, day: int | None, raw: str, today: dt.date) -> Birth:
    if not MIN_YEAR <= year <= today.year:
        raise BirthError(f"year {year} out of range in {raw!r}")
    if month is not None and not 1 <= month <= 12:
        raise BirthError(f"month {month} does not exist in {raw!r}")
    if day is not None:
        try:
            date = dt.date(year, month or 1, day)
        except ValueError:
            raise BirthError(f"day {day} does not exist in month {month} of {raw!r}") from None
        if date > today:
            raise BirthError(f"{raw!r} is in the future")
        return Birth(year, month, day, BirthPrecision.DAY)
    if month is not None:
        return Birth(year, month, None, BirthPrecision.MONTH)
    return Birth(year, None, None, BirthPrecision.YEAR)


@lru_cache(maxsize=100_000)
def _parse_text(text: str, today: dt.date) -> Birth:
    if m := _DMY.match(text):
        return _checked(int(m[3]), int(m[2]), int(m[1]), text, today)
    if m := _YMD.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]), text, today)
    if m := _MY.match(text):
        return _checked(int(m[2]), int(m[1]), None, text, today)
    if m := _Y.match(text):
        return _checked(int(m[1]), None, None, text, today)
    raise BirthError(f"unrecognised date of birth {text!r} (expected dd/mm/yyyy, mm/yyyy or yyyy)")


def parse_birth(
    raw: str | int | float | dt.date | None, *, today: dt.date | None = None
) -> Birth | None:
    """A typed date of birth → Birth, None when empty; BirthError when it is impossible.

    Accepts dd/mm/yyyy (also with . or -), yyyy-mm-dd, mm/yyyy, yyyy, date objects, and Excel
    serial numbers (days since 1899-12-30) as numbers.
    """
    today = today or dt.datetime.now(VN).date()
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return _checked(raw.year, raw.month, raw.day, raw.isoformat(), today)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if MIN_YEAR <= raw <= today.year and float(raw).is_integer():
            return _checked(int(raw), None, None, str(int(raw)), today)
        date = excel_date(raw)
        return _checked(date.year, date.month, date.day, str(raw), today)
    text = str(raw).strip()
    if not text:
        return None
    return _parse_text(text, today)


def written_birth(raw: str | int | float | dt.date | None) -> Birth | None:
    """What ``raw`` says as a date, unchecked against today; None when empty or no date at all.

    For rows that word their own range checks (an attendee born "in the future", a payment date
    before 2008): the parsing stays this module's.
    """
    try:
        return parse_birth(raw, today=dt.date.max)
    except BirthError:
        return None


def year_in(text: str, *, today: dt.date | None = None) -> int | None:
    """The birth year a written date that is no date still gives, None when it gives none.

    Commune sheets write "00/00/1975", "31/02/1980", "15/13/1968", "năm 1970", "khoảng 1965":
    no date, but one four-digit number that is a plausible year (1900 … this year). A text with
    no such number, or with several four-digit numbers ("1965 hoặc 1966"), gives no year.
    """
    today = today or dt.datetime.now(VN).date()
    found = _FOUR_DIGITS.findall(text)
    if len(found) != 1:
        return None
    year = int(found[0])
    return year if MIN_YEAR <= year <= today.year else None
