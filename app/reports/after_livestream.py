"""What the event page and the monthly report show of finished livestreams: labels, cells, chart.

The event page's partial (``events/_after_livestream.html``) calls ``livestream_after(event)``,
a template global, so the event page's route needs no change: it gets ``None`` unless the event
is a finished livestream. Cells are text already written the Vietnamese way (1.700; 1,4 lần),
with "chưa có" for views no platform reported and a dash where there is no median or ratio.
A livestream with nothing collected reads "chưa có" in every figure, one not held yet "chưa diễn
ra", and either is "not ranked" (``livestreams.NOT_COLLECTED``, ``NOT_HELD``), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.chart_words import chart_words
from app.formatting import fmt_date, fmt_number, local, ratio_form, ratio_number
from app.labels import LIVESTREAM_METRIC, label
from app.models import Event
from app.reports import bp
from app.reports.livestream_compare import METRICS, MetricComparison
from app.reports.livestreams import (
    NOT_COLLECTED,
    NOT_HELD,
    LivestreamComparison,
    LivestreamFigures,
    event_comparison,
)
from dashboards.livestreams import comparison_figure

DASH = "—"
# Why a livestream has no figures and no rank (``livestreams.NOT_HELD``, ``NOT_COLLECTED``); a
# figure of one with figures that the platform did not report (views) is said apart.
MISSING_NOTE = {
    NOT_HELD: _l("Not held yet: not ranked"),
    NOT_COLLECTED: _l("Nothing collected yet: not ranked"),
}
VIEWS_NOTE = _l("Views not yet read")
CHARTED = "interactions"  # the figure the chart draws: every platform reports it


def value_text(metric: str, value: float | None, missing: str | None = None) -> str:
    """A figure as shown: views not reported, or any figure of a livestream with nothing
    collected, read "not yet read" ("chưa có"); of one not held yet "not held yet"; never 0."""
    if value is None:
        if missing == NOT_HELD:
            return _("not held yet")
        return _("not yet read") if metric == "views" or missing else DASH
    return fmt_number(round(value, 2))


def missing_note(f: LivestreamFigures, *, views: bool = False) -> Any:
    """Why a livestream has no figures and no rank, a lazy text; "" when it has its figures.
    With ``views``, a livestream whose platform reported no views says so (the month's rows)."""
    if f.missing is not None:
        return MISSING_NOTE[f.missing]
    return VIEWS_NOTE if views and f.views is None else ""


def median_text(metric: str, median: float | None) -> str:
    """The earlier ones' median: whole for counts (people and comments come whole: 372,5
    viewers read as 373), as it is for credited enrolments, which may be halves."""
    if median is None:
        return DASH
    if metric != "enrolments":
        median = float(int(median + 0.5))  # half up, as people round
    return value_text(metric, median)


def ratio_text(ratio: float | None) -> str:
    """A ratio to the median, always in times: "1,4 lần", "1,0 lần"; one that would read 0,0
    "dưới 0,1 lần" (``app.formatting.ratio_form``)."""
    if ratio is None:
        return DASH
    kind, value = ratio_form(ratio)
    if kind == "under":
        return _("under %(ratio)s×", ratio=ratio_number(value))
    return _("%(ratio)s×", ratio=ratio_number(value))


def rank_text(m: MetricComparison) -> str:
    """The rank among the livestreams that have the figure; a figure missing is not ranked."""
    if m.value is None:
        return _("not ranked")
    if m.rank is None or m.out_of < 2:
        return DASH
    return _("%(rank)s of %(n)s", rank=m.rank, n=m.out_of)


def figure_cells(f: LivestreamFigures) -> list[str]:
    return [value_text(m, getattr(f, m), f.missing) for m in METRICS]


@dataclass
class AfterView:
    comparison: LivestreamComparison
    rows: list[dict[str, str]]  # one per metric: label, value, median, ratio, rank
    note: str  # why this livestream has no figures and no rank (``missing_note``), or ""
    earlier: list[dict[str, Any]]  # the earlier livestreams, newest first, their cells
    figure: dict[str, Any]


def after_view(c: LivestreamComparison) -> AfterView:
    rows = [
        {
            "metric": m.metric,
            "label": label(LIVESTREAM_METRIC, m.metric),
            "value": value_text(m.metric, m.value, c.current.missing),
            "median": median_text(m.metric, m.median),
            "ratio": ratio_text(m.ratio),
            "rank": rank_text(m),
        }
        for m in c.metrics
    ]
    earlier = [
        {"event_id": e.event_id, "title": e.title, "day": fmt_date(e.day), "cells": figure_cells(e)}
        for e in c.earlier
    ]
    points = [
        {"day": fmt_date(f.day), "title": f.title, "value": getattr(f, CHARTED),
         "current": f is c.current, "time": local(f.start).strftime("%H:%M") if f.start else ""}
        for f in [*reversed(c.earlier), c.current]
    ]  # fmt: skip
    figure = comparison_figure(points, CHARTED, c.metric(CHARTED).median, words=chart_words())
    return AfterView(c, rows, str(missing_note(c.current)), earlier, figure)


def livestream_after(event: Event) -> AfterView | None:
    """The event page's "after the livestream" section; None unless a finished livestream."""
    comparison = event_comparison(event)
    return None if comparison is None else after_view(comparison)


@bp.app_context_processor
def _after_livestream_globals() -> dict[str, Any]:
    return {"livestream_after": livestream_after, "livestream_metric_labels": LIVESTREAM_METRIC}
