"""From one page's credited enrolments to another's, figure by figure.

The channel and monthly reports of a unit credit an event with its attendees' new enrolments of
every scheme, within 90 days (the longest window); a campaign's page and its event's follow-up
count the campaign's scheme alone, within the campaign's window. The tour found 22 credited to a
campaign's three events in the reports and 15 on the campaign's page, with a note saying the
schemes differ but no figure between them. The lines below give them, each read as the reports
read it (``credited``: the same report under another scheme or window, never a second rule):

    reports (every scheme)
    − the other schemes' credit, each named
    + the enrolments of people who joined several schemes: the reports credit such a person once
      (their first new enrolment, app.followup.attribution), the schemes once each
    = the campaign's scheme, the reports' window
    − those enrolled after the campaign's window but within the reports'
    = the campaign's figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select

from app.models import Event, Scheme
from app.reports.facts import EVERY_SCHEME, ReportFilter
from app.reports.report import event_facts_of

REPORTS_WINDOW = ReportFilter.window_days  # the channel and monthly reports' window (90 days)


@dataclass(frozen=True)
class CreditReconciliation:
    scheme: str  # the campaign's scheme (its value)
    window_days: int  # the campaign's attribution window
    reports: float  # every scheme, the reports' window: what the channel and monthly reports show
    others: tuple[tuple[str, float], ...]  # each other scheme that earned credit, reports' window
    own: float  # the campaign's scheme, the reports' window
    campaign: float  # the campaign's scheme, the campaign's window: the campaign's figure

    @property
    def reports_window(self) -> int:
        return REPORTS_WINDOW

    @property
    def several(self) -> float:
        """Enrolments the schemes credit apart that the reports credit once per person."""
        return round(self.own + sum(n for _, n in self.others) - self.reports, 6)

    @property
    def late(self) -> float:
        """Enrolments of the campaign's scheme paid after its window but within the reports'."""
        return round(self.own - self.campaign, 6)

    @property
    def differs(self) -> bool:
        return abs(self.reports - self.campaign) > 1e-6 or any(n for _, n in self.others)

    def adds_up(self) -> bool:
        """reports − others + several − late == campaign (to the rounding of the shares)."""
        others = sum(n for _, n in self.others)
        return abs(self.reports - others + self.several - self.late - self.campaign) < 1e-3


def reconcile(
    f: ReportFilter,
    credited: Callable[[list[ReportFilter]], list[float]],
    campaign: float | None = None,
) -> CreditReconciliation:
    """The lines of the campaign's filter ``f`` (its scheme, its window), each figure read by
    ``credited`` under the scheme and window at hand, all asked at once (the rollups sum them in
    one pass); ``campaign``: ``f``'s own figure, when the page already read it."""
    assert f.campaign is not None
    scheme = str(f.campaign.scheme)
    wide = replace(f, window_days=REPORTS_WINDOW)
    others = [s.value for s in Scheme if s.value != scheme]
    asked = [replace(wide, counted_scheme=EVERY_SCHEME)]
    asked += [replace(wide, counted_scheme=s) for s in others]
    if f.window_days != REPORTS_WINDOW:
        asked.append(replace(wide, counted_scheme=scheme))
    if campaign is None:
        asked.append(f)
    figures = credited(asked)
    reports, rest = figures[0], figures[1:]
    other_figures, rest = rest[: len(others)], rest[len(others) :]
    own_figure = rest.pop() if campaign is None else campaign
    own = rest[0] if f.window_days != REPORTS_WINDOW else own_figure
    return CreditReconciliation(
        scheme=scheme,
        window_days=f.window_days,
        reports=round(reports, 6),
        others=tuple(
            (s, n)
            for s, figure in zip(others, other_figures, strict=True)
            if (n := round(figure, 6)) > 1e-6
        ),
        own=round(own, 6),
        campaign=round(own_figure, 6),
    )


def event_reconciliation(event: Event, window_days: int) -> CreditReconciliation | None:
    """The reconciliation of one campaign's event, from the reports' credit of it (its follow-up's
    window ``window_days``); None for an event of no campaign, which every report counts alike."""
    if event.campaign is None:
        return None
    ids = select(Event.id).where(Event.id == event.id)

    def credited(fs: list[ReportFilter]) -> list[float]:
        return [sum(fact.enrolments for fact in event_facts_of(ids, g)) for g in fs]

    f = ReportFilter(unit=event.org_unit, campaign=event.campaign, window_days=window_days)
    return reconcile(f, credited)
