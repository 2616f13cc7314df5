"""The reconciliation of two pages' credited enrolments (``reconcile``), line by line in words.

Each line is a sign ("", "−", "+", "="), its words and its figure: the campaign's page goes from
the reports' figure down to its own, an event's follow-up from its people up to the reports'.
Lines whose figure is 0 are left out, except the first and the last.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.labels import SCHEME, label
from app.models import Event
from app.reports.reconcile import CreditReconciliation, event_reconciliation


@dataclass(frozen=True)
class ReconcileLine:
    key: str  # data-key of the figure, for the page's tests
    sign: str
    words: str
    figure: float


def _scheme(value: str) -> str:
    return label(SCHEME, value)


def _others(b: CreditReconciliation, sign: str) -> list[ReconcileLine]:
    lines = []
    for scheme, n in b.others:
        words = _("Enrolments of another scheme: %(scheme)s", scheme=_scheme(scheme))
        lines.append(ReconcileLine(f"other-{scheme}", sign, words, n))
    return lines


def _several(b: CreditReconciliation, sign: str) -> list[ReconcileLine]:
    if abs(b.several) < 1e-6:
        return []
    words = _(
        "People who joined several schemes: the reports credit each of them once, for their "
        "first new enrolment; each scheme credits them once"
    )
    return [ReconcileLine("several", sign, words, b.several)]


def _reports(b: CreditReconciliation, sign: str) -> ReconcileLine:
    words = _(
        "Credited in the channel and monthly reports (every scheme, %(days)s days after the "
        "activity)",
        days=b.reports_window,
    )
    return ReconcileLine("reports", sign, words, b.reports)


def campaign_lines(b: CreditReconciliation) -> list[ReconcileLine]:
    """From the reports' credit of the campaign's activities down to the campaign's figure."""
    lines = [_reports(b, ""), *_others(b, "−"), *_several(b, "+")]
    if abs(b.late) > 1e-6:
        words = _(
            "Enrolled more than %(days)s days after the activity (the campaign's window)",
            days=b.window_days,
        )
        lines.append(ReconcileLine("late", "−", words, b.late))
    words = _(
        "Attributed to the campaign's activities (%(scheme)s, %(days)s days)",
        scheme=_scheme(b.scheme),
        days=b.window_days,
    )
    lines.append(ReconcileLine("campaign", "=", words, b.campaign))
    return lines


def event_lines(b: CreditReconciliation, people: int) -> list[ReconcileLine]:
    """From the people the follow-up lists as enrolled after the event up to the reports' credit
    of the event."""
    words = _(
        "People met here whose new enrolment (%(scheme)s) came within %(days)s days: one line "
        "each below",
        scheme=_scheme(b.scheme),
        days=b.window_days,
    )
    lines = [ReconcileLine("people", "", words, people)]
    elsewhere = round(people - b.campaign, 6)
    if abs(elsewhere) > 1e-6:
        words = _("Credited to another activity where they were met later (last touch)")
        lines.append(ReconcileLine("elsewhere", "−", words, elsewhere))
        words = _("Credited to this activity (%(scheme)s)", scheme=_scheme(b.scheme))
        lines.append(ReconcileLine("credited", "=", words, b.campaign))
    if abs(b.late) > 1e-6:
        words = _(
            "Enrolled between %(days)s and %(reports_days)s days after (the reports' window)",
            days=b.window_days,
            reports_days=b.reports_window,
        )
        lines.append(ReconcileLine("late", "+", words, b.late))
    lines += [*_others(b, "+"), *_several(b, "−"), _reports(b, "=")]
    return lines


def event_reconcile_lines(event: Event, people: int, window_days: int) -> list[ReconcileLine]:
    """The lines of the follow-up of ``event`` listing ``people`` within ``window_days``; none
    where the list and the reports agree (an event of no campaign: every page counts alike)."""
    reconciled = event_reconciliation(event, window_days)
    if reconciled is None or (not reconciled.differs and people == reconciled.campaign):
        return []
    return event_lines(reconciled, people)
