"""What the event page and the monthly report show of finished livestreams: labels, cells, chart.

The event page's partial (``events/_after_livestream.html``) calls ``livestream_after(event)``,
a template global, so the event page's route needs no change: it gets ``None`` unless the event
is a finished livestream. Cells are text already written the Vietnamese way (1.700; 1,4 lần),
with "chưa có" for views no platform reported and a dash where there is no median or ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.chart_words import chart_words
from app.formatting import fmt_date, fmt_number, fmt_percent, ratio_form
from app.labels import LIVESTREAM_METRIC, label
from app.models import Event
from app.reports import bp
from app.reports.livestream_compare import METRICS, MetricComparison
from app.reports.livestreams import LivestreamComparison, LivestreamFigures, event_comparison
from dashboards.livestreams import comparison_figure

DASH = "—"
CHARTED = "interactions"  # the figure the chart draws: every platform reports it


def value_text(metric: str, value: float | None) -> str:
    """A figure as shown: views not reported read "not yet read" ("chưa có"), never 0."""
    if value is None:
        return _("not yet read") if metric == "views" else DASH
    return fmt_number(round(value, 2))


def ratio_text(ratio: float | None) -> str:
    """A ratio to the median: "1,4 lần"; a small one as a percentage, "0,1 %" (``ratio_form``)."""
    if ratio is None:
        return DASH
    kind, value = ratio_form(ratio)
    if kind == "percent":
        return fmt_percent(value)
    if kind == "under":
        return _("under %(percent)s", percent=fmt_percent(value))
    return _("%(ratio)s×", ratio=fmt_number(value))


def rank_text(m: MetricComparison) -> str:
    if m.rank is None or m.out_of < 2:
        return DASH
    return _("%(rank)s of %(n)s", rank=m.rank, n=m.out_of)


def figure_cells(f: LivestreamFigures) -> list[str]:
    return [value_text(m, getattr(f, m)) for m in METRICS]


@dataclass
class AfterView:
    comparison: LivestreamComparison
    rows: list[dict[str, str]]  # one per metric: label, value, median, ratio, rank
    earlier: list[dict[str, Any]]  # the earlier livestreams, newest first, their cells
    figure: dict[str, Any]


def after_view(c: LivestreamComparison) -> AfterView:
    rows = [
        {
            "metric": m.metric,
            "label": label(LIVESTREAM_METRIC, m.metric),
            "value": value_text(m.metric, m.value),
            "median": DASH if m.median is None else value_text(m.metric, m.median),
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
         "current": f is c.current}
        for f in [*reversed(c.earlier), c.current]
    ]  # fmt: skip
    figure = comparison_figure(points, CHARTED, c.metric(CHARTED).median, words=chart_words())
    return AfterView(c, rows, earlier, figure)


def livestream_after(event: Event) -> AfterView | None:
    """The event page's "after the livestream" section; None unless a finished livestream."""
    comparison = event_comparison(event)
    return None if comparison is None else after_view(comparison)


@bp.app_context_processor
def _after_livestream_globals() -> dict[str, Any]:
    return {"livestream_after": livestream_after, "livestream_metric_labels": LIVESTREAM_METRIC}
