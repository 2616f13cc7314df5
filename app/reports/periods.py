"""The channels report's quick periods: this month, last month, this quarter, this year, last
year, each a whole calendar period of Vietnam's calendar (a month's or a year's report from its
first day to its last, as the monthly report counts a month and as the file names call it:
"so-sanh-kenh-nghe-an-2026").

"Today" is Vietnam's: at 23:30 on 31/12 in Hà Nội (16:30 UTC) it is still the old year, at
00:30 on 01/01 (17:30 UTC on 31/12) already the new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.timeparse import VN

QUICK_LABELS = {
    "this_month": _l("This month"),
    "last_month": _l("Last month"),
    "this_quarter": _l("This quarter"),
    "this_year": _l("This year"),
    "last_year": _l("Last year"),
}
# The filter's choices a quick period keeps: the unit, the campaign, the attribution model.
KEPT = ("org_unit", "campaign_id", "model")


@dataclass(frozen=True)
class QuickPeriod:
    key: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return str(QUICK_LABELS[self.key])

    def args(self, current: Mapping[str, str]) -> dict[str, str]:
        """The report's parameters with this period: the filter's other choices kept."""
        kept = {k: current[k] for k in KEPT if current.get(k)}
        return {**kept, "from": self.start.isoformat(), "to": self.end.isoformat()}


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def quick_periods(now: datetime) -> list[QuickPeriod]:
    """The quick periods at ``now`` (aware), in Vietnam's calendar."""
    today = now.astimezone(VN).date()
    month = today.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    quarter_end = _month_end(date(quarter.year, quarter.month + 2, 1))
    return [
        QuickPeriod("this_month", month, _month_end(month)),
        QuickPeriod("last_month", last_month, month - timedelta(days=1)),
        QuickPeriod("this_quarter", quarter, quarter_end),
        QuickPeriod("this_year", date(today.year, 1, 1), date(today.year, 12, 31)),
        QuickPeriod("last_year", date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]


def month_in(start: date | None, end: date | None, today: date) -> date:
    """The one month the monthly report's buttons open for a period the channels report shows:
    today's when the period holds today (or is open), else its last month ("Năm trước" gives
    December's, not January's, which read as the year's report and was nearly empty)."""
    if (start is None or start <= today) and (end is None or today <= end):
        return today
    return end if end is not None and end < today else (start or today)
